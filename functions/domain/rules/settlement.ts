import { type Order, type OrderStatus, SETTLED_STATUSES, type SettledStatus } from '../model/order';
import type { PaymentSettled } from '../model/settlement';

/**
 * "Payment settled" events: the merchant's fulfilment code learns
 * once that an order has reached a final outcome, and once more for every
 * later outcome (a paid order refunded, a failed checkout paid on a retry).
 *
 * The write that makes an order final also stamps `order.settled[status]`
 * (first time only), and the table's stream turns each new stamp into one
 * event. Nothing is published by the request handlers, so a crash between
 * the write and the publication loses nothing: the stream still holds the
 * change, and a redelivered record yields the same event id.
 */
export const isSettledStatus = (status: OrderStatus): status is SettledStatus =>
  (SETTLED_STATUSES as readonly OrderStatus[]).includes(status);

/** True when the order is final with an outcome it has not settled with before. */
export const settlesNow = (order: Pick<Order, 'final' | 'status' | 'settled'>): boolean =>
  order.final && isSettledStatus(order.status) && order.settled?.[order.status] === undefined;

/** Stamps the order's outcome the first time it is final with it. */
export const withSettlement = (order: Order, now: string): Order =>
  settlesNow(order) ? { ...order, settled: { ...order.settled, [order.status]: now } } : order;

export const settlementEventId = (merchantUid: string, status: SettledStatus): string =>
  `${merchantUid}/${status}`;

/**
 * The events one stored change carries: every outcome stamped in `after` but
 * not in `before`. Pure, so the Lambda stream handler and the local stream
 * reader announce exactly the same events.
 */
export const settledEventsOf = (before: Order | null, after: Order | null): PaymentSettled[] => {
  if (!after?.settled) return [];
  const earlier = before?.settled ?? {};
  const stamped = SETTLED_STATUSES.filter((status) => after.settled[status] !== undefined).sort(
    (a, b) => (after.settled[a] as string).localeCompare(after.settled[b] as string),
  );
  const attempt = after.imp_uid ? after.attempts[after.imp_uid] : undefined;
  return stamped
    .filter((status) => earlier[status] === undefined)
    .map((status) => ({
      id: settlementEventId(after.merchant_uid, status),
      merchant_uid: after.merchant_uid,
      status,
      settled_at: after.settled[status] as string,
      order_amount: after.amount,
      paid_amount: attempt && attempt.paid_at > 0 ? attempt.amount : 0,
      cancel_amount: attempt?.cancel_amount ?? 0,
      currency: after.currency,
      previous: stamped.filter((other) => earlier[other] !== undefined),
    }));
};
