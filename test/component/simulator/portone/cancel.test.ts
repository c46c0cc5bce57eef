import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimPayment } from '../../../../simulator/portone';
import { Api, type Receiver, startReceiver, startSim } from './support';

describe('POST /payments/cancel', () => {
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
    receiver.requests.length = 0;
    token = await api.getToken();
  });

  const cancel = (body: Record<string, unknown>, form = false) =>
    api.call<SimPayment>('POST', '/payments/cancel', { token, body, form });
  const paid = (amount = 10_000, extra: Record<string, unknown> = {}) =>
    sim.control.createPayment({ merchant_uid: 'order-c', amount, state: 'paid', ...extra });

  it('cancels the whole amount when amount is omitted', async () => {
    const payment = await paid();
    const now = await sim.control.advanceClock(5);
    const answer = await cancel({ imp_uid: payment.imp_uid, reason: '고객 요청' });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe(0);
    expect(answer.body.message).toBeNull();
    const after = answer.body.response;
    expect(after).toMatchObject({
      status: 'cancelled',
      cancel_amount: 10_000,
      cancel_reason: '고객 요청',
    });
    expect(after.cancelled_at - now).toBeLessThanOrEqual(1);
    expect(after.cancelled_at).toBeGreaterThanOrEqual(now);
    expect(after.cancel_history).toHaveLength(1);
    expect(after.cancel_history[0]).toMatchObject({
      amount: 10_000,
      reason: '고객 요청',
      pg_tid: payment.pg_tid,
      cancelled_at: after.cancelled_at,
    });
    expect(Object.keys(after.cancel_history[0] ?? {}).sort()).toEqual([
      'amount',
      'cancellation_id',
      'cancelled_at',
      'pg_tid',
      'reason',
      'receipt_url',
    ]);
    expect(after.cancel_receipt_urls).toHaveLength(1);
    expect((await sim.control.getPayment(payment.imp_uid)).cancel_amount).toBe(10_000);
  });

  it('treats amount 0 as a full cancel', async () => {
    const payment = await paid(3000);
    const answer = await cancel({ imp_uid: payment.imp_uid, amount: 0 });
    expect(answer.body.response.cancel_amount).toBe(3000);
  });

  it('accumulates partial cancels and reports status cancelled', async () => {
    const payment = await paid();
    const first = await cancel({ imp_uid: payment.imp_uid, amount: 3000, checksum: 10_000 });
    expect(first.body.response).toMatchObject({ status: 'cancelled', cancel_amount: 3000 });
    const second = await cancel({ imp_uid: payment.imp_uid, amount: 2000, checksum: 7000 });
    expect(second.body.response.cancel_amount).toBe(5000);
    expect(second.body.response.cancel_history.map((h) => h.amount)).toEqual([3000, 2000]);
    const ids = second.body.response.cancel_history.map((h) => h.cancellation_id);
    expect(new Set(ids).size).toBe(2);
    const rest = await cancel({ imp_uid: payment.imp_uid, checksum: 5000 });
    expect(rest.body.response.cancel_amount).toBe(10_000);
    expect(rest.body.response.cancel_history.map((h) => h.amount)).toEqual([3000, 2000, 5000]);
  });

  it('keeps status paid after a partial cancel when configured so', async () => {
    await sim.control.configure({ statusAfterPartialCancel: 'paid' });
    const payment = await paid();
    const partial = await cancel({ imp_uid: payment.imp_uid, amount: 1000 });
    expect(partial.body.response).toMatchObject({ status: 'paid', cancel_amount: 1000 });
    const full = await cancel({ imp_uid: payment.imp_uid });
    expect(full.body.response).toMatchObject({ status: 'cancelled', cancel_amount: 10_000 });
  });

  it('refuses a checksum that differs from the balance, with HTTP 200 and code 1', async () => {
    const payment = await paid();
    await cancel({ imp_uid: payment.imp_uid, amount: 1000 });
    const answer = await cancel({ imp_uid: payment.imp_uid, amount: 1000, checksum: 10_000 });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe(1);
    expect(answer.body.message).toContain('checksum');
    expect(answer.body.response).toBeNull();
    expect((await sim.control.getPayment(payment.imp_uid)).cancel_amount).toBe(1000);
  });

  it('refuses an amount above the remaining balance', async () => {
    const payment = await paid();
    await cancel({ imp_uid: payment.imp_uid, amount: 6000 });
    const answer = await cancel({ imp_uid: payment.imp_uid, amount: 5000 });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe(1);
    expect(answer.body.response).toBeNull();
    expect((await sim.control.getPayment(payment.imp_uid)).cancel_amount).toBe(6000);
  });

  it('refuses an already fully cancelled payment', async () => {
    const payment = await paid();
    await cancel({ imp_uid: payment.imp_uid });
    const answer = await cancel({ imp_uid: payment.imp_uid });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      code: 1,
      message: '이미 전액취소된 주문입니다.',
      response: null,
    });
  });

  it('refuses an unknown imp_uid even when the merchant_uid exists', async () => {
    await paid();
    const answer = await cancel({ imp_uid: 'imp_000000000000', merchant_uid: 'order-c' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      code: 1,
      message: '취소할 결제건이 존재하지 않습니다.',
      response: null,
    });
  });

  it('cancels by merchant_uid when no imp_uid is given', async () => {
    await sim.control.createPayment({ merchant_uid: 'order-c', amount: 10_000, state: 'failed' });
    await sim.control.advanceClock(1);
    const target = await paid();
    await sim.control.advanceClock(1);
    await sim.control.createPayment({ merchant_uid: 'order-c', amount: 10_000, state: 'failed' });
    const answer = await cancel({ merchant_uid: 'order-c' });
    expect(answer.body.code).toBe(0);
    expect(answer.body.response.imp_uid).toBe(target.imp_uid);
  });

  it('requires one of imp_uid or merchant_uid', async () => {
    const answer = await cancel({ amount: 1000 });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe(1);
    expect(answer.body.message).toMatch(/지정해주셔야합니다\.$/);
  });

  it.each(['ready', 'failed'] as const)('refuses to cancel a %s payment', async (state) => {
    const payment = await sim.control.createPayment({ merchant_uid: 'o', amount: 100, state });
    const answer = await cancel({ imp_uid: payment.imp_uid });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe(1);
    expect((await sim.control.getPayment(payment.imp_uid)).status).toBe(state);
  });

  it('requires refund account fields for a virtual-account payment', async () => {
    const payment = await paid(5000, { pay_method: 'vbank' });
    const refused = await cancel({ imp_uid: payment.imp_uid, refund_holder: '홍길동' });
    expect(refused.status).toBe(200);
    expect(refused.body.code).toBe(1);
    expect(refused.body.message).toContain('refund_account');
    const done = await cancel({
      imp_uid: payment.imp_uid,
      refund_holder: '홍길동',
      refund_bank: '88',
      refund_account: '110123456789',
    });
    expect(done.body.code).toBe(0);
    expect(done.body.response.cancel_amount).toBe(5000);
  });

  it('accepts a form-urlencoded body', async () => {
    const payment = await paid();
    const answer = await cancel({ imp_uid: payment.imp_uid, amount: 2500, checksum: 10_000 }, true);
    expect(answer.body.code).toBe(0);
    expect(answer.body.response.cancel_amount).toBe(2500);
  });

  it('sends a cancelled webhook with the cancellation_id when enable_webhook is true', async () => {
    const payment = await paid();
    const answer = await cancel({ imp_uid: payment.imp_uid, amount: 4000, enable_webhook: true });
    const [request] = await receiver.waitFor(1);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      imp_uid: payment.imp_uid,
      merchant_uid: 'order-c',
      status: 'cancelled',
      cancellation_id: answer.body.response.cancel_history[0]?.cancellation_id,
    });
    await sim.state.webhooks.settle();
    const log = await sim.control.webhookLog();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      trigger: 'cancel',
      url: receiver.url,
      outcome: { status: 200 },
    });
  });

  it('sends no webhook without enable_webhook', async () => {
    const payment = await paid();
    await cancel({ imp_uid: payment.imp_uid, amount: 1000 });
    await cancel({ imp_uid: payment.imp_uid, amount: 1000, enable_webhook: false });
    await sim.state.webhooks.settle();
    expect(await sim.control.webhookLog()).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
  });
});
