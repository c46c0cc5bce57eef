import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, SHOP_ORIGIN, startHarness, uid } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.control.clearFaults());

describe('a card payment', () => {
  it('is paid and provisional after complete, then final after the webhook', async () => {
    // Prepare
    const order = uid();
    expect((await h.registerOrder(order, 15000)).status).toBe(201);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 15000,
      state: 'paid',
    });

    // Act
    const complete = await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });

    // Assess
    expect(complete.status).toBe(200);
    const body = await complete.json();
    expect(body).toMatchObject({
      status: 'success',
      order: { status: 'paid', final: false, paid_amount: 15000 },
    });

    const [delivery] = (await h.control.sendWebhook({ imp_uid: payment.imp_uid })).deliveries;
    expect(delivery).toMatchObject({ status: 200 });
    expect(JSON.parse((delivery as { body: string }).body)).toEqual({ status: 'applied' });
    expect(await h.order(order)).toMatchObject({
      status: 'paid',
      final: true,
      imp_uid: payment.imp_uid,
    });
  });

  it('is final after the webhook and stays final when complete arrives later', async () => {
    const order = uid();
    await h.registerOrder(order, 3000);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 3000,
      state: 'paid',
    });

    const [delivery] = (await h.control.sendWebhook({ imp_uid: payment.imp_uid })).deliveries;
    const complete = await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });

    expect(JSON.parse((delivery as { body: string }).body)).toEqual({ status: 'applied' });
    expect(await complete.json()).toMatchObject({
      status: 'success',
      order: { status: 'paid', final: true },
    });
    const view = await h.order(order);
    expect(view).toMatchObject({ status: 'paid', final: true });
    expect(
      view.history.map((entry) => `${entry.source}:${entry.from}->${entry.to}:${entry.final}`),
    ).toEqual(['webhook:pending->paid:true']);
  });

  it('answers duplicate to a repeated webhook', async () => {
    const order = uid();
    await h.registerOrder(order, 1000);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 1000,
      state: 'paid',
    });

    const { deliveries } = await h.control.sendWebhook({ imp_uid: payment.imp_uid, copies: 3 });

    expect(deliveries.map((d) => JSON.parse((d as { body: string }).body).status)).toEqual([
      'applied',
      'duplicate',
      'duplicate',
    ]);
  });

  it('accepts a form webhook and iamport\u2019s example form body labelled application/json', async () => {
    const order = uid();
    await h.registerOrder(order, 2000);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 2000,
      state: 'paid',
    });

    const jquery = await h.complete(`imp_uid=${payment.imp_uid}&merchant_uid=${order}`, {
      contentType: 'application/json',
    });
    const [webhook] = (await h.control.sendWebhook({ imp_uid: payment.imp_uid, format: 'form' }))
      .deliveries;

    expect(jquery.status).toBe(200);
    expect(await jquery.json()).toMatchObject({ status: 'success' });
    expect(JSON.parse((webhook as { body: string }).body)).toEqual({ status: 'applied' });
  });

  it('costs the webhook one PortOne lookup and one conditional write, no read, on a warm container', async () => {
    // Prepare: warm the token with one unrelated lookup
    const order = uid();
    await h.registerOrder(order, 5000);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 5000,
      state: 'paid',
    });
    await h.runtime.gateway.getPayment(payment.imp_uid);
    h.resetCounts();
    await h.control.clearCalls();

    // Act
    const response = await h.webhook({
      imp_uid: payment.imp_uid,
      merchant_uid: order,
      status: 'paid',
    });

    // Assess
    expect(await response.json()).toEqual({ status: 'applied' });
    expect(h.portoneCalls).toEqual({ 'GET /payments/{imp_uid}': 1 });
    expect(h.dynamodbCalls).toEqual({ UpdateItemCommand: 1 });
    // the simulator saw the same: one lookup, no token fetch
    expect((await h.control.calls()).map((c) => c.route)).toEqual(['getPayment']);

    h.resetCounts();
    const order2 = uid();
    await h.registerOrder(order2, 5000);
    const second = await h.control.createPayment({
      merchant_uid: order2,
      amount: 5000,
      state: 'paid',
    });
    h.resetCounts();
    // complete reads the order first (anyone may call it), then one lookup and one write
    const complete = await h.complete({ imp_uid: second.imp_uid, merchant_uid: order2 });
    expect(complete.status).toBe(200);
    expect(h.portoneCalls).toEqual({ 'GET /payments/{imp_uid}': 1 });
    expect(h.dynamodbCalls).toEqual({ GetItemCommand: 1, UpdateItemCommand: 1 });

    // the webhook confirming what complete stored provisionally: still one write
    h.resetCounts();
    const confirm = await h.webhook({ imp_uid: second.imp_uid, merchant_uid: order2 });
    expect(await confirm.json()).toEqual({ status: 'applied' });
    expect(h.dynamodbCalls).toEqual({ UpdateItemCommand: 1 });

    // a duplicate: the failed condition hands back the item, so still no read
    h.resetCounts();
    const duplicate = await h.webhook({ imp_uid: second.imp_uid, merchant_uid: order2 });
    expect(await duplicate.json()).toEqual({ status: 'duplicate' });
    expect(h.portoneCalls).toEqual({ 'GET /payments/{imp_uid}': 1 });
    expect(h.dynamodbCalls).toEqual({ UpdateItemCommand: 1 });
  });

  it('logs the outcome with merchant_uid and imp_uid and never the secret or the token', async () => {
    const order = uid();
    await h.registerOrder(order, 1000);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 1000,
      state: 'paid',
      buyer_name: '홍길동',
      buyer_email: 'buyer@example.com',
      buyer_tel: '010-1234-5678',
    });
    await h.control.expireTokens(); // so that this request fetches a token
    await h.control.clearCalls();
    await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });

    const line = h.logs.find(
      (l) => l.message === 'webhook answered' && l.imp_uid === payment.imp_uid,
    );
    expect(line).toMatchObject({
      merchant_uid: order,
      imp_uid: payment.imp_uid,
      http_status: 200,
      outcome: 'applied',
    });
    const all = JSON.stringify(h.logs);
    expect(all).not.toContain(
      'ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f',
    );
    for (const personal of ['홍길동', 'buyer@example.com', '010-1234-5678'])
      expect(all).not.toContain(personal);
    expect((await h.control.calls()).map((c) => c.route)).toContain('getToken');
    expect(all).not.toMatch(/[0-9a-f]{40}/);
  });
});

describe('CORS on complete', () => {
  it('echoes an allowed origin and answers its preflight', async () => {
    const response = await h.complete({}, { origin: SHOP_ORIGIN });
    const preflight = await fetch(`${h.api.url}/payments/complete`, {
      method: 'OPTIONS',
      headers: { origin: SHOP_ORIGIN, 'access-control-request-method': 'POST' },
    });

    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('gives another origin no CORS headers, and its preflight none either', async () => {
    const response = await h.complete({}, { origin: 'https://evil.example' });
    const preflight = await fetch(`${h.api.url}/payments/complete`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });

    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    // API Gateway answers every preflight itself; the browser refuses one without the header.
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
