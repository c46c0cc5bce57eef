import { describe, expect, it } from 'vitest';
import type { Order, Source } from '../../../../../functions/domain/model/order';
import type { PortOnePayment } from '../../../../../functions/domain/model/portone-payment';
import { decide } from '../../../../../functions/domain/rules/decide';
import { newOrder } from '../../../../../functions/domain/rules/new-order';
import { settledEventsOf } from '../../../../../functions/domain/rules/settlement';
import { aFailedPayment, anIssuedVbank, aPayment, T0 } from '../../../../support/payments';

const start = (): Order =>
  newOrder({
    merchant_uid: 'order-1',
    amount: 1000,
    currency: 'KRW',
    name: 'Coffee',
    prepared: true,
    now: '2025-11-13T02:00:00.000Z',
  });

/** Plays observations one minute apart and collects the events each stored change carries. */
const play = (steps: [PortOnePayment, Source][]) => {
  let order = start();
  const events = [];
  for (const [index, [payment, source]] of steps.entries()) {
    const now = new Date(Date.parse('2025-11-13T02:00:00.000Z') + (index + 1) * 60_000);
    const decision = decide(order, payment, { source, mode: 'live', now: now.toISOString() });
    if (decision.outcome === 'applied') events.push(...settledEventsOf(order, decision.order));
    order = decision.order;
  }
  return { order, events };
};

const cancelled = aPayment({ status: 'cancelled', cancel_amount: 1000, cancelled_at: T0 + 600 });

describe('settlement events', () => {
  it('announces a card payment once, when the webhook confirms it', () => {
    const { events, order } = play([
      [aPayment(), 'complete'],
      [aPayment(), 'webhook'],
      [aPayment(), 'webhook'],
      [aPayment(), 'redirect'],
    ]);
    expect(events).toEqual([
      {
        id: 'order-1/paid',
        merchant_uid: 'order-1',
        status: 'paid',
        settled_at: '2025-11-13T02:02:00.000Z',
        order_amount: 1000,
        paid_amount: 1000,
        cancel_amount: 0,
        currency: 'KRW',
        previous: [],
      },
    ]);
    expect(order.settled).toEqual({ paid: '2025-11-13T02:02:00.000Z' });
  });

  it('announces nothing for a provisional result or an issued virtual account', () => {
    expect(play([[aPayment(), 'complete']]).events).toEqual([]);
    expect(play([[anIssuedVbank(), 'webhook']]).events).toEqual([]);
  });

  it('announces the deposit of a virtual account as paid', () => {
    const { events } = play([
      [anIssuedVbank(), 'webhook'],
      [anIssuedVbank({ status: 'paid', paid_at: T0 + 300 }), 'webhook'],
    ]);
    expect(events.map((event) => event.status)).toEqual(['paid']);
  });

  it('announces a later refund as a second outcome naming the first', () => {
    const { events } = play([
      [aPayment(), 'webhook'],
      [cancelled, 'webhook'],
      [cancelled, 'reconcile'],
    ]);
    expect(events.map((event) => [event.id, event.previous])).toEqual([
      ['order-1/paid', []],
      ['order-1/cancelled', ['paid']],
    ]);
  });

  it('announces a forged amount as forgery, once', () => {
    const forged = aPayment({ amount: 10 });
    const { events } = play([
      [forged, 'complete'],
      [forged, 'webhook'],
      [forged, 'webhook'],
    ]);
    expect(events.map((event) => [event.status, event.paid_amount, event.order_amount])).toEqual([
      ['forgery', 10, 1000],
    ]);
  });

  it('announces a failure, then the payment of a retry', () => {
    const retry = aPayment({ imp_uid: 'imp_100000000002' });
    const { events } = play([
      [aFailedPayment(), 'reconcile'],
      [retry, 'complete'],
      [retry, 'webhook'],
    ]);
    expect(events.map((event) => [event.status, event.paid_amount])).toEqual([
      ['failed', 0],
      ['paid', 1000],
    ]);
    // Events name orders, never payments (one may turn out a refunded duplicate).
    expect(JSON.stringify(events)).not.toContain('imp_');
  });

  it('announces nothing again when an outcome it already announced returns', () => {
    const before = { ...start(), status: 'paid' as const, final: true, settled: { paid: 'x' } };
    expect(settledEventsOf(before, before)).toEqual([]);
    expect(settledEventsOf(null, null)).toEqual([]);
  });
});
