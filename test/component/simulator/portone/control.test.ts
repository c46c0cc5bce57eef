import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, SimulatorControlError } from '../../../../simulator/portone';
import { startSim } from './support';

const T0 = 1_750_000_000;
const THREE_DAYS = 3 * 24 * 60 * 60;

describe('control endpoints', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await sim.control.reset();
    await sim.control.setClock(T0);
  });

  /** The simulator clock ticks with real time; allow one second of drift. */
  const near = (actual: number, expected: number) => {
    expect(actual).toBeGreaterThanOrEqual(expected);
    expect(actual).toBeLessThanOrEqual(expected + 1);
  };

  it('creates a paid card payment with approval details', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-paid',
      amount: 1000,
      state: 'paid',
    });
    expect(p).toMatchObject({ status: 'paid', pay_method: 'card', channel: 'pc', currency: 'KRW' });
    near(p.started_at, T0);
    near(p.paid_at, T0);
    expect(p.failed_at).toBe(0);
    expect(p).toMatchObject({
      card_code: '366',
      card_name: '신한카드',
      card_number: '510737*********6',
    });
    expect(p.apply_num).toMatch(/^\d{8}$/);
    expect(p.imp_uid).toMatch(/^imp_\d{12}$/);
  });

  it('creates a ready payment with nothing else happened', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-ready',
      amount: 1000,
      state: 'ready',
    });
    expect(p).toMatchObject({ status: 'ready', paid_at: 0, failed_at: 0, cancelled_at: 0 });
    expect(p.vbank_num).toBeNull();
    near(p.started_at, T0);
  });

  it('creates a failed payment with failed_at and a reason', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-failed',
      amount: 1000,
      state: 'failed',
      fail_reason: '카드 한도 초과',
    });
    expect(p).toMatchObject({ status: 'failed', fail_reason: '카드 한도 초과', paid_at: 0 });
    near(p.failed_at, T0);
    const defaulted = await sim.control.createPayment({
      merchant_uid: 'o-f2',
      amount: 1,
      state: 'failed',
    });
    // Without a reason, the one PortOne gives for a closed window.
    expect(defaulted.fail_reason).toBe('[결제포기] 사용자가 결제를 취소하셨습니다');
  });

  it('creates an issued virtual account due in three days', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-vbank',
      amount: 50_000,
      state: 'vbank_issued',
    });
    expect(p).toMatchObject({
      status: 'ready',
      pay_method: 'vbank',
      paid_at: 0,
      vbank_code: '088',
    });
    expect(p).toMatchObject({ vbank_name: '신한', vbank_holder: '포트원' });
    expect(p.vbank_num).toMatch(/^56211\d{9}$/);
    near(p.vbank_issued_at, T0);
    expect(p.vbank_date).toBe(p.vbank_issued_at + THREE_DAYS);
  });

  it('creates a cancelled payment with one full cancellation', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-c',
      amount: 2000,
      state: 'cancelled',
    });
    expect(p).toMatchObject({ status: 'cancelled', cancel_amount: 2000 });
    near(p.paid_at, T0);
    near(p.cancelled_at, T0);
    expect(p.cancel_history).toHaveLength(1);
    expect(p.cancel_history[0]?.amount).toBe(2000);
    // A fresh random UUID per cancellation.
    expect(p.cancel_history[0]?.cancellation_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('creates a partially cancelled payment', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-pc',
      amount: 2000,
      state: 'partially_cancelled',
      cancel_amount: 500,
    });
    expect(p).toMatchObject({ status: 'cancelled', cancel_amount: 500 });
    expect(p.cancel_history.map((h) => h.amount)).toEqual([500]);
    await expect(
      sim.control.createPayment({
        merchant_uid: 'o-pc',
        amount: 2000,
        state: 'partially_cancelled',
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('takes an explicit imp_uid, started_at, buyer and sandbox flag', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-x',
      amount: 10,
      state: 'ready',
      imp_uid: 'imp_111122223333',
      started_at: T0 - 100,
      buyer_name: '홍길동',
      buyer_email: 'a@b.c',
      buyer_tel: '010-0000-0000',
      channel: 'mobile',
      sandbox: true,
      name: '주문',
    });
    expect(p).toMatchObject({
      imp_uid: 'imp_111122223333',
      started_at: T0 - 100,
      buyer_name: '홍길동',
      buyer_email: 'a@b.c',
      buyer_tel: '010-0000-0000',
      channel: 'mobile',
      sandbox: true,
      name: '주문',
    });
    expect((await sim.control.getPayment('imp_111122223333')).sandbox).toBe(true);
    await expect(
      sim.control.createPayment({
        merchant_uid: 'o-y',
        amount: 1,
        state: 'paid',
        imp_uid: p.imp_uid,
      }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('validates create input', async () => {
    const bad = [
      { amount: 1, state: 'paid' },
      { merchant_uid: 'x'.repeat(41), amount: 1, state: 'paid' },
      { merchant_uid: 'o', state: 'paid' },
      { merchant_uid: 'o', amount: 1, state: 'done' },
    ];
    for (const body of bad) {
      const response = await fetch(`${sim.url}/__sim/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
    }
  });

  it('deposits into an issued virtual account', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-d',
      amount: 100,
      state: 'vbank_issued',
    });
    await sim.control.advanceClock(3600);
    const deposited = await sim.control.deposit(p.imp_uid);
    expect(deposited.status).toBe('paid');
    near(deposited.paid_at, T0 + 3600);
    expect(deposited.vbank_num).toBe(p.vbank_num);
    const card = await sim.control.createPayment({
      merchant_uid: 'o-d',
      amount: 100,
      state: 'ready',
    });
    await expect(sim.control.deposit(card.imp_uid)).rejects.toMatchObject({ status: 409 });
  });

  it('approves a ready payment later', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-pp',
      amount: 100,
      state: 'ready',
    });
    await sim.control.advanceClock(10);
    const paid = await sim.control.pay(p.imp_uid);
    expect(paid.status).toBe('paid');
    near(paid.paid_at, T0 + 10);
  });

  it('fails a ready payment and refuses to fail a paid one', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-fl',
      amount: 100,
      state: 'ready',
    });
    const failed = await sim.control.fail(p.imp_uid, '입금기한 만료');
    expect(failed).toMatchObject({ status: 'failed', fail_reason: '입금기한 만료' });
    near(failed.failed_at, T0);
    const paid = await sim.control.createPayment({
      merchant_uid: 'o-fl',
      amount: 100,
      state: 'paid',
    });
    await expect(sim.control.fail(paid.imp_uid)).rejects.toMatchObject({ status: 409 });
  });

  it('cancels from the console, partially then fully', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-cc',
      amount: 1000,
      state: 'paid',
    });
    await sim.control.advanceClock(60);
    const partial = await sim.control.consoleCancel(p.imp_uid, { amount: 300, reason: '부분' });
    expect(partial).toMatchObject({
      status: 'cancelled',
      cancel_amount: 300,
      cancel_reason: '부분',
    });
    near(partial.cancelled_at, T0 + 60);
    await expect(sim.control.consoleCancel(p.imp_uid, { amount: 701 })).rejects.toMatchObject({
      status: 409,
    });
    const full = await sim.control.consoleCancel(p.imp_uid);
    expect(full.cancel_amount).toBe(1000);
    const again = sim.control.consoleCancel(p.imp_uid);
    await expect(again).rejects.toBeInstanceOf(SimulatorControlError);
    await expect(again).rejects.toMatchObject({ message: '이미 전액취소된 주문입니다.' });
    expect(await sim.control.webhookLog()).toEqual([]);
  });

  it('cancels a deposited virtual account from the console without refund fields', async () => {
    const p = await sim.control.createPayment({
      merchant_uid: 'o-vc',
      amount: 100,
      state: 'vbank_issued',
    });
    await sim.control.deposit(p.imp_uid);
    expect((await sim.control.consoleCancel(p.imp_uid)).status).toBe('cancelled');
  });

  it('answers 404 for an unknown imp_uid', async () => {
    await expect(sim.control.getPayment('imp_000000000000')).rejects.toMatchObject({ status: 404 });
    await expect(sim.control.deposit('imp_000000000000')).rejects.toMatchObject({ status: 404 });
  });

  it('lists payments by merchant_uid', async () => {
    const a = await sim.control.createPayment({ merchant_uid: 'o-l', amount: 1, state: 'failed' });
    const b = await sim.control.createPayment({ merchant_uid: 'o-l', amount: 1, state: 'paid' });
    await sim.control.createPayment({ merchant_uid: 'other', amount: 1, state: 'paid' });
    expect((await sim.control.listPayments('o-l')).map((p) => p.imp_uid)).toEqual([
      a.imp_uid,
      b.imp_uid,
    ]);
    expect(await sim.control.listPayments()).toHaveLength(3);
  });

  it('moves the clock forward and to a set time', async () => {
    near(await sim.control.now(), T0);
    near(await sim.control.advanceClock(90), T0 + 90);
    expect(await sim.control.setClock(T0 - 5000)).toBe(T0 - 5000);
    const response = await fetch(`${sim.url}/__sim/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(response.status).toBe(400);
  });

  it('reads and changes the configuration', async () => {
    expect(await sim.control.getConfig()).toEqual({
      webhookUrl: null,
      webhookFormat: 'json',
      statusAfterPartialCancel: 'cancelled',
    });
    const changed = await sim.control.configure({
      webhookUrl: 'http://127.0.0.1:9/hook',
      webhookFormat: 'form',
    });
    expect(changed).toEqual({
      webhookUrl: 'http://127.0.0.1:9/hook',
      webhookFormat: 'form',
      statusAfterPartialCancel: 'cancelled',
    });
    await expect(sim.control.configure({ webhookFormat: 'xml' as 'json' })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('answers 404 for an unknown control endpoint', async () => {
    const response = await fetch(`${sim.url}/__sim/nothing`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toContain('unknown');
  });
});
