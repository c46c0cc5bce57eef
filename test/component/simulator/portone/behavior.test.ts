import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  CreatePaymentInput,
  PaymentBehavior,
  RunningSimulator,
  SimPayment,
} from '../../../../simulator/portone';
import { Api, type Receiver, startReceiver, startSim } from './support';

const T0 = 1_750_000_000;
const MSG_LATER = '[KSNET] 가상계좌 환불은 23:00~06:00에는 처리할 수 없습니다.(시간 외)';
const MSG_UNSUPPORTED =
  '결제취소에 실패하였습니다.(해당 PG사는 API를 통한 취소를 지원하지 않습니다)';
const MSG_IN_PROGRESS = '이미 취소 요청이 접수되어 처리 중인 결제건입니다.';

let sim: RunningSimulator;
let api: Api;
let token: string;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startSim({ webhookUrl: receiver.url });
  api = new Api(sim.url);
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(async () => {
  await sim.control.reset();
  await sim.control.setClock(T0);
  receiver.requests.length = 0;
  token = await api.getToken();
});

const cancel = (body: Record<string, unknown>) =>
  api.call<SimPayment | null>('POST', '/payments/cancel', { token, body });
const lookup = (impUid: string) => api.call<SimPayment>('GET', `/payments/${impUid}`, { token });
const paid = (behavior: PaymentBehavior, extra: Partial<CreatePaymentInput> = {}) =>
  sim.control.createPayment({
    merchant_uid: 'order-b',
    amount: 10_000,
    state: 'paid',
    behavior,
    ...extra,
  });
