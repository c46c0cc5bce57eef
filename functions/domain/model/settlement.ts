import type { SettledStatus } from './order';

/**
 * What the merchant's subscriber receives; no buyer data, only what
 * fulfilment needs. Events name orders, never payments: an order's paying
 * payment can change after its `paid` event (a payment made earlier, whose
 * webhook came later, turns the announced one into a duplicate that we
 * refund), so a payment id here could be one we refunded. The payment ids
 * are in `GET /orders/{merchant_uid}`, settled by then.
 */
export interface PaymentSettled {
  /** Deterministic (`<merchant_uid>/<status>`): at-least-once delivery can repeat an event, never change its id. */
  id: string;
  merchant_uid: string;
  status: SettledStatus;
  settled_at: string;
  /** What the order must cost. */
  order_amount: number;
  /** Of the order's paying (or, for forgery, forged) payment: the same whichever payment it is. */
  paid_amount: number;
  cancel_amount: number;
  currency: string;
  /** Earlier outcomes of this order, oldest first (e.g. ["paid"] on a refund). */
  previous: SettledStatus[];
}
