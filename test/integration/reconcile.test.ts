import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RECHECK_SHARDS } from '../../functions/adapters/dynamodb/keys';
import { reconcile } from '../../functions/domain/use-cases/reconcile';
import { verificationDeps } from '../../functions/runtime/deps';
import { type Harness, startHarness, uid } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.control.clearFaults());

const MINUTE = 60_000;
/** The reconciler as the schedule runs it, `ms` from now. */
const reconcileIn = (ms: number) =>
  reconcile({ ...verificationDeps(h.runtime), clock: () => new Date(Date.now() + ms) });

const isDueIn = async (merchantUid: string, ms: number) =>
  (await h.runtime.store.listDue(new Date(Date.now() + ms).toISOString(), 10_000)).includes(
    merchantUid,
  );

describe('the reconciler', () => {
  it('confirms a provisional result whose webhook never came', async () => {
    // Prepare
    const order = uid();
    await h.registerOrder(order, 6000);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 6000,
      state: 'paid',
    });
    await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });

    // Act
    const early = await isDueIn(order, 5 * MINUTE);
    const report = await reconcileIn(11 * MINUTE);

    // Assess
    expect(early).toBe(false);
    expect(report.failed).toBe(0);
    const view = await h.order(order);
    expect(view).toMatchObject({ status: 'paid', final: true });
    expect(view.history.at(-1)).toMatchObject({ source: 'reconcile', to: 'paid', final: true });
    expect(await isDueIn(order, 60 * MINUTE)).toBe(false);
  });

  it('finds a payment nobody reported (the tab closed, no webhook) by merchant_uid', async () => {
    const order = uid();
    await h.registerOrder(order, 2500);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 2500,
      state: 'paid',
    });

    await reconcileIn(11 * MINUTE);

    expect(await h.order(order)).toMatchObject({
      status: 'paid',
      final: true,
      imp_uid: payment.imp_uid,
    });
  });

  it('confirms a failure, for which PortOne sends no webhook', async () => {
    const order = uid();
    await h.registerOrder(order, 2500);
    const failed = await h.control.createPayment({
      merchant_uid: order,
      amount: 2500,
      state: 'failed',
    });
    await h.complete({ imp_uid: failed.imp_uid, merchant_uid: order });

    await reconcileIn(11 * MINUTE);

    expect(await h.order(order)).toMatchObject({ status: 'failed', final: true });
  });

  it('watches an issued virtual account until its deadline, then stops if nothing was paid', async () => {
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

    const beforeDeadline = await isDueIn(order, dueInMs - MINUTE);
    const afterDeadline = await isDueIn(order, dueInMs + MINUTE);
    await reconcileIn(dueInMs + MINUTE);

    expect(beforeDeadline).toBe(false);
    expect(afterDeadline).toBe(true);
    expect(await h.order(order)).toMatchObject({ status: 'vbank_issued', final: true });
    expect(await isDueIn(order, dueInMs + 10 * MINUTE)).toBe(false);
  });

  it('settles a deposit whose webhook was lost when the deadline comes', async () => {
    const order = uid();
    await h.registerOrder(order, 9000);
    const issued = await h.control.createPayment({
      merchant_uid: order,
      amount: 9000,
      state: 'vbank_issued',
      pay_method: 'vbank',
    });
    await h.control.sendWebhook({ imp_uid: issued.imp_uid });
    await h.control.deposit(issued.imp_uid);

    await reconcileIn(issued.vbank_date * 1000 - Date.now() + MINUTE);

    expect(await h.order(order)).toMatchObject({ status: 'paid', final: true });
  });

  it('looks again in an hour for an order with no payment, and stops after a week', async () => {
    const order = uid();
    await h.registerOrder(order, 1000);

    const first = await reconcileIn(11 * MINUTE);
    const dueAgainSoon = await isDueIn(order, 30 * MINUTE);
    const dueAgainLater = await isDueIn(order, 80 * MINUTE);
    await reconcileIn(8 * 24 * 60 * MINUTE);

    expect(first.failed).toBe(0);
    expect(dueAgainSoon).toBe(false);
    expect(dueAgainLater).toBe(true);
    expect(await isDueIn(order, 9 * 24 * 60 * MINUTE)).toBe(false);
    expect(await h.order(order)).toMatchObject({ status: 'pending', final: false });
  });

  it('retries the cancellation of a forgery that failed earlier', async () => {
    const order = uid();
    await h.registerOrder(order, 70000);
    const forged = await h.control.createPayment({
      merchant_uid: order,
      amount: 700,
      state: 'paid',
    });
    await h.control.injectFault({ route: 'cancel', kind: 'status', status: 503, times: 1 });
    const webhook = await h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });
    expect(webhook.status).toBe(502);

    await reconcileIn(11 * MINUTE);

    expect((await h.order(order)).attempts[0]?.cancellation).toMatchObject({ state: 'done' });
    expect(await h.control.getPayment(forged.imp_uid)).toMatchObject({
      status: 'cancelled',
      cancel_amount: 700,
    });
  });

  it('looks again later at orders it could not settle while PortOne was down', async () => {
    const order = uid();
    await h.registerOrder(order, 1200);
    await h.control.createPayment({ merchant_uid: order, amount: 1200, state: 'paid' });
    await h.control.injectFault({ route: '*', kind: 'status', status: 503, times: 1000 });

    const dueWhileDown = await h.runtime.store.listDue(
      new Date(Date.now() + 11 * MINUTE).toISOString(),
      10_000,
    );
    const down = await reconcileIn(11 * MINUTE);
    await h.control.clearFaults();
    const up = await reconcileIn(25 * MINUTE);

    // Only this order is due (the earlier tests' orders are settled or watched for days):
    // it fails while PortOne is down, is looked at 10 minutes later, and settles.
    expect(dueWhileDown).toEqual([order]);
    expect(down).toEqual({ due: 1, settled: 0, open: 0, skipped: 0, failed: 1 });
    expect(up).toEqual({ due: 1, settled: 1, open: 0, skipped: 0, failed: 0 });
    expect(await h.order(order)).toMatchObject({ status: 'paid', final: true });
  });

  it('is safe to run twice at once and reads the index, never the table', async () => {
    // Prepare: five paid orders nobody reported, two of them forged
    const orders = await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        const order = uid('twice');
        await h.registerOrder(order, 5000);
        const payment = await h.control.createPayment({
          merchant_uid: order,
          amount: i < 2 ? 50 : 5000,
          state: 'paid',
        });
        return { order, payment };
      }),
    );
    await h.control.clearCalls();
    h.resetCounts();

    // Act
    const [first, second] = await Promise.all([reconcileIn(11 * MINUTE), reconcileIn(11 * MINUTE)]);

    // Assess (a cancelled forgery is confirmed by PortOne's cancellation webhook: let it land)
    await h.sim.state.webhooks.settle();
    expect(first.failed + second.failed).toBe(0);
    for (const [i, { order, payment }] of orders.entries()) {
      const view = await h.order(order);
      expect(view.final).toBe(true);
      expect(view.status).toBe(i < 2 ? 'forgery' : 'paid');
      if (i < 2)
        expect(await h.control.getPayment(payment.imp_uid)).toMatchObject({ cancel_amount: 50 });
    }
    expect((await h.control.calls()).filter((c) => c.route === 'cancel')).toHaveLength(2);
    // Each run lists what is due with one query per shard of the recheck index.
    expect(h.dynamodbCalls.QueryCommand).toBe(2 * RECHECK_SHARDS);
    expect(h.dynamodbCalls.ScanCommand).toBeUndefined();
  });
});
