import { verify, WebhookVerificationError } from '@portone/server-sdk/webhook';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_V2_STORE_ID,
  DEFAULT_V2_WEBHOOK_SECRET,
  type RunningSimulator,
  signV2Webhook,
} from '../../../../simulator/portone';
import { type ReceivedRequest, type Receiver, startReceiver, startSim } from './support';
import { callV2 } from './v2-support';

/** The reference's test vector (§3.4), computed with the SDK's test secret. */
const VECTOR = {
  id: 'dummy-webhook-id',
  timestamp: '1714039200',
  body: '{"type":"Transaction.Paid","timestamp":"2024-04-25T10:00:00.000Z","data":{"paymentId":"example-payment-id","storeId":"store-ae356798-3d20-4969-b739-14c6b0e1a667","transactionId":"55451513-9763-4a7a-bb43-78a4c65be843"}}',
  signature: 'v1,qmNcYHU8w9hP22fshTiuuIP9XZrhl6h0hjCr1zh7DRs=',
};

const reasonOf = async (
  request: ReceivedRequest | undefined,
  secret = DEFAULT_V2_WEBHOOK_SECRET,
) => {
  try {
    await verify(secret, request?.body ?? '', request?.headers ?? {});
    return 'verified';
  } catch (error) {
    return error instanceof WebhookVerificationError ? error.reason : String(error);
  }
};

