import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../../simulator/portone';
import { Api, type Receiver, startReceiver, startSim } from './support';

describe('call log and reset', () => {
  let sim: RunningSimulator;
  let api: Api;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startSim({ webhookUrl: receiver.url, webhookFormat: 'form' });
    api = new Api(sim.url);
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(() => sim.control.reset());

  it('logs each API call with route, status and auth form, and no control calls', async () => {
    const p = await sim.control.createPayment({ merchant_uid: 'o-log', amount: 1, state: 'paid' });
    const token = await api.getToken();
    await api.call('GET', `/payments/${p.imp_uid}?include_sandbox=true`, { token, auth: 'raw' });
    await api.call('GET', '/payments/imp_000000000000', { token, auth: 'x-imp' });
    await api.call('GET', '/payments/find/o-log', { token });
    await api.call('POST', '/payments/cancel', { token, body: { imp_uid: p.imp_uid, amount: 1 } });
    await api.call('POST', '/payments/prepare', { token, body: { merchant_uid: 'n', amount: 1 } });
    await api.call('GET', '/nowhere');
    const calls = await sim.control.calls();
    expect(calls.map((c) => [c.method, c.route, c.status, c.authForm])).toEqual([
      ['POST', 'getToken', 200, 'none'],
      ['GET', 'getPayment', 200, 'raw'],
      ['GET', 'getPayment', 404, 'x-imp'],
      ['GET', 'findPayment', 200, 'bearer'],
      ['POST', 'cancel', 200, 'bearer'],
      ['POST', 'prepare', 200, 'bearer'],
      ['GET', 'unknown', 404, 'none'],
    ]);
    expect(calls[1]).toMatchObject({
      path: `/payments/${p.imp_uid}`,
      query: '?include_sandbox=true',
    });
    expect(calls.filter((c) => c.route === 'getToken')).toHaveLength(1);
    expect(calls[0]?.fault).toBeUndefined();
    await sim.control.clearCalls();
    expect(await sim.control.calls()).toEqual([]);
  });

  it('clears state but keeps credentials and startup options on reset', async () => {
    const token = await api.getToken();
    const p = await sim.control.createPayment({ merchant_uid: 'o-r', amount: 5, state: 'paid' });
    await api.call('POST', '/payments/prepare', {
      token,
      body: { merchant_uid: 'o-r', amount: 5 },
    });
    await sim.control.injectFault({ route: 'getPayment', kind: 'status' });
    await sim.control.sendWebhook({ imp_uid: p.imp_uid });
    await sim.control.configure({ webhookUrl: null, statusAfterPartialCancel: 'paid' });
    const realNow = Math.floor(Date.now() / 1000);
    await sim.control.advanceClock(100_000);

    await sim.control.reset();

    expect(await sim.control.listPayments()).toEqual([]);
    expect(await sim.control.faults()).toEqual([]);
    expect(await sim.control.calls()).toEqual([]);
    expect(await sim.control.webhookLog()).toEqual([]);
    expect(await sim.control.getConfig()).toEqual({
      webhookUrl: receiver.url,
      webhookFormat: 'form',
      statusAfterPartialCancel: 'cancelled',
    });
    expect(Math.abs((await sim.control.now()) - realNow)).toBeLessThanOrEqual(2);
    expect((await api.call('GET', `/payments/${p.imp_uid}`, { token })).status).toBe(401);
    const fresh = await api.getToken();
    expect(fresh).not.toBe(token);
    const prepared = await api.call('GET', '/payments/prepare/o-r', { token: fresh });
    expect(prepared.status).toBe(404);
  });
});
