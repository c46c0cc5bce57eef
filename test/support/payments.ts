import type { PortOnePayment } from '../../functions/domain/model/portone-payment';

export const T0 = 1_763_000_000; // unix seconds, a fixed moment in November 2025

/** A PortOne payment as getPayment returns it; override what the test is about. */
export const aPayment = (overrides: Partial<PortOnePayment> = {}): PortOnePayment => ({
  api: 'v1',
  imp_uid: 'imp_100000000001',
  merchant_uid: 'order-1',
  status: 'paid',
  amount: 1000,
  cancel_amount: 0,
  currency: 'KRW',
  sandbox: false,
  pay_method: 'card',
  name: 'Coffee beans',
  started_at: T0,
  paid_at: T0 + 10,
  failed_at: 0,
  cancelled_at: 0,
  fail_reason: null,
  cancel_reason: null,
  vbank_code: null,
  vbank_name: null,
  vbank_num: null,
  vbank_holder: null,
  vbank_date: 0,
  vbank_issued_at: 0,
  changed_at: 0,
  ...overrides,
});

export const aFailedPayment = (overrides: Partial<PortOnePayment> = {}) =>
  aPayment({
    status: 'failed',
    paid_at: 0,
    failed_at: T0 + 5,
    fail_reason: 'card declined',
    ...overrides,
  });

export const anIssuedVbank = (overrides: Partial<PortOnePayment> = {}) =>
  aPayment({
    status: 'ready',
    pay_method: 'vbank',
    paid_at: 0,
    vbank_code: '088',
    vbank_name: '신한',
    vbank_num: 'X3790127821223',
    vbank_holder: '테스트상점',
    vbank_date: T0 + 3 * 86_400,
    vbank_issued_at: T0 + 20,
    ...overrides,
  });
