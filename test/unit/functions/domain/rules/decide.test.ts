import { describe, expect, it } from 'vitest';
import type { ObservationContext } from '../../../../../functions/domain/model/observation';
import type { Order, Source } from '../../../../../functions/domain/model/order';
import type { PortOnePayment } from '../../../../../functions/domain/model/portone-payment';
import { decide } from '../../../../../functions/domain/rules/decide';
import { HISTORY_LIMIT } from '../../../../../functions/domain/rules/limits';
import { newOrder } from '../../../../../functions/domain/rules/new-order';
import { toOrderView } from '../../../../../functions/http/order-view';
import { aFailedPayment, anIssuedVbank, aPayment, T0 } from '../../../../support/payments';

const NOW = '2025-11-13T02:00:00.000Z';
const order = (): Order =>
  newOrder({
    merchant_uid: 'order-1',
    amount: 1000,
    currency: 'KRW',
    name: 'Coffee',
    prepared: true,
    now: NOW,
  });
const ctx = (source: Source, mode: 'live' | 'test' = 'live'): ObservationContext => ({
  source,
  mode,
  now: NOW,
});

/** Applies observations in order and returns the order and each outcome. */
const play = (steps: [PortOnePayment, Source][], start = order()) => {
  let current = start;
  const outcomes: string[] = [];
  for (const [payment, source] of steps) {
    const decision = decide(current, payment, ctx(source));
    outcomes.push(decision.outcome);
    current = decision.order;
  }
  return { order: current, outcomes };
};

