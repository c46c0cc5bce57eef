import { verify, WebhookVerificationError } from '@portone/server-sdk/webhook';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_V2_STORE_ID,
  DEFAULT_V2_WEBHOOK_SECRET,
  type RunningSimulator,
  type SimulatorControlError,
  type V2CheckoutAction,
  type V2WebhookMode,
} from '../../../../simulator/portone';
import { type ReceivedRequest, type Receiver, startReceiver, startSim } from './support';
import { callV2 } from './v2-support';

let sim: RunningSimulator;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver({ body: 'ok' });
  sim = await startSim({ v2WebhookUrl: receiver.url });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(async () => {
  await sim.control.reset();
  await sim.control.v2.configure({ webhookUrl: receiver.url });
  receiver.requests.length = 0;
});

/** A requestPayment argument as a shop page writes it for the browser SDK. */
const request = (overrides: Record<string, unknown> = {}) => ({
  storeId: DEFAULT_V2_STORE_ID,
  channelKey: 'channel-key-shop-live',
  paymentId: 'pay-1',
  orderName: '노르웨이 회전 의자',
  totalAmount: 64900,
  currency: 'CURRENCY_KRW',
  payMethod: 'CARD',
  ...overrides,
});

const complete = (
  action: V2CheckoutAction,
  options: { r?: Record<string, unknown>; tamperAmount?: number; webhookMode?: V2WebhookMode } = {},
) => {
  const { r, ...rest } = options;
  return sim.control.v2.checkoutComplete(request(r), { action, ...rest });
};

const reasonOf = async (received: ReceivedRequest | undefined) => {
  try {
    await verify(DEFAULT_V2_WEBHOOK_SECRET, received?.body ?? '', received?.headers ?? {});
    return 'verified';
  } catch (error) {
    return error instanceof WebhookVerificationError ? error.reason : String(error);
  }
};

const preRegister = async (paymentId: string, totalAmount: number) => {
  const answer = await callV2(sim.v2Url, 'POST', `/payments/${paymentId}/pre-register`, {
    body: { totalAmount, currency: 'KRW' },
  });
  expect(answer.status).toBe(200);
};

describe('POST /__sim/v2/checkout/open', () => {
  it('lets the window open for a fresh paymentId and for a matching pre-registration', async () => {
    expect(await sim.control.v2.checkoutOpen(request())).toEqual({ blocked: false });
    await preRegister('pay-2', 64900);
    expect(await sim.control.v2.checkoutOpen(request({ paymentId: 'pay-2' }))).toEqual({
      blocked: false,
    });
    expect(await sim.control.v2.listPayments()).toEqual([]);
  });

  it('refuses an amount other than the pre-registered one, leaving a FAILED attempt', async () => {
    await preRegister('pay-1', 64900);
    const answer = await sim.control.v2.checkoutOpen(request({ totalAmount: 100 }));
    const payment = await sim.control.v2.getPayment('pay-1');
    expect(answer).toEqual({
      blocked: true,
      response: {
        transactionType: 'PAYMENT',
        paymentId: 'pay-1',
        txId: payment.transactionId,
        code: 'PORTONE_ERROR',
        message:
          '사전 등록된 결제 정보와 일치하지 않습니다. (사전 등록 금액: 64900, 요청 금액: 100)',
      },
    });
    expect(payment).toMatchObject({ status: 'FAILED', amount: { total: 100 } });
    expect(await sim.control.v2.settleWebhooks()).toEqual([]);
  });

  it('refuses a paymentId that is already paid, and another store', async () => {
    await sim.control.v2.createPayment({ paymentId: 'pay-1', amount: 64900, state: 'paid' });
    const paid = await sim.control.v2.checkoutOpen(request());
    const store = await sim.control.v2.checkoutOpen(
      request({ paymentId: 'pay-9', storeId: 'store-x' }),
    );
    expect(paid).toMatchObject({
      blocked: true,
      response: { txId: '', code: 'PORTONE_ERROR', message: '이미 결제가 완료된 결제 건입니다.' },
    });
    expect(store).toMatchObject({
      blocked: true,
      response: {
        paymentId: 'pay-9',
        code: 'PORTONE_ERROR',
        message: '상점 정보를 찾을 수 없습니다. (storeId: store-x)',
      },
    });
  });

  it('answers the redirect target of a refused request with its code and message', async () => {
    await sim.control.v2.createPayment({ paymentId: 'pay-1', amount: 64900, state: 'paid' });
    const answer = await sim.control.v2.checkoutOpen(
      request({ redirectUrl: 'http://shop.test/v2/payments/complete?from=sim' }),
    );
    const target = new URL(answer.blocked ? (answer.redirect ?? '') : '');
    expect(target.origin + target.pathname).toBe('http://shop.test/v2/payments/complete');
    expect(Object.fromEntries(target.searchParams)).toEqual({
      from: 'sim',
      paymentId: 'pay-1',
      transactionType: 'PAYMENT',
      txId: '',
      code: 'PORTONE_ERROR',
      message: '이미 결제가 완료된 결제 건입니다.',
    });
  });

  it('answers 400 naming a missing or malformed field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ storeId: undefined }, 'storeId is required'],
      [{ channelKey: '' }, 'channelKey is required'],
      [{ paymentId: undefined }, 'paymentId is required'],
      [{ totalAmount: '64900' }, 'totalAmount must be a non-negative integer'],
      [{ totalAmount: 1.5 }, 'totalAmount must be a non-negative integer'],
      [{ currency: undefined }, 'currency is required'],
      [{ redirectUrl: '/relative' }, 'redirectUrl must be an absolute URL'],
      [{ noticeUrls: ['nope'] }, 'noticeUrls must be a list of absolute URLs'],
    ];
    const refusals = [];
    for (const [overrides] of cases) {
      refusals.push(
        await sim.control.v2.checkoutOpen(request(overrides)).then(
          () => 'opened',
          (error: SimulatorControlError) => [error.status, error.message],
        ),
      );
    }
    expect(refusals).toEqual(cases.map(([, message]) => [400, message]));
  });
});

