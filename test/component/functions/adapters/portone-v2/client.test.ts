import { MockAgent, fetch as undiciFetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createPortOneV2Client,
  type PortOneV2ClientOptions,
} from '../../../../../functions/adapters/portone-v2/client';
import {
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';

const BASE_URL = 'http://portone-v2.test';
const SECRET = 'v2-secret-Xq81xPl0vTw';
const STORE_ID = 'store-ae356798-3d20-4969-b739-14c6b0e1a667';
const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

const paid = (paymentId: string, overrides: Record<string, unknown> = {}) => ({
  status: 'PAID',
  id: paymentId,
  transactionId: `tx-${paymentId}`,
  storeId: STORE_ID,
  channel: { type: 'LIVE', pgProvider: 'INICIS_V2', pgMerchantId: 'm' },
  requestedAt: '2026-12-03T01:00:00Z',
  updatedAt: '2026-12-03T01:00:05Z',
  statusChangedAt: '2026-12-03T01:00:05Z',
  orderName: 'shoes',
  amount: { total: 15000, taxFree: 0, discount: 0, paid: 15000, cancelled: 0, cancelledTaxFree: 0 },
  currency: 'KRW',
  customer: {},
  paidAt: '2026-12-03T01:00:05Z',
  disputes: [],
  ...overrides,
});

const agents: MockAgent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
});

/** A V2 client wired to an undici MockAgent, an instant sleep and a recorder of every HTTP attempt. */
const harness = (overrides: Partial<PortOneV2ClientOptions> = {}) => {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  agents.push(agent);
  const calls: { route: string; status: number | 'error' }[] = [];
  const client = createPortOneV2Client({
    baseUrl: BASE_URL,
    secret: SECRET,
    storeId: STORE_ID,
    fetch: (input, init) =>
      undiciFetch(String(input), {
        ...init,
        dispatcher: agent,
      } as never) as unknown as Promise<Response>,
    sleep: async () => {},
    onCall: ({ route, status }) => calls.push({ route, status }),
    ...overrides,
  });
  const requests = () => agent.getCallHistory()?.calls() ?? [];
  return { pool: agent.get(BASE_URL), client, calls, requests };
};

