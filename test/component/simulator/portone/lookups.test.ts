import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimPayment } from '../../../../simulator/portone';
import { Api, startSim } from './support';

/** Every key of PortOne's PaymentAnnotation (reference §1.3), alphabetical. */
const PAYMENT_KEYS = [
  'amount',
  'apply_num',
  'bank_code',
  'bank_name',
  'buyer_addr',
  'buyer_email',
  'buyer_name',
  'buyer_postcode',
  'buyer_tel',
  'cancel_amount',
  'cancel_history',
  'cancel_reason',
  'cancel_receipt_urls',
  'cancelled_at',
  'card_code',
  'card_issuer_code',
  'card_issuer_name',
  'card_name',
  'card_number',
  'card_publisher_code',
  'card_publisher_name',
  'card_quota',
  'card_type',
  'cash_receipt_issued',
  'channel',
  'currency',
  'custom_data',
  'customer_uid',
  'customer_uid_usage',
  'deposit_history',
  'emb_pg_provider',
  'escrow',
  'fail_reason',
  'failed_at',
  'imp_uid',
  'merchant_uid',
  'name',
  'paid_at',
  'pay_method',
  'pg_id',
  'pg_provider',
  'pg_tid',
  'promotion',
  'receipt_url',
  'sandbox',
  'started_at',
  'status',
  'user_agent',
  'vbank_code',
  'vbank_date',
  'vbank_holder',
  'vbank_issued_at',
  'vbank_name',
  'vbank_num',
];

const NOT_FOUND = { code: -1, message: '존재하지 않는 결제정보입니다.', response: null };

interface Page {
  total: number;
  previous: number;
  next: number;
  list: SimPayment[];
}

