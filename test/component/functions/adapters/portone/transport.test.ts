import { afterEach, describe, expect, it } from 'vitest';
import {
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
import {
  envelope,
  failureOf,
  type Harness,
  harness,
  PAYMENT_ROUTE,
  paidPayment,
  replyPayment,
  replyToken,
  TOKEN_ROUTE,
} from './support';

const CANCEL_ROUTE = 'POST /payments/cancel';
const cancelRequest = { impUid: 'imp_1', amount: 1000, checksum: 1000, reason: 'customer asked' };

let h: Harness;

afterEach(async () => {
  await h.agent.close();
});

describe('PortOne status mapping', () => {
  it('maps a 404 envelope to NotFoundError with PortOne message', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_missing', 404, envelope(null, -1, '존재하지 않는 결제정보입니다.'));

    // Act
    const error = await failureOf(h.client.getPayment('imp_missing'));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('존재하지 않는 결제정보입니다.');
    expect(h.count(PAYMENT_ROUTE)).toBe(1);
  });

  it('maps a 404 that is not a PortOne envelope to UpstreamUnavailableError', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 404, '<html>Not Found</html>');

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
  });

  it('maps a 400 to UpstreamRejectedError with PortOne code and message', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 400, envelope(null, -1, '지원되지 않는 상태값입니다.'));

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamRejectedError);
    expect(error.message).toBe('지원되지 않는 상태값입니다.');
    expect((error as UpstreamRejectedError).portoneCode).toBe(-1);
    expect(h.count(PAYMENT_ROUTE)).toBe(1);
  });

  it('maps HTTP 200 with code 1 on cancel to UpstreamRejectedError', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/cancel', method: 'POST' })
      .reply(200, envelope(null, 1, '이미 전액취소된 주문입니다.'));

    // Act
    const error = await failureOf(h.client.cancelPayment(cancelRequest));

    // Assess
    expect(error).toBeInstanceOf(UpstreamRejectedError);
    expect(error.message).toBe('이미 전액취소된 주문입니다.');
    expect((error as UpstreamRejectedError).portoneCode).toBe(1);
    expect(h.count(CANCEL_ROUTE)).toBe(1);
  });
});

