import { afterEach, describe, expect, it } from 'vitest';
import {
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnauthorizedError,
} from '../../../../../functions/domain/model/errors';
import type { PortOnePayment } from '../../../../../functions/domain/model/portone-payment';
import {
  API_KEY,
  API_SECRET,
  envelope,
  failureOf,
  type Harness,
  harness,
  PAYMENT_ROUTE,
  paidPayment,
  replyPayment,
  replyToken,
} from './support';

let h: Harness;

afterEach(async () => {
  await h.agent.close();
});

describe('PortOne payment lookups', () => {
  it('asks for sandbox payments and sends the token as a Bearer header', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'a9ace025c90c0da2161075da6ddd3492a2fca776');
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()));

    // Act
    await h.client.getPayment('imp_1');

    // Assess
    const [request] = h.requests('/payments/imp_1');
    expect(request?.method).toBe('GET');
    expect(request?.searchParams).toEqual({ include_sandbox: 'true' });
    expect(request?.headers?.authorization).toBe('Bearer a9ace025c90c0da2161075da6ddd3492a2fca776');
  });

  it('returns exactly the PortOnePayment fields, sandbox flag included', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(
      h,
      'imp_401076007673',
      200,
      envelope(paidPayment({ sandbox: true, amount: 12.5, currency: 'USD', promotion: {} })),
    );

    // Act
    const payment = await h.client.getPayment('imp_401076007673');

    // Assess
    expect(payment).toStrictEqual({
      api: 'v1',
      imp_uid: 'imp_401076007673',
      merchant_uid: 'order_87',
      status: 'paid',
      amount: 12.5,
      cancel_amount: 0,
      currency: 'USD',
      sandbox: true,
      pay_method: 'card',
      name: '클럽86',
      started_at: 1618692076,
      paid_at: 1618692096,
      failed_at: 0,
      cancelled_at: 0,
      fail_reason: null,
      cancel_reason: null,
      vbank_code: null,
      vbank_name: null,
      vbank_num: null,
      vbank_holder: null,
      vbank_date: 0,
      vbank_issued_at: 0,
      changed_at: 0,
    } satisfies PortOnePayment);
  });

  it('fills defaults for the fields PortOne omits or nulls', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(
      h,
      'imp_2',
      200,
      envelope({
        imp_uid: 'imp_2',
        merchant_uid: 'order_2',
        status: 'ready',
        amount: 6500,
        cancel_amount: null,
        currency: null,
        paid_at: null,
        pay_method: 'vbank',
        vbank_num: 'X3790127821223',
        vbank_date: 1613141999,
      }),
    );

    // Act
    const payment = await h.client.getPayment('imp_2');

    // Assess
    expect(payment).toStrictEqual({
      api: 'v1',
      imp_uid: 'imp_2',
      merchant_uid: 'order_2',
      status: 'ready',
      amount: 6500,
      cancel_amount: 0,
      currency: 'KRW',
      // An answer without the flag says nothing about the channel (never "live").
      sandbox: null,
      pay_method: 'vbank',
      name: null,
      started_at: 0,
      paid_at: 0,
      failed_at: 0,
      cancelled_at: 0,
      fail_reason: null,
      cancel_reason: null,
      vbank_code: null,
      vbank_name: null,
      vbank_num: 'X3790127821223',
      vbank_holder: null,
      vbank_date: 1613141999,
      vbank_issued_at: 0,
      changed_at: 0,
    } satisfies PortOnePayment);
  });

  it('encodes ids as single path segments', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    h.pool
      .intercept({
        path: '/payments/find/order%2F1%20%23x%3Fy%26z?include_sandbox=true',
        method: 'GET',
      })
      .reply(200, envelope(paidPayment({ merchant_uid: 'order/1 #x?y&z' })));
    replyPayment(h, 'imp/../2', 200, envelope(paidPayment()));

    // Act
    const found = await h.client.findPayment('order/1 #x?y&z');
    await h.client.getPayment('imp/../2');

    // Assess
    expect(found.merchant_uid).toBe('order/1 #x?y&z');
    expect(h.requests('/payments/imp%2F..%2F2')).toHaveLength(1);
    h.agent.assertNoPendingInterceptors();
  });

  it.each(['', '.', '..'])('reports id %j as not found without a request', async (id) => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');

    // Act
    const error = await failureOf(h.client.getPayment(id));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
    expect(h.calls).toEqual([]);
  });

  it('reports each attempt to the onCall hook with route, status and duration', async () => {
    // Prepare
    h = harness();
    const original = h.clock.ms;
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()));

    // Act
    await h.client.getPayment('imp_1');

    // Assess
    expect(h.clock.ms).toBe(original);
    expect(h.calls).toEqual([
      { route: 'POST /users/getToken', status: 200, ms: 0 },
      { route: PAYMENT_ROUTE, status: 200, ms: 0 },
    ]);
  });

  it('survives an onCall hook that throws', async () => {
    // Prepare
    h = harness({
      onCall: () => {
        throw new Error('metrics down');
      },
    });
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()));

    // Act
    const payment = await h.client.getPayment('imp_1');

    // Assess
    expect(payment.imp_uid).toBe('imp_401076007673');
  });
});

