import { afterEach, describe, expect, it } from 'vitest';
import {
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
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
  SERVER_NOW,
  TOKEN_ROUTE,
} from './support';

let h: Harness;

afterEach(async () => {
  await h.agent.close();
});

describe('PortOne access token', () => {
  it('fetches one token and reuses it for many calls', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()), {
      times: 5,
      headers: { authorization: 'Bearer tok-a' },
    });

    // Act
    for (let i = 0; i < 5; i++) {
      h.clock.ms += 60_000;
      await h.client.getPayment('imp_1');
    }

    // Assess
    expect(h.count(TOKEN_ROUTE)).toBe(1);
    expect(h.count(PAYMENT_ROUTE)).toBe(5);
    expect(h.tokenFetches()).toBe(1);
    h.agent.assertNoPendingInterceptors();
  });

  it('posts the credentials as JSON to /users/getToken', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()));

    // Act
    await h.client.getPayment('imp_1');

    // Assess
    const [request] = h.requests('/users/getToken');
    expect(request?.method).toBe('POST');
    expect(request?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(JSON.parse(String(request?.body))).toEqual({
      imp_key: API_KEY,
      imp_secret: API_SECRET,
    });
  });

  it('refreshes a token the server says expires in 30 s, whatever the local clock says', async () => {
    // Prepare: the local clock reads 1970-ish, the server 2023; a client that
    // compared expired_at with its own clock would keep the token for decades.
    h = harness();
    h.clock.ms = 1_000;
    replyToken(h, 'tok-a', { lifetimeS: 30 });
    replyToken(h, 'tok-b', { lifetimeS: 1800, now: SERVER_NOW + 31 });
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()), { times: 3 });

    // Act
    await h.client.getPayment('imp_1');
    h.clock.ms += 29_000;
    await h.client.getPayment('imp_1');
    const fetchesBeforeExpiry = h.count(TOKEN_ROUTE);
    h.clock.ms += 2_000;
    await h.client.getPayment('imp_1');

    // Assess
    expect(fetchesBeforeExpiry).toBe(1);
    expect(h.count(TOKEN_ROUTE)).toBe(2);
    h.agent.assertNoPendingInterceptors();
  });

  it('keeps a fresh token although the local clock is decades ahead of the server', async () => {
    // Prepare: a client that compared expired_at with its own clock would
    // think this token long expired and fetch one per call.
    h = harness();
    h.clock.ms = Date.UTC(2060, 0, 1);
    replyToken(h, 'tok-a', { now: 1_000_000_000 });
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()), { times: 3 });

    // Act
    for (let i = 0; i < 3; i++) await h.client.getPayment('imp_1');

    // Assess
    expect(h.count(TOKEN_ROUTE)).toBe(1);
  });

  it('keeps a token until the server-side expiry, measured on the local clock, then fetches a new one', async () => {
    // Refreshing earlier would not help: PortOne answers the same token, and in
    // its last minute extends it by only 5 minutes (one fetch every 5 minutes).
    // Prepare
    h = harness();
    replyToken(h, 'tok-a', { lifetimeS: 1800 });
    replyToken(h, 'tok-b', { lifetimeS: 1800, now: SERVER_NOW + 1801 });
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()), {
      times: 2,
      headers: { authorization: 'Bearer tok-a' },
    });
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()), {
      headers: { authorization: 'Bearer tok-b' },
    });

    // Act
    await h.client.getPayment('imp_1');
    h.clock.ms += 1799_000;
    await h.client.getPayment('imp_1');
    const fetchesBeforeExpiry = h.count(TOKEN_ROUTE);
    h.clock.ms += 2_000;
    await h.client.getPayment('imp_1');

    // Assess
    expect(fetchesBeforeExpiry).toBe(1);
    expect(h.count(TOKEN_ROUTE)).toBe(2);
    h.agent.assertNoPendingInterceptors();
  });

  it('shares one token fetch among 10 concurrent calls on a cold client', async () => {
    // Prepare
    h = harness();
    h.pool
      .intercept({ path: '/users/getToken', method: 'POST' })
      .reply(
        200,
        envelope({ access_token: 'tok-a', now: SERVER_NOW, expired_at: SERVER_NOW + 1800 }),
      )
      .delay(20)
      .persist();
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()), {
      times: 10,
      headers: { authorization: 'Bearer tok-a' },
    });

    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, () => h.client.getPayment('imp_1')),
    );

    // Assess
    expect(results).toHaveLength(10);
    expect(h.count(TOKEN_ROUTE)).toBe(1);
    expect(h.tokenFetches()).toBe(1);
    expect(h.count(PAYMENT_ROUTE)).toBe(10);
  });

  it('does not cache a failed token fetch', async () => {
    // Prepare
    h = harness({ maxAttempts: 1 });
    h.pool
      .intercept({ path: '/users/getToken', method: 'POST' })
      .reply(503, 'Service Unavailable')
      .delay(10);
    replyToken(h, 'tok-b');
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()), {
      headers: { authorization: 'Bearer tok-b' },
    });

    // Act
    const failures = await Promise.allSettled([
      h.client.getPayment('imp_1'),
      h.client.getPayment('imp_1'),
    ]);
    const payment = await h.client.getPayment('imp_1');

    // Assess
    expect(failures.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(failures[0]?.status === 'rejected' && failures[0].reason).toBeInstanceOf(
      UpstreamUnavailableError,
    );
    expect(payment.imp_uid).toBe('imp_401076007673');
    expect(h.count(TOKEN_ROUTE)).toBe(2);
    expect(h.tokenFetches()).toBe(2);
    h.agent.assertNoPendingInterceptors();
  });

  it('retries a transient token failure within the same call', async () => {
    // Prepare
    h = harness();
    h.pool.intercept({ path: '/users/getToken', method: 'POST' }).reply(500, 'oops');
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()));

    // Act
    const payment = await h.client.getPayment('imp_1');

    // Assess
    expect(payment.status).toBe('paid');
    expect(h.count(TOKEN_ROUTE)).toBe(2);
    expect(h.tokenFetches()).toBe(1);
  });

  it('repeats a call once with a fresh token after a 401', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-old');
    replyToken(h, 'tok-new');
    replyPayment(h, 'imp_1', 401, envelope(null, -1, 'Unauthorized'), {
      headers: { authorization: 'Bearer tok-old' },
    });
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()), {
      headers: { authorization: 'Bearer tok-new' },
    });

    // Act
    const payment = await h.client.getPayment('imp_1');

    // Assess
    expect(payment.status).toBe('paid');
    expect(h.count(TOKEN_ROUTE)).toBe(2);
    expect(h.count(PAYMENT_ROUTE)).toBe(2);
    h.agent.assertNoPendingInterceptors();
  });

  it('keeps using the fresh token after a 401 recovery', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-old');
    replyToken(h, 'tok-new');
    replyPayment(h, 'imp_1', 401, envelope(null, -1, 'Unauthorized'));
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()), {
      times: 2,
      headers: { authorization: 'Bearer tok-new' },
    });

    // Act
    await h.client.getPayment('imp_1');
    await h.client.getPayment('imp_1');

    // Assess
    expect(h.count(TOKEN_ROUTE)).toBe(2);
    h.agent.assertNoPendingInterceptors();
  });

  it('gives up with UpstreamUnauthorizedError when the fresh token is refused too', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a', { times: 2 });
    replyPayment(h, 'imp_1', 401, envelope(null, -1, 'Unauthorized'), { times: 2 });

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnauthorizedError);
    expect(h.count(TOKEN_ROUTE)).toBe(2);
    expect(h.count(PAYMENT_ROUTE)).toBe(2);
    h.agent.assertNoPendingInterceptors();
  });

  it('repeats a cancel refused with 401 once, since PortOne did not act on it', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-old');
    replyToken(h, 'tok-new');
    h.pool
      .intercept({ path: '/payments/cancel', method: 'POST' })
      .reply(401, envelope(null, -1, 'Unauthorized'));
    h.pool
      .intercept({ path: '/payments/cancel', method: 'POST' })
      .reply(200, envelope(paidPayment({ status: 'cancelled', cancel_amount: 1000 })));

    // Act
    const payment = await h.client.cancelPayment({
      impUid: 'imp_401076007673',
      amount: 1000,
      checksum: 1000,
      reason: 'test',
    });

    // Assess
    expect(payment.status).toBe('cancelled');
    expect(h.requests('/payments/cancel').map((r) => r.headers?.authorization)).toEqual([
      'Bearer tok-old',
      'Bearer tok-new',
    ]);
  });

  it('reports rejected credentials as UpstreamUnauthorizedError without retrying', async () => {
    // Prepare
    h = harness();
    h.pool
      .intercept({ path: '/users/getToken', method: 'POST' })
      .reply(401, envelope(null, -1, 'Unauthorized'));

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnauthorizedError);
    expect(h.count(TOKEN_ROUTE)).toBe(1);
    expect(h.count(PAYMENT_ROUTE)).toBe(0);
    h.agent.assertNoPendingInterceptors();
  });

  it('reports a token refusal with HTTP 200 and code != 0 as UpstreamUnauthorizedError', async () => {
    // Prepare
    h = harness();
    h.pool
      .intercept({ path: '/users/getToken', method: 'POST' })
      .reply(200, envelope(null, -1, 'imp_key, imp_secret 파라메터가 누락되었습니다.'));

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnauthorizedError);
    expect(h.count(PAYMENT_ROUTE)).toBe(0);
  });

  it('reports a missing token endpoint as UpstreamUnavailableError, not as a missing payment', async () => {
    // Prepare
    h = harness();
    h.pool
      .intercept({ path: '/users/getToken', method: 'POST' })
      .reply(404, envelope(null, -1, 'Not Found'));

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
  });

  it('reports a malformed token answer as UpstreamUnavailableError', async () => {
    // Prepare
    h = harness();
    h.pool
      .intercept({ path: '/users/getToken', method: 'POST' })
      .reply(200, envelope({ now: SERVER_NOW, expired_at: SERVER_NOW + 1800 }));

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toMatch(/^malformed response from PortOne/);
    expect(error.message).toContain('response.access_token');
    expect(h.count(PAYMENT_ROUTE)).toBe(0);
  });
});

