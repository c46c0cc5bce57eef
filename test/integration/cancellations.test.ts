import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../functions/domain/use-cases/reconcile';
import { MESSAGES } from '../../functions/http/messages';
import { verificationDeps } from '../../functions/runtime/deps';
import { type Harness, startHarness, uid } from './support/harness';

/**
 * docs/design.md §2.1: how a cancellation we ask of PortOne ends, whatever
 * PortOne answers, and how long a webhook may take over it.
 */
let h: Harness;
beforeAll(async () => {
  // The production per-call timeout, so that slow answers behave as they would in AWS.
  h = await startHarness({ env: { PORTONE_TIMEOUT_MS: '5000' } });
});
afterAll(() => h.close());
beforeEach(() => h.control.clearFaults());

const MINUTE = 60_000;
const reconcileIn = (ms: number) =>
  reconcile({ ...verificationDeps(h.runtime), clock: () => new Date(Date.now() + ms) });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cancelCalls = async () =>
  (await h.control.calls()).filter((c) => c.route === 'cancel').length;

/** A forged payment (100 for an order of 30,000) whose PG treats cancels as `behavior` says. */
const forgedWith = async (behavior: Record<string, unknown>) => {
  const order = uid();
  await h.registerOrder(order, 30000);
  const forged = await h.control.createPayment({
    merchant_uid: order,
    amount: 100,
    state: 'paid',
    behavior,
  });
  return { order, forged };
};
const cancellationOf = async (order: string) => (await h.order(order)).attempts[0]?.cancellation;
const rejectedLines = (impUid: string) =>
  h.logs.filter(
    (line) =>
      line.message === 'cancellation rejected; a person must act' && line.imp_uid === impUid,
  );

describe('a cancellation PortOne accepts but completes later (paypal_v2, a virtual-account refund)', () => {
  it('stays requested until the payment shows the money returned, then is done', async () => {
    // Prepare
    const { order, forged } = await forgedWith({ cancel: 'pending' });
    await h.control.clearCalls();

    // Act
    await h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });
    const accepted = await cancellationOf(order);
    await reconcileIn(11 * MINUTE); // PortOne still shows nothing
    const stillWaiting = await cancellationOf(order);
    await h.control.settleCancels(forged.imp_uid, 'approve');
    await reconcileIn(40 * MINUTE);

    // Assess
    expect(accepted).toMatchObject({ state: 'requested', amount: 100 });
    expect(stillWaiting).toMatchObject({ state: 'requested' });
    expect(await cancellationOf(order)).toMatchObject({ state: 'done' });
    expect(await h.control.getPayment(forged.imp_uid)).toMatchObject({ cancel_amount: 100 });
    // Sent once; PortOne accepted it, so later runs only look the payment up again.
    expect(await cancelCalls()).toBe(1);
    expect(await h.control.pendingCancels(forged.imp_uid)).toEqual([]);
  });

  it('is given up after the reconcile horizon when PortOne never returns the money, with an alarm', async () => {
    const { order, forged } = await forgedWith({ cancel: 'pending' });
    await h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });
    await h.control.settleCancels(forged.imp_uid, 'reject');

    for (const days of [1, 2, 4, 6, 8]) await reconcileIn(days * 24 * 60 * MINUTE);

    expect(await cancellationOf(order)).toMatchObject({
      state: 'rejected',
      message: expect.stringContaining('7 days'),
    });
    expect(rejectedLines(forged.imp_uid)).toHaveLength(1);
    expect(await h.control.getPayment(forged.imp_uid)).toMatchObject({ cancel_amount: 0 });
  });
});

describe('a temporary refusal (ksnet at night)', () => {
  it('is retried with backoff until PortOne accepts, never rejected', async () => {
    const now = await h.control.now();
    const { order, forged } = await forgedWith({ refuseCancelUntil: now + 3600 });

    await h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });
    const refused = await cancellationOf(order);
    await h.control.advanceClock(3700);
    await reconcileIn(11 * MINUTE);

    expect(refused).toMatchObject({ state: 'failed', message: expect.stringContaining('시간 외') });
    expect(await cancellationOf(order)).toMatchObject({ state: 'done' });
    expect(rejectedLines(forged.imp_uid)).toEqual([]);
  });

  it('but a refusal retrying cannot fix is rejected at once, with an alarm', async () => {
    const { order, forged } = await forgedWith({ cancel: 'refuse' });

    await h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });

    expect(await cancellationOf(order)).toMatchObject({
      state: 'rejected',
      message: expect.stringContaining('지원하지 않습니다'),
    });
    expect(rejectedLines(forged.imp_uid)).toHaveLength(1);
    expect(await h.runtime.store.findOrder(order)).toMatchObject({ check_at: null });
  });
});

