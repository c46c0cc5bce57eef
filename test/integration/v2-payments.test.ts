import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Source } from '../../functions/domain/model/order';
import type { PortOnePayment } from '../../functions/domain/model/portone-payment';
import { reconcile } from '../../functions/domain/use-cases/reconcile';
import { verificationDeps } from '../../functions/runtime/deps';
import { aPayment, T0 } from '../support/payments';
import { type Harness, startHarness, uid } from './support/harness';
import { bodyOf } from './support/wait';

// PortOne V2 end to end: DynamoDB Local, the simulator's V2 API and its
// signed webhooks over real HTTP, the handlers that are deployed.

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ v2: true });
});
afterAll(() => h.close());
beforeEach(() => h.resetCounts());

/** A new V2 payment id issued for the order, stored as the orders route stores it. */
const issue = async (merchantUid: string): Promise<string> => {
  const id = `${merchantUid}.${randomBytes(8).toString('hex')}`;
  const now = new Date().toISOString();
  await h.runtime.store.updateOrder(merchantUid, (order) => ({
    ...order,
    payment_ids: { ...order.payment_ids, [id]: now },
  }));
  return id;
};

const registered = async (amount: number) => {
  const order = uid();
  await h.registerOrder(order, amount);
  return order;
};

const v2Complete = (body: unknown) =>
  fetch(`${h.api.url}/v2/payments/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('PortOne V2 payments', () => {
  it('confirms a paid V2 payment from its signed webhook in one conditional write, no read', async () => {
    const order = await registered(15000);
    const paymentId = await issue(order);
    await h.sim.control.v2.createPayment({ paymentId, amount: 15000, state: 'paid' });
    h.resetCounts();

    const [delivery] = await h.sim.control.v2.sendWebhook({ paymentId });

    expect(delivery?.outcome).toMatchObject({ status: 200 });
    expect(bodyOf(delivery?.outcome)).toEqual({ status: 'applied' });
    expect(h.dynamodbCalls).toEqual({ UpdateItemCommand: 1 });
    expect(h.portoneCalls).toEqual({ 'GET /payments/{paymentId}': 1 });
    expect(await h.order(order)).toMatchObject({ status: 'paid', final: true, paid_amount: 15000 });
    const stored = await h.runtime.store.findOrder(order);
    expect(Object.values(stored?.attempts ?? {})).toEqual([
      expect.objectContaining({ api: 'v2', imp_uid: paymentId, status: 'paid', final: true }),
    ]);
  });

  it('answers the page provisionally, then the webhook confirms the same observation', async () => {
    const order = await registered(1000);
    const paymentId = await issue(order);
    await h.sim.control.v2.createPayment({ paymentId, amount: 1000, state: 'paid' });

    const complete = await v2Complete({ paymentId });
    const [delivery] = await h.sim.control.v2.sendWebhook({ paymentId });

    expect(complete.status).toBe(200);
    expect(await complete.json()).toMatchObject({
      status: 'success',
      order: { merchant_uid: order, status: 'paid', final: false },
    });
    expect(bodyOf(delivery?.outcome)).toEqual({ status: 'applied' });
    expect(await h.order(order)).toMatchObject({ status: 'paid', final: true });
  });

  it('refuses a delivery signed with another key with 401, writing nothing', async () => {
    const order = await registered(1000);
    const paymentId = await issue(order);
    await h.sim.control.v2.createPayment({ paymentId, amount: 1000, state: 'paid' });

    const [wrong] = await h.sim.control.v2.sendWebhook({ paymentId, mode: 'wrong_signature' });
    const [stale] = await h.sim.control.v2.sendWebhook({ paymentId, mode: 'stale_timestamp' });

    expect(wrong?.outcome).toMatchObject({ status: 401 });
    expect(stale?.outcome).toMatchObject({ status: 401 });
    expect(bodyOf(wrong?.outcome)).toMatchObject({ status: 'invalid_signature' });
    expect(await h.order(order)).toMatchObject({ status: 'pending', attempts: [] });
  });

  it('writes and cancels nothing for a V2 payment under an id the order never issued', async () => {
    const order = await registered(1000);
    const paymentId = `${order}.${'0'.repeat(16)}`;
    await h.sim.control.v2.createPayment({ paymentId, amount: 1000, state: 'paid' });

    const [delivery] = await h.sim.control.v2.sendWebhook({ paymentId });

    expect(bodyOf(delivery?.outcome)).toMatchObject({ status: 'forgery' });
    expect(await h.order(order)).toMatchObject({ status: 'pending', attempts: [] });
    expect((await h.sim.control.v2.getPayment(paymentId)).status).toBe('PAID');
  });

  it('cancels a forged V2 payment with its balance as currentCancellableAmount', async () => {
    const order = await registered(30000);
    const paymentId = await issue(order);
    await h.sim.control.v2.createPayment({ paymentId, amount: 100, state: 'paid' });

    const [delivery] = await h.sim.control.v2.sendWebhook({ paymentId });

    expect(bodyOf(delivery?.outcome)).toEqual({ status: 'forgery' });
    const atPortOne = await h.sim.control.v2.getPayment(paymentId);
    expect(atPortOne).toMatchObject({
      status: 'CANCELLED',
      amount: { total: 100, cancelled: 100 },
    });
    expect((await h.order(order)).status).toBe('forgery');
    const stored = await h.runtime.store.findOrder(order);
    expect(stored?.attempts[paymentId]).toMatchObject({
      api: 'v2',
      verdict: 'forgery',
      cancellation: { state: 'done', amount: 100 },
    });
  });

  it('cancels a second payment across the two APIs: V1 paid first, the V2 one is the duplicate', async () => {
    const order = await registered(1000);
    const v1 = await h.control.createPayment({ merchant_uid: order, amount: 1000, state: 'paid' });
    await h.webhook({ imp_uid: v1.imp_uid, merchant_uid: order });
    const paymentId = await issue(order);
    await h.sim.control.v2.createPayment({ paymentId, amount: 1000, state: 'paid' });

    const [delivery] = await h.sim.control.v2.sendWebhook({ paymentId });

    expect(delivery?.outcome).toMatchObject({ status: 200 });
    expect(await h.order(order)).toMatchObject({ status: 'paid', imp_uid: v1.imp_uid });
    const stored = await h.runtime.store.findOrder(order);
    expect(stored?.attempts[paymentId]).toMatchObject({
      api: 'v2',
      verdict: 'duplicate',
      cancellation: { state: 'done' },
    });
    expect((await h.sim.control.v2.getPayment(paymentId)).status).toBe('CANCELLED');
  });

  it('finds a V2 payment whose webhook never came, by the reconciler', async () => {
    const order = await registered(1000);
    const paymentId = await issue(order);
    await h.sim.control.v2.createPayment({ paymentId, amount: 1000, state: 'paid' });
    // The reconciler's clock, 10 minutes on: the order's recheck time has come.
    const later = () => new Date(Date.now() + 11 * 60_000);

    const report = await reconcile({ ...verificationDeps(h.runtime), clock: later });

    expect(report.settled).toBeGreaterThanOrEqual(1);
    expect(await h.order(order)).toMatchObject({ status: 'paid', final: true });
  });

  it('elects the first paid payment across V1 and V2 whatever the order of deliveries (property)', async () => {
    const v1 = aPayment({ imp_uid: 'imp_v1first', paid_at: T0 + 10 });
    const v2 = (merchantUid: string): PortOnePayment =>
      aPayment({
        api: 'v2',
        imp_uid: `${merchantUid}.bbbbbbbbbbbbbbbb`,
        merchant_uid: merchantUid,
        started_at: T0 + 20,
        paid_at: T0 + 30,
        changed_at: T0 + 30,
      });
    type Step = ['v1' | 'v2', Source];
    const steps: Step[] = [
      ['v1', 'webhook'],
      ['v2', 'complete'],
      ['v2', 'webhook'],
      ['v1', 'redirect'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(steps, { minLength: 4, maxLength: 4 }), async (plan) => {
        const merchantUid = await registered(1000);
        const second = v2(merchantUid);
        await h.runtime.store.updateOrder(merchantUid, (order) => ({
          ...order,
          payment_ids: { [second.imp_uid]: order.created_at },
        }));
        for (const [api, source] of plan) {
          const payment = api === 'v1' ? { ...v1, merchant_uid: merchantUid } : second;
          await h.runtime.store.recordObservation(payment, {
            source,
            mode: 'live',
            now: new Date().toISOString(),
          });
        }
        const stored = await h.runtime.store.findOrder(merchantUid);
        expect(stored?.imp_uid, JSON.stringify(plan)).toBe('imp_v1first');
        expect(stored?.attempts[second.imp_uid]).toMatchObject({
          api: 'v2',
          verdict: 'duplicate',
        });
      }),
      { numRuns: 12 },
    );
  });
});
