import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../functions/domain/use-cases/reconcile';
import { verificationDeps } from '../../functions/runtime/deps';
import { type Harness, startHarness, uid } from './support/harness';

/**
 * I8, what PortOne holds we hold: payments whose outcome comes late, or whose
 * every notice was lost, are still found by the reconciler within its
 * horizon (7 days).
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.control.clearFaults());

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const reconcileIn = (ms: number) =>
  reconcile({ ...verificationDeps(h.runtime), clock: () => new Date(Date.now() + ms) });
const isDueIn = async (merchantUid: string, ms: number) =>
  (await h.runtime.store.listDue(new Date(Date.now() + ms).toISOString(), 10_000)).includes(
    merchantUid,
  );
/** Runs the reconciler at each time in turn, as its schedule would over those days. */
const reconcileAt = async (times: number[]) => {
  for (const ms of times) await reconcileIn(ms);
};

describe('the reconciler keeps watching orders without an outcome', () => {
  it('finds a pending payment approved hours after it was confirmed as pending', async () => {
    // Prepare: a PayPal-style pending payment the browser reported, confirmed by the reconciler
    const order = uid();
    await h.registerOrder(order, 4000);
    const pending = await h.control.createPayment({
      merchant_uid: order,
      amount: 4000,
      state: 'ready',
      pay_method: 'paypal',
      pg_provider: 'paypal_v2',
    });
    await h.complete({ imp_uid: pending.imp_uid, merchant_uid: order });
    await reconcileIn(11 * MINUTE);
    const confirmed = await h.order(order);

    // Act: PortOne approves it later; its webhook is lost
    await h.control.pay(pending.imp_uid);
    await reconcileAt([2 * HOUR, 5 * HOUR, 30 * HOUR]);

    // Assess
    expect(confirmed).toMatchObject({ status: 'pending', final: true });
    expect(await h.order(order)).toMatchObject({
      status: 'paid',
      final: true,
      imp_uid: pending.imp_uid,
    });
  });

  it('stops watching a pending payment after the reconcile horizon', async () => {
    const order = uid();
    await h.registerOrder(order, 4000);
    const pending = await h.control.createPayment({
      merchant_uid: order,
      amount: 4000,
      state: 'ready',
      pay_method: 'trans',
    });
    await h.complete({ imp_uid: pending.imp_uid, merchant_uid: order });

    await reconcileAt([11 * MINUTE, 2 * HOUR, 1 * DAY, 3 * DAY, 6 * DAY, 8 * DAY]);

    expect(await isDueIn(order, 9 * DAY)).toBe(false);
    expect(await h.order(order)).toMatchObject({ status: 'pending', final: true });
  });

  it('finds an earlier-started attempt that was approved later, its webhook lost', async () => {
    // Prepare: attempt A opened first and still open; attempt B opened later and declined
    const order = uid();
    await h.registerOrder(order, 9000);
    const first = await h.control.createPayment({
      merchant_uid: order,
      amount: 9000,
      state: 'ready',
      pay_method: 'trans',
    });
    await h.control.advanceClock(30);
    const second = await h.control.createPayment({
      merchant_uid: order,
      amount: 9000,
      state: 'failed',
    });
    await h.complete({ imp_uid: second.imp_uid, merchant_uid: order });

    // Act: A is approved; nobody tells us
    await h.control.advanceClock(60);
    await h.control.pay(first.imp_uid);
    await reconcileAt([11 * MINUTE, 2 * HOUR]);

    // Assess
    expect(await h.order(order)).toMatchObject({
      status: 'paid',
      final: true,
      imp_uid: first.imp_uid,
    });
  });
});

describe('virtual accounts after their deadline', () => {
  it('finds a deposit PortOne records just after the deadline, its webhook lost', async () => {
    const order = uid();
    await h.registerOrder(order, 9000);
    const issued = await h.control.createPayment({
      merchant_uid: order,
      amount: 9000,
      state: 'vbank_issued',
      pay_method: 'vbank',
    });
    await h.control.sendWebhook({ imp_uid: issued.imp_uid });
    const dueInMs = issued.vbank_date * 1000 - Date.now();
    await reconcileIn(dueInMs + MINUTE);

    await h.control.deposit(issued.imp_uid);
    await reconcileAt([dueInMs + 2 * HOUR, dueInMs + 12 * HOUR]);

    expect(await h.order(order)).toMatchObject({ status: 'paid', final: true });
  });

  it('stops watching an expired virtual account after the grace period', async () => {
    const order = uid();
    await h.registerOrder(order, 9000);
    const issued = await h.control.createPayment({
      merchant_uid: order,
      amount: 9000,
      state: 'vbank_issued',
      pay_method: 'vbank',
    });
    await h.control.sendWebhook({ imp_uid: issued.imp_uid });
    const dueInMs = issued.vbank_date * 1000 - Date.now();

    const due = dueInMs + MINUTE;
    await reconcileAt([due, due + HOUR, due + 6 * HOUR, due + DAY, due + 2 * DAY, due + 3 * DAY]);

    expect(await isDueIn(order, due + 4 * DAY)).toBe(false);
    expect(await h.order(order)).toMatchObject({ status: 'vbank_issued', final: true });
  });
});

describe('orders the reconciler cannot settle', () => {
  it('moves an order that keeps failing away from the head of its shard', async () => {
    // Prepare: a paid payment nobody reported; every lookup of its order fails
    const order = uid();
    await h.registerOrder(order, 1200);
    await h.control.createPayment({ merchant_uid: order, amount: 1200, state: 'paid' });
    await h.control.injectFault({ route: '*', kind: 'status', status: 503, times: 1000 });

    // Act
    const due = await h.runtime.store.listDue(
      new Date(Date.now() + 11 * MINUTE).toISOString(),
      10_000,
    );
    const report = await reconcileIn(11 * MINUTE);

    // Assess: it was the only order due (the earlier tests' are settled or watched for days), it failed, and is not due again at once
    expect(due).toEqual([order]);
    expect(report).toEqual({ due: 1, settled: 0, open: 0, skipped: 0, failed: 1 });
    expect(await isDueIn(order, 12 * MINUTE)).toBe(false);
    expect(await isDueIn(order, 12 * HOUR)).toBe(true);
  });
});
