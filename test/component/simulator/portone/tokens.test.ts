import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  type RunningSimulator,
} from '../../../../simulator/portone';
import { Api, startSim } from './support';

interface Token {
  access_token: string;
  now: number;
  expired_at: number;
}

const credentials = { imp_key: DEFAULT_API_KEY, imp_secret: DEFAULT_API_SECRET };

describe('POST /users/getToken', () => {
  let sim: RunningSimulator;
  let api: Api;

  beforeAll(async () => {
    sim = await startSim();
    api = new Api(sim.url);
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.control.reset());

  const issue = () => api.call<Token>('POST', '/users/getToken', { body: credentials });

  it('issues a 40-char lowercase hex token valid for 30 minutes', async () => {
    const now = await sim.control.setClock(1_700_000_000);
    const answer = await issue();
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json; charset=UTF-8');
    expect(answer.body.code).toBe(0);
    expect(answer.body.message).toBeNull();
    const token = answer.body.response;
    expect(token.access_token).toMatch(/^[0-9a-f]{40}$/);
    expect(token.now - now).toBeLessThanOrEqual(1);
    expect(token.expired_at - token.now).toBe(1800);
  });

  it('returns the same token with the same expiry while it is valid', async () => {
    const first = (await issue()).body.response;
    await sim.control.advanceClock(600);
    const second = (await issue()).body.response;
    expect(second.access_token).toBe(first.access_token);
    expect(second.expired_at).toBe(first.expired_at);
    expect(second.now).toBeGreaterThanOrEqual(first.now + 600);
  });

  it('extends the same token by 5 minutes when at most 60 s remain', async () => {
    const first = (await issue()).body.response;
    await sim.control.advanceClock(1800 - 50);
    const second = (await issue()).body.response;
    expect(second.access_token).toBe(first.access_token);
    expect(second.expired_at).toBe(first.expired_at + 300);
  });

  it('issues a new token once the old one has expired', async () => {
    const first = (await issue()).body.response;
    await sim.control.advanceClock(1801);
    const second = (await issue()).body.response;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.expired_at - second.now).toBe(1800);
    const old = await api.call('GET', '/payments/imp_000000000000', { token: first.access_token });
    expect(old.status).toBe(401);
  });

  it('accepts form-urlencoded credentials', async () => {
    const answer = await api.call<Token>('POST', '/users/getToken', {
      body: credentials,
      form: true,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.response.access_token).toMatch(/^[0-9a-f]{40}$/);
  });

  it('answers 401 with an envelope on wrong credentials', async () => {
    const answer = await api.call('POST', '/users/getToken', {
      body: { imp_key: DEFAULT_API_KEY, imp_secret: 'wrong' },
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ code: -1, message: 'Unauthorized', response: null });
  });

  it('answers 400 with the PortOne message when a credential is missing', async () => {
    const answer = await api.call('POST', '/users/getToken', {
      body: { imp_key: DEFAULT_API_KEY },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      code: -1,
      message: 'imp_key, imp_secret 파라메터가 누락되었습니다.',
      response: null,
    });
  });

  it('accepts custom credentials given as options', async () => {
    const custom = await startSim({ apiKey: 'k', apiSecret: 's' });
    try {
      const customApi = new Api(custom.url);
      const ok = await customApi.call('POST', '/users/getToken', {
        body: { imp_key: 'k', imp_secret: 's' },
      });
      const demo = await customApi.call('POST', '/users/getToken', { body: credentials });
      expect([ok.status, demo.status]).toEqual([200, 401]);
    } finally {
      await custom.close();
    }
  });
});

describe('authentication of API routes', () => {
  let sim: RunningSimulator;
  let api: Api;
  let impUid: string;

  beforeAll(async () => {
    sim = await startSim();
    api = new Api(sim.url);
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await sim.control.reset();
    impUid = (await sim.control.createPayment({ merchant_uid: 'o1', amount: 1000, state: 'paid' }))
      .imp_uid;
  });

  it.each(['bearer', 'raw', 'x-imp'] as const)('accepts the token sent as %s', async (auth) => {
    const token = await api.getToken();
    await sim.control.clearCalls();
    const answer = await api.call<{ imp_uid: string }>('GET', `/payments/${impUid}`, {
      token,
      auth,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.response.imp_uid).toBe(impUid);
    const calls = await sim.control.calls();
    expect(calls.map((c) => c.authForm)).toEqual([auth]);
  });

  it('lets Authorization win over X-ImpTokenHeader', async () => {
    const token = await api.getToken();
    const answer = await api.call('GET', `/payments/${impUid}`, {
      headers: { authorization: 'Bearer nope', 'x-imptokenheader': token },
    });
    expect(answer.status).toBe(401);
  });

  it('answers 401 without a token', async () => {
    const answer = await api.call('GET', `/payments/${impUid}`);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ code: -1, message: 'Unauthorized', response: null });
  });

  it('answers 401 for an unknown token', async () => {
    const answer = await api.call('GET', `/payments/${impUid}`, { token: 'a'.repeat(40) });
    expect(answer.status).toBe(401);
  });

  it('answers 401 for a token past its expiry on the simulator clock', async () => {
    const token = await api.getToken();
    await sim.control.advanceClock(1800);
    expect((await api.call('GET', `/payments/${impUid}`, { token })).status).toBe(401);
  });

  it('answers 401 after the control API expires every token', async () => {
    const token = await api.getToken();
    expect(await sim.control.expireTokens()).toBe(1);
    expect((await api.call('GET', `/payments/${impUid}`, { token })).status).toBe(401);
    const fresh = await api.getToken();
    expect(fresh).not.toBe(token);
    expect((await api.call('GET', `/payments/${impUid}`, { token: fresh })).status).toBe(200);
  });
});
