import { describe, expect, it } from 'vitest';
import type { Cancellation } from '../../../../../functions/domain/model/order';
import {
  claimed,
  followedBy,
  isDue,
  isOpen,
  owesCancellation,
  settledBy,
  showsDone,
} from '../../../../../functions/domain/rules/cancellation';
import { decide } from '../../../../../functions/domain/rules/decide';
import { newOrder } from '../../../../../functions/domain/rules/new-order';
import { classifyRefusal } from '../../../../../functions/domain/rules/refusal';
import {
  CANCELLATION_LEASE_MS,
  RECONCILE_HORIZON_MS,
} from '../../../../../functions/domain/rules/timing';
import { dueSlots } from '../../../../../functions/domain/use-cases/settle-cancellations';
import { aFailedPayment, anIssuedVbank, aPayment } from '../../../../support/payments';

const NOW = '2025-11-13T02:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
const base = newOrder({
  merchant_uid: 'order-1',
  amount: 1000,
  currency: 'KRW',
  name: null,
  prepared: true,
  now: NOW,
});
const context = { source: 'webhook' as const, mode: 'live' as const, now: NOW };
const forged = aPayment({ amount: 10 });
const withForgery = decide(base, forged, context).order;
const request = (fields: Partial<Cancellation> = {}): Cancellation => ({
  ...claimed(null, { kind: 'cancel', amount: 10, balance: 10 }, NOW),
  ...fields,
});

describe('owesCancellation', () => {
  it('owes a paid forgery and a forged virtual account not yet paid', () => {
    const vbank = decide(base, anIssuedVbank({ amount: 10 }), context).order;
    expect(owesCancellation(withForgery.attempts[forged.imp_uid] as never)).toBe(true);
    expect(Object.values(vbank.attempts).map(owesCancellation)).toEqual([true]);
  });

  it('owes nothing for a forgery that holds no money, or a genuine payment', () => {
    const failed = decide(base, aFailedPayment({ amount: 10 }), context).order;
    const paid = decide(base, aPayment(), context).order;
    expect(Object.values(failed.attempts).map(owesCancellation)).toEqual([false]);
    expect(Object.values(paid.attempts).map(owesCancellation)).toEqual([false]);
  });

  it('lists the owed forgery as due at once', () => {
    expect(dueSlots(withForgery, NOW, true)).toEqual([{ type: 'attempt', impUid: forged.imp_uid }]);
    expect(dueSlots(withForgery, NOW, false)).toEqual([]);
  });
});

describe('a claim', () => {
  it('is not due again inside its lease, and is taken over after it', () => {
    const record = request();
    expect(isDue(record, true, later(1000))).toBe(false);
    expect(isDue(record, true, later(CANCELLATION_LEASE_MS + 1))).toBe(true);
    expect(record).toMatchObject({ state: 'requested', tries: 1, accepted: false, since: NOW });
  });

  it('counts its calls and keeps the time it was first asked for', () => {
    const again = claimed(request(), { kind: 'cancel', amount: 10, balance: 10 }, later(5000));
    expect(again).toMatchObject({ tries: 2, since: NOW, at: later(5000) });
  });
});

describe('settledBy', () => {
  it('retries a failure at once first, then after doubling waits', () => {
    const first = settledBy(request(), { type: 'failed', message: 'down' }, NOW);
    const retried = claimed(first, { kind: 'cancel', amount: 10, balance: 10 }, later(60_000));
    const second = settledBy(retried, { type: 'failed', message: 'down' }, later(60_000));
    expect(first).toMatchObject({ state: 'failed', next_at: NOW });
    expect(second.next_at).toBe(later(120_000));
    expect(isOpen(second)).toBe(true);
  });

  it('makes a first failure due at once even when PortOne took a while to answer it', () => {
    // The call failed 800 ms after the claim: the very next delivery must try again.
    const first = settledBy(request(), { type: 'failed', message: 'down' }, later(800));
    expect(first).toMatchObject({ state: 'failed', next_at: later(800) });
    expect(isDue(first, true, later(801))).toBe(true);
  });

  it('looks again at an accepted cancellation in 10 minutes, and up to a day apart', () => {
    const accepted = settledBy(request(), { type: 'accepted' }, NOW);
    const weekLater = settledBy(accepted, { type: 'accepted' }, later(5 * 86_400_000));
    expect(accepted).toMatchObject({ state: 'requested', accepted: true, next_at: later(600_000) });
    expect(weekLater.next_at).toBe(later(6 * 86_400_000));
  });

  it('ends a rejected or done record, with nothing scheduled', () => {
    for (const outcome of [
      { type: 'rejected', message: 'no' },
      { type: 'done', message: null },
    ] as const) {
      const ended = settledBy(request(), outcome, NOW);
      expect(ended.next_at).toBeNull();
      expect(isOpen(ended)).toBe(false);
    }
  });
});

describe('showsDone and followedBy', () => {
  it('counts a cancel only once the balance fell by the amount asked', () => {
    const record = request({ amount: 300, balance: 1000 });
    expect(showsDone(record, { amount: 1000, cancel_amount: 0, status: 'paid' })).toBe(false);
    expect(showsDone(record, { amount: 1000, cancel_amount: 200, status: 'cancelled' })).toBe(
      false,
    );
    expect(showsDone(record, { amount: 1000, cancel_amount: 300, status: 'cancelled' })).toBe(true);
  });

  it('marks an accepted cancellation done when a later observation shows it', () => {
    const accepted = settledBy(request(), { type: 'accepted' }, NOW);
    const shown = aPayment({ amount: 10, status: 'cancelled', cancel_amount: 10 });
    expect(followedBy(accepted, aPayment({ amount: 10 }), later(1))).toBe(accepted);
    expect(followedBy(accepted, shown, later(1))).toMatchObject({ state: 'done' });
  });

  it('turns a revoked virtual account that was paid anyway into a cancellation owed afresh', () => {
    const revoke = request({ kind: 'revoke' });
    expect(followedBy(revoke, aPayment({ amount: 10 }), later(1))).toBeNull();
    expect(
      followedBy(revoke, anIssuedVbank({ amount: 10, status: 'cancelled' }), later(1)),
    ).toMatchObject({ state: 'done' });
  });

  it('is looked at for the reconcile horizon', () => {
    expect(RECONCILE_HORIZON_MS).toBe(7 * 86_400_000);
  });
});

describe('classifyRefusal', () => {
  it.each([
    ['[checksum] 취소가능잔액(700)이 checksum(1000)과 일치하지 않습니다.', 'balance_moved'],
    ['취소 요청 금액(1000)이 취소가능잔액(700)보다 큽니다.', 'balance_moved'],
    ['이미 전액취소된 주문입니다.', 'nothing_left'],
    [
      '가상계좌 환불은 refund_holder, refund_bank, refund_account 파라메터가 필요합니다.',
      'permanent',
    ],
    ['결제취소에 실패하였습니다.(해당 PG사는 API를 통한 취소를 지원하지 않습니다)', 'permanent'],
    ['[KSNET] 가상계좌 환불은 23:00~06:00에는 처리할 수 없습니다.(시간 외)', 'temporary'],
    ['이미 취소 요청이 접수되어 처리 중인 결제건입니다.', 'temporary'],
    ['PG사 점검 중입니다.', 'temporary'],
  ])('reads "%s" as %s', (message, expected) => {
    expect(classifyRefusal(message)).toBe(expected);
  });
});
