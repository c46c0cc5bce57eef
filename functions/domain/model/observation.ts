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
 * - `stale`: we already hold a newer observation of this payment;
 * - `not_issued`: a V2 payment whose id this order never issued (docs/design.md
 *   §2 step 2): nothing is written, nothing cancelled.
 */
export type Outcome = 'applied' | 'duplicate' | 'stale' | 'not_issued';

export interface Decision {
  outcome: Outcome;
  order: Order;
  /** The presented attempt as stored after the decision. */
  attempt: Attempt;
}
