import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../functions/domain/use-cases/reconcile';
import { verificationDeps } from '../../functions/runtime/deps';
import { type Harness, startHarness, uid } from './support/harness';
import { eventually } from './support/wait';

/** docs/design.md §4.1 `POST /orders/{merchant_uid}/cancel`: the merchant's refunds. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { PORTONE_TIMEOUT_MS: '1500' } });
});
afterAll(() => h.close());
beforeEach(() => h.control.clearFaults());

const MINUTE = 60_000;
const reconcileIn = (ms: number) =>
  reconcile({ ...verificationDeps(h.runtime), clock: () => new Date(Date.now() + ms) });
const cancelCalls = async (impUid: string) =>
  (await h.control.getPayment(impUid)).cancel_history.length;

/** A registered order paid by card and confirmed by the webhook. */
const paidOrder = async (amount = 10000, extra: Record<string, unknown> = {}) => {
  const order = uid();
  await h.registerOrder(order, amount);
  const payment = await h.control.createPayment({
    merchant_uid: order,
    amount,
    state: 'paid',
    ...extra,
  });
  await h.control.sendWebhook({ imp_uid: payment.imp_uid });
  return { order, payment };
};

describe('a merchant refund', () => {
  it('refunds the whole balance when no amount is given, and the order is cancelled', async () => {
    // Prepare
    const { order, payment } = await paidOrder();

    // Act
    const answer = await h.refund(order, { request_id: 'r-1', reason: '고객 변심' });

    // Assess
    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body).toMatchObject({
      status: 'cancelled',
      order: {
        status: 'cancelled',
        cancel_amount: 10000,
        refunds: [{ request_id: 'r-1', amount: 10000, reason: '고객 변심', state: 'done' }],
      },
    });
    expect(body.order.history.at(-1)).toMatchObject({ source: 'merchant', to: 'cancelled' });
    expect(await h.control.getPayment(payment.imp_uid)).toMatchObject({
      status: 'cancelled',
      cancel_amount: 10000,
    });
    // PortOne's cancellation webhook (asked for) confirms it
    await eventually(async () =>
      expect(await h.order(order)).toMatchObject({ status: 'cancelled', final: true }),
    );
  });

  it('refunds part of the payment, then the rest, each once', async () => {
    const { order, payment } = await paidOrder();

    const part = await h.refund(order, { request_id: 'part', reason: '부분 반품', amount: 2500 });
    const rest = await h.refund(order, { request_id: 'rest', reason: '나머지' });

    expect(part.status).toBe(200);
    expect(await part.json()).toMatchObject({
      status: 'partially_cancelled',
      order: { status: 'partially_cancelled', cancel_amount: 2500 },
    });
    expect(await rest.json()).toMatchObject({
      status: 'cancelled',
      order: { cancel_amount: 10000 },
    });
    const portone = await h.control.getPayment(payment.imp_uid);
    expect(portone.cancel_history.map((entry) => entry.amount)).toEqual([2500, 7500]);
  });

  it('is the same refund however often the same request_id is repeated, even concurrently', async () => {
    const { order, payment } = await paidOrder();
    const body = { request_id: 'same', reason: '중복 요청', amount: 3000 };

    const answers = await Promise.all([1, 2, 3, 4].map(() => h.refund(order, body)));
    const later = await h.refund(order, body);

    for (const answer of answers) expect([200, 202]).toContain(answer.status);
    expect(later.status).toBe(200);
    expect(await cancelCalls(payment.imp_uid)).toBe(1);
    expect(await h.control.getPayment(payment.imp_uid)).toMatchObject({ cancel_amount: 3000 });
    expect((await h.order(order)).refunds).toHaveLength(1);
  });

  it('answers 409 when a request_id is reused with other terms', async () => {
    const { order, payment } = await paidOrder();
    await h.refund(order, { request_id: 'terms', reason: 'a', amount: 1000 });

    const other = await h.refund(order, { request_id: 'terms', reason: 'a', amount: 2000 });

    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({
      status: 'conflict',
      message: expect.stringContaining('request_id terms was used for another refund'),
    });
    expect(await cancelCalls(payment.imp_uid)).toBe(1);
  });

  it('answers 409 for more than the refundable balance, or nothing left to refund', async () => {
    const { order } = await paidOrder(5000);
    const tooMuch = await h.refund(order, { request_id: 'big', reason: 'x', amount: 6000 });
    await h.refund(order, { request_id: 'all', reason: 'x' });
    const nothing = await h.refund(order, { request_id: 'more', reason: 'x' });
    const unpaid = uid();
    await h.registerOrder(unpaid, 5000);
    const pending = await h.refund(unpaid, { request_id: 'r', reason: 'x' });

    expect(tooMuch.status).toBe(409);
    expect((await tooMuch.json()).message).toContain('more than the refundable balance 5000');
    expect(nothing.status).toBe(409);
    expect((await nothing.json()).message).toContain('nothing to refund');
    expect(pending.status).toBe(409);
  });

  it('answers 404 for an unknown order and 400 naming what is wrong', async () => {
    const unknown = await h.refund(uid(), { request_id: 'r', reason: 'x' });
    const cases = [
      [{ reason: 'x' }, 'request_id is required'],
      [{ request_id: 'a b', reason: 'x' }, 'request_id must be 1-64 characters'],
      [{ request_id: 'r' }, 'reason is required'],
      [{ request_id: 'r', reason: '' }, 'reason must not be empty'],
      [{ request_id: 'r', reason: 'x', amount: -5 }, 'amount must be positive'],
      [{ request_id: 'r', reason: 'x', amount: '100' }, 'amount must be a number'],
      [{ request_id: 'r', reason: 'x', refund: { holder: '김', bank: '004' } }, 'refund.account'],
    ] as const;

    expect(unknown.status).toBe(404);
    const { order } = await paidOrder();
    for (const [body, message] of cases) {
      const answer = await h.refund(order, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect((await answer.json()).message).toContain(message);
    }
    const bad = await h.refund(order, '{"request_id": ');
    expect(bad.status).toBe(400);
  });

  it('needs the buyer account for a paid virtual account: 422 without it, refunded with it', async () => {
    const order = uid();
    await h.registerOrder(order, 9000);
    const issued = await h.control.createPayment({
      merchant_uid: order,
      amount: 9000,
      state: 'vbank_issued',
      pay_method: 'vbank',
    });
    await h.control.deposit(issued.imp_uid);
    await h.control.sendWebhook({ imp_uid: issued.imp_uid });

    const without = await h.refund(order, { request_id: 'v1', reason: '환불' });
    const withAccount = await h.refund(order, {
      request_id: 'v2',
      reason: '환불',
      refund: { holder: '김구매', bank: '004', account: '123-456-7890', tel: '010-1234-5678' },
    });

    expect(without.status).toBe(422);
    expect(await without.json()).toMatchObject({
      status: 'rejected',
      message: expect.stringContaining('refund_holder'),
    });
    expect(withAccount.status).toBe(200);
    expect(await h.control.getPayment(issued.imp_uid)).toMatchObject({ cancel_amount: 9000 });
    // The buyer's account is not kept once the refund ended, nor shown
    const item = await h.rawItem(`ORDER#${order}`);
    expect(JSON.stringify(item)).not.toContain('123-456-7890');
    expect(h.logs.some((line) => JSON.stringify(line).includes('123-456-7890'))).toBe(false);
    expect(
      h.logs.some(
        (line) =>
          line.message === 'cancellation rejected; a person must act' &&
          line.imp_uid === issued.imp_uid,
      ),
    ).toBe(true);
  });

  it('answers 502 while PortOne is down, and the repeat refunds once', async () => {
    const { order, payment } = await paidOrder();
    await h.control.injectFault({ route: 'cancel', kind: 'status', status: 503 });

    const down = await h.refund(order, { request_id: 'down', reason: 'x' });
    const repeat = await h.refund(order, { request_id: 'down', reason: 'x' });

    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ status: 'upstream_error' });
    expect(repeat.status).toBe(200);
    expect(await cancelCalls(payment.imp_uid)).toBe(1);
  });

  it('whose answer was lost is not sent again: the repeat finds it done at PortOne', async () => {
    const { order, payment } = await paidOrder();
    // PortOne cancels, but answers after our timeout
    await h.control.injectFault({ route: 'cancel', kind: 'slow', delayMs: 2500 });

    const lost = await h.refund(order, { request_id: 'lost', reason: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const repeat = await h.refund(order, { request_id: 'lost', reason: 'x' });

    expect(lost.status).toBe(502);
    expect(repeat.status).toBe(200);
    expect(await h.control.getPayment(payment.imp_uid)).toMatchObject({ cancel_amount: 10000 });
    expect(await cancelCalls(payment.imp_uid)).toBe(1);
  });

  it('that failed is retried by the reconciler without the merchant', async () => {
    const { order, payment } = await paidOrder();
    await h.control.injectFault({ route: 'cancel', kind: 'status', status: 503 });
    await h.refund(order, { request_id: 'later', reason: 'x', amount: 4000 });

    await reconcileIn(11 * MINUTE);

    expect(await h.control.getPayment(payment.imp_uid)).toMatchObject({ cancel_amount: 4000 });
    expect((await h.order(order)).refunds[0]).toMatchObject({ request_id: 'later', state: 'done' });
  });

  it('that PortOne approves later answers 202 requested, then 200 once PortOne shows it', async () => {
    const { order, payment } = await paidOrder(10000, {
      pg_provider: 'paypal_v2',
      behavior: { cancel: 'pending' },
    });

    const accepted = await h.refund(order, { request_id: 'pp', reason: 'x', amount: 4000 });
    const stillPending = await h.refund(order, { request_id: 'pp', reason: 'x', amount: 4000 });
    await h.control.settleCancels(payment.imp_uid, 'approve');
    const shown = await h.refund(order, { request_id: 'pp', reason: 'x', amount: 4000 });

    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({
      status: 'requested',
      order: { status: 'paid', refunds: [{ request_id: 'pp', state: 'requested' }] },
    });
    expect(stillPending.status).toBe(202);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({
      status: 'partially_cancelled',
      order: { refunds: [{ state: 'done', amount: 4000 }] },
    });
    expect(await cancelCalls(payment.imp_uid)).toBe(1);
  });

  it('refused for now is retried, by a repeat or by the reconciler, never rejected', async () => {
    const now = await h.control.now();
    const { order, payment } = await paidOrder(10000, {
      pg_provider: 'ksnet',
      behavior: { refuseCancelUntil: now + 3600 },
    });

    const refused = await h.refund(order, { request_id: 'night', reason: 'x' });
    const repeat = await h.refund(order, { request_id: 'night', reason: 'x' });
    await h.control.advanceClock(3700);
    await reconcileIn(30 * MINUTE);

    expect(refused.status).toBe(502);
    expect((await refused.json()).message).toContain('시간 외');
    expect(repeat.status).toBe(502);
    expect(await h.control.getPayment(payment.imp_uid)).toMatchObject({ cancel_amount: 10000 });
    expect((await h.order(order)).refunds[0]).toMatchObject({ state: 'done' });
  });

  it('produces the settled event of the new outcome once it is confirmed', async () => {
    const { order } = await paidOrder();
    await h.refund(order, { request_id: 'evt', reason: 'x' });

    await eventually(async () =>
      expect(await h.runtime.store.findOrder(order)).toMatchObject({
        final: true,
        settled: { paid: expect.any(String), cancelled: expect.any(String) },
      }),
    );
  });
});