const post = (path: string, body: unknown) =>
  fetch(`${sim.url}/__sim${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('pending cancels', () => {
  it('accepts with code 0 and the payment unchanged, then completes on settle approve', async () => {
    const payment = await paid({ cancel: 'pending' });
    const answer = await cancel({ imp_uid: payment.imp_uid, amount: 4000, reason: 'PayPal 환불' });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe(0);
    expect(answer.body.message).toBeNull();
    expect(answer.body.response).toEqual(payment);
    expect((await lookup(payment.imp_uid)).body.response).toMatchObject({
      status: 'paid',
      cancel_amount: 0,
      cancel_history: [],
      cancelled_at: 0,
    });

    const [pending] = await sim.control.pendingCancels(payment.imp_uid);
    expect(pending).toEqual({
      amount: 4000,
      reason: 'PayPal 환불',
      requested_at: expect.any(Number),
      enable_webhook: false,
      cancellation_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(pending?.requested_at).toBeGreaterThanOrEqual(T0);
    // The pending cancel is not part of the payment PortOne shows.
    expect(Object.keys(await sim.control.getPayment(payment.imp_uid))).toEqual(
      Object.keys(payment),
    );

    const now = await sim.control.advanceClock(600);
    const settled = await sim.control.settleCancels(payment.imp_uid);
    expect(settled).toMatchObject({
      status: 'cancelled',
      cancel_amount: 4000,
      cancel_reason: 'PayPal 환불',
    });
    expect(settled.cancelled_at).toBeGreaterThanOrEqual(now);
    expect(settled.cancel_history).toHaveLength(1);
    expect(settled.cancel_history[0]).toMatchObject({
      amount: 4000,
      cancellation_id: pending?.cancellation_id,
      cancelled_at: settled.cancelled_at,
    });
    expect(await sim.control.pendingCancels(payment.imp_uid)).toEqual([]);
    expect((await lookup(payment.imp_uid)).body.response.cancel_amount).toBe(4000);
    await sim.state.webhooks.settle();
    expect(receiver.requests).toHaveLength(0);
  });

  it('drops the pending cancel on settle reject, leaving the payment as it was', async () => {
    const payment = await paid({ cancel: 'pending' });
    expect((await cancel({ imp_uid: payment.imp_uid })).body.code).toBe(0);
    const rejected = await sim.control.settleCancels(payment.imp_uid, 'reject');
    expect(rejected).toMatchObject({ status: 'paid', cancel_amount: 0, cancel_history: [] });
    expect(await sim.control.pendingCancels(payment.imp_uid)).toEqual([]);
    // Nothing pending any more: a new request is accepted (and pending again).
    expect((await cancel({ imp_uid: payment.imp_uid })).body.code).toBe(0);
    expect((await sim.control.pendingCancels(payment.imp_uid)).map((p) => p.amount)).toEqual([
      10_000,
    ]);
  });

  it('refuses a second cancel while one is pending, as a temporary refusal', async () => {
    const payment = await paid({ cancel: 'pending' });
    await cancel({ imp_uid: payment.imp_uid, amount: 1000 });
    const second = await cancel({ imp_uid: payment.imp_uid, amount: 1000 });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ code: 1, message: MSG_IN_PROGRESS, response: null });
    expect(second.body.message).not.toContain('지원하지 않');
    const byMerchant = await cancel({ merchant_uid: 'order-b', amount: 1000 });
    expect(byMerchant.body).toMatchObject({ code: 1, message: MSG_IN_PROGRESS });
    expect(await sim.control.pendingCancels(payment.imp_uid)).toHaveLength(1);
  });

  it('completes by itself once the delay has passed on the sim clock, on any read', async () => {
    // Delays stay within the 30-minute token lifetime: the clock moves tokens too.
    const payment = await paid({ cancel: 'pending', cancelDelaySeconds: 600 });
    const answer = await cancel({ imp_uid: payment.imp_uid, amount: 2500 });
    expect(answer.body.response?.cancel_amount).toBe(0);
    const [pending] = await sim.control.pendingCancels(payment.imp_uid);
    // The sim clock is real time plus an offset, in whole seconds: leave the
    // real clock room to tick while the suite runs under load.
    await sim.control.advanceClock(580);
    expect((await lookup(payment.imp_uid)).body.response.cancel_amount).toBe(0);
    await sim.control.advanceClock(21);
    const find = await api.call<SimPayment>('GET', '/payments/find/order-b', { token });
    expect(find.body.response).toMatchObject({ status: 'cancelled', cancel_amount: 2500 });
    expect(find.body.response.cancelled_at).toBe((pending?.requested_at ?? 0) + 600);
    expect(find.body.response.cancel_history[0]?.cancellation_id).toBe(pending?.cancellation_id);
    expect(await sim.control.pendingCancels(payment.imp_uid)).toEqual([]);
    // Done: the next cancel is pending again rather than refused.
    expect((await cancel({ imp_uid: payment.imp_uid, checksum: 7500 })).body.code).toBe(0);
  });

  it('sends the cancelled webhook on completion when the request asked for it', async () => {
    const payment = await paid({ cancel: 'pending' });
    await cancel({ imp_uid: payment.imp_uid, amount: 3000, enable_webhook: true });
    await sim.state.webhooks.settle();
    expect(receiver.requests).toHaveLength(0);
    const settled = await sim.control.settleCancels(payment.imp_uid, 'approve');
    const [request] = await receiver.waitFor(1);
    expect(JSON.parse(request?.body ?? '')).toEqual({
      imp_uid: payment.imp_uid,
      merchant_uid: 'order-b',
      status: 'cancelled',
      cancellation_id: settled.cancel_history[0]?.cancellation_id,
    });
    await sim.state.webhooks.settle();
    expect((await sim.control.webhookLog()).map((w) => w.trigger)).toEqual(['cancel']);
  });

  it('sends the webhook of a lazily completed cancel when the completion is noticed', async () => {
    const payment = await paid({ cancel: 'pending', cancelDelaySeconds: 60 });
    await cancel({ imp_uid: payment.imp_uid, enable_webhook: true });
    const [pending] = await sim.control.pendingCancels(payment.imp_uid);
    await sim.control.advanceClock(61);
    await sim.state.webhooks.settle();
    expect(receiver.requests).toHaveLength(0);
    expect((await lookup(payment.imp_uid)).body.response.status).toBe('cancelled');
    const [request] = await receiver.waitFor(1);
    expect(JSON.parse(request?.body ?? '')).toMatchObject({
      status: 'cancelled',
      cancellation_id: pending?.cancellation_id,
    });
  });

  it('still applies checksum, amount and refund account checks to pending cancels', async () => {
    const payment = await paid({ cancel: 'pending' });
    const checksum = await cancel({ imp_uid: payment.imp_uid, checksum: 9000 });
    expect(checksum.body).toMatchObject({ code: 1, response: null });
    expect(checksum.body.message).toContain('checksum');
    const tooMuch = await cancel({ imp_uid: payment.imp_uid, amount: 10_001 });
    expect(tooMuch.body.code).toBe(1);
    expect(tooMuch.body.message).toContain('취소가능잔액');
    const vbank = await paid(
      { cancel: 'pending' },
      { merchant_uid: 'order-bv', pay_method: 'vbank' },
    );
    const noAccount = await cancel({ imp_uid: vbank.imp_uid });
    expect(noAccount.body.code).toBe(1);
    expect(noAccount.body.message).toContain('refund_account');
    expect(await sim.control.pendingCancels(payment.imp_uid)).toEqual([]);
    expect(await sim.control.pendingCancels(vbank.imp_uid)).toEqual([]);
    const refund = { refund_holder: '홍길동', refund_bank: '88', refund_account: '110123456789' };
    expect((await cancel({ imp_uid: vbank.imp_uid, ...refund })).body.code).toBe(0);
    expect(await sim.control.pendingCancels(vbank.imp_uid)).toHaveLength(1);
  });

  it('leaves the console cancel immediate', async () => {
    const payment = await paid({ cancel: 'pending' });
    const cancelled = await sim.control.consoleCancel(payment.imp_uid, { amount: 1000 });
    expect(cancelled.cancel_amount).toBe(1000);
    expect(await sim.control.pendingCancels(payment.imp_uid)).toEqual([]);
  });
});

describe('refused cancels', () => {
  it('refuses for now until refuseCancelUntil, then accepts', async () => {
    const payment = await paid({ refuseCancelUntil: T0 + 600 });
    const night = await cancel({ imp_uid: payment.imp_uid, checksum: 1 });
    expect(night.status).toBe(200);
    // Before the checksum check: the PG refuses whatever the request says.
    expect(night.body).toEqual({ code: 1, message: MSG_LATER, response: null });
    expect(night.body.message).not.toContain('지원하지 않');
    expect((await lookup(payment.imp_uid)).body.response.cancel_amount).toBe(0);
    await sim.control.advanceClock(600);
    const morning = await cancel({ imp_uid: payment.imp_uid });
    expect(morning.body.code).toBe(0);
    expect(morning.body.response).toMatchObject({ status: 'cancelled', cancel_amount: 10_000 });
  });

  it('answers the already-cancelled refusal before the temporary one', async () => {
    const payment = await paid({ refuseCancelUntil: T0 + 3600 }, { state: 'cancelled' });
    expect((await cancel({ imp_uid: payment.imp_uid })).body.message).toBe(
      '이미 전액취소된 주문입니다.',
    );
  });

  it('refuses for good with cancel refuse, after the usual checks', async () => {
    const payment = await paid({ cancel: 'refuse' });
    const answer = await cancel({ imp_uid: payment.imp_uid, amount: 1000 });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ code: 1, message: MSG_UNSUPPORTED, response: null });
    expect(answer.body.message).toContain('지원하지 않');
    const checksum = await cancel({ imp_uid: payment.imp_uid, checksum: 5 });
    expect(checksum.body.message).toContain('checksum');
    const tooMuch = await cancel({ imp_uid: payment.imp_uid, amount: 20_000 });
    expect(tooMuch.body.message).toContain('취소가능잔액');
    const unknown = await cancel({ imp_uid: 'imp_000000000000' });
    expect(unknown.body.message).toBe('취소할 결제건이 존재하지 않습니다.');
    expect((await lookup(payment.imp_uid)).body.response.cancel_amount).toBe(0);
    // The console still cancels it.
    expect((await sim.control.consoleCancel(payment.imp_uid)).status).toBe('cancelled');
  });
});

describe('omitSandbox', () => {
  it('leaves the sandbox key out of every API answer showing the payment', async () => {
    const payment = await paid({ omitSandbox: true });
    const other = await sim.control.createPayment({
      merchant_uid: 'order-o',
      amount: 1,
      state: 'paid',
    });
    const vbank = await sim.control.createPayment({
      merchant_uid: 'order-v',
      amount: 1,
      state: 'vbank_issued',
      behavior: { omitSandbox: true },
    });
    const get = await lookup(payment.imp_uid);
    const find = await api.call<SimPayment>('GET', '/payments/find/order-b', { token });
    const findAll = await api.call<{ list: SimPayment[] }>('GET', '/payments/findAll/order-b', {
      token,
    });
    const many = await api.call<SimPayment[]>(
      'GET',
      `/payments?imp_uid[]=${payment.imp_uid}&imp_uid[]=${other.imp_uid}`,
      { token },
    );
    const cancelled = await cancel({ imp_uid: payment.imp_uid, amount: 1 });
    const revoked = await api.call<SimPayment>('DELETE', `/vbanks/${vbank.imp_uid}`, { token });
    const shown = [
      get.body.response,
      find.body.response,
      findAll.body.response.list[0],
      many.body.response[0],
      cancelled.body.response,
      revoked.body.response,
    ];
    for (const answer of shown) {
      expect(answer).toMatchObject({ status: expect.any(String) });
      expect(answer).not.toHaveProperty('sandbox');
      expect(Object.keys(answer ?? {})).toHaveLength(Object.keys(payment).length - 1);
    }
    expect(many.body.response[1]).toHaveProperty('sandbox', false);
    // Control answers keep showing it.
    expect(await sim.control.getPayment(payment.imp_uid)).toHaveProperty('sandbox', false);
  });

  it('can be switched on later and off again', async () => {
    const payment = await paid({});
    expect((await lookup(payment.imp_uid)).body.response).toHaveProperty('sandbox');
    await sim.control.setBehavior(payment.imp_uid, { omitSandbox: true });
    expect((await lookup(payment.imp_uid)).body.response).not.toHaveProperty('sandbox');
    await sim.control.setBehavior(payment.imp_uid, { omitSandbox: null });
    expect((await lookup(payment.imp_uid)).body.response).toHaveProperty('sandbox', false);
  });
});

describe('payAt', () => {
  it.each(['ready', 'failed'] as const)('pays a %s payment lazily on lookup', async (state) => {
    const payment = await sim.control.createPayment({
      merchant_uid: `order-${state}`,
      amount: 500,
      state,
      pay_method: 'trans',
      fail_reason: '잔액 부족',
      behavior: { payAt: T0 + 100 },
    });
    // The sim clock is real time plus an offset, in whole seconds: 10 s short of payAt leaves the
    // real clock room to tick under load (99 s failed in CI when a second ticked mid-test).
    await sim.control.advanceClock(90);
    expect((await lookup(payment.imp_uid)).body.response.status).toBe(state);
    await sim.control.advanceClock(60);
    const after = (await lookup(payment.imp_uid)).body.response;
    expect(after).toMatchObject({ status: 'paid', paid_at: T0 + 100, bank_name: 'KB국민은행' });
    if (state === 'failed') {
      expect(after.fail_reason).toBe('잔액 부족');
      expect(after.failed_at).toBe(payment.failed_at);
    }
    await sim.state.webhooks.settle();
    expect(receiver.requests).toHaveLength(0);
  });

  it('pays lazily on find, findAll and the multi lookup too', async () => {
    const make = (merchantUid: string, payAt: number) =>
      sim.control.createPayment({
        merchant_uid: merchantUid,
        amount: 1,
        state: 'ready',
        behavior: { payAt },
      });
    const a = await make('o-a', T0 + 10);
    const b = await make('o-b', T0 + 20);
    const c = await make('o-c', T0 + 30);
    const paidOnes = (merchantUid: string) =>
      api.call<SimPayment>('GET', `/payments/find/${merchantUid}/paid`, { token });
    expect((await paidOnes('o-a')).status).toBe(404);
    await sim.control.advanceClock(10);
    const find = await paidOnes('o-a');
    expect(find.status).toBe(200);
    expect(find.body.response).toMatchObject({ imp_uid: a.imp_uid, paid_at: T0 + 10 });
    expect((await paidOnes('o-b')).status).toBe(404);
    await sim.control.advanceClock(10);
    const findAll = await api.call<{ list: SimPayment[] }>('GET', '/payments/findAll/o-b/paid', {
      token,
    });
    expect(findAll.body.response.list.map((p) => p.imp_uid)).toEqual([b.imp_uid]);
    const early = await api.call<SimPayment[]>('GET', `/payments?imp_uid[]=${c.imp_uid}`, {
      token,
    });
    expect(early.body.response[0]?.status).toBe('ready');
    await sim.control.advanceClock(10);
    const many = await api.call<SimPayment[]>('GET', `/payments?imp_uid[]=${c.imp_uid}`, {
      token,
    });
    expect(many.body.response[0]).toMatchObject({ status: 'paid', paid_at: T0 + 30 });
  });

  it('does nothing to a paid or cancelled payment', async () => {
    const payment = await paid({ payAt: T0 + 1 }, { state: 'cancelled' });
    await sim.control.advanceClock(5);
    expect((await lookup(payment.imp_uid)).body.response).toMatchObject({
      status: 'cancelled',
      paid_at: payment.paid_at,
    });
  });
});

describe('POST /__sim/payments/{imp_uid}/pay from failed', () => {
  it('approves a failed payment, keeping failed_at and fail_reason', async () => {
    const failed = await sim.control.createPayment({
      merchant_uid: 'o-pw',
      amount: 100,
      state: 'failed',
      pg_provider: 'paymentwall',
      fail_reason: '결제 거절',
    });
    await sim.control.advanceClock(30);
    const paidLater = await sim.control.pay(failed.imp_uid);
    expect(paidLater).toMatchObject({
      status: 'paid',
      fail_reason: '결제 거절',
      failed_at: failed.failed_at,
    });
    expect(paidLater.paid_at).toBeGreaterThanOrEqual(T0 + 30);
    await expect(sim.control.pay(failed.imp_uid)).rejects.toMatchObject({ status: 409 });
    const cancelled = await paid({}, { state: 'cancelled' });
    await expect(sim.control.pay(cancelled.imp_uid)).rejects.toMatchObject({ status: 409 });
  });
});

describe('POST /__sim/payments/{imp_uid}/behavior', () => {
  it('merges into the current behaviour and answers it', async () => {
    const payment = await paid({ cancel: 'pending', cancelDelaySeconds: 10 });
    expect(await sim.control.getBehavior(payment.imp_uid)).toEqual({
      cancel: 'pending',
      cancelDelaySeconds: 10,
    });
    expect(await sim.control.setBehavior(payment.imp_uid, { refuseCancelUntil: T0 + 5 })).toEqual({
      cancel: 'pending',
      cancelDelaySeconds: 10,
      refuseCancelUntil: T0 + 5,
    });
    expect(
      await sim.control.setBehavior(payment.imp_uid, {
        cancelDelaySeconds: null,
        cancel: 'refuse',
      }),
    ).toEqual({ cancel: 'refuse', refuseCancelUntil: T0 + 5 });
    const response = await post(`/payments/${payment.imp_uid}/behavior`, { omitSandbox: true });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      behavior: { cancel: 'refuse', refuseCancelUntil: T0 + 5, omitSandbox: true },
    });
  });

  it('is kept beside the payment, never in it', async () => {
    const payment = await paid({ cancel: 'refuse', omitSandbox: true });
    expect(payment).not.toHaveProperty('behavior');
    expect(await sim.control.getPayment(payment.imp_uid)).not.toHaveProperty('behavior');
  });

  it('validates each field and names it', async () => {
    const payment = await paid({});
    const cases: Array<[unknown, string]> = [
      [{ cancel: 'later' }, 'cancel must be one of immediate, pending, refuse'],
      [{ cancelDelaySeconds: -1 }, 'cancelDelaySeconds must be a non-negative integer'],
      [{ cancelDelaySeconds: 1.5 }, 'cancelDelaySeconds must be a non-negative integer'],
      [{ refuseCancelUntil: 'tonight' }, 'refuseCancelUntil must be a non-negative integer'],
      [{ payAt: true }, 'payAt must be a non-negative integer'],
      [{ omitSandbox: 'yes' }, 'omitSandbox must be a boolean'],
      [{ sandbox: true }, 'sandbox is not a behavior field'],
    ];
    for (const [body, message] of cases) {
      const response = await post(`/payments/${payment.imp_uid}/behavior`, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain(message);
    }
    expect(await sim.control.getBehavior(payment.imp_uid)).toEqual({});
    const unknown = await post('/payments/imp_000000000000/behavior', { cancel: 'refuse' });
    expect(unknown.status).toBe(404);
  });

  it('validates the behaviour of a created payment', async () => {
    const base = { merchant_uid: 'o-v', amount: 1, state: 'paid' };
    const cases: Array<[unknown, string]> = [
      ['pending', 'behavior must be an object'],
      [{ cancel: 'never' }, 'behavior.cancel must be one of'],
      [{ payAt: -5 }, 'behavior.payAt must be a non-negative integer'],
      [{ delay: 1 }, 'behavior.delay is not a behavior field'],
    ];
    for (const [behavior, message] of cases) {
      const response = await post('/payments', { ...base, behavior });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain(message);
    }
    expect(await sim.control.listPayments()).toEqual([]);
  });

  it('answers 404 on settle-cancels and pending-cancels for an unknown imp_uid', async () => {
    await expect(sim.control.settleCancels('imp_000000000000')).rejects.toMatchObject({
      status: 404,
    });
    await expect(sim.control.pendingCancels('imp_000000000000')).rejects.toMatchObject({
      status: 404,
    });
    const payment = await paid({});
    const bad = await post(`/payments/${payment.imp_uid}/settle-cancels`, { outcome: 'maybe' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('outcome');
  });
});