describe('a forged virtual account', () => {
  it('is revoked before anyone can deposit the wrong amount', async () => {
    const order = uid();
    await h.registerOrder(order, 30000);
    const forged = await h.control.createPayment({
      merchant_uid: order,
      amount: 300,
      state: 'vbank_issued',
      pay_method: 'vbank',
    });

    const webhook = await h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });
    const deposit = await h.control.deposit(forged.imp_uid).catch((error: Error) => error);

    expect(await webhook.json()).toEqual({ status: 'forgery' });
    expect(await cancellationOf(order)).toMatchObject({ state: 'done', amount: 300 });
    expect((await h.control.calls()).some((c) => c.route === 'revokeVbank')).toBe(true);
    expect(deposit).toBeInstanceOf(Error);
    expect(await h.control.getPayment(forged.imp_uid)).toMatchObject({
      status: 'cancelled',
      cancel_amount: 0,
    });
    expect(await h.order(order)).toMatchObject({ status: 'forgery' });
  });
});

describe('a refused cancellation', () => {
  it('is retried with the balance PortOne shows when the re-read after the refusal fails', async () => {
    // Prepare: a forged payment; our cancel is held up while support refunds part of it
    const order = uid();
    await h.registerOrder(order, 30000);
    const forged = await h.control.createPayment({
      merchant_uid: order,
      amount: 100,
      state: 'paid',
    });
    await h.control.injectFault({ route: 'cancel', kind: 'slow', delayMs: 1500 });
    const webhook = h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });
    await pause(700);
    await h.control.consoleCancel(forged.imp_uid, { amount: 30 });
    await h.control.injectFault({ route: 'getPayment', kind: 'status', status: 503, times: 3 });
    await webhook;
    const afterRefusal = (await h.order(order)).attempts[0]?.cancellation;

    // Act: PortOne answers again; the reconciler retries
    await h.control.clearFaults();
    await reconcileIn(11 * MINUTE);

    // Assess
    expect(afterRefusal?.state).not.toBe('rejected');
    expect(await h.control.getPayment(forged.imp_uid)).toMatchObject({
      status: 'cancelled',
      cancel_amount: 100,
    });
    expect((await h.order(order)).attempts[0]?.cancellation).toMatchObject({ state: 'done' });
  });
});

describe('the webhook', () => {
  it('answers within 10 seconds when PortOne is slow, and leaves the rest to later', async () => {
    // Prepare: an order paid twice; PortOne is slow to answer the lookup and the cancel
    const order = uid();
    await h.registerOrder(order, 12000);
    const first = await h.control.createPayment({
      merchant_uid: order,
      amount: 12000,
      state: 'paid',
    });
    await h.control.sendWebhook({ imp_uid: first.imp_uid });
    await h.control.advanceClock(20);
    const second = await h.control.createPayment({
      merchant_uid: order,
      amount: 12000,
      state: 'paid',
    });
    await h.control.injectFault({ route: 'getPayment', kind: 'slow', delayMs: 6000, times: 1 });
    await h.control.injectFault({ route: 'cancel', kind: 'slow', delayMs: 6000, times: 1 });
    await h.control.clearCalls();

    // Act
    const started = Date.now();
    const answer = await h.webhook({ imp_uid: second.imp_uid, merchant_uid: order });
    const elapsed = Date.now() - started;
    await pause(1000); // let the slow cancel land at PortOne
    await reconcileIn(11 * MINUTE);
    await h.control.sendWebhook({ imp_uid: second.imp_uid });

    // Assess
    // The lookup's retry after its timeout leaves time to send the cancel, not to see it
    // answered: PortOne is asked to deliver again.
    expect(answer.status).toBe(502);
    expect(await answer.json()).toEqual({
      status: 'upstream_error',
      message: MESSAGES.cancellationUnreachable,
    });
    // A timing: the bound is the webhook's budget (docs/design.md §4), not an expected figure.
    expect(elapsed).toBeLessThan(10_000);
    expect(await h.control.getPayment(second.imp_uid)).toMatchObject({
      status: 'cancelled',
      cancel_amount: 12000,
    });
    expect(await h.control.getPayment(first.imp_uid)).toMatchObject({ cancel_amount: 0 });
    expect(await cancelCalls()).toBeLessThanOrEqual(2);
    expect(await h.order(order)).toMatchObject({ status: 'paid', imp_uid: first.imp_uid });
  });
});
