import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, uid } from './support/harness';

let h: Harness;
beforeAll(async () => {
  // 300 ms per call keeps the timeout cases fast; the budget allows one retry.
  h = await startHarness({ env: { PORTONE_TIMEOUT_MS: '300' } });
});
afterAll(() => h.close());
beforeEach(() => h.control.clearFaults());

const paidOrder = async () => {
  const order = uid();
  await h.registerOrder(order, 4000);
  const payment = await h.control.createPayment({
    merchant_uid: order,
    amount: 4000,
    state: 'paid',
  });
  return { order, payment };
};

describe('when PortOne fails', () => {
  it.each([
    ['answers 5xx', { kind: 'status', status: 503 }],
    ['times out', { kind: 'slow', delayMs: 1_500 }],
    ['resets the connection', { kind: 'reset' }],
    ['answers a malformed body', { kind: 'malformed' }],
  ] as const)(
    'the webhook answers 502 when PortOne %s, changes nothing, and succeeds on the retry',
    async (_, fault) => {
      // Prepare: more faults than the client's retries
      const { order, payment } = await paidOrder();
      await h.control.injectFault({ route: 'getPayment', ...fault, times: 3 });

      // Act
      const failed = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });
      const during = await h.order(order);
      await h.control.clearFaults();
      const retried = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });

      // Assess
      expect(failed.status).toBe(502);
      expect(await failed.json()).toMatchObject({ status: 'upstream_error' });
      expect(during).toMatchObject({ status: 'pending', attempts: [], history: [] });
      expect(await retried.json()).toEqual({ status: 'applied' });
      expect(await h.order(order)).toMatchObject({ status: 'paid', final: true });
    },
  );

  it('complete answers 502 upstream_error and then success on the retry', async () => {
    const { order, payment } = await paidOrder();
    await h.control.injectFault({ route: 'getPayment', kind: 'status', status: 500, times: 2 });

    const failed = await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });
    const retried = await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });

    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({
      status: 'upstream_error',
      message: expect.any(String),
    });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ status: 'success' });
  });

  it('rides out a single 5xx with one retry inside the same request', async () => {
    const { order, payment } = await paidOrder();
    await h.control.injectFault({ route: 'getPayment', kind: 'status', status: 502, times: 1 });

    const response = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });

    expect(await response.json()).toEqual({ status: 'applied' });
  });

  it('fetches a fresh token once when PortOne says 401 to a valid token', async () => {
    const { order, payment } = await paidOrder();
    await h.control.injectFault({ route: 'getPayment', kind: 'unauthorized', times: 1 });
    await h.control.clearCalls();

    const response = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });

    expect(await response.json()).toEqual({ status: 'applied' });
    expect((await h.control.calls()).map((c) => `${c.route}:${c.status}`)).toEqual([
      'getPayment:401',
      'getToken:200',
      'getPayment:200',
    ]);
  });

  it('answers 502 without a state change when the fresh token is refused too, and succeeds later', async () => {
    const { order, payment } = await paidOrder();
    await h.control.injectFault({ route: 'getPayment', kind: 'unauthorized', times: 2 });

    const failed = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });
    const during = await h.order(order);
    const retried = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });

    expect(failed.status).toBe(502);
    expect(during.attempts).toEqual([]);
    expect(await retried.json()).toEqual({ status: 'applied' });
  });

  it('keeps a forgery recorded and retries the failed cancellation on the next delivery', async () => {
    const order = uid();
    await h.registerOrder(order, 50000);
    const forged = await h.control.createPayment({
      merchant_uid: order,
      amount: 500,
      state: 'paid',
    });
    await h.control.injectFault({ route: 'cancel', kind: 'status', status: 500, times: 1 });

    const first = await h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });
    const afterFirst = await h.order(order);
    const second = await h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });

    expect(first.status).toBe(502);
    expect(afterFirst).toMatchObject({ status: 'forgery' });
    expect(afterFirst.attempts[0]?.cancellation).toMatchObject({ state: 'failed' });
    expect(await second.json()).toEqual({ status: 'forgery' });
    expect(await h.control.getPayment(forged.imp_uid)).toMatchObject({
      status: 'cancelled',
      cancel_amount: 500,
    });
  });
});