describe('credentials from a provider', () => {
  it('asks the provider to forget a pair PortOne rejects', async () => {
    let invalidated = 0;
    const provider = Object.assign(async () => ({ apiKey: 'k', apiSecret: 'rotated-away' }), {
      invalidate: () => {
        invalidated++;
      },
    });
    h = harness({ credentials: provider });
    h.pool
      .intercept({ path: '/users/getToken', method: 'POST' })
      .reply(401, { code: -1, message: 'Unauthorized', response: null });

    await expect(h.client.getPayment('imp_1')).rejects.toThrow(
      'PortOne rejected the API credentials',
    );

    expect(invalidated).toBe(1);
  });

  it('asks the provider before the first token and keeps its secret out of error messages', async () => {
    // Prepare
    let asked = 0;
    h = harness({
      credentials: async () => {
        asked++;
        return { apiKey: 'provided-key', apiSecret: 'provided-secret-value' };
      },
    });
    h.pool
      .intercept({ path: '/users/getToken', method: 'POST' })
      .reply(200, { code: 1, message: 'bad provided-secret-value', response: null });

    // Act
    const error = await h.client.getPayment('imp_1').catch((e: unknown) => e);

    // Assess
    expect(asked).toBe(1);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).not.toContain('provided-secret-value');
    const [request] = h.requests('/users/getToken');
    expect(JSON.parse(String(request?.body))).toEqual({
      imp_key: 'provided-key',
      imp_secret: 'provided-secret-value',
    });
  });
});
