import type { Decision, ObservationContext } from '../model/observation';
import type { Order } from '../model/order';
import type { PortOnePayment } from '../model/portone-payment';

/**
 * The port to the payment state. The DynamoDB adapter is
 * functions/adapters/dynamodb/; every method that changes state does it in
 * one conditional write (I5), so concurrent callers never lose an update.
 */
export interface OrderStore {
  findOrder(merchantUid: string): Promise<Order | null>;

  /** Creates the order unless one exists; answers the stored order either way. */
  createOrder(order: Order): Promise<{ created: boolean; order: Order }>;

  /**
   * Applies a fresh PortOne observation to the order it belongs to
   * (`payment.merchant_uid`), exactly as `decide` says. Null when no such
   * order is registered.
   */
  recordObservation(payment: PortOnePayment, context: ObservationContext): Promise<Decision | null>;

  /**
   * Read-modify-write with optimistic concurrency: `change` gets the stored
   * order and answers the new one, or null for "nothing to do". Retries on a
   * concurrent write. Answers the order as stored afterwards and whether this
   * call wrote it; null when the order does not exist.
   */
  updateOrder(
    merchantUid: string,
    change: (order: Order) => Order | null,
  ): Promise<{ order: Order; written: boolean } | null>;

  /** Orders whose `check_at` has come (the reconciler's work list), oldest first per shard. */
  listDue(now: string, limit: number): Promise<string[]>;

  /**
   * Moves the order's recheck time on after `failures` failed reconciler
   * runs in a row, with one targeted write (no read-modify-write), so that
   * it works whatever made the order fail.
   */
  postpone(merchantUid: string, checkAt: string, failures: number): Promise<void>;

  /** Keeps a payment whose order we never registered, for support (docs/design.md §2 step 3). */
  recordOrphan(payment: PortOnePayment, context: ObservationContext): Promise<void>;
}
