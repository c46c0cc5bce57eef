import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimPayment } from '../../../../simulator/portone';
import { Api, startSim } from './support';

const T0 = 1_750_000_000;
const MSG_NOT_REVOCABLE = '발급된 가상계좌가 아니거나 이미 입금 또는 취소된 결제건입니다.';

describe('DELETE /vbanks/{imp_uid}', () => {
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
    await sim.control.setClock(T0);
    token = await api.getToken();
  });

  const revoke = (impUid: string, body?: Record<string, unknown>) =>
    api.call<SimPayment | null>('DELETE', `/vbanks/${impUid}`, {
      token,
      ...(body !== undefined ? { body } : {}),
    });
  const issued = (merchantUid = 'order-v') =>
    sim.control.createPayment({ merchant_uid: merchantUid, amount: 30_000, state: 'vbank_issued' });

  it('revokes an issued virtual account: cancelled, no money moved, vbank kept', async () => {
    const vbank = await issued();
    const now = await sim.control.advanceClock(120);
    const answer = await revoke(vbank.imp_uid, { reason: '주문 취소' });
    expect(answer.status).toBe(200);
    expect(answer.body.code).toBe(0);
    expect(answer.body.message).toBeNull();
    const revoked = answer.body.response as SimPayment;
    expect(revoked).toMatchObject({
      imp_uid: vbank.imp_uid,
      status: 'cancelled',
      cancel_reason: '주문 취소',
      cancel_amount: 0,
      cancel_history: [],
      paid_at: 0,
      vbank_num: vbank.vbank_num,
      vbank_date: vbank.vbank_date,
      vbank_name: vbank.vbank_name,
    });
    expect(revoked.cancelled_at).toBeGreaterThanOrEqual(now);
    expect(revoked.cancelled_at).toBeLessThanOrEqual(now + 1);
    expect(await sim.control.getPayment(vbank.imp_uid)).toEqual(revoked);
    const lookup = await api.call<SimPayment>('GET', `/payments/${vbank.imp_uid}`, { token });
    expect(lookup.body.response.status).toBe('cancelled');
  });

  it('leaves cancel_reason null without a reason and logs the route', async () => {
    const vbank = await issued();
    const answer = await revoke(vbank.imp_uid);
    expect(answer.body.response?.cancel_reason).toBeNull();
    const calls = await sim.control.calls();
    expect(calls.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/vbanks/${vbank.imp_uid}`,
      route: 'revokeVbank',
      status: 200,
    });
  });

  it('refuses a later deposit and a second revoke', async () => {
    const vbank = await issued();
    await revoke(vbank.imp_uid);
    await expect(sim.control.deposit(vbank.imp_uid)).rejects.toMatchObject({ status: 409 });
    await expect(sim.control.checkoutDeposit(vbank.imp_uid)).rejects.toMatchObject({
      status: 409,
    });
    const again = await revoke(vbank.imp_uid);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ code: -1, message: MSG_NOT_REVOCABLE, response: null });
    // Nothing was paid, so there is nothing to refund either.
    const cancel = await api.call('POST', '/payments/cancel', {
      token,
      body: { imp_uid: vbank.imp_uid },
    });
    expect(cancel.body.code).toBe(1);
    expect(cancel.body.message).toContain('취소할 수 없는 상태');
  });

  it('refuses a paid virtual account and payments that are not virtual accounts', async () => {
    const deposited = await issued();
    await sim.control.deposit(deposited.imp_uid);
    const card = await sim.control.createPayment({ merchant_uid: 'o-c', amount: 1, state: 'paid' });
    const ready = await sim.control.createPayment({
      merchant_uid: 'o-r',
      amount: 1,
      state: 'ready',
    });
    const readyVbankNoAccount = await sim.control.createPayment({
      merchant_uid: 'o-rv',
      amount: 1,
      state: 'ready',
      pay_method: 'vbank',
    });
    for (const p of [deposited, card, ready, readyVbankNoAccount]) {
      const answer = await revoke(p.imp_uid);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ code: -1, message: MSG_NOT_REVOCABLE, response: null });
    }
    expect((await sim.control.getPayment(deposited.imp_uid)).status).toBe('paid');
    expect((await sim.control.getPayment(ready.imp_uid)).status).toBe('ready');
  });

  it('answers 404 for an unknown imp_uid', async () => {
    const answer = await revoke('imp_000000000000');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      code: -1,
      message: '존재하지 않는 결제정보입니다.',
      response: null,
    });
  });

  it('needs a token', async () => {
    const vbank = await issued();
    const answer = await api.call('DELETE', `/vbanks/${vbank.imp_uid}`);
    expect(answer.status).toBe(401);
    expect((await sim.control.getPayment(vbank.imp_uid)).status).toBe('ready');
    const bad = await api.call('DELETE', `/vbanks/${vbank.imp_uid}`, { token: 'nope' });
    expect(bad.status).toBe(401);
  });

  it('handles two waiting virtual accounts of one order separately', async () => {
    const first = await issued('order-two');
    await sim.control.advanceClock(1);
    const second = await issued('order-two');
    expect(second.vbank_num).not.toBe(first.vbank_num);
    const all = await api.call<{ list: SimPayment[] }>('GET', '/payments/findAll/order-two', {
      token,
    });
    expect(all.body.response.list.map((p) => p.imp_uid)).toEqual([second.imp_uid, first.imp_uid]);

    expect((await revoke(first.imp_uid)).body.response?.status).toBe('cancelled');
    expect((await sim.control.getPayment(second.imp_uid)).status).toBe('ready');
    const deposited = await sim.control.deposit(second.imp_uid);
    expect(deposited.status).toBe('paid');
    expect((await sim.control.getPayment(first.imp_uid)).status).toBe('cancelled');
    expect((await revoke(second.imp_uid)).body.message).toBe(MSG_NOT_REVOCABLE);
  });

  it('takes faults queued for revokeVbank', async () => {
    const vbank = await issued();
    await sim.control.injectFault({ route: 'revokeVbank', kind: 'status', status: 502 });
    expect((await revoke(vbank.imp_uid)).status).toBe(502);
    expect((await revoke(vbank.imp_uid)).status).toBe(200);
    const bad = await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'revoke', kind: 'status' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('revokeVbank');
  });
});