describe('PortOne cancel', () => {
  it('posts the cancel with amount, checksum, reason and enable_webhook', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/cancel', method: 'POST' })
      .reply(
        200,
        envelope(
          paidPayment({
            status: 'cancelled',
            cancel_amount: 400,
            cancelled_at: 1663837543,
            cancel_reason: '부분환불',
          }),
        ),
      )
      .times(2);

    // Act
    const payment = await h.client.cancelPayment({
      impUid: 'imp_401076007673',
      amount: 400,
      checksum: 1000,
      reason: '부분환불',
      enableWebhook: true,
    });
    await h.client.cancelPayment({
      impUid: 'imp_401076007673',
      amount: 600,
      checksum: 600,
      reason: 'rest',
    });

    // Assess
    expect(payment.cancel_amount).toBe(400);
    expect(payment.cancel_reason).toBe('부분환불');
    const [first, second] = h.requests('/payments/cancel');
    expect(first?.headers).toMatchObject({
      authorization: 'Bearer tok-a',
      'content-type': 'application/json',
    });
    expect(JSON.parse(String(first?.body))).toEqual({
      imp_uid: 'imp_401076007673',
      amount: 400,
      checksum: 1000,
      reason: '부분환불',
      enable_webhook: true,
    });
    expect(JSON.parse(String(second?.body))).toEqual({
      imp_uid: 'imp_401076007673',
      amount: 600,
      checksum: 600,
      reason: 'rest',
      enable_webhook: false,
    });
  });

  it.each([0, -1, Number.NaN])(
    'refuses to send a cancel with amount %s, which PortOne reads as a full cancel',
    async (amount) => {
      // Prepare
      h = harness();
      replyToken(h, 'tok-a');

      // Act
      const error = await failureOf(
        h.client.cancelPayment({ impUid: 'imp_1', amount, checksum: 1000, reason: 'x' }),
      );

      // Assess
      expect(error).toBeInstanceOf(UpstreamRejectedError);
      expect(h.calls).toEqual([]);
    },
  );
});

describe('PortOne prepare', () => {
  it('posts merchant_uid, amount and currency to register an amount', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/prepare', method: 'POST' })
      .reply(200, envelope({ merchant_uid: 'order_1', amount: 1000 }))
      .times(2);

    // Act
    await h.client.preparePayment({ merchantUid: 'order_1', amount: 1000, currency: 'KRW' });
    await h.client.preparePayment({ merchantUid: 'order_2', amount: 500 });

    // Assess
    const bodies = h.requests('/payments/prepare').map((r) => JSON.parse(String(r.body)));
    expect(bodies).toEqual([
      { merchant_uid: 'order_1', amount: 1000, currency: 'KRW' },
      { merchant_uid: 'order_2', amount: 500 },
    ]);
    expect(h.requests('/payments/prepare')[0]?.headers?.authorization).toBe('Bearer tok-a');
  });

  it('reports a refused prepare as UpstreamRejectedError', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/prepare', method: 'POST' })
      .reply(200, envelope(null, 1, '이미 등록된 merchant_uid입니다.'));

    // Act
    const error = await failureOf(
      h.client.preparePayment({ merchantUid: 'order_1', amount: 1000 }),
    );

    // Assess
    expect(error).toBeInstanceOf(UpstreamRejectedError);
    expect(error.message).toBe('이미 등록된 merchant_uid입니다.');
  });

  it('puts the new amount to update a prepared payment', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/prepare', method: 'PUT' })
      .reply(200, envelope({ merchant_uid: 'order_1', amount: 2000 }));

    // Act
    await h.client.updatePrepared({ merchantUid: 'order_1', amount: 2000 });

    // Assess
    const [request] = h.requests('/payments/prepare');
    expect(request?.method).toBe('PUT');
    expect(JSON.parse(String(request?.body))).toEqual({ merchant_uid: 'order_1', amount: 2000 });
    h.agent.assertNoPendingInterceptors();
  });

  it('reads a prepared amount back', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/prepare/order%201', method: 'GET' })
      .reply(200, envelope({ merchant_uid: 'order 1', amount: 1000, extra: 'x' }));
    h.pool
      .intercept({ path: '/payments/prepare/order_2', method: 'GET' })
      .reply(200, envelope({ merchant_uid: 'order_2', amount: 30, currency: 'USD' }));

    // Act
    const first = await h.client.getPrepared('order 1');
    const second = await h.client.getPrepared('order_2');

    // Assess
    expect(first).toStrictEqual({ merchantUid: 'order 1', amount: 1000 });
    expect(second).toStrictEqual({ merchantUid: 'order_2', amount: 30, currency: 'USD' });
  });

  it('reports an unknown prepared payment as NotFoundError', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/prepare/order_9', method: 'GET' })
      .reply(404, envelope(null, -1, '사전등록된 결제정보가 존재하지 않습니다.'));

    // Act
    const error = await failureOf(h.client.getPrepared('order_9'));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('사전등록된 결제정보가 존재하지 않습니다.');
  });
});

describe('PortOne credentials in errors', () => {
  const echo = `bad key ${API_KEY} secret ${API_SECRET} token tok-leaky`;

  function expectNoCredentials(error: Error) {
    for (const text of [error.message, String(error), error.stack ?? '']) {
      expect(text).not.toContain(API_SECRET);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain('tok-leaky');
    }
  }

  it('keeps credentials out of a rejected call message', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-leaky');
    h.pool
      .intercept({ path: '/payments/cancel', method: 'POST' })
      .reply(200, envelope(null, 1, echo));

    // Act
    const error = await failureOf(
      h.client.cancelPayment({ impUid: 'imp_1', amount: 1, checksum: 1, reason: 'x' }),
    );

    // Assess
    expect(error).toBeInstanceOf(UpstreamRejectedError);
    expect(error.message).toContain('[redacted]');
    expectNoCredentials(error);
  });

  it('keeps credentials out of a not-found message', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-leaky');
    replyPayment(h, 'imp_1', 404, envelope(null, -1, echo));

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
    expectNoCredentials(error);
  });

  it('keeps credentials out of failed token fetches', async () => {
    // Prepare
    h = harness();
    h.pool
      .intercept({ path: '/users/getToken', method: 'POST' })
      .reply(401, envelope(null, -1, echo));

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnauthorizedError);
    expectNoCredentials(error);
  });
});