describe('PortOne retries', () => {
  it('retries a GET after a 500 and returns the payment', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 500, envelope(null, -1, 'internal'));
    replyPayment(h, 'imp_1', 200, envelope(paidPayment()));

    // Act
    const payment = await h.client.getPayment('imp_1');

    // Assess
    expect(payment.status).toBe('paid');
    expect(h.calls.filter((c) => c.route === PAYMENT_ROUTE).map((c) => c.status)).toEqual([
      500, 200,
    ]);
    expect(h.sleeps).toHaveLength(1);
    expect(h.sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(h.sleeps[0]).toBeLessThanOrEqual(100);
    h.agent.assertNoPendingInterceptors();
  });

  it('gives up with UpstreamUnavailableError after two 500s', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 500, 'boom', { times: 2 });

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toContain('HTTP 500');
    expect(h.count(PAYMENT_ROUTE)).toBe(2);
    h.agent.assertNoPendingInterceptors();
  });

  it('retries a 429 and a network error on lookups', async () => {
    // Prepare
    h = harness({ maxAttempts: 3 });
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/find/order_1?include_sandbox=true' })
      .reply(429, 'slow down');
    h.pool
      .intercept({ path: '/payments/find/order_1?include_sandbox=true' })
      .replyWithError(new Error('socket hang up'));
    h.pool
      .intercept({ path: '/payments/find/order_1?include_sandbox=true' })
      .reply(200, envelope(paidPayment({ merchant_uid: 'order_1' })));

    // Act
    const payment = await h.client.findPayment('order_1');

    // Assess
    expect(payment.merchant_uid).toBe('order_1');
    expect(
      h.calls.filter((c) => c.route === 'GET /payments/find/{merchant_uid}').map((c) => c.status),
    ).toEqual([429, 'error', 200]);
    h.agent.assertNoPendingInterceptors();
  });

  it('backs off exponentially between attempts', async () => {
    // Prepare
    h = harness({ maxAttempts: 4, budgetMs: 60_000 });
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 503, 'down', { times: 4 });

    // Act
    await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(h.count(PAYMENT_ROUTE)).toBe(4);
    expect(h.sleeps).toHaveLength(3);
    h.sleeps.forEach((ms, n) => {
      expect(ms).toBeGreaterThanOrEqual(100 * 2 ** n * 0.5);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** n);
    });
  });

  it('does not retry when the backoff would end past the budget', async () => {
    // Prepare: every request takes 100 ms of the 250 ms budget.
    h = harness({ maxAttempts: 5, budgetMs: 250, timeoutMs: 1000 });
    h.calls.push = function push(...events) {
      h.clock.ms += 100;
      return Array.prototype.push.apply(this, events);
    };
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 500, 'boom', { times: 5 });

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(h.count(PAYMENT_ROUTE)).toBe(1);
    expect(h.sleeps).toEqual([]);
  });

  it('does not start a call once the token fetch used up the budget', async () => {
    // Prepare
    h = harness({ budgetMs: 250, timeoutMs: 1000 });
    h.calls.push = function push(...events) {
      h.clock.ms += 300;
      return Array.prototype.push.apply(this, events);
    };
    replyToken(h, 'tok-a');

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toContain('budget');
    expect(h.count(TOKEN_ROUTE)).toBe(1);
    expect(h.count(PAYMENT_ROUTE)).toBe(0);
  });

  it('never retries a cancel after a 500', async () => {
    // Prepare
    h = harness({ maxAttempts: 3 });
    replyToken(h, 'tok-a');
    h.pool.intercept({ path: '/payments/cancel', method: 'POST' }).reply(500, 'boom').times(3);

    // Act
    const error = await failureOf(h.client.cancelPayment(cancelRequest));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(h.count(CANCEL_ROUTE)).toBe(1);
    expect(h.sleeps).toEqual([]);
  });

  it('never retries a cancel after a network error', async () => {
    // Prepare
    h = harness({ maxAttempts: 3 });
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/cancel', method: 'POST' })
      .replyWithError(new Error('ECONNRESET'))
      .times(3);

    // Act
    const error = await failureOf(h.client.cancelPayment(cancelRequest));

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(h.calls.filter((c) => c.route === CANCEL_ROUTE).map((c) => c.status)).toEqual(['error']);
  });

  it('never retries a prepare or an update after a 500', async () => {
    // Prepare
    h = harness({ maxAttempts: 3 });
    replyToken(h, 'tok-a');
    h.pool.intercept({ path: '/payments/prepare', method: 'POST' }).reply(502, 'bad').times(3);
    h.pool.intercept({ path: '/payments/prepare', method: 'PUT' }).reply(502, 'bad').times(3);

    // Act
    const prepareError = await failureOf(
      h.client.preparePayment({ merchantUid: 'order_1', amount: 1000 }),
    );
    const updateError = await failureOf(
      h.client.updatePrepared({ merchantUid: 'order_1', amount: 2000 }),
    );

    // Assess
    expect(prepareError).toBeInstanceOf(UpstreamUnavailableError);
    expect(updateError).toBeInstanceOf(UpstreamUnavailableError);
    expect(h.count('POST /payments/prepare')).toBe(1);
    expect(h.count('PUT /payments/prepare')).toBe(1);
  });
});