describe('POST /__sim/v2/checkout/complete', () => {
  it('pays by card the amount the page sent, in KRW, and answers the SDK response', async () => {
    const answer = await complete('card', {
      r: {
        customer: { customerId: 'user-1', fullName: '홍길동', email: 'buyer@example.com' },
        customData: { item: 'chair' },
      },
    });
    const payment = await sim.control.v2.getPayment('pay-1');
    expect(answer).toEqual({
      blocked: false,
      response: { transactionType: 'PAYMENT', paymentId: 'pay-1', txId: payment.transactionId },
    });
    expect(payment).toMatchObject({
      status: 'PAID',
      orderName: '노르웨이 회전 의자',
      amount: { total: 64900, paid: 64900 },
      currency: 'KRW',
      method: { type: 'PaymentMethodCard' },
      channel: { type: 'LIVE', key: 'channel-key-shop-live' },
      customer: { id: 'user-1', name: '홍길동', email: 'buyer@example.com' },
      customData: '{"item":"chair"}',
    });
    const [webhook] = await sim.control.v2.settleWebhooks();
    expect(webhook).toMatchObject({
      trigger: 'checkout',
      type: 'Transaction.Paid',
      mode: 'normal',
    });
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toMatchObject({
      type: 'Transaction.Paid',
      data: { paymentId: 'pay-1', transactionId: payment.transactionId },
    });
    expect(await reasonOf(receiver.requests[0])).toBe('verified');
  });

  it('takes a REST currency as it is, and a channel key saying test as a TEST channel', async () => {
    await complete('card', { r: { currency: 'KRW', channelKey: 'channel-key-TEST-1' } });
    expect(await sim.control.v2.getPayment('pay-1')).toMatchObject({
      currency: 'KRW',
      channel: { type: 'TEST', key: 'channel-key-TEST-1' },
    });
  });

  it('pays a tampered amount when nothing was pre-registered, and refuses it when it was', async () => {
    await complete('tamper', { tamperAmount: 700 });
    expect((await sim.control.v2.getPayment('pay-1')).amount.total).toBe(700);

    await preRegister('pay-2', 64900);
    const refused = await complete('tamper', { r: { paymentId: 'pay-2' }, tamperAmount: 700 });
    expect(refused).toMatchObject({ blocked: true, response: { code: 'PORTONE_ERROR' } });
    expect(await sim.control.v2.getPayment('pay-2')).toMatchObject({
      status: 'FAILED',
      amount: { total: 700 },
    });
  });

  it('fails a declined card with FAILURE_TYPE_PG and sends Transaction.Failed', async () => {
    const { response } = await complete('decline');
    const payment = await sim.control.v2.getPayment('pay-1');
    expect(response).toEqual({
      transactionType: 'PAYMENT',
      paymentId: 'pay-1',
      txId: payment.transactionId,
      code: 'FAILURE_TYPE_PG',
      message: '카드 승인이 거절되었습니다.',
      pgCode: 'F113',
      pgMessage: '카드 승인이 거절되었습니다.',
    });
    expect(payment).toMatchObject({
      status: 'FAILED',
      failure: { reason: '카드 승인이 거절되었습니다.' },
    });
    expect((await sim.control.v2.settleWebhooks()).map((w) => w.type)).toEqual([
      'Transaction.Failed',
    ]);
  });

  it('fails a closed window as cancelled by the shopper', async () => {
    const { response } = await complete('close');
    expect(response).toMatchObject({
      code: 'FAILURE_TYPE_PG',
      message: '사용자가 결제를 취소하였습니다.',
      pgCode: 'PAY_PROCESS_CANCELED',
    });
    expect((await sim.control.v2.getPayment('pay-1')).status).toBe('FAILED');
  });

  it('issues a virtual account, then the deposit pays it, notifying the noticeUrls each time', async () => {
    const notice = await startReceiver();
    try {
      const { response } = await complete('vbank', {
        r: { payMethod: 'VIRTUAL_ACCOUNT', noticeUrls: [notice.url] },
      });
      expect(response.code).toBeUndefined();
      expect(await sim.control.v2.getPayment('pay-1')).toMatchObject({
        status: 'VIRTUAL_ACCOUNT_ISSUED',
        method: { type: 'PaymentMethodVirtualAccount' },
      });
      await sim.control.v2.settleWebhooks();
      await sim.control.v2.deposit('pay-1');
      const log = await sim.control.v2.settleWebhooks();
      expect(log.map((w) => [w.trigger, w.type, w.url])).toEqual([
        ['checkout', 'Transaction.VirtualAccountIssued', notice.url],
        ['deposit', 'Transaction.Paid', notice.url],
      ]);
      expect(receiver.requests).toEqual([]);
    } finally {
      await notice.close();
    }
  });

  it('sends the webhook in the mode the shopper chose', async () => {
    await complete('card', { webhookMode: 'wrong_signature' });
    const [webhook] = await sim.control.v2.settleWebhooks();
    expect(webhook?.mode).toBe('wrong_signature');
    expect(await reasonOf(receiver.requests[0])).toBe('NO_MATCHING_SIGNATURE');
  });

  it('answers the redirect target with paymentId, transactionType and txId, plus code and message on failure', async () => {
    const redirectUrl = 'http://shop.test/v2/payments/complete';
    const paid = await complete('card', { r: { redirectUrl } });
    const failed = await complete('decline', { r: { redirectUrl, paymentId: 'pay-2' } });
    const query = (target: string | undefined) =>
      Object.fromEntries(new URL(target ?? '').searchParams);
    expect(paid.redirect?.startsWith(`${redirectUrl}?`)).toBe(true);
    expect(query(paid.redirect)).toEqual({
      paymentId: 'pay-1',
      transactionType: 'PAYMENT',
      txId: paid.response.txId,
    });
    expect(query(failed.redirect)).toEqual({
      paymentId: 'pay-2',
      transactionType: 'PAYMENT',
      txId: failed.response.txId,
      code: 'FAILURE_TYPE_PG',
      message: '카드 승인이 거절되었습니다.',
    });
  });

  it('answers 400 for an unknown action or webhookMode, and 404 for an unknown endpoint', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${sim.url}/__sim/v2/checkout/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => [r.status, ((await r.json()) as { message: string }).message]);
    expect(await post('complete', { request: request(), action: 'steal' })).toEqual([
      400,
      'action must be one of card, vbank, decline, tamper, close',
    ]);
    expect(
      await post('complete', { request: request(), action: 'card', webhookMode: 'x' }),
    ).toEqual([
      400,
      'webhookMode must be one of normal, wrong_signature, stale_timestamp, duplicate, delayed, none',
    ]);
    expect(await post('approve', {})).toEqual([
      404,
      'unknown checkout endpoint: POST /__sim/v2/checkout/approve',
    ]);
    expect(await sim.control.v2.listPayments()).toEqual([]);
  });

  it('answers a preflight and the answers themselves for any origin', async () => {
    const preflight = await fetch(`${sim.url}/__sim/v2/checkout/open`, {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.test', 'access-control-request-method': 'POST' },
    });
    const answer = await fetch(`${sim.url}/__sim/v2/checkout/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://shop.test' },
      body: JSON.stringify({ request: request() }),
    });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toEqual([
      204,
      '*',
    ]);
    expect([answer.status, answer.headers.get('access-control-allow-origin')]).toEqual([200, '*']);
  });
});
