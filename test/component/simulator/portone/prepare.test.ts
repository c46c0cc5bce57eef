import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, SimulatorControlError } from '../../../../simulator/portone';
import { Api, startSim } from './support';

const MISSING = '사전등록된 결제정보가 존재하지 않습니다.';

describe('amount pre-registration', () => {
  let sim: RunningSimulator;
  let api: Api;
  let token: string;

  beforeAll(async () => {
    sim = await startSim();
    api = new Api(sim.url);
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await sim.control.reset();
    token = await api.getToken();
  });

  const prepare = (method: 'POST' | 'PUT', body: Record<string, unknown>, form = false) =>
    api.call(method, '/payments/prepare', { token, body, form });

  it('registers an amount and answers merchant_uid and amount', async () => {
    const answer = await prepare('POST', { merchant_uid: 'p1', amount: 15_000 });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      code: 0,
      message: null,
      response: { merchant_uid: 'p1', amount: 15_000 },
    });
    const read = await api.call('GET', '/payments/prepare/p1', { token });
    expect(read.body.response).toEqual({ merchant_uid: 'p1', amount: 15_000 });
  });

  it('accepts a form-urlencoded body', async () => {
    const answer = await prepare('POST', { merchant_uid: 'p-form', amount: 700 }, true);
    expect(answer.body.response).toEqual({ merchant_uid: 'p-form', amount: 700 });
  });

  it('refuses a second registration of the same merchant_uid with HTTP 200 and code 1', async () => {
    await prepare('POST', { merchant_uid: 'p1', amount: 15_000 });
    const again = await prepare('POST', { merchant_uid: 'p1', amount: 20_000 });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      code: 1,
      message: '이미 사전등록된 결제정보가 존재합니다.',
      response: null,
    });
    const read = await api.call('GET', '/payments/prepare/p1', { token });
    expect(read.body.response).toEqual({ merchant_uid: 'p1', amount: 15_000 });
  });

  it('updates the amount with PUT', async () => {
    await prepare('POST', { merchant_uid: 'p1', amount: 15_000 });
    const updated = await prepare('PUT', { merchant_uid: 'p1', amount: 9000 });
    expect(updated.body.response).toEqual({ merchant_uid: 'p1', amount: 9000 });
    const read = await api.call('GET', '/payments/prepare/p1', { token });
    expect(read.body.response).toEqual({ merchant_uid: 'p1', amount: 9000 });
  });

  it('answers 404 for PUT and GET of an unknown merchant_uid', async () => {
    const put = await prepare('PUT', { merchant_uid: 'nope', amount: 1 });
    expect(put.status).toBe(404);
    expect(put.body).toEqual({ code: -1, message: MISSING, response: null });
    const get = await api.call('GET', '/payments/prepare/nope', { token });
    expect(get.status).toBe(404);
    expect(get.body).toEqual({ code: -1, message: MISSING, response: null });
  });

  it('requires a token', async () => {
    expect((await api.call('GET', '/payments/prepare/p1')).status).toBe(401);
  });

  it('blocks a payment whose amount differs from the prepared one', async () => {
    await prepare('POST', { merchant_uid: 'p1', amount: 15_000 });
    const attempt = sim.control.createPayment({ merchant_uid: 'p1', amount: 100, state: 'paid' });
    await expect(attempt).rejects.toMatchObject({
      status: 409,
      message: 'prepared amount mismatch',
    });
    await expect(attempt).rejects.toBeInstanceOf(SimulatorControlError);
    expect(await sim.control.listPayments('p1')).toEqual([]);
    const ok = await sim.control.createPayment({
      merchant_uid: 'p1',
      amount: 15_000,
      state: 'paid',
    });
    expect(ok.amount).toBe(15_000);
  });

  it('blocks a payment in another currency when the currency was prepared', async () => {
    await prepare('POST', { merchant_uid: 'p-usd', amount: 10, currency: 'USD' });
    await expect(
      sim.control.createPayment({ merchant_uid: 'p-usd', amount: 10, state: 'paid' }),
    ).rejects.toMatchObject({ status: 409 });
    const ok = await sim.control.createPayment({
      merchant_uid: 'p-usd',
      amount: 10,
      currency: 'USD',
      state: 'paid',
    });
    expect(ok.currency).toBe('USD');
  });
});
