import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_V2_MERCHANT_ID,
  DEFAULT_V2_STORE_ID,
  type RunningSimulator,
} from '../../../../simulator/portone';
import { startSim } from './support';
import { callV2 } from './v2-support';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('the simulator speaking PortOne V2', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });
  // The simulator's clock follows real time plus an offset, and runs in this
  // process: holding Date still keeps the exact timestamps below from
  // reading a second later when a real second ticks mid-test.
  afterEach(() => {
    vi.useRealTimers();
  });
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    await sim.control.reset();
  });

  const v2 = (method: string, path: string, options?: Parameters<typeof callV2>[3]) =>
    callV2(sim.v2Url, method, path, options);

  describe('authentication', () => {
    it('serves V2 under the /v2-api prefix of the same server', () => {
      expect(sim.v2Url).toBe(`${sim.url}/v2-api`);
    });

    it('refuses a call without the PortOne secret with 401 UNAUTHORIZED', async () => {
      await sim.control.v2.createPayment({ paymentId: 'o-1', amount: 1000, state: 'paid' });
      for (const options of [
        { secret: null },
        { secret: 'wrong-secret' },
        { authorization: 'Bearer some-token' },
      ]) {
        const answer = await v2('GET', '/payments/o-1', options);
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({
          type: 'UNAUTHORIZED',
          message: '인증 정보가 올바르지 않습니다.',
        });
      }
    });

    it('accepts a secret given at startup', async () => {
      const other = await startSim({ v2ApiSecret: 'my-v2-secret' });
      try {
        await other.control.v2.createPayment({ paymentId: 'o-1', amount: 1000, state: 'ready' });
        expect(
          (await callV2(other.v2Url, 'GET', '/payments/o-1', { secret: 'my-v2-secret' })).status,
        ).toBe(200);
        expect((await callV2(other.v2Url, 'GET', '/payments/o-1')).status).toBe(401);
      } finally {
        await other.close();
      }
    });
  });

  describe('GET /payments/{paymentId}', () => {
    it('answers a paid card payment with every common field and those of PAID', async () => {
      await sim.control.setClock(1_714_039_200);
      const created = await sim.control.v2.createPayment({
        paymentId: 'order-2024-0001',
        amount: 1000,
        state: 'paid',
        orderName: '신발',
        customerId: 'user-1',
        customData: '{"item":"shoes"}',
      });
      const answer = await v2('GET', '/payments/order-2024-0001');
      expect(answer.status).toBe(200);
      const at = '2024-04-25T10:00:00.000Z';
      expect(answer.body).toEqual({
        status: 'PAID',
        id: 'order-2024-0001',
        transactionId: created.transactionId,
        merchantId: DEFAULT_V2_MERCHANT_ID,
        storeId: DEFAULT_V2_STORE_ID,
        method: {
          type: 'PaymentMethodCard',
          card: {
            publisher: 'SHINHAN',
            issuer: 'SHINHAN',
            name: '신한카드',
            number: '53275010****123*',
          },
          approvalNumber: expect.stringMatching(/^\d{8}$/),
          installment: { month: 0, isInterestFree: false },
        },
        channel: {
          type: 'LIVE',
          id: 'channel-id-sim-live',
          key: 'channel-key-sim-live',
          name: 'KG이니시스',
          pgProvider: 'INICIS_V2',
          pgMerchantId: 'MOIsim0001',
        },
        version: 'V2',
        requestedAt: at,
        updatedAt: at,
        statusChangedAt: at,
        orderName: '신발',
        amount: {
          total: 1000,
          taxFree: 0,
          vat: 91,
          supply: 909,
          discount: 0,
          paid: 1000,
          cancelled: 0,
          cancelledTaxFree: 0,
        },
        currency: 'KRW',
        customer: { id: 'user-1' },
        customData: '{"item":"shoes"}',
        paidAt: at,
        pgTxId: created.pgTxId,
        receiptUrl: `https://sim.portone.local/receipts/${created.transactionId}`,
        disputes: [],
      });
      expect(created.transactionId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers a test-channel payment with a TEST channel', async () => {
      await sim.control.v2.createPayment({
        paymentId: 'o-t',
        amount: 500,
        state: 'paid',
        channel: 'TEST',
      });
      const answer = await v2('GET', '/payments/o-t');
      expect(answer.body?.channel).toEqual({
        type: 'TEST',
        id: 'channel-id-sim-test',
        key: 'channel-key-sim-test',
        name: 'KG이니시스 (테스트)',
        pgProvider: 'INICIS_V2',
        pgMerchantId: 'INIpayTest',
      });
    });

    it('answers an issued virtual account with its account in method and no paidAt', async () => {
      await sim.control.setClock(1_714_039_200);
      await sim.control.v2.createPayment({
        paymentId: 'o-vb',
        amount: 30000,
        state: 'virtual_account_issued',
      });
      const { body } = await v2('GET', '/payments/o-vb');
      expect(body?.status).toBe('VIRTUAL_ACCOUNT_ISSUED');
      expect(body?.method).toEqual({
        type: 'PaymentMethodVirtualAccount',
        bank: 'SHINHAN',
        accountNumber: expect.stringMatching(/^56211\d{9}$/),
        accountType: 'NORMAL',
        remitteeName: '(주)포트원심',
        expiredAt: '2024-04-28T10:00:00.000Z',
        issuedAt: '2024-04-25T10:00:00.000Z',
      });
      expect(body?.amount).toMatchObject({ total: 30000, paid: 0 });
      expect(
        Object.keys(body ?? {}).filter((k) => ['paidAt', 'receiptUrl', 'disputes'].includes(k)),
      ).toEqual([]);
    });

    it('answers a failed payment with failedAt and its failure', async () => {
      await sim.control.v2.createPayment({
        paymentId: 'o-f',
        amount: 1000,
        state: 'failed',
        failureReason: '잔액 부족',
      });
      const { body } = await v2('GET', '/payments/o-f');
      expect(body).toMatchObject({
        status: 'FAILED',
        failure: { reason: '잔액 부족', pgCode: 'F113', pgMessage: '잔액 부족' },
      });
      expect(body?.failedAt).toMatch(ISO);
      expect(body?.paidAt).toBeUndefined();
    });

    it('answers a ready payment with the common fields only', async () => {
      await sim.control.v2.createPayment({ paymentId: 'o-r', amount: 1000, state: 'ready' });
      const { body } = await v2('GET', '/payments/o-r');
      expect(body?.status).toBe('READY');
      expect(Object.keys(body ?? {}).sort()).toEqual(
        [
          'amount',
          'channel',
          'currency',
          'customer',
          'id',
          'merchantId',
          'method',
          'orderName',
          'requestedAt',
          'statusChangedAt',
          'storeId',
          'transactionId',
          'updatedAt',
          'version',
          'status',
        ].sort(),
      );
    });

    it('answers 404 PAYMENT_NOT_FOUND for an unknown id and for another store', async () => {
      await sim.control.v2.createPayment({ paymentId: 'o-1', amount: 1000, state: 'paid' });
      for (const path of ['/payments/nope', '/payments/o-1?storeId=store-other']) {
        const answer = await v2('GET', path);
        expect(answer.status).toBe(404);
        expect(answer.body).toEqual({
          type: 'PAYMENT_NOT_FOUND',
          message: '결제 건이 존재하지 않습니다.',
        });
      }
      expect((await v2('GET', `/payments/o-1?storeId=${DEFAULT_V2_STORE_ID}`)).status).toBe(200);
    });

    it('keeps V1 and V2 payments apart', async () => {
      await sim.control.v2.createPayment({ paymentId: 'shared-id', amount: 1000, state: 'paid' });
      const v1 = await fetch(`${sim.url}/payments/shared-id`);
      expect(v1.status).toBe(401);
      expect(await sim.control.listPayments()).toEqual([]);
    });
  });

  describe('POST /payments/{paymentId}/cancel', () => {
    const paid = (amount = 10000) =>
      sim.control.v2.createPayment({ paymentId: 'o-c', amount, state: 'paid' });

    it('cancels part of a payment: PARTIAL_CANCELLED with the cancellation recorded', async () => {
      await sim.control.setClock(1_714_039_200);
      await paid();
      await sim.control.advanceClock(60);
      const answer = await v2('POST', '/payments/o-c/cancel', {
        body: {
          reason: '부분 환불',
          amount: 3000,
          currentCancellableAmount: 10000,
          skipWebhook: true,
        },
      });
      expect(answer.status).toBe(200);
      const at = '2024-04-25T10:01:00.000Z';
      expect(answer.body).toEqual({
        cancellation: {
          status: 'SUCCEEDED',
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          pgCancellationId: expect.stringMatching(/^pgc_\d{14}$/),
          totalAmount: 3000,
          taxFreeAmount: 0,
          vatAmount: 273,
          reason: '부분 환불',
          cancelledAt: at,
          requestedAt: at,
        },
      });
      const { body } = await v2('GET', '/payments/o-c');
      expect(body).toMatchObject({
        status: 'PARTIAL_CANCELLED',
        amount: { total: 10000, paid: 10000, cancelled: 3000, cancelledTaxFree: 0 },
        cancelledAt: at,
        statusChangedAt: at,
        paidAt: '2024-04-25T10:00:00.000Z',
        cancellations: [
          {
            ...(answer.body?.cancellation as object),
            receiptUrl: expect.any(String),
            trigger: 'API',
          },
        ],
      });
    });

    it('cancels the rest when no amount is given: CANCELLED', async () => {
      await paid();
      await v2('POST', '/payments/o-c/cancel', {
        body: { reason: 'a', amount: 4000, skipWebhook: true },
      });
      const answer = await v2('POST', '/payments/o-c/cancel', {
        body: { reason: 'b', skipWebhook: true },
      });
      expect(answer.body?.cancellation).toMatchObject({ totalAmount: 6000 });
      const { body } = await v2('GET', '/payments/o-c');
      expect(body).toMatchObject({ status: 'CANCELLED', amount: { cancelled: 10000 } });
      expect(body?.cancellations).toHaveLength(2);
    });

    it('refuses a currentCancellableAmount that is not the balance with 409 CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN', async () => {
      await paid();
      await v2('POST', '/payments/o-c/cancel', {
        body: { reason: 'a', amount: 4000, skipWebhook: true },
      });
      const answer = await v2('POST', '/payments/o-c/cancel', {
        body: { reason: 'b', amount: 1000, currentCancellableAmount: 10000 },
      });
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual({
        type: 'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN',
        message: '취소 가능 잔액 검증에 실패하였습니다.',
      });
      expect((await v2('GET', '/payments/o-c')).body?.amount).toMatchObject({ cancelled: 4000 });
    });

    it('refuses more than the balance with 409 CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT', async () => {
      await paid();
      const answer = await v2('POST', '/payments/o-c/cancel', {
        body: { reason: 'x', amount: 10001 },
      });
      expect(answer.status).toBe(409);
      expect(answer.body?.type).toBe('CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT');
    });

    it('refuses a payment that is not paid with 409 PAYMENT_NOT_PAID', async () => {
      for (const state of ['ready', 'failed', 'virtual_account_issued'] as const) {
        await sim.control.v2.createPayment({ paymentId: `o-${state}`, amount: 1000, state });
        const answer = await v2('POST', `/payments/o-${state}/cancel`, { body: { reason: 'x' } });
        expect(answer.status).toBe(409);
        expect(answer.body).toEqual({
          type: 'PAYMENT_NOT_PAID',
          message: '결제가 완료되지 않은 건입니다.',
        });
      }
    });

    it('refuses a cancelled payment with 409 PAYMENT_ALREADY_CANCELLED', async () => {
      await sim.control.v2.createPayment({ paymentId: 'o-x', amount: 1000, state: 'cancelled' });
      const answer = await v2('POST', '/payments/o-x/cancel', { body: { reason: 'x' } });
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual({
        type: 'PAYMENT_ALREADY_CANCELLED',
        message: '이미 취소된 결제 건입니다.',
      });
    });

    it('answers 404 PAYMENT_NOT_FOUND for an unknown id', async () => {
      const answer = await v2('POST', '/payments/nope/cancel', { body: { reason: 'x' } });
      expect(answer.status).toBe(404);
      expect(answer.body?.type).toBe('PAYMENT_NOT_FOUND');
    });

    it('refuses a body without reason or with a bad amount with 400 INVALID_REQUEST', async () => {
      await paid();
      for (const body of [
        {},
        { reason: 'x', amount: 0 },
        { reason: 'x', amount: 1.5 },
        { reason: 'x', skipWebhook: 'yes' },
      ]) {
        const answer = await v2('POST', '/payments/o-c/cancel', { body });
        expect(answer.status).toBe(400);
        expect(answer.body?.type).toBe('INVALID_REQUEST');
      }
      expect((await v2('GET', '/payments/o-c')).body?.status).toBe('PAID');
    });
  });

  describe('POST /payments/{paymentId}/pre-register', () => {
    it('records the amount and answers {}', async () => {
      const answer = await v2('POST', '/payments/o-p/pre-register', {
        body: { totalAmount: 15000, currency: 'KRW' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({});
      expect(await sim.control.v2.getPreRegistration('o-p')).toEqual({
        paymentId: 'o-p',
        totalAmount: 15000,
        taxFreeAmount: 0,
        currency: 'KRW',
        storeId: DEFAULT_V2_STORE_ID,
      });
    });

    it('makes a later payment of that id with another amount fail', async () => {
      await v2('POST', '/payments/o-p/pre-register', { body: { totalAmount: 15000 } });
      const tampered = await sim.control.v2.createPayment({
        paymentId: 'o-p',
        amount: 100,
        state: 'paid',
      });
      expect(tampered).toMatchObject({
        status: 'FAILED',
        amount: { total: 100, paid: 0 },
        failure: { reason: '사전 등록된 결제 정보와 일치하지 않습니다.' },
      });
      const honest = await sim.control.v2.createPayment({
        paymentId: 'o-p',
        amount: 15000,
        state: 'paid',
      });
      expect(honest).toMatchObject({ status: 'PAID', amount: { total: 15000, paid: 15000 } });
      expect(honest.transactionId).not.toBe(tampered.transactionId);
    });

    it('refuses an id that is already paid with 409 ALREADY_PAID', async () => {
      await sim.control.v2.createPayment({ paymentId: 'o-paid', amount: 1000, state: 'paid' });
      const answer = await v2('POST', '/payments/o-paid/pre-register', {
        body: { totalAmount: 1000 },
      });
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual({
        type: 'ALREADY_PAID',
        message: '이미 결제가 완료된 결제 건입니다.',
      });
    });

    it('refuses a missing totalAmount with 400 INVALID_REQUEST', async () => {
      const answer = await v2('POST', '/payments/o-p/pre-register', { body: { currency: 'KRW' } });
      expect(answer.status).toBe(400);
      expect(answer.body?.type).toBe('INVALID_REQUEST');
    });
  });

  describe('faults on V2 routes', () => {
    it('answers a queued status fault with a V2 error body, once', async () => {
      await sim.control.v2.createPayment({ paymentId: 'o-1', amount: 1000, state: 'paid' });
      await sim.control.injectFault({ route: 'v2.getPayment', kind: 'status', status: 502 });
      const failed = await v2('GET', '/payments/o-1');
      expect(failed.status).toBe(502);
      expect(failed.body).toEqual({ type: 'PG_PROVIDER', message: 'simulated fault: HTTP 502' });
      expect((await v2('GET', '/payments/o-1')).status).toBe(200);
    });

    it('answers a status fault with the given body', async () => {
      await sim.control.injectFault({
        route: 'v2.cancel',
        kind: 'status',
        status: 409,
        body: '{"type":"PAYMENT_NOT_PAID","message":"x"}',
      });
      const answer = await v2('POST', '/payments/o-1/cancel', { body: { reason: 'x' } });
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual({ type: 'PAYMENT_NOT_PAID', message: 'x' });
    });

    it('answers unauthorized, malformed and reset faults', async () => {
      await sim.control.injectFault({ route: 'v2.getPayment', kind: 'unauthorized' });
      await sim.control.injectFault({ route: 'v2.getPayment', kind: 'malformed' });
      await sim.control.injectFault({ route: 'v2.preRegister', kind: 'malformed' });
      await sim.control.injectFault({ route: 'v2.getPayment', kind: 'reset' });
      expect((await v2('GET', '/payments/o-1')).body).toEqual({
        type: 'UNAUTHORIZED',
        message: 'simulated fault: unauthorized',
      });
      expect((await v2('GET', '/payments/o-1')).text).toBe('{"status":"PAID","id":123}');
      expect(
        (await v2('POST', '/payments/o-1/pre-register', { body: { totalAmount: 1 } })).text,
      ).toBe('<html>not json</html>');
      await expect(v2('GET', '/payments/o-1')).rejects.toThrow('fetch failed');
    });

    it('holds a slow answer back and logs V2 calls with their route', async () => {
      await sim.control.v2.createPayment({ paymentId: 'o-1', amount: 1000, state: 'paid' });
      await sim.control.injectFault({ route: 'v2.getPayment', kind: 'slow', delayMs: 150 });
      const started = performance.now();
      expect((await v2('GET', '/payments/o-1')).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      const calls = await sim.control.calls();
      expect(
        calls.map(({ route, status, authForm, fault }) => ({ route, status, authForm, fault })),
      ).toEqual([{ route: 'v2.getPayment', status: 200, authForm: 'portone', fault: 'slow' }]);
    });

    it('leaves V1 routes alone', async () => {
      await sim.control.injectFault({ route: 'v2.getPayment', kind: 'status', status: 500 });
      const v1 = await fetch(`${sim.url}/payments/imp_1`);
      expect(v1.status).toBe(401);
      expect(await sim.control.faults()).toHaveLength(1);
    });
  });
});
