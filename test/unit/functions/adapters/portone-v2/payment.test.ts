import { describe, expect, it } from 'vitest';
import { fromV2Payment } from '../../../../../functions/adapters/portone-v2/payment';
import type { V2Payment } from '../../../../../functions/adapters/portone-v2/schemas';
import {
  attemptStatusOf,
  observationVersion,
} from '../../../../../functions/domain/rules/observation';
import { aPayment } from '../../../../support/payments';

const ID = 'order-1.a1b2c3d4e5f6g7h8';
const at = (iso: string) => Date.parse(iso) / 1000;

const v2 = (fields: Partial<V2Payment> = {}): V2Payment => ({
  status: 'PAID',
  id: ID,
  transactionId: 'tx-1',
  channel: { type: 'LIVE' },
  method: { type: 'PaymentMethodCard' },
  requestedAt: '2026-12-03T01:00:00.000Z',
  updatedAt: '2026-12-03T01:00:09.000Z',
  statusChangedAt: '2026-12-03T01:00:05.000Z',
  orderName: 'Coffee beans',
  amount: { total: 1000, cancelled: 0 },
  currency: 'KRW',
  paidAt: '2026-12-03T01:00:05.000Z',
  ...fields,
});

describe('fromV2Payment', () => {
  it('reads a paid V2 payment as the domain’s paid payment of the order the id was issued for', () => {
    expect(fromV2Payment(v2(), 'order-1')).toEqual(
      aPayment({
        api: 'v2',
        imp_uid: ID,
        started_at: at('2026-12-03T01:00:00Z'),
        paid_at: at('2026-12-03T01:00:05Z'),
        // The later of statusChangedAt and updatedAt.
        changed_at: at('2026-12-03T01:00:09Z'),
      }),
    );
  });

  it.each([
    ['READY', {}, 'pending'],
    ['PAY_PENDING', {}, 'pending'],
    ['FAILED', { failedAt: '2026-12-03T01:00:05Z', failure: { reason: 'declined' } }, 'failed'],
    ['PARTIAL_CANCELLED', { amount: { total: 1000, cancelled: 300 } }, 'partially_cancelled'],
    ['CANCELLED', { amount: { total: 1000, cancelled: 1000 } }, 'cancelled'],
  ] as const)('maps %s to an order status of %s', (status, fields, expected) => {
    expect(attemptStatusOf(fromV2Payment(v2({ status, ...fields }), 'order-1'))).toBe(expected);
  });

  it('reads an issued virtual account with its account, holder and deadline', () => {
    const payment = fromV2Payment(
      v2({
        status: 'VIRTUAL_ACCOUNT_ISSUED',
        paidAt: undefined,
        method: {
          type: 'PaymentMethodVirtualAccount',
          bank: 'SHINHAN',
          accountNumber: '56211105948400',
          remitteeName: '포트원',
          expiredAt: '2026-12-10T00:00:00Z',
          issuedAt: '2026-12-03T01:00:05Z',
        },
      }),
      'order-1',
    );

    expect(payment).toMatchObject({
      status: 'ready',
      pay_method: 'vbank',
      vbank_name: 'SHINHAN',
      vbank_num: '56211105948400',
      vbank_holder: '포트원',
      vbank_date: at('2026-12-10T00:00:00Z'),
    });
    expect(attemptStatusOf(payment)).toBe('vbank_issued');
  });

  it('reads a TEST channel as a sandbox payment, and no channel as unknown', () => {
    expect(fromV2Payment(v2({ channel: { type: 'TEST' } }), 'order-1').sandbox).toBe(true);
    expect(fromV2Payment(v2({ channel: undefined }), 'order-1').sandbox).toBeNull();
  });

  it('orders observations by PortOne’s change times: a later update is a newer version', () => {
    const earlier = fromV2Payment(v2(), 'order-1');
    const later = fromV2Payment(v2({ updatedAt: '2026-12-03T01:00:20Z' }), 'order-1');

    expect(observationVersion(later) > observationVersion(earlier)).toBe(true);
  });
});