describe('payment lookups', () => {
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

  const get = <T = SimPayment>(path: string) => api.call<T>('GET', path, { token });

  /** Three attempts on one order, started one second apart: failed, ready, paid. */
  async function threeAttempts(merchantUid = 'order-1') {
    const failed = await sim.control.createPayment({
      merchant_uid: merchantUid,
      amount: 500,
      state: 'failed',
    });
    await sim.control.advanceClock(1);
    const ready = await sim.control.createPayment({
      merchant_uid: merchantUid,
      amount: 500,
      state: 'ready',
    });
    await sim.control.advanceClock(1);
    const paid = await sim.control.createPayment({
      merchant_uid: merchantUid,
      amount: 500,
      state: 'paid',
    });
    return { failed, ready, paid };
  }

  it('returns 404 for an unknown imp_uid', async () => {
    const answer = await get('/payments/imp_123456789012');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(NOT_FOUND);
  });

  it('returns a payment carrying every PortOne key, alphabetically', async () => {
    const created = await sim.control.createPayment({
      merchant_uid: 'order-keys',
      amount: 1000,
      state: 'paid',
      name: '신발',
      buyer_email: 'buyer@example.com',
    });
    const answer = await get(`/payments/${created.imp_uid}`);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json; charset=UTF-8');
    expect(answer.body.code).toBe(0);
    expect(answer.body.message).toBeNull();
    const payment = answer.body.response;
    expect(Object.keys(payment)).toEqual(PAYMENT_KEYS);
    expect(payment).toMatchObject({
      imp_uid: created.imp_uid,
      merchant_uid: 'order-keys',
      amount: 1000,
      cancel_amount: 0,
      currency: 'KRW',
      status: 'paid',
      sandbox: false,
      name: '신발',
      buyer_email: 'buyer@example.com',
      buyer_name: null,
      failed_at: 0,
      cancelled_at: 0,
      vbank_date: 0,
      vbank_num: null,
      cancel_history: [],
    });
    expect(payment.imp_uid).toMatch(/^imp_\d{12}$/);
  });

  it('hides a sandbox payment unless include_sandbox=true', async () => {
    const sandbox = await sim.control.createPayment({
      merchant_uid: 'order-sb',
      amount: 1000,
      state: 'paid',
      sandbox: true,
    });
    expect((await get(`/payments/${sandbox.imp_uid}`)).status).toBe(404);
    expect((await get(`/payments/${sandbox.imp_uid}?include_sandbox=false`)).status).toBe(404);
    const shown = await get(`/payments/${sandbox.imp_uid}?include_sandbox=true`);
    expect(shown.status).toBe(200);
    expect(shown.body.response.sandbox).toBe(true);
    expect((await get('/payments/find/order-sb')).status).toBe(404);
    expect((await get('/payments/find/order-sb?include_sandbox=true')).status).toBe(200);
    expect((await get('/payments/findAll/order-sb')).status).toBe(404);
  });

  it('finds the most recently started of several attempts', async () => {
    const { failed, ready, paid } = await threeAttempts();
    expect((await get('/payments/find/order-1')).body.response.imp_uid).toBe(paid.imp_uid);
    expect((await get('/payments/find/order-1/failed')).body.response.imp_uid).toBe(failed.imp_uid);
    expect((await get('/payments/find/order-1/ready')).body.response.imp_uid).toBe(ready.imp_uid);
    expect((await get('/payments/find/order-1?sorting=started')).body.response.imp_uid).toBe(
      failed.imp_uid,
    );
  });

  it('returns 404 from find when no payment matches', async () => {
    await threeAttempts();
    expect((await get('/payments/find/order-1/cancelled')).body).toEqual(NOT_FOUND);
    const unknown = await get('/payments/find/nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(NOT_FOUND);
  });

  it('rejects an unsupported status segment with 400', async () => {
    const answer = await get('/payments/find/order-1/done');
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('지원되지 않는 상태값입니다.');
  });

  it('pages findAll with total, previous and next', async () => {
    const { failed, ready, paid } = await threeAttempts();
    const first = await get<Page>('/payments/findAll/order-1?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.response.total).toBe(3);
    expect(first.body.response.previous).toBe(0);
    expect(first.body.response.next).toBe(2);
    expect(first.body.response.list.map((p) => p.imp_uid)).toEqual([paid.imp_uid, ready.imp_uid]);
    const second = await get<Page>('/payments/findAll/order-1?limit=2&page=2');
    expect(second.body.response).toMatchObject({ total: 3, previous: 1, next: 0 });
    expect(second.body.response.list.map((p) => p.imp_uid)).toEqual([failed.imp_uid]);
    const paidOnly = await get<Page>('/payments/findAll/order-1/paid');
    expect(paidOnly.body.response.total).toBe(1);
    expect((await get('/payments/findAll/nobody')).status).toBe(404);
    expect((await get('/payments/findAll/order-1?limit=1001')).status).toBe(400);
  });

  it('answers 207 from the multi-id lookup when only some ids exist', async () => {
    const { paid } = await threeAttempts();
    const some = await get<SimPayment[]>(
      `/payments?imp_uid[]=${paid.imp_uid}&imp_uid[]=imp_000000000000`,
    );
    expect(some.status).toBe(207);
    expect(some.body.response.map((p) => p.imp_uid)).toEqual([paid.imp_uid]);
    expect((await get(`/payments?imp_uid[]=${paid.imp_uid}`)).status).toBe(200);
    expect((await get('/payments?imp_uid[]=imp_000000000000')).status).toBe(404);
  });

  it('answers 404 envelopes for unknown routes', async () => {
    const answer = await api.call('POST', '/payments/imp_1/refund', { token });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe(-1);
    expect(answer.body.response).toBeNull();
  });

  it('answers 400 envelopes for malformed JSON', async () => {
    const answer = await api.call('POST', '/payments/cancel', {
      token,
      headers: { 'content-type': 'application/json' },
    });
    // an empty body is fine; a broken one is not
    expect(answer.status).toBe(200);
    const broken = await fetch(`${sim.url}/payments/cancel`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: '{"imp_uid":',
    });
    expect(broken.status).toBe(400);
    const body = (await broken.json()) as { code: number; response: unknown };
    expect(body.code).toBe(-1);
    expect(body.response).toBeNull();
  });
});