describe('signV2Webhook', () => {
  it('reproduces the reference test vector', () => {
    expect(signV2Webhook(DEFAULT_V2_WEBHOOK_SECRET, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('signs the same with or without the whsec_ prefix', () => {
    expect(
      signV2Webhook('pzQGE83cSIRKM4/WH5QY+g==', VECTOR.id, VECTOR.timestamp, VECTOR.body),
    ).toBe(VECTOR.signature);
  });
});

describe('V2 webhooks from the simulator', () => {
  let sim: RunningSimulator;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver({ body: '{"status":"applied"}' });
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  // The simulator's clock follows real time plus an offset, and runs in this
  // process: holding Date still keeps the exact timestamps below from
  // reading a second later when a real second ticks mid-test.
  afterEach(() => {
    vi.useRealTimers();
  });
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    await sim.control.reset();
    await sim.control.v2.configure({ webhookUrl: receiver.url });
    receiver.requests.length = 0;
  });

  const paid = (paymentId = 'o-w', extra: Record<string, unknown> = {}) =>
    sim.control.v2.createPayment({ paymentId, amount: 10000, state: 'paid', ...extra });

  it('sends a signed Transaction.Paid that the official SDK verifies', async () => {
    await sim.control.setClock(1_714_039_200);
    const payment = await paid();
    const [entry] = await sim.control.v2.sendWebhook({ paymentId: 'o-w' });
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toBe(
      `{"type":"Transaction.Paid","timestamp":"2024-04-25T10:00:00.000Z","data":{"paymentId":"o-w","storeId":"${DEFAULT_V2_STORE_ID}","transactionId":"${payment.transactionId}"}}`,
    );
    expect(
      await verify(DEFAULT_V2_WEBHOOK_SECRET, request?.body ?? '', request?.headers ?? {}),
    ).toEqual({
      type: 'Transaction.Paid',
      timestamp: '2024-04-25T10:00:00.000Z',
      data: {
        paymentId: 'o-w',
        storeId: DEFAULT_V2_STORE_ID,
        transactionId: payment.transactionId,
      },
    });
    expect(request?.headers['webhook-id']).toBe(entry?.webhookId);
    expect(request?.headers['webhook-signature']).toBe(
      signV2Webhook(
        DEFAULT_V2_WEBHOOK_SECRET,
        String(request?.headers['webhook-id']),
        String(request?.headers['webhook-timestamp']),
        request?.body ?? '',
      ),
    );
    expect(
      Math.abs(Number(request?.headers['webhook-timestamp']) - Date.now() / 1000),
    ).toBeLessThan(5);
    expect(entry).toMatchObject({
      trigger: 'control',
      mode: 'normal',
      url: receiver.url,
      type: 'Transaction.Paid',
      body: request?.body,
      outcome: { status: 200, body: '{"status":"applied"}' },
    });
  });

  it('signs with the configured secret', async () => {
    const secret = `whsec_${Buffer.from('another-console-secret').toString('base64')}`;
    await sim.control.v2.configure({ webhookSecret: secret });
    await paid();
    await sim.control.v2.sendWebhook({ paymentId: 'o-w' });
    expect(await reasonOf(receiver.requests[0], secret)).toBe('verified');
    expect(await reasonOf(receiver.requests[0])).toBe('NO_MATCHING_SIGNATURE');
  });

  it('delivers in each mode what the mode says', async () => {
    await paid();
    await sim.control.v2.sendWebhook({ paymentId: 'o-w', mode: 'wrong_signature' });
    await sim.control.v2.sendWebhook({ paymentId: 'o-w', mode: 'stale_timestamp' });
    expect(await reasonOf(receiver.requests[0])).toBe('NO_MATCHING_SIGNATURE');
    expect(await reasonOf(receiver.requests[1])).toBe('TIMESTAMP_TOO_OLD');
    expect(Number(receiver.requests[1]?.headers['webhook-timestamp'])).toBeLessThan(
      Date.now() / 1000 - 599,
    );

    const twice = await sim.control.v2.sendWebhook({ paymentId: 'o-w', mode: 'duplicate' });
    expect(twice).toHaveLength(2);
    const [first, second] = receiver.requests.slice(2);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(second?.body).toBe(first?.body);
    expect(await reasonOf(second)).toBe('verified');

    const none = await sim.control.v2.sendWebhook({ paymentId: 'o-w', mode: 'none' });
    expect(none.map((e) => e.outcome)).toEqual([{ skipped: true }]);
    expect(receiver.requests).toHaveLength(4);

    await sim.control.v2.configure({ delayedWebhookMs: 150 });
    const started = performance.now();
    await sim.control.v2.sendWebhook({ paymentId: 'o-w', mode: 'delayed' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(await reasonOf(receiver.requests[4])).toBe('verified');

    expect((await sim.control.v2.webhookLog()).map((e) => e.mode)).toEqual([
      'wrong_signature',
      'stale_timestamp',
      'duplicate',
      'duplicate',
      'none',
      'delayed',
    ]);
  });

  it('resends a logged webhook with the same id and body, signed anew', async () => {
    await paid();
    const [original] = await sim.control.v2.sendWebhook({
      paymentId: 'o-w',
      mode: 'wrong_signature',
    });
    const [again] = await sim.control.v2.resendWebhook(original?.webhookId ?? '');
    expect(again).toMatchObject({
      trigger: 'resend',
      webhookId: original?.webhookId,
      body: original?.body,
    });
    expect(receiver.requests[1]?.headers['webhook-id']).toBe(original?.webhookId);
    expect(await reasonOf(receiver.requests[1])).toBe('verified');
  });

  it('sends an unknown type with the given data, and a test call for an unknown payment', async () => {
    await sim.control.v2.sendWebhook({
      paymentId: 'ignored',
      type: 'BillingKey.Issued',
      data: { storeId: DEFAULT_V2_STORE_ID, billingKey: 'billing-key-1' },
    });
    await sim.control.v2.sendWebhook({ paymentId: 'never-paid' });
    const [billing, test] = await Promise.all(
      receiver.requests.map((r) => verify(DEFAULT_V2_WEBHOOK_SECRET, r.body, r.headers)),
    );
    expect(billing).toMatchObject({
      type: 'BillingKey.Issued',
      data: { billingKey: 'billing-key-1' },
    });
    expect(test).toMatchObject({ type: 'Transaction.Paid', data: { paymentId: 'never-paid' } });
  });

  it('notifies an API cancel by default, with its cancellationId', async () => {
    const payment = await paid();
    const answer = await callV2(sim.v2Url, 'POST', '/payments/o-w/cancel', {
      body: { reason: 'r', amount: 4000 },
    });
    const [entry] = await sim.control.v2.settleWebhooks();
    const cancellationId = (answer.body?.cancellation as { id: string } | undefined)?.id;
    expect(entry?.trigger).toBe('cancel');
    expect(JSON.parse(entry?.body ?? '')).toMatchObject({
      type: 'Transaction.PartialCancelled',
      data: { paymentId: 'o-w', transactionId: payment.transactionId, cancellationId },
    });
    expect(await reasonOf(receiver.requests[0])).toBe('verified');

    await callV2(sim.v2Url, 'POST', '/payments/o-w/cancel', { body: { reason: 'r' } });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => e.type)).toEqual([
      'Transaction.PartialCancelled',
      'Transaction.Cancelled',
    ]);
  });

  it('sends nothing for an API cancel with skipWebhook', async () => {
    await paid();
    await callV2(sim.v2Url, 'POST', '/payments/o-w/cancel', {
      body: { reason: 'r', skipWebhook: true },
    });
    expect(await sim.control.v2.settleWebhooks()).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });

  it('notifies in the payment’s own mode', async () => {
    await paid('o-m', { webhookMode: 'stale_timestamp' });
    await callV2(sim.v2Url, 'POST', '/payments/o-m/cancel', { body: { reason: 'r' } });
    const [entry] = await sim.control.v2.settleWebhooks();
    expect(entry?.mode).toBe('stale_timestamp');
    expect(await reasonOf(receiver.requests[0])).toBe('TIMESTAMP_TOO_OLD');
  });

  it('pays a virtual account on deposit and sends Transaction.Paid', async () => {
    await sim.control.v2.createPayment({
      paymentId: 'o-vb',
      amount: 30000,
      state: 'virtual_account_issued',
    });
    const { payment, webhooks } = await sim.control.v2.deposit('o-vb');
    expect(payment).toMatchObject({ status: 'PAID', amount: { total: 30000, paid: 30000 } });
    expect(payment.method.type).toBe('PaymentMethodVirtualAccount');
    expect(webhooks.map((e) => [e.trigger, e.type, e.outcome])).toEqual([
      ['deposit', 'Transaction.Paid', expect.objectContaining({ status: 200 })],
    ]);
    await expect(sim.control.v2.deposit('o-vb')).rejects.toMatchObject({
      status: 409,
      message: 'payment is PAID, not VIRTUAL_ACCOUNT_ISSUED',
    });
  });

  it('cancels from the console, partly then fully, with a webhook each time', async () => {
    await paid();
    const partly = await sim.control.v2.consoleCancel('o-w', { amount: 1000, reason: '콘솔' });
    expect(partly.payment).toMatchObject({
      status: 'PARTIAL_CANCELLED',
      amount: { cancelled: 1000 },
    });
    expect(partly.payment.cancellations?.[0]).toMatchObject({
      trigger: 'CONSOLE',
      totalAmount: 1000,
      reason: '콘솔',
    });
    const fully = await sim.control.v2.consoleCancel('o-w', { webhookMode: 'none' });
    expect(fully.payment).toMatchObject({ status: 'CANCELLED', amount: { cancelled: 10000 } });
    expect(fully.webhooks.map((e) => [e.type, e.mode, e.outcome])).toEqual([
      ['Transaction.Cancelled', 'none', { skipped: true }],
    ]);
    expect(JSON.parse(partly.webhooks[0]?.body ?? '').data.cancellationId).toBe(
      partly.payment.cancellations?.[0]?.id,
    );
    expect(receiver.requests).toHaveLength(1);
  });

  it('sends no webhook without a URL, and logs an unreachable one', async () => {
    await sim.control.v2.configure({ webhookUrl: null });
    await paid();
    expect((await sim.control.v2.consoleCancel('o-w', { amount: 1 })).webhooks).toEqual([]);
    const [entry] = await sim.control.v2.sendWebhook({
      paymentId: 'o-w',
      url: 'http://127.0.0.1:1/hook',
    });
    expect(entry?.outcome).toMatchObject({ error: expect.any(String) });
  });
});
