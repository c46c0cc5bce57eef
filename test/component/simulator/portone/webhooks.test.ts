import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../../simulator/portone';
import { type Receiver, startReceiver, startSim } from './support';

describe('POST /__sim/webhooks', () => {
  let sim: RunningSimulator;
  let receiver: Receiver;
  let slowReceiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver({ body: '{"status":"applied"}' });
    slowReceiver = await startReceiver({ delayMs: 80 });
    sim = await startSim({ webhookUrl: receiver.url });
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
    await slowReceiver.close();
  });
  beforeEach(async () => {
    await sim.control.reset();
    receiver.requests.length = 0;
    slowReceiver.requests.length = 0;
    slowReceiver.maxInFlight = 0;
  });

  const paid = () =>
    sim.control.createPayment({ merchant_uid: 'order-w', amount: 100, state: 'paid' });

  it('posts a JSON body with the stored merchant_uid and status', async () => {
    const p = await paid();
    const { deliveries } = await sim.control.sendWebhook({ imp_uid: p.imp_uid });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 200, body: '{"status":"applied"}' });
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/payments/webhook');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.parse(request?.body ?? '')).toEqual({
      imp_uid: p.imp_uid,
      merchant_uid: 'order-w',
      status: 'paid',
    });
  });

  it('posts a form body when asked', async () => {
    const p = await paid();
    await sim.control.sendWebhook({ imp_uid: p.imp_uid, format: 'form', status: 'ready' });
    const [request] = receiver.requests;
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toBe(`imp_uid=${p.imp_uid}&merchant_uid=order-w&status=ready`);
  });

  it('uses the configured format by default', async () => {
    const p = await paid();
    await sim.control.configure({ webhookFormat: 'form' });
    await sim.control.sendWebhook({ imp_uid: p.imp_uid });
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('labels a form body as JSON when contentType overrides the header', async () => {
    const p = await paid();
    await sim.control.sendWebhook({
      imp_uid: p.imp_uid,
      format: 'form',
      contentType: 'application/json',
    });
    const [request] = receiver.requests;
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toBe(`imp_uid=${p.imp_uid}&merchant_uid=order-w&status=paid`);
  });

  it('adds cancellation_id only when given', async () => {
    const p = await paid();
    await sim.control.sendWebhook({
      imp_uid: p.imp_uid,
      status: 'cancelled',
      cancellation_id: 'c-1',
    });
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual({
      imp_uid: p.imp_uid,
      merchant_uid: 'order-w',
      status: 'cancelled',
      cancellation_id: 'c-1',
    });
  });

  it('fills placeholders for an unknown imp_uid, like the console test call', async () => {
    await sim.control.sendWebhook({ imp_uid: 'imp_test_call' });
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual({
      imp_uid: 'imp_test_call',
      merchant_uid: 'test',
      status: 'test',
    });
  });

  it('sends copies one after another by default', async () => {
    const p = await paid();
    const { deliveries } = await sim.control.sendWebhook({
      imp_uid: p.imp_uid,
      url: slowReceiver.url,
      copies: 3,
    });
    expect(deliveries).toHaveLength(3);
    expect(slowReceiver.requests).toHaveLength(3);
    expect(slowReceiver.maxInFlight).toBe(1);
    for (const d of deliveries) {
      expect(d).toMatchObject({ status: 200, body: 'OK' });
      expect('ms' in d && d.ms).toBeGreaterThanOrEqual(70);
    }
  });

  it('sends copies at the same time when concurrent', async () => {
    const p = await paid();
    const { deliveries } = await sim.control.sendWebhook({
      imp_uid: p.imp_uid,
      url: slowReceiver.url,
      copies: 3,
      concurrent: true,
    });
    expect(deliveries).toHaveLength(3);
    expect(slowReceiver.maxInFlight).toBe(3);
  });

  it('waits delayMs before delivering', async () => {
    const p = await paid();
    const started = Date.now();
    await sim.control.sendWebhook({ imp_uid: p.imp_uid, delayMs: 150 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(receiver.requests).toHaveLength(1);
  });

  it('reports the status answered by the receiver', async () => {
    const failing = await startReceiver({ status: 503, body: 'busy' });
    try {
      const p = await paid();
      const { deliveries } = await sim.control.sendWebhook({
        imp_uid: p.imp_uid,
        url: failing.url,
      });
      expect(deliveries[0]).toMatchObject({ status: 503, body: 'busy' });
    } finally {
      await failing.close();
    }
  });

  it('reports a connection error as an error outcome', async () => {
    const gone = await startReceiver();
    const url = gone.url;
    await gone.close();
    const { deliveries } = await sim.control.sendWebhook({ imp_uid: 'imp_x', url });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toHaveProperty('error');
    expect((deliveries[0] as { error: string }).error).toMatch(/ECONNREFUSED/);
  });

  it('logs every delivery with its outcome', async () => {
    const p = await paid();
    await sim.control.sendWebhook({ imp_uid: p.imp_uid, copies: 2 });
    const log = await sim.control.webhookLog();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      trigger: 'control',
      url: receiver.url,
      contentType: 'application/json',
      fields: { imp_uid: p.imp_uid, merchant_uid: 'order-w', status: 'paid' },
      outcome: { status: 200 },
    });
    await sim.control.clearWebhookLog();
    expect(await sim.control.webhookLog()).toEqual([]);
  });

  it('answers 400 when no URL is given or configured', async () => {
    await sim.control.configure({ webhookUrl: null });
    await expect(sim.control.sendWebhook({ imp_uid: 'imp_x' })).rejects.toMatchObject({
      status: 400,
    });
    await expect(sim.control.sendWebhook({ imp_uid: '' })).rejects.toMatchObject({ status: 400 });
  });
});
