import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_V2_MERCHANT_ID,
  DEFAULT_V2_STORE_ID,
  DEFAULT_V2_WEBHOOK_SECRET,
  type RunningSimulator,
  SimulatorControlError,
} from '../../../../simulator/portone';
import { type Receiver, startReceiver, startSim } from './support';
import { callV2 } from './v2-support';

/** The control error's status and message, or 'resolved' when the call did not fail. */
const refusal = async (call: Promise<unknown>) => {
  try {
    await call;
    return 'resolved';
  } catch (error) {
    if (error instanceof SimulatorControlError)
      return { status: error.status, message: error.message };
    throw error;
  }
};

const rawControl = async (sim: RunningSimulator, method: string, path: string, body?: string) => {
  const response = await fetch(`${sim.url}/__sim/v2${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

describe('the V2 control routes (/__sim/v2/, control.v2)', () => {
  let sim: RunningSimulator;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver({ body: 'ok' });
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await sim.control.reset();
    receiver.requests.length = 0;
  });

  describe('config', () => {
    it('answers the defaults, then what configure changed', async () => {
      expect(await sim.control.v2.getConfig()).toEqual({
        webhookUrl: null,
        webhookSecret: DEFAULT_V2_WEBHOOK_SECRET,
        storeId: DEFAULT_V2_STORE_ID,
        merchantId: DEFAULT_V2_MERCHANT_ID,
        delayedWebhookMs: 1000,
        webhookMaxRetries: 5,
        webhookRetryBaseMs: 60_000,
        webhookRetryJitter: true,
      });
      const changed = await sim.control.v2.configure({
        webhookUrl: receiver.url,
        storeId: 'store-other',
        delayedWebhookMs: 20,
      });
      expect(changed).toMatchObject({
        webhookUrl: receiver.url,
        storeId: 'store-other',
        delayedWebhookMs: 20,
      });
      expect(await sim.control.v2.getConfig()).toEqual(changed);
    });

    it('gives new payments the configured store id', async () => {
      await sim.control.v2.configure({ storeId: 'store-other' });
      const payment = await sim.control.v2.createPayment({
        paymentId: 'p',
        amount: 1,
        state: 'paid',
      });
      expect(payment.storeId).toBe('store-other');
    });

    it('refuses a webhook URL that is not absolute and a secret that is not base64', async () => {
      expect(await refusal(sim.control.v2.configure({ webhookUrl: '/relative' }))).toEqual({
        status: 400,
        message: 'webhookUrl must be an absolute URL or null',
      });
      expect(
        await refusal(sim.control.v2.configure({ webhookSecret: 'whsec_not base64!' })),
      ).toEqual({ status: 400, message: 'webhookSecret must be base64, optionally after whsec_' });
      expect((await sim.control.v2.getConfig()).webhookUrl).toBeNull();
    });

    it('goes back to the defaults on reset', async () => {
      await sim.control.v2.configure({ webhookUrl: receiver.url, storeId: 'store-other' });
      await sim.control.reset();
      expect(await sim.control.v2.getConfig()).toMatchObject({
        webhookUrl: null,
        storeId: DEFAULT_V2_STORE_ID,
      });
    });
  });

  describe('payments', () => {
    it('creates a payment in each state the control knows', async () => {
      const statuses: Record<string, string> = {};
      for (const state of [
        'ready',
        'virtual_account_issued',
        'paid',
        'failed',
        'partially_cancelled',
        'cancelled',
      ] as const) {
        const payment = await sim.control.v2.createPayment({
          paymentId: `p-${state}`,
          amount: 1000,
          state,
        });
        statuses[state] = payment.status;
      }
      expect(statuses).toEqual({
        ready: 'READY',
        virtual_account_issued: 'VIRTUAL_ACCOUNT_ISSUED',
        paid: 'PAID',
        failed: 'FAILED',
        partially_cancelled: 'PARTIAL_CANCELLED',
        cancelled: 'CANCELLED',
      });
    });

    it('cancels half by default for partially_cancelled, or the cancelledAmount given', async () => {
      const half = await sim.control.v2.createPayment({
        paymentId: 'p-half',
        amount: 1001,
        state: 'partially_cancelled',
      });
      const given = await sim.control.v2.createPayment({
        paymentId: 'p-given',
        amount: 1000,
        state: 'partially_cancelled',
        cancelledAmount: 300,
      });
      expect(half.amount).toMatchObject({ total: 1001, paid: 1001, cancelled: 500 });
      expect(given.amount).toMatchObject({ total: 1000, cancelled: 300 });
      expect(given.cancellations?.map((c) => [c.totalAmount, c.trigger])).toEqual([
        [300, 'CONSOLE'],
      ]);
    });

    it('takes the optional fields into the payment', async () => {
      const payment = await sim.control.v2.createPayment({
        paymentId: 'p-opts',
        amount: 5000,
        state: 'paid',
        channel: 'TEST',
        payMethod: 'TRANSFER',
        orderName: '양말',
        taxFree: 500,
        pgProvider: 'TOSSPAYMENTS',
        customerId: 'user-7',
        customData: '{"item":"socks"}',
      });
      expect(payment).toMatchObject({
        channel: { type: 'TEST', pgProvider: 'TOSSPAYMENTS' },
        method: { type: 'PaymentMethodTransfer' },
        orderName: '양말',
        amount: { total: 5000, taxFree: 500 },
        customer: { id: 'user-7' },
        customData: '{"item":"socks"}',
      });
    });

    it('fails a payment with the failureReason given', async () => {
      const payment = await sim.control.v2.createPayment({
        paymentId: 'p-f',
        amount: 1000,
        state: 'failed',
        failureReason: '잔액 부족',
      });
      expect(payment.failure?.reason).toBe('잔액 부족');
    });

    it('lists the payments and reads one as GET /payments/{id} shows it', async () => {
      const a = await sim.control.v2.createPayment({ paymentId: 'p-a', amount: 1, state: 'paid' });
      await sim.control.v2.createPayment({ paymentId: 'p-b', amount: 2, state: 'ready' });
      expect((await sim.control.v2.listPayments()).map((p) => [p.id, p.status])).toEqual([
        ['p-a', 'PAID'],
        ['p-b', 'READY'],
      ]);
      const viaApi = await callV2(sim.v2Url, 'GET', '/payments/p-a');
      expect(await sim.control.v2.getPayment('p-a')).toEqual(viaApi.body);
      expect(viaApi.body?.transactionId).toBe(a.transactionId);
    });

    it('answers 404 for an unknown payment', async () => {
      expect(await refusal(sim.control.v2.getPayment('nobody'))).toEqual({
        status: 404,
        message: 'unknown paymentId: nobody',
      });
      expect(await refusal(sim.control.v2.deposit('nobody'))).toMatchObject({ status: 404 });
      expect(await refusal(sim.control.v2.consoleCancel('nobody'))).toMatchObject({ status: 404 });
    });

    it('replaces an unpaid attempt with a new transaction, and refuses a paid id with 409', async () => {
      const first = await sim.control.v2.createPayment({
        paymentId: 'p',
        amount: 1,
        state: 'failed',
      });
      const second = await sim.control.v2.createPayment({
        paymentId: 'p',
        amount: 1,
        state: 'paid',
      });
      expect(second.transactionId).not.toBe(first.transactionId);
      expect(
        await refusal(sim.control.v2.createPayment({ paymentId: 'p', amount: 1, state: 'paid' })),
      ).toEqual({
        status: 409,
        message: 'paymentId p is already paid',
      });
    });

    it('refuses malformed creations with 400 and the reason', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ amount: 1, state: 'paid' }, 'paymentId is required'],
        [{ paymentId: 'p', state: 'paid' }, 'amount is required (a non-negative integer)'],
        [{ paymentId: 'p', amount: 1.5, state: 'paid' }, 'amount must be a non-negative integer'],
        [
          { paymentId: 'p', amount: 1, state: 'lost' },
          'state must be one of ready, virtual_account_issued, paid, failed, partially_cancelled, cancelled',
        ],
        [
          { paymentId: 'p', amount: 1, state: 'paid', channel: 'DEV' },
          'channel must be one of LIVE, TEST',
        ],
        [
          { paymentId: 'p', amount: 10, state: 'paid', taxFree: 11 },
          'taxFree must not exceed amount',
        ],
        [
          { paymentId: 'p', amount: 10, state: 'paid', cancelledAmount: 5 },
          'cancelledAmount is for partially_cancelled, from 1 to amount - 1',
        ],
        [{ paymentId: 'p', amount: 1, state: 'paid', orderName: 7 }, 'orderName must be a string'],
      ];
      const answers = [];
      for (const [body] of cases)
        answers.push(await rawControl(sim, 'POST', '/payments', JSON.stringify(body)));
      expect(answers).toEqual(cases.map(([, message]) => ({ status: 400, body: { message } })));
      expect(await sim.control.v2.listPayments()).toEqual([]);
    });

    it('answers what pre-register recorded, and 404 for an id never registered', async () => {
      await callV2(sim.v2Url, 'POST', '/payments/p-pre/pre-register', {
        body: { totalAmount: 3000, currency: 'KRW' },
      });
      expect(await sim.control.v2.getPreRegistration('p-pre')).toEqual({
        paymentId: 'p-pre',
        totalAmount: 3000,
        taxFreeAmount: 0,
        currency: 'KRW',
        storeId: DEFAULT_V2_STORE_ID,
      });
      expect(await refusal(sim.control.v2.getPreRegistration('p-none'))).toEqual({
        status: 404,
        message: 'not pre-registered: p-none',
      });
    });
  });

  describe('transitions', () => {
    it('refuses a console cancel of an unpaid payment and one beyond the balance with 409', async () => {
      await sim.control.v2.createPayment({ paymentId: 'p-r', amount: 1000, state: 'ready' });
      await sim.control.v2.createPayment({ paymentId: 'p-p', amount: 1000, state: 'paid' });
      expect(await refusal(sim.control.v2.consoleCancel('p-r'))).toEqual({
        status: 409,
        message: 'PAYMENT_NOT_PAID: 결제가 완료되지 않은 건입니다.',
      });
      expect(await refusal(sim.control.v2.consoleCancel('p-p', { amount: 1001 }))).toEqual({
        status: 409,
        message:
          'CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT: 취소 금액이 취소 가능 금액을 초과합니다.',
      });
      expect((await sim.control.v2.getPayment('p-p')).amount.cancelled).toBe(0);
    });

    it('names the default console reason and sends the webhook in the mode asked', async () => {
      await sim.control.v2.configure({ webhookUrl: receiver.url });
      await sim.control.v2.createPayment({ paymentId: 'p', amount: 1000, state: 'paid' });
      const { payment, webhooks } = await sim.control.v2.consoleCancel('p', {
        webhookMode: 'duplicate',
      });
      expect(payment.cancellations?.[0]?.reason).toBe('콘솔 취소');
      expect(webhooks.map((w) => [w.trigger, w.mode, w.type])).toEqual([
        ['console', 'duplicate', 'Transaction.Cancelled'],
        ['console', 'duplicate', 'Transaction.Cancelled'],
      ]);
      expect(receiver.requests).toHaveLength(2);
    });

    it('refuses an unknown webhookMode with 400 and leaves the payment as it was', async () => {
      await sim.control.v2.createPayment({ paymentId: 'p', amount: 1000, state: 'paid' });
      expect(
        await refusal(sim.control.v2.consoleCancel('p', { webhookMode: 'loud' as 'none' })),
      ).toEqual({
        status: 400,
        message:
          'webhookMode must be one of normal, wrong_signature, stale_timestamp, duplicate, delayed, none',
      });
      expect((await sim.control.v2.getPayment('p')).status).toBe('PAID');
      await sim.control.v2.createPayment({
        paymentId: 'vb',
        amount: 1000,
        state: 'virtual_account_issued',
      });
      expect(
        await refusal(sim.control.v2.deposit('vb', { webhookMode: 'loud' as 'none' })),
      ).toMatchObject({ status: 400 });
      expect((await sim.control.v2.getPayment('vb')).status).toBe('VIRTUAL_ACCOUNT_ISSUED');
    });
  });

  describe('webhooks', () => {
    it('refuses to send without a URL anywhere, and without a paymentId', async () => {
      expect(await refusal(sim.control.v2.sendWebhook({ paymentId: 'p' }))).toEqual({
        status: 400,
        message: 'no url given and no webhookUrl configured',
      });
      expect(await rawControl(sim, 'POST', '/webhooks', '{}')).toEqual({
        status: 400,
        body: { message: 'paymentId is required' },
      });
      expect(await sim.control.v2.webhookLog()).toEqual([]);
    });

    it('sends the type and cancellationId given, after the delay given', async () => {
      await sim.control.v2.createPayment({ paymentId: 'p', amount: 1000, state: 'paid' });
      const started = performance.now();
      const [entry] = await sim.control.v2.sendWebhook({
        paymentId: 'p',
        url: receiver.url,
        type: 'Transaction.Cancelled',
        cancellationId: 'c-1',
        delayMs: 60,
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
      expect(JSON.parse(entry?.body ?? '')).toMatchObject({
        type: 'Transaction.Cancelled',
        data: { paymentId: 'p', cancellationId: 'c-1' },
      });
      expect(receiver.requests[0]?.body).toBe(entry?.body);
    });

    it('resends to another URL in another mode, and answers 404 for an unknown webhook-id', async () => {
      const other = await startReceiver({ status: 204 });
      try {
        await sim.control.v2.createPayment({ paymentId: 'p', amount: 1000, state: 'paid' });
        const [first] = await sim.control.v2.sendWebhook({ paymentId: 'p', url: receiver.url });
        const again = await sim.control.v2.resendWebhook(first?.webhookId ?? '', {
          url: other.url,
          mode: 'duplicate',
        });
        expect(again.map((e) => [e.url, e.mode, e.webhookId, e.outcome])).toEqual([
          [other.url, 'duplicate', first?.webhookId, expect.objectContaining({ status: 204 })],
          [other.url, 'duplicate', first?.webhookId, expect.objectContaining({ status: 204 })],
        ]);
        expect(other.requests.map((r) => r.body)).toEqual([first?.body, first?.body]);
      } finally {
        await other.close();
      }
      expect(await refusal(sim.control.v2.resendWebhook('no-such-id'))).toEqual({
        status: 404,
        message: 'unknown webhook-id: no-such-id',
      });
    });

    it('clears the log on request and on reset', async () => {
      await sim.control.v2.createPayment({ paymentId: 'p', amount: 1000, state: 'paid' });
      await sim.control.v2.sendWebhook({ paymentId: 'p', url: receiver.url });
      expect(await sim.control.v2.webhookLog()).toHaveLength(1);
      await sim.control.v2.clearWebhookLog();
      expect(await sim.control.v2.webhookLog()).toEqual([]);
      await sim.control.v2.sendWebhook({ paymentId: 'p', url: receiver.url });
      await sim.control.reset();
      expect(await sim.control.v2.webhookLog()).toEqual([]);
      expect(await sim.control.v2.listPayments()).toEqual([]);
    });
  });

  it('answers 404 for an unknown control endpoint and 400 for a body that is not JSON', async () => {
    expect(await rawControl(sim, 'GET', '/nothing-here')).toEqual({
      status: 404,
      body: { message: 'unknown control endpoint: GET /__sim/v2/nothing-here' },
    });
    expect((await rawControl(sim, 'POST', '/payments', '{not json')).status).toBe(400);
  });
});
