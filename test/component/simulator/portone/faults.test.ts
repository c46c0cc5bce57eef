import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimPayment } from '../../../../simulator/portone';
import { Api, startSim } from './support';

describe('fault injection', () => {
  let sim: RunningSimulator;
  let api: Api;
  let token: string;
  let payment: SimPayment;

  beforeAll(async () => {
    sim = await startSim();
    api = new Api(sim.url);
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await sim.control.reset();
    token = await api.getToken();
    payment = await sim.control.createPayment({ merchant_uid: 'o-f', amount: 100, state: 'paid' });
  });

  const getPayment = (signal?: AbortSignal) =>
    api.call<SimPayment>('GET', `/payments/${payment.imp_uid}`, {
      token,
      ...(signal ? { signal } : {}),
    });

  it('answers the injected status once, then normally', async () => {
    await sim.control.injectFault({ route: 'getPayment', kind: 'status', status: 503 });
    const faulty = await getPayment();
    expect(faulty.status).toBe(503);
    expect(faulty.body.code).not.toBe(0);
    expect((await getPayment()).status).toBe(200);
  });

  it('defaults kind status to HTTP 500 and honours times', async () => {
    await sim.control.injectFault({ route: 'getPayment', kind: 'status', times: 2 });
    expect((await getPayment()).status).toBe(500);
    expect((await getPayment()).status).toBe(500);
    expect((await getPayment()).status).toBe(200);
  });

  it('delays a slow answer past a client timeout, then answers normally', async () => {
    await sim.control.injectFault({ route: 'getPayment', kind: 'slow', delayMs: 300 });
    await expect(getPayment(AbortSignal.timeout(100))).rejects.toThrow();
    await sim.control.injectFault({ route: 'getPayment', kind: 'slow', delayMs: 300 });
    const started = Date.now();
    const answer = await getPayment();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.status).toBe(200);
    expect(answer.body.response.imp_uid).toBe(payment.imp_uid);
  });

  it('answers 401 on a valid token for unauthorized', async () => {
    await sim.control.injectFault({ route: 'getPayment', kind: 'unauthorized' });
    const answer = await getPayment();
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ code: -1, message: 'Unauthorized', response: null });
    expect((await getPayment()).status).toBe(200);
  });

  it('answers HTTP 200 with an invalid envelope for malformed', async () => {
    await sim.control.injectFault({ route: 'getPayment', kind: 'malformed' });
    const answer = await getPayment();
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe(0);
    expect(typeof (answer.body.response as unknown as { imp_uid: unknown }).imp_uid).toBe('number');
    await sim.control.injectFault({ route: 'getPayment', kind: 'malformed', body: '<html>oops' });
    const html = await getPayment();
    expect(html.status).toBe(200);
    expect(html.text).toBe('<html>oops');
    expect(html.body).toBeUndefined();
  });

  it('destroys the socket for reset', async () => {
    await sim.control.injectFault({ route: 'getPayment', kind: 'reset' });
    await expect(getPayment()).rejects.toThrow(/fetch failed/);
    expect((await getPayment()).status).toBe(200);
  });

  it('leaves other routes alone and matches every route with *', async () => {
    await sim.control.injectFault({ route: 'cancel', kind: 'status', status: 502 });
    expect((await getPayment()).status).toBe(200);
    const cancelled = await api.call('POST', '/payments/cancel', {
      token,
      body: { imp_uid: payment.imp_uid },
    });
    expect(cancelled.status).toBe(502);
    expect((await sim.control.getPayment(payment.imp_uid)).cancel_amount).toBe(0);

    await sim.control.injectFault({ route: '*', kind: 'status', status: 500 });
    const tokenAnswer = await api.call('POST', '/users/getToken', { body: {} });
    expect(tokenAnswer.status).toBe(500);
  });

  it('applies faults to getToken, findPayment and prepare routes', async () => {
    await sim.control.injectFault({ route: 'getToken', kind: 'unauthorized' });
    await sim.control.injectFault({ route: 'findPayment', kind: 'status', status: 504 });
    await sim.control.injectFault({ route: 'prepare', kind: 'status', status: 503 });
    await expect(api.getToken()).rejects.toThrow(/401/);
    expect((await api.call('GET', '/payments/find/o-f', { token })).status).toBe(504);
    const prepare = await api.call('POST', '/payments/prepare', {
      token,
      body: { merchant_uid: 'x', amount: 1 },
    });
    expect(prepare.status).toBe(503);
    expect(await sim.control.faults()).toEqual([]);
  });

  it('lists pending faults and clears them', async () => {
    await sim.control.injectFault({ route: 'getPayment', kind: 'slow', delayMs: 50, times: 3 });
    await getPayment();
    const pending = await sim.control.faults();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ route: 'getPayment', kind: 'slow', delayMs: 50, times: 2 });
    await sim.control.clearFaults();
    expect(await sim.control.faults()).toEqual([]);
  });

  it('rejects an invalid fault', async () => {
    await expect(
      sim.control.injectFault({ route: 'nothing' as 'cancel', kind: 'status' }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      sim.control.injectFault({ route: 'cancel', kind: 'explode' as 'status' }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('records the fault kind in the call log', async () => {
    await sim.control.clearCalls();
    await sim.control.injectFault({ route: 'getPayment', kind: 'status', status: 500 });
    await sim.control.injectFault({ route: 'getPayment', kind: 'reset' });
    await getPayment();
    await getPayment().catch(() => undefined);
    await getPayment();
    const calls = await sim.control.calls();
    expect(calls.map((c) => [c.status, c.fault])).toEqual([
      [500, 'status'],
      [0, 'reset'],
      [200, undefined],
    ]);
  });
});
