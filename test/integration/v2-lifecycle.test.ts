import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { V2WebhookLogEntry } from '../../simulator/portone/v2/types';
import { type Harness, startHarness, uid } from './support/harness';
import { bodyOf, eventually } from './support/wait';

// PortOne V2's webhooks and payment lifecycle end to end: DynamoDB Local, the
// simulator's V2 API and its signed deliveries over real HTTP, the deployed
// handlers. (v2-payments.test.ts covers the fast path, forgeries, duplicates
// and the reconciler; v2-payment-ids.test.ts the ids.)

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ v2: true });
});
afterAll(() => h.close());
beforeEach(() => h.resetCounts());

/** An order with one issued V2 payment id, stored as the orders route stores it. */
const orderWithId = async (amount: number) => {
  const merchantUid = uid();
  await h.registerOrder(merchantUid, amount);
  const paymentId = `${merchantUid}.${randomBytes(8).toString('hex')}`;
  await h.runtime.store.updateOrder(merchantUid, (order) => ({
    ...order,
    payment_ids: { ...order.payment_ids, [paymentId]: new Date().toISOString() },
  }));
  return { merchantUid, paymentId };
};

/** A delivery posted to the V2 webhook exactly as given: headers and raw body. */
const deliver = (
  headers: Record<string, string>,
  body: string,
  harness: Harness = h,
): Promise<Response> =>
  fetch(`${harness.api.url}/v2/payments/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

/** A delivery the simulator signed and logged without sending it (mode `none`). */
const signedButUnsent = async (paymentId: string): Promise<V2WebhookLogEntry> => {
  const [entry] = await h.sim.control.v2.sendWebhook({ paymentId, mode: 'none' });
  if (!entry) throw new Error('the simulator logged no delivery');
  return entry;
};

describe('the reference’s test vector', () => {
  // /work/shared/reference/portone-v1.md §3.4: signed with the SDK's test secret, which is the
  // simulator's default webhook secret and so the harness's.
  const VECTOR = {
    headers: {
      'webhook-id': 'dummy-webhook-id',
      'webhook-timestamp': '1714039200',
      'webhook-signature': 'v1,qmNcYHU8w9hP22fshTiuuIP9XZrhl6h0hjCr1zh7DRs=',
    },
    body: '{"type":"Transaction.Paid","timestamp":"2024-04-25T10:00:00.000Z","data":{"paymentId":"example-payment-id","storeId":"store-ae356798-3d20-4969-b739-14c6b0e1a667","transactionId":"55451513-9763-4a7a-bb43-78a4c65be843"}}',
  };
  afterEach(() => vi.useRealTimers());

  it('passes verification at its own time, and is ignored: its payment id is not one of ours', async () => {
    // Only Date is faked: the handler's 5-minute window reads it; the sockets keep real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_714_039_200_000 + 30_000);

    const answer = await deliver(VECTOR.headers, VECTOR.body);

    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'ignored' });
    expect(h.portoneCalls).toEqual({});
    expect(h.dynamodbCalls).toEqual({});
  });

  it('is refused as stale today, 401 invalid_signature', async () => {
    const answer = await deliver(VECTOR.headers, VECTOR.body);

    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ status: 'invalid_signature' });
  });
});

describe('deliveries that are not what PortOne signed', () => {
  it('refuses a body changed after signing with 401, asking PortOne nothing and writing nothing', async () => {
    const { merchantUid, paymentId } = await orderWithId(1000);
    await h.sim.control.v2.createPayment({ paymentId, amount: 1000, state: 'paid' });
    const signed = await signedButUnsent(paymentId);
    // The same delivery naming another order's payment, as someone replaying it might.
    const other = await orderWithId(1000);
    const tampered = signed.body.replace(paymentId, other.paymentId);
    expect(tampered).not.toBe(signed.body);
    h.resetCounts();

    const answer = await deliver(signed.headers, tampered);

    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ status: 'invalid_signature' });
    expect(h.portoneCalls).toEqual({});
    expect(h.dynamodbCalls).toEqual({});
    for (const order of [merchantUid, other.merchantUid]) {
      expect(await h.order(order)).toMatchObject({ status: 'pending', attempts: [] });
    }
    // The untouched delivery still works: nothing was spoiled by the refusal.
    expect(await (await deliver(signed.headers, signed.body)).json()).toEqual({
      status: 'applied',
    });
  });

  it('applies a replayed delivery once: the copies change nothing', async () => {
    const { merchantUid, paymentId } = await orderWithId(2000);
    await h.sim.control.v2.createPayment({ paymentId, amount: 2000, state: 'paid' });

    const copies = await h.sim.control.v2.sendWebhook({ paymentId, mode: 'duplicate' });
    const after = await h.runtime.store.findOrder(merchantUid);
    const replay = await deliver(copies[0]?.headers ?? {}, copies[0]?.body ?? '');

    expect(copies.map((copy) => copy.webhookId)).toEqual([
      copies[0]?.webhookId,
      copies[0]?.webhookId,
    ]);
    expect(copies.map((copy) => copy.outcome)).toEqual([
      expect.objectContaining({ status: 200 }),
      expect.objectContaining({ status: 200 }),
    ]);
    expect(replay.status).toBe(200);
    const stored = await h.runtime.store.findOrder(merchantUid);
    expect(Object.keys(stored?.attempts ?? {})).toEqual([paymentId]);
    // Byte for byte the item the first copy wrote: no second history line, no new version.
    expect(stored).toEqual(after);
    expect(await h.order(merchantUid)).toMatchObject({ status: 'paid', final: true });
  });
});

describe('a rotated webhook secret', () => {
  const NEW_SECRET = `whsec_${Buffer.from('the rotated secret, 24 b').toString('base64')}`;
  const THIRD_SECRET = `whsec_${Buffer.from('nobody has this one 24 b').toString('base64')}`;
  let rotating: Harness;
  beforeAll(async () => {
    // Both secrets while the console is switched over: the old one (the simulator's default) last.
    const old = (await h.sim.control.v2.getConfig()).webhookSecret;
    rotating = await startHarness({
      v2: true,
      env: { PORTONE_V2_WEBHOOK_SECRET: `${NEW_SECRET},${old}` },
    });
  });
  afterAll(() => rotating.close());

  const paidOrder = async (harness: Harness) => {
    const merchantUid = uid();
    await harness.registerOrder(merchantUid, 1000);
    const paymentId = `${merchantUid}.${randomBytes(8).toString('hex')}`;
    await harness.runtime.store.updateOrder(merchantUid, (order) => ({
      ...order,
      payment_ids: { [paymentId]: new Date().toISOString() },
    }));
    await harness.sim.control.v2.createPayment({ paymentId, amount: 1000, state: 'paid' });
    return { merchantUid, paymentId };
  };

  it('accepts deliveries signed with the old secret, then with the new one', async () => {
    const before = await paidOrder(rotating);
    const [oldSigned] = await rotating.sim.control.v2.sendWebhook({ paymentId: before.paymentId });
    await rotating.sim.control.v2.configure({ webhookSecret: NEW_SECRET });
    const after = await paidOrder(rotating);
    const [newSigned] = await rotating.sim.control.v2.sendWebhook({ paymentId: after.paymentId });

    expect(bodyOf(oldSigned?.outcome)).toEqual({ status: 'applied' });
    expect(bodyOf(newSigned?.outcome)).toEqual({ status: 'applied' });
    for (const { merchantUid } of [before, after]) {
      expect(await rotating.order(merchantUid)).toMatchObject({ status: 'paid', final: true });
    }
  });

  it('still refuses a secret that is neither', async () => {
    const { merchantUid, paymentId } = await paidOrder(rotating);
    await rotating.sim.control.v2.configure({ webhookSecret: THIRD_SECRET });

    const [delivery] = await rotating.sim.control.v2.sendWebhook({ paymentId });

    expect(delivery?.outcome).toMatchObject({ status: 401 });
    expect(await rotating.order(merchantUid)).toMatchObject({ status: 'pending', attempts: [] });
  });
});

describe('V2 payments over their life', () => {
  it('cancels a paid V2 payment from a test channel in live mode as a forgery', async () => {
    const { merchantUid, paymentId } = await orderWithId(5000);
    await h.sim.control.v2.createPayment({
      paymentId,
      amount: 5000,
      state: 'paid',
      channel: 'TEST',
    });

    const [delivery] = await h.sim.control.v2.sendWebhook({ paymentId });

    expect(bodyOf(delivery?.outcome)).toEqual({ status: 'forgery' });
    expect(await h.order(merchantUid)).toMatchObject({ status: 'forgery' });
    // PortOne's Transaction.Cancelled webhook for our cancellation makes the attempt final.
    await eventually(async () =>
      expect((await h.order(merchantUid)).attempts[0]).toMatchObject({
        status: 'cancelled',
        final: true,
      }),
    );
    const stored = await h.runtime.store.findOrder(merchantUid);
    expect(stored?.attempts[paymentId]).toMatchObject({
      api: 'v2',
      verdict: 'forgery',
      forgery_reason: 'sandbox_in_live_mode',
      cancellation: { state: 'done', amount: 5000 },
    });
    expect(await h.sim.control.v2.getPayment(paymentId)).toMatchObject({ status: 'CANCELLED' });
  });

  it('waits for the deposit of an issued V2 virtual account, then settles it paid', async () => {
    const { merchantUid, paymentId } = await orderWithId(33000);
    await h.sim.control.v2.createPayment({
      paymentId,
      amount: 33000,
      state: 'virtual_account_issued',
    });

    const [issued] = await h.sim.control.v2.sendWebhook({ paymentId });
    const waiting = await h.order(merchantUid);
    await h.control.advanceClock(3_600);
    const deposit = await h.sim.control.v2.deposit(paymentId);

    expect(bodyOf(issued?.outcome)).toEqual({ status: 'applied' });
    expect(waiting).toMatchObject({ status: 'vbank_issued', final: true, paid_amount: 0 });
    expect(deposit.webhooks.map((w) => [w.type, bodyOf(w.outcome)])).toEqual([
      ['Transaction.Paid', { status: 'applied' }],
    ]);
    const paid = await h.order(merchantUid);
    expect(paid).toMatchObject({ status: 'paid', final: true, paid_amount: 33000 });
    expect(paid.history.map((e) => `${e.source}:${e.from}->${e.to}`)).toEqual([
      'webhook:pending->vbank_issued',
      'webhook:vbank_issued->paid',
    ]);
  });

  it('follows a partial, then a full cancellation made in PortOne’s console', async () => {
    const { merchantUid, paymentId } = await orderWithId(10000);
    await h.sim.control.v2.createPayment({ paymentId, amount: 10000, state: 'paid' });
    await h.sim.control.v2.sendWebhook({ paymentId });
    await h.control.advanceClock(600);

    const partial = await h.sim.control.v2.consoleCancel(paymentId, { amount: 2500 });
    const afterPartial = await h.order(merchantUid);
    await h.control.advanceClock(60);
    const full = await h.sim.control.v2.consoleCancel(paymentId);

    expect(partial.webhooks.map((w) => [w.type, bodyOf(w.outcome)])).toEqual([
      ['Transaction.PartialCancelled', { status: 'applied' }],
    ]);
    expect(afterPartial).toMatchObject({
      status: 'partially_cancelled',
      final: true,
      cancel_amount: 2500,
    });
    expect(full.webhooks.map((w) => w.type)).toEqual(['Transaction.Cancelled']);
    expect(await h.order(merchantUid)).toMatchObject({
      status: 'cancelled',
      final: true,
      cancel_amount: 10000,
    });
    // PortOne's console did it: nothing of ours asked PortOne to cancel.
    expect(h.portoneCalls['POST /payments/{paymentId}/cancel']).toBeUndefined();
  });
});
