import type { Attempt, Order, Source } from './order';
import type { PortOneMode } from './portone-mode';

export interface ObservationContext {
  source: Source;
  mode: PortOneMode;
  /** ISO 8601 time of this request. */
  now: string;
}

/**
 * What one fresh PortOne observation does to an order:
 * - `applied`: the order changed (a newer observation, or the webhook
 *   confirming the stored one);
 * - `duplicate`: exactly this observation is already stored (and confirmed,
 *   when the source confirms);
 * - `stale`: we already hold a newer observation of this payment.
 */
export type Outcome = 'applied' | 'duplicate' | 'stale';

export interface Decision {
  outcome: Outcome;
  order: Order;
  /** The presented attempt as stored after the decision. */
  attempt: Attempt;
}
