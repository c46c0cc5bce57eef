import { describe, expect, it } from 'vitest';
import {
  CANCELLATION_LEASE_MS,
  cancellationsDue,
  claimCancellation,
  recordCancellation,
} from '../../../functions/domain/cancellation';
import { decide } from '../../../functions/domain/decide';
import { newOrder } from '../../../functions/domain/order';
import { aFailedPayment, aPayment, T0 } from '../../support/payments';

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
const forged = aPayment({ amount: 10 });
const withForgery = decide(base, forged, { source: 'webhook', mode: 'live', now: NOW }).order;

describe('cancellationsDue', () => {
  it('lists a paid forgery', () => {
    expect(cancellationsDue(withForgery, NOW).map((a) => a.imp_uid)).toEqual([forged.imp_uid]);
  });

  it('ignores a forgery that holds no money', () => {
    const failed = decide(base, aFailedPayment({ amount: 10 }), {
      source: 'webhook',
      mode: 'live',
      now: NOW,
    });
    expect(cancellationsDue(failed.order, NOW)).toEqual([]);
  });

  it('ignores a genuine payment', () => {
    const paid = decide(base, aPayment(), { source: 'webhook', mode: 'live', now: NOW });
    expect(cancellationsDue(paid.order, NOW)).toEqual([]);
  });
});

describe('claimCancellation', () => {
  it('claims once and refuses a second claim inside the lease', () => {
    const claimed = claimCancellation(withForgery, forged.imp_uid, NOW);
    expect(claimed?.attempts[forged.imp_uid]?.cancellation).toMatchObject({
      state: 'requested',
      amount: 10,
    });
    expect(claimCancellation(claimed ?? withForgery, forged.imp_uid, later(1000))).toBeNull();
  });

  it('lets a claim be taken over after the lease expires', () => {
    const claimed = claimCancellation(withForgery, forged.imp_uid, NOW);
    expect(
      claimed && claimCancellation(claimed, forged.imp_uid, later(CANCELLATION_LEASE_MS + 1)),
    ).not.toBeNull();
  });
});

describe('recordCancellation', () => {
  it('stores the cancelled payment PortOne answered and marks the cancellation done', () => {
    const claimed = claimCancellation(withForgery, forged.imp_uid, NOW) ?? withForgery;
    const cancelled = aPayment({
      amount: 10,
      status: 'cancelled',
      cancel_amount: 10,
      cancelled_at: T0 + 99,
    });
    const result = recordCancellation(
      claimed,
      forged.imp_uid,
      { state: 'done', message: null, payment: cancelled },
      { mode: 'live', now: later(10) },
    );
    expect(result.attempts[forged.imp_uid]).toMatchObject({
      status: 'cancelled',
      verdict: 'forgery',
      final: false,
      cancellation: { state: 'done', amount: 10 },
    });
    expect(result.status).toBe('forgery');
    expect(cancellationsDue(result, later(10))).toEqual([]);
  });

  it('keeps a failed cancellation due for the next delivery', () => {
    const claimed = claimCancellation(withForgery, forged.imp_uid, NOW) ?? withForgery;
    const result = recordCancellation(
      claimed,
      forged.imp_uid,
      { state: 'failed', message: 'down' },
      { mode: 'live', now: NOW },
    );
    expect(cancellationsDue(result, NOW)).toHaveLength(1);
  });
});

describe('a cancellation whose answer was lost', () => {
  it('is marked done when PortOne later shows the payment cancelled in full', () => {
    // Prepare: we claimed it, called PortOne, and never learned the outcome
    const claimed = claimCancellation(withForgery, forged.imp_uid, NOW) ?? withForgery;
    const cancelled = aPayment({
      amount: 10,
      status: 'cancelled',
      cancel_amount: 10,
      cancelled_at: T0 + 99,
    });

    // Act: PortOne's cancellation webhook
    const result = decide(claimed, cancelled, {
      source: 'webhook',
      mode: 'live',
      now: later(5000),
    }).order;

    // Assess
    expect(result.attempts[forged.imp_uid]?.cancellation).toMatchObject({
      state: 'done',
      amount: 10,
    });
    expect(result.owes_cancellation).toBe(false);
  });

  it('stays as it was while money is still refundable', () => {
    const claimed = claimCancellation(withForgery, forged.imp_uid, NOW) ?? withForgery;
    const partly = aPayment({
      amount: 10,
      status: 'cancelled',
      cancel_amount: 4,
      cancelled_at: T0 + 99,
    });

    const result = decide(claimed, partly, {
      source: 'webhook',
      mode: 'live',
      now: later(5000),
    }).order;

    expect(result.attempts[forged.imp_uid]?.cancellation).toMatchObject({ state: 'requested' });
  });
});
