import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, uid } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { PORTONE_PREPARE: 'true' } });
});
afterAll(() => h.close());

describe('POST /orders', () => {
  it('answers 201 with the order view, then 200 for the same terms and 409 for other terms', async () => {
    const order = uid();

    const created = await h.registerOrder(order, 25000);
    const again = await h.registerOrder(order, 25000);
    const conflict = await h.registerOrder(order, 1000);

    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      merchant_uid: order,
      amount: 25000,
      currency: 'KRW',
      status: 'pending',
      final: false,
      imp_uid: null,
      paid_amount: 0,
      cancel_amount: 0,
      vbank: null,
      attempts: [],
      history: [],
    });
    expect(again.status).toBe(200);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({
      status: 'conflict',
      message: expect.stringContaining('25000'),
    });
  });

  it('pre-registers the amount with PortOne so that a tampered window is refused', async () => {
    const order = uid();
    await h.registerOrder(order, 18000);

    const tampered = h.control.createPayment({ merchant_uid: order, amount: 100, state: 'paid' });

    await expect(tampered).rejects.toMatchObject({ status: 409 });
    expect((await h.control.calls()).some((c) => c.route === 'prepare')).toBe(true);
  });

  it('answers 502 while PortOne is down and completes the registration when called again', async () => {
    const order = uid();
    await h.control.injectFault({ route: 'prepare', kind: 'status', status: 503, times: 1 });

    const failed = await h.registerOrder(order, 5000);
    const retried = await h.registerOrder(order, 5000);
    const third = await h.registerOrder(order, 5000);

    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({ status: 'upstream_error' });
    expect(retried.status).toBe(201);
    expect(third.status).toBe(200);
    await expect(
      h.control.createPayment({ merchant_uid: order, amount: 1, state: 'paid' }),
    ).rejects.toMatchObject({
      status: 409,
    });
  });

  it('accepts an order whose amount PortOne already holds from an earlier, interrupted call', async () => {
    // PortOne accepted the prepare, but the answer never reached us.
    const order = uid();
    await h.runtime.gateway.preparePayment({ merchantUid: order, amount: 7000, currency: 'KRW' });
    await h.control.clearCalls();

    const registered = await h.registerOrder(order, 7000);

    expect(registered.status).toBe(201);
    expect((await h.control.calls()).map((c) => `${c.method} ${c.route} ${c.status}`)).toEqual([
      'POST prepare 200', // refused with code 1: already prepared
      'GET prepare 200', // same amount: nothing to change
    ]);
  });
});

describe('GET /orders/{merchant_uid}', () => {
  it('shows the payment state with its history', async () => {
    const order = uid();
    await h.registerOrder(order, 3000);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 3000,
      state: 'paid',
    });
    await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });
    await h.control.sendWebhook({ imp_uid: payment.imp_uid });

    const view = await h.order(order);

    expect(view).toMatchObject({
      status: 'paid',
      final: true,
      imp_uid: payment.imp_uid,
      paid_amount: 3000,
      pay_method: 'card',
    });
    expect(view.history.map((e) => [e.source, e.from, e.to, e.final])).toEqual([
      ['complete', 'pending', 'paid', false],
      ['webhook', 'paid', 'paid', true],
    ]);
    expect(Date.parse(view.created_at)).not.toBeNaN();
  });
});