describe('PortOne timeouts', () => {
  it('gives up on a slow answer within about the budget', async () => {
    // Prepare
    h = harness({ realClock: true, timeoutMs: 50 });
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/imp_slow?include_sandbox=true' })
      .reply(200, envelope(paidPayment()))
      .delay(1_000)
      .persist();
    const started = performance.now();

    // Act
    const error = await failureOf(h.client.getPayment('imp_slow'));
    const elapsed = performance.now() - started;

    // Assess: default budget 2.5 × 50 ms
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toMatch(/no answer within \d+ ms/);
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(125 + 100);
    expect(
      h.calls.filter((c) => c.route === PAYMENT_ROUTE).every((c) => c.status === 'error'),
    ).toBe(true);
  });

  it('counts the 401 repeat against the same budget', async () => {
    // Prepare: the 401 arrives after 150 ms of a 250 ms budget, so the repeat
    // may wait ~100 ms, not its full 200 ms timeout.
    h = harness({ realClock: true, timeoutMs: 200, budgetMs: 250 });
    replyToken(h, 'tok-a', { times: 2 });
    h.pool
      .intercept({ path: '/payments/imp_1?include_sandbox=true' })
      .reply(401, envelope(null, -1, 'Unauthorized'))
      .delay(150);
    h.pool
      .intercept({ path: '/payments/imp_1?include_sandbox=true' })
      .reply(200, envelope(paidPayment()))
      .delay(1_000);
    const started = performance.now();

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));
    const elapsed = performance.now() - started;

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(elapsed).toBeGreaterThanOrEqual(230);
    expect(elapsed).toBeLessThan(320);
    expect(h.count(PAYMENT_ROUTE)).toBe(2);
  });

  it('gives a cancel a single timeout and no second attempt', async () => {
    // Prepare
    h = harness({ realClock: true, timeoutMs: 50, budgetMs: 1_000 });
    replyToken(h, 'tok-a');
    h.pool
      .intercept({ path: '/payments/cancel', method: 'POST' })
      .reply(200, envelope(paidPayment({ status: 'cancelled' })))
      .delay(1_000)
      .persist();
    const started = performance.now();

    // Act
    const error = await failureOf(h.client.cancelPayment(cancelRequest));
    const elapsed = performance.now() - started;

    // Assess
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(elapsed).toBeLessThan(300);
    expect(h.count(CANCEL_ROUTE)).toBe(1);
  });
});

describe('PortOne malformed answers', () => {
  const cases: [string, number, unknown][] = [
    ['a body that is not JSON', 200, '<html>gateway</html>'],
    ['an envelope without code', 200, { message: null, response: paidPayment() }],
    ['a payment without status', 200, envelope(paidPayment({ status: undefined }))],
    ['an unknown status', 200, envelope(paidPayment({ status: 'pending' }))],
    ['an amount as a string', 200, envelope(paidPayment({ amount: '1000' }))],
    ['a negative amount', 200, envelope(paidPayment({ amount: -1 }))],
    ['a payment without imp_uid', 200, envelope(paidPayment({ imp_uid: undefined }))],
    ['a null response', 200, envelope(null)],
  ];

  it.each(cases)(
    'reports %s as UpstreamUnavailableError without retrying',
    async (_, status, body) => {
      // Prepare
      h = harness();
      replyToken(h, 'tok-a');
      replyPayment(h, 'imp_1', status, body, { times: 2 });

      // Act
      const error = await failureOf(h.client.getPayment('imp_1'));

      // Assess
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.message).toMatch(/^malformed response from PortOne GET \/payments\/\{imp_uid\}/);
      expect(error.cause).toBeUndefined();
      expect(h.count(PAYMENT_ROUTE)).toBe(1);
    },
  );

  it('names the offending field without its value', async () => {
    // Prepare
    h = harness();
    replyToken(h, 'tok-a');
    replyPayment(h, 'imp_1', 200, envelope(paidPayment({ amount: '1000-secret-ish' })));

    // Act
    const error = await failureOf(h.client.getPayment('imp_1'));

    // Assess
    expect(error.message).toContain('response.amount');
    expect(error.message).not.toContain('1000-secret-ish');
  });
});
