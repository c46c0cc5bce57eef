import { describe, expect, it } from 'vitest';
import {
  attemptStatusOf,
  observationVersion,
  refundableBalance,
  vbankOf,
} from '../../../../../functions/domain/rules/observation';
import { aFailedPayment, anIssuedVbank, aPayment, T0 } from '../../../../support/payments';

describe('attemptStatusOf', () => {
  it.each([
    ['a paid payment', aPayment(), 'paid'],
    ['a ready payment with a virtual account', anIssuedVbank(), 'vbank_issued'],
    [
      'a ready payment without a virtual account',
      aPayment({ status: 'ready', paid_at: 0 }),
      'pending',
    ],
    ['a failed payment', aFailedPayment(), 'failed'],
    ['a full cancellation', aPayment({ status: 'cancelled', cancel_amount: 1000 }), 'cancelled'],
    [
      'a partial cancellation',
      aPayment({ status: 'cancelled', cancel_amount: 300 }),
      'partially_cancelled',
    ],
    [
      'a paid payment with a partial refund',
      aPayment({ cancel_amount: 300 }),
      'partially_cancelled',
    ],
    // never infer a full refund from the status word alone
    [
      'cancelled with nothing refunded yet',
      aPayment({ status: 'cancelled', cancel_amount: 0 }),
      'cancelled',
    ],
  ])('maps %s', (_, payment, expected) => {
    expect(attemptStatusOf(payment)).toBe(expected);
  });
});

describe('observationVersion', () => {
  it('orders by the latest PortOne timestamp first', () => {
    const issued = anIssuedVbank();
    const deposited = anIssuedVbank({ status: 'paid', paid_at: T0 + 3600 });
    expect(observationVersion(issued) < observationVersion(deposited)).toBe(true);
  });

  it('orders by cancelled amount inside the same second', () => {
    const first = aPayment({ status: 'cancelled', cancel_amount: 100, cancelled_at: T0 + 60 });
    const second = aPayment({ status: 'cancelled', cancel_amount: 300, cancelled_at: T0 + 60 });
    expect(observationVersion(first) < observationVersion(second)).toBe(true);
  });

  it('orders ready < failed < paid < cancelled when everything else ties', () => {
    const at = { started_at: T0, paid_at: 0, failed_at: 0, cancelled_at: 0 };
    const versions = (['ready', 'failed', 'paid', 'cancelled'] as const).map((status) =>
      observationVersion(aPayment({ ...at, status })),
    );
    expect([...versions].sort()).toEqual(versions);
    expect(new Set(versions).size).toBe(4);
  });

  it('compares fractional amounts correctly as strings', () => {
    const small = aPayment({ status: 'cancelled', cancel_amount: 9.99, cancelled_at: T0 + 1 });
    const large = aPayment({ status: 'cancelled', cancel_amount: 10.5, cancelled_at: T0 + 1 });
    expect(observationVersion(small) < observationVersion(large)).toBe(true);
  });

  it('is equal for the same observation', () => {
    expect(observationVersion(aPayment())).toBe(observationVersion(aPayment()));
  });
});

describe('refundableBalance', () => {
  it('subtracts without floating-point residue', () => {
    expect(refundableBalance({ amount: 10.3, cancel_amount: 10.1 })).toBe(0.2);
    expect(refundableBalance({ amount: 1000, cancel_amount: 1000 })).toBe(0);
  });
});

describe('vbankOf', () => {
  it('reports bank, number, holder and the due date in ISO 8601', () => {
    expect(vbankOf(anIssuedVbank())).toEqual({
      bank: '신한',
      number: 'X3790127821223',
      holder: '테스트상점',
      due: new Date((T0 + 3 * 86_400) * 1000).toISOString(),
    });
  });

  it('is null for a card payment', () => {
    expect(vbankOf(aPayment())).toBeNull();
  });
});
