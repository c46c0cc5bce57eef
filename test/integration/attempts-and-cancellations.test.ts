import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, uid } from './support/harness';
import { bodyOf, eventually } from './support/wait';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('several attempts on one order', () => {
  it('settles on the paid attempt after a failed one, and a late failure report answers success', async () => {
    // Prepare
    const order = uid();
    await h.registerOrder(order, 8000);
    const declined = await h.control.createPayment({
      merchant_uid: order,
      amount: 8000,
      state: 'failed',
      fail_reason: '잔액부족',
    });
    const failedAnswer = await h.complete({ imp_uid: declined.imp_uid, merchant_uid: order });
    await h.control.advanceClock(30);
    const paid = await h.control.createPayment({
      merchant_uid: order,
      amount: 8000,
      state: 'paid',
    });

    // Act
    const paidAnswer = await h.complete({ imp_uid: paid.imp_uid, merchant_uid: order });
    const lateFailure = await h.complete({ imp_uid: declined.imp_uid, merchant_uid: order });
    await h.control.sendWebhook({ imp_uid: paid.imp_uid });

    // Assess
    expect(await failedAnswer.json()).toMatchObject({ status: 'failed', message: '잔액부족' });
    expect(await paidAnswer.json()).toMatchObject({ status: 'success' });
    expect(await lateFailure.json()).toMatchObject({
      status: 'success',
      order: { status: 'paid', paid_amount: 8000 },
    });
    const view = await h.order(order);
    expect(view).toMatchObject({ status: 'paid', final: true, imp_uid: paid.imp_uid });
    expect(view.attempts.map((a) => [a.imp_uid, a.status, a.current])).toEqual([
      [declined.imp_uid, 'failed', false],
      [paid.imp_uid, 'paid', true],
    ]);
  });

  it('keeps the first payment current and cancels a second paid attempt as a duplicate', async () => {
    const order = uid();
    await h.registerOrder(order, 12000);
    const first = await h.control.createPayment({
      merchant_uid: order,
      amount: 12000,
      state: 'paid',
    });
    await h.control.advanceClock(20);
    const second = await h.control.createPayment({
      merchant_uid: order,
      amount: 12000,
      state: 'paid',
    });
    await h.control.clearCalls();

    const webhooks = await h.control.sendWebhook({ imp_uid: second.imp_uid });
    await h.control.sendWebhook({ imp_uid: first.imp_uid });
    await h.control.sendWebhook({ imp_uid: second.imp_uid, copies: 2 });

    expect(bodyOf(webhooks.deliveries[0])).toEqual({ status: 'applied' });
    const view = await h.order(order);
    expect(view).toMatchObject({ status: 'paid', imp_uid: first.imp_uid });
    expect(view.attempts.find((a) => a.imp_uid === second.imp_uid)).toMatchObject({
      verdict: 'duplicate',
      cancellation: { state: 'done', amount: 12000 },
    });
    expect(await h.control.getPayment(second.imp_uid)).toMatchObject({
      status: 'cancelled',
      cancel_amount: 12000,
    });
    expect(await h.control.getPayment(first.imp_uid)).toMatchObject({ status: 'paid' });
    expect((await h.control.calls()).filter((c) => c.route === 'cancel')).toHaveLength(1);
  });
});

describe('cancellations made in the PortOne console', () => {
  it('turn a paid order into cancelled through the webhook', async () => {
    const order = uid();
    await h.registerOrder(order, 7000);
    const paid = await h.control.createPayment({
      merchant_uid: order,
      amount: 7000,
      state: 'paid',
    });
    await h.control.sendWebhook({ imp_uid: paid.imp_uid });
    await h.control.advanceClock(600);

    const cancelled = await h.control.consoleCancel(paid.imp_uid, { reason: '고객 변심' });
    const webhook = await h.control.sendWebhook({
      imp_uid: paid.imp_uid,
      status: 'cancelled',
      cancellation_id: cancelled.cancel_history[0]?.cancellation_id,
    });

    expect(bodyOf(webhook.deliveries[0])).toEqual({ status: 'applied' });
    expect(await h.order(order)).toMatchObject({
      status: 'cancelled',
      final: true,
      paid_amount: 7000,
      cancel_amount: 7000,
    });
  });

  it('report a partial cancellation as partially cancelled with the refundable balance intact', async () => {
    const order = uid();
    await h.registerOrder(order, 10000);
    const paid = await h.control.createPayment({
      merchant_uid: order,
      amount: 10000,
      state: 'paid',
    });
    await h.control.sendWebhook({ imp_uid: paid.imp_uid });
    await h.control.advanceClock(600);

    await h.control.consoleCancel(paid.imp_uid, { amount: 2500 });
    await h.control.sendWebhook({ imp_uid: paid.imp_uid, status: 'cancelled' });
    const partial = await h.order(order);
    const complete = await h.complete({ imp_uid: paid.imp_uid, merchant_uid: order });
    await h.control.advanceClock(60);
    await h.control.consoleCancel(paid.imp_uid);
    await h.control.sendWebhook({ imp_uid: paid.imp_uid, status: 'cancelled' });

    expect(partial).toMatchObject({
      status: 'partially_cancelled',
      final: true,
      cancel_amount: 2500,
    });
    expect(await complete.json()).toMatchObject({
      status: 'cancelled',
      order: { status: 'partially_cancelled' },
    });
    await eventually(async () =>
      expect(await h.order(order)).toMatchObject({ status: 'cancelled', cancel_amount: 10000 }),
    );
  });
});