describe('the PortOne V2 client', () => {
  it('reads a payment with the secret and the store id, and keeps what decides', async () => {
    const h = harness();
    h.pool
      .intercept({ path: `/payments/order-1%2Fa?storeId=${STORE_ID}`, method: 'GET' })
      .reply(200, paid('order-1/a'), JSON_HEADERS);

    const payment = await h.client.getPayment('order-1/a');

    expect(payment).toMatchObject({
      status: 'PAID',
      id: 'order-1/a',
      transactionId: 'tx-order-1/a',
      channel: { type: 'LIVE' },
      amount: { total: 15000, cancelled: 0 },
      currency: 'KRW',
    });
    expect(h.requests().map((call) => call.headers)).toEqual([
      expect.objectContaining({ authorization: `PortOne ${SECRET}` }),
    ]);
  });

  it('leaves the store id out when none is configured', async () => {
    const h = harness({ storeId: null });
    h.pool
      .intercept({ path: '/payments/order-1', method: 'GET' })
      .reply(200, paid('order-1'), JSON_HEADERS);
    expect((await h.client.getPayment('order-1')).id).toBe('order-1');
    expect(h.requests().map((call) => call.path)).toEqual(['/payments/order-1']);
  });

  it('reports PAYMENT_NOT_FOUND as an unknown payment', async () => {
    const h = harness();
    h.pool
      .intercept({ path: /^\/payments\/nope/, method: 'GET' })
      .reply(
        404,
        { type: 'PAYMENT_NOT_FOUND', message: '결제 건이 존재하지 않습니다.' },
        JSON_HEADERS,
      );
    const error = await h.client.getPayment('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe(
      'PortOne GET /payments/{paymentId}: PAYMENT_NOT_FOUND (결제 건이 존재하지 않습니다.)',
    );
  });

  it('treats a 404 without PortOne error body as a wrong address, not an unknown payment', async () => {
    const h = harness();
    h.pool.intercept({ path: /^\/payments\//, method: 'GET' }).reply(404, '<html>Not Found</html>');
    const error = await h.client.getPayment('order-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toBe(
      'malformed response from PortOne GET /payments/{paymentId}: HTTP 404 without an error type',
    );
  });

  it('retries a read once after a gateway error page, then answers', async () => {
    const h = harness();
    h.pool
      .intercept({ path: /^\/payments\//, method: 'GET' })
      .reply(502, '<html>Bad Gateway</html>');
    h.pool
      .intercept({ path: /^\/payments\//, method: 'GET' })
      .reply(200, paid('order-1'), JSON_HEADERS);
    expect((await h.client.getPayment('order-1')).status).toBe('PAID');
    expect(h.calls).toEqual([
      { route: 'GET /payments/{paymentId}', status: 502 },
      { route: 'GET /payments/{paymentId}', status: 200 },
    ]);
  });

  it('refuses a status it does not know, without retrying', async () => {
    const h = harness();
    h.pool
      .intercept({ path: /^\/payments\//, method: 'GET' })
      .reply(200, paid('order-1', { status: 'REFUNDED' }), JSON_HEADERS);
    const error = await h.client.getPayment('order-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toBe(
      'malformed response from PortOne GET /payments/{paymentId}: status: invalid_value',
    );
    expect(h.calls).toHaveLength(1);
  });

  it('reports a refused secret as unauthorized', async () => {
    const h = harness();
    h.pool
      .intercept({ path: /^\/payments\//, method: 'GET' })
      .reply(401, { type: 'UNAUTHORIZED', message: 'bad secret' }, JSON_HEADERS);
    await expect(h.client.getPayment('order-1')).rejects.toBeInstanceOf(UpstreamUnauthorizedError);
    expect(h.calls).toHaveLength(1);
  });

  it('gives up when PortOne does not answer within the timeout', async () => {
    const h = harness({ timeoutMs: 100, budgetMs: 150 });
    h.pool
      .intercept({ path: /^\/payments\//, method: 'GET' })
      .reply(200, paid('order-1'), JSON_HEADERS)
      .delay(1000);
    const error = await h.client.getPayment('order-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toBe(
      'PortOne GET /payments/{paymentId}: no answer within 100 ms',
    );
  });

  it('cancels with the balance it believes PortOne holds, and answers the cancellation', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/payments/order-1/cancel', method: 'POST' })
      .reply(
        200,
        { cancellation: { status: 'SUCCEEDED', id: 'c-1', totalAmount: 5000, reason: 'refund' } },
        JSON_HEADERS,
      );
    expect(
      await h.client.cancelPayment({
        paymentId: 'order-1',
        amount: 5000,
        currentCancellableAmount: 15000,
        reason: 'refund',
      }),
    ).toEqual({ status: 'SUCCEEDED', id: 'c-1', totalAmount: 5000 });
    expect(JSON.parse(String(h.requests()[0]?.body))).toEqual({
      amount: 5000,
      currentCancellableAmount: 15000,
      reason: 'refund',
      storeId: STORE_ID,
    });
  });

  it('reports a refused cancel with PortOne error type', async () => {
    const h = harness();
    h.pool.intercept({ path: '/payments/order-1/cancel', method: 'POST' }).reply(
      409,
      {
        type: 'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN',
        message: '취소 가능 잔액 검증에 실패하였습니다.',
      },
      JSON_HEADERS,
    );
    const error = await h.client
      .cancelPayment({
        paymentId: 'order-1',
        amount: 5000,
        currentCancellableAmount: 9000,
        reason: 'refund',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamRejectedError);
    expect(error).toMatchObject({ portoneCode: 'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN' });
  });

  it('never repeats a cancel, even after a PG error', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/payments/order-1/cancel', method: 'POST' })
      .reply(502, { type: 'PG_PROVIDER', message: 'PG down' }, JSON_HEADERS);
    const error = await h.client
      .cancelPayment({
        paymentId: 'order-1',
        amount: 5000,
        currentCancellableAmount: 15000,
        reason: 'r',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as Error).message).toBe(
      'PortOne POST /payments/{paymentId}/cancel: HTTP 502 PG_PROVIDER',
    );
    expect(h.calls).toHaveLength(1);
  });

  it('pre-registers the amount of a payment id', async () => {
    const h = harness();
    h.pool
      .intercept({ path: '/payments/order-1-p1/pre-register', method: 'POST' })
      .reply(200, {}, JSON_HEADERS);
    await h.client.preRegister({ paymentId: 'order-1-p1', totalAmount: 15000, currency: 'KRW' });
    expect(JSON.parse(String(h.requests()[0]?.body))).toEqual({
      totalAmount: 15000,
      currency: 'KRW',
      storeId: STORE_ID,
    });
  });

  it('never puts the secret in an error message, even when PortOne echoes it', async () => {
    const h = harness();
    h.pool
      .intercept({ path: /^\/payments\//, method: 'GET' })
      .reply(
        400,
        { type: 'INVALID_REQUEST', message: `bad header PortOne ${SECRET}` },
        JSON_HEADERS,
      );
    const error = await h.client.getPayment('order-1').catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'PortOne GET /payments/{paymentId}: INVALID_REQUEST (bad header PortOne [redacted])',
    );
  });

  it('reads the secret from its provider when it is not given', async () => {
    let reads = 0;
    const h = harness({ secret: async () => `${SECRET}-${++reads}` });
    h.pool
      .intercept({ path: /^\/payments\//, method: 'GET' })
      .reply(200, paid('order-1'), JSON_HEADERS);
    await h.client.getPayment('order-1');
    expect(h.requests()[0]?.headers).toMatchObject({ authorization: `PortOne ${SECRET}-1` });
  });

  it('asks its provider to read the secret again after PortOne refused it', async () => {
    const stored = [`${SECRET}-old`, `${SECRET}-new`];
    let invalidated = 0;
    const secret = Object.assign(async () => stored[Math.min(invalidated, 1)] as string, {
      invalidate: () => {
        invalidated += 1;
      },
    });
    const h = harness({ secret });
    h.pool
      .intercept({ path: /^\/payments\//, method: 'GET' })
      .reply(401, { type: 'UNAUTHORIZED', message: 'bad secret' }, JSON_HEADERS);
    h.pool
      .intercept({ path: /^\/payments\//, method: 'GET' })
      .reply(200, paid('order-1'), JSON_HEADERS);

    await expect(h.client.getPayment('order-1')).rejects.toBeInstanceOf(UpstreamUnauthorizedError);
    await h.client.getPayment('order-1');

    expect(invalidated).toBe(1);
    expect(h.requests().map((request) => request.headers?.authorization)).toEqual([
      `PortOne ${SECRET}-old`,
      `PortOne ${SECRET}-new`,
    ]);
  });
});