describe('decide', () => {
  it('records a first paid observation as the current, provisional attempt', () => {
    const { order: result, outcomes } = play([[aPayment(), 'complete']]);
    expect(outcomes).toEqual(['applied']);
    expect(result).toMatchObject({
      status: 'paid',
      final: false,
      imp_uid: 'imp_100000000001',
      rev: 1,
    });
  });

  it('lets the webhook confirm an observation stored provisionally', () => {
    const { order: result, outcomes } = play([
      [aPayment(), 'complete'],
      [aPayment(), 'webhook'],
    ]);
    expect(outcomes).toEqual(['applied', 'applied']);
    expect(result).toMatchObject({ status: 'paid', final: true });
  });

  it('answers duplicate for a repeated webhook and for complete after the webhook', () => {
    const { order: result, outcomes } = play([
      [aPayment(), 'webhook'],
      [aPayment(), 'webhook'],
      [aPayment(), 'complete'],
      [aPayment(), 'redirect'],
    ]);
    expect(outcomes).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate']);
    expect(result.final).toBe(true);
    expect(result.history).toHaveLength(1);
  });

  it('never lets an older observation overwrite a newer one', () => {
    const issued = anIssuedVbank();
    const deposited = anIssuedVbank({ status: 'paid', paid_at: T0 + 3600 });
    const { order: result, outcomes } = play([
      [deposited, 'webhook'],
      [issued, 'webhook'],
      [issued, 'redirect'],
    ]);
    expect(outcomes).toEqual(['applied', 'stale', 'stale']);
    expect(result).toMatchObject({ status: 'paid', final: true });
  });

  it('lets a provisional write record a newer observation, which is then not final', () => {
    const { order: result } = play([
      [anIssuedVbank(), 'webhook'],
      [anIssuedVbank({ status: 'paid', paid_at: T0 + 3600 }), 'complete'],
    ]);
    expect(result).toMatchObject({ status: 'paid', final: false });
  });

  it('keeps a paid attempt current when a failed attempt arrives late', () => {
    const paid = aPayment({ imp_uid: 'imp_paid', started_at: T0, paid_at: T0 + 10 });
    const failed = aFailedPayment({
      imp_uid: 'imp_failed',
      started_at: T0 + 100,
      failed_at: T0 + 110,
    });
    const { order: result } = play([
      [paid, 'webhook'],
      [failed, 'complete'],
    ]);
    expect(result).toMatchObject({ status: 'paid', imp_uid: 'imp_paid' });
    expect(Object.keys(result.attempts).sort()).toEqual(['imp_failed', 'imp_paid']);
  });

  it('makes a paid attempt current after a failed one', () => {
    const failed = aFailedPayment({ imp_uid: 'imp_failed' });
    const paid = aPayment({ imp_uid: 'imp_paid', started_at: T0 + 60, paid_at: T0 + 70 });
    const { order: result } = play([
      [failed, 'complete'],
      [paid, 'webhook'],
    ]);
    expect(result).toMatchObject({ status: 'paid', imp_uid: 'imp_paid', final: true });
  });

  it('flags a second paid attempt as a duplicate whichever arrives first', () => {
    const first = aPayment({ imp_uid: 'imp_first', paid_at: T0 + 10 });
    const second = aPayment({ imp_uid: 'imp_second', started_at: T0 + 30, paid_at: T0 + 40 });
    for (const steps of [
      [
        [first, 'webhook'],
        [second, 'webhook'],
      ],
      [
        [second, 'webhook'],
        [first, 'webhook'],
      ],
    ] as [PortOnePayment, Source][][]) {
      const { order: result } = play(steps);
      expect(result.imp_uid).toBe('imp_first');
      expect(result.status).toBe('paid');
      expect(result.attempts.imp_second?.verdict).toBe('duplicate');
      expect(result.attempts.imp_first?.verdict).toBe('ok');
    }
  });

  it.each([
    ['amount', aPayment({ amount: 100 }), 'amount_mismatch'],
    ['currency', aPayment({ currency: 'USD' }), 'currency_mismatch'],
    ['sandbox channel in live mode', aPayment({ sandbox: true }), 'sandbox_in_live_mode'],
  ])('judges a payment with a wrong %s as forgery', (_, payment, reason) => {
    const { order: result } = play([[payment, 'webhook']]);
    expect(result.status).toBe('forgery');
    expect(result.attempts[payment.imp_uid]).toMatchObject({
      verdict: 'forgery',
      forgery_reason: reason,
    });
  });

  it('accepts a sandbox payment in test mode', () => {
    const decision = decide(order(), aPayment({ sandbox: true }), ctx('webhook', 'test'));
    expect(decision.order.status).toBe('paid');
  });

  it('lets a real payment replace a forgery as the current attempt', () => {
    const forged = aPayment({ imp_uid: 'imp_forged', amount: 10 });
    const real = aPayment({ imp_uid: 'imp_real', started_at: T0 + 60, paid_at: T0 + 70 });
    const { order: result } = play([
      [forged, 'complete'],
      [real, 'webhook'],
    ]);
    expect(result).toMatchObject({ status: 'paid', imp_uid: 'imp_real' });
  });

  it('reports partial and full console cancellations', () => {
    const partial = aPayment({ status: 'cancelled', cancel_amount: 400, cancelled_at: T0 + 500 });
    const full = aPayment({ status: 'cancelled', cancel_amount: 1000, cancelled_at: T0 + 900 });
    const first = play([
      [aPayment(), 'webhook'],
      [partial, 'webhook'],
    ]).order;
    expect(first.status).toBe('partially_cancelled');
    expect(toOrderView(first)).toMatchObject({ paid_amount: 1000, cancel_amount: 400 });
    const second = decide(first, full, ctx('webhook')).order;
    expect(second.status).toBe('cancelled');
  });

  it('keeps the history bounded and derives from → to', () => {
    let current = order();
    for (let i = 1; i <= HISTORY_LIMIT + 5; i++) {
      const payment = aPayment({
        status: 'cancelled',
        cancel_amount: i,
        cancelled_at: T0 + 100 + i,
      });
      current = decide(current, payment, ctx('webhook')).order;
    }
    expect(current.history).toHaveLength(HISTORY_LIMIT);
    const view = play([
      [anIssuedVbank(), 'redirect'],
      [anIssuedVbank({ status: 'paid', paid_at: T0 + 3600 }), 'webhook'],
    ]).order;
    expect(toOrderView(view).history.map((h) => `${h.from}->${h.to}`)).toEqual([
      'pending->vbank_issued',
      'vbank_issued->paid',
    ]);
  });
});
