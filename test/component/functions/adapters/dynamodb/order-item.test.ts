import { describe, expect, it } from 'vitest';
import { toItem, toOrder } from '../../../../../functions/adapters/dynamodb/order-item';
import type { Order } from '../../../../../functions/domain/model/order';
import { decide } from '../../../../../functions/domain/rules/decide';
import { newOrder } from '../../../../../functions/domain/rules/new-order';
import { aPayment } from '../../../../support/payments';

const registered = newOrder({
  merchant_uid: 'order-1',
  amount: 1000,
  currency: 'KRW',
  name: 'Tea',
  prepared: true,
  now: '2025-11-13T02:00:00.000Z',
});
const paid: Order = decide(registered, aPayment({ amount: 1000 }), {
  source: 'webhook',
  mode: 'test',
  now: '2025-11-13T02:01:00.000Z',
}).order;

describe('toOrder', () => {
  it('reads back exactly the order toItem stored, keys removed', () => {
    expect(toOrder(toItem(paid))).toEqual(paid);
    expect(toOrder(toItem(registered))).toEqual(registered);
  });

  it('gives fields older items lack their neutral value', () => {
    const {
      check_at: _c,
      owes_cancellation: _o,
      settled: _s,
      dropped_attempts: _d,
      refunds: _r,
      recheck_failures: _f,
      ...legacy
    } = toItem(registered);
    expect(toOrder(legacy)).toEqual({
      ...registered,
      check_at: null,
      owes_cancellation: false,
      settled: {},
      dropped_attempts: 0,
      refunds: [],
      recheck_failures: 0,
    });
  });

  it('completes a cancellation recorded before cancellations had a balance and a schedule', () => {
    const attempt = Object.values(paid.attempts)[0];
    if (!attempt) throw new Error('the paid order has no attempt');
    const item = toItem({
      ...paid,
      attempts: {
        [attempt.imp_uid]: {
          ...attempt,
          cancellation: {
            state: 'failed',
            at: '2025-11-13T03:00:00.000Z',
            amount: 1000,
            message: 'PG down',
          } as never,
        },
      },
    });
    expect(toOrder(item).attempts[attempt.imp_uid]?.cancellation).toEqual({
      state: 'failed',
      kind: 'cancel',
      at: '2025-11-13T03:00:00.000Z',
      amount: 1000,
      balance: 1000,
      message: 'PG down',
      since: '2025-11-13T03:00:00.000Z',
      tries: 1,
      accepted: false,
      next_at: '2025-11-13T03:00:00.000Z',
    });
  });

  it('keeps fields it does not know, so a newer version’s item survives a rewrite', () => {
    expect(toOrder({ ...toItem(registered), added_later: { x: 1 } })).toEqual({
      ...registered,
      added_later: { x: 1 },
    });
  });

  it('refuses an item that is not an order it could have written, saying where', () => {
    expect(() => toOrder({ ...toItem(paid), amount: '1000' })).toThrow(
      'the stored order order-1 is not a valid order (amount: expected number)',
    );
    expect(() => toOrder({ ...toItem(paid), status: 'settled' })).toThrow(
      'the stored order order-1 is not a valid order (status: expected one of pending, vbank_issued, paid, partially_cancelled, cancelled, failed, forgery)',
    );
    const { history: _h, ...cut } = toItem(paid);
    expect(() => toOrder(cut)).toThrow(
      'the stored order order-1 is not a valid order (history: expected array)',
    );
  });
});
