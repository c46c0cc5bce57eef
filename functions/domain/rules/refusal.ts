/**
 * What a PortOne refusal (HTTP 200 with `code != 0`) of a cancel means for
 * the next step. The messages are PortOne's and the PGs' free text (Korean
 * mostly), so only refusals known to be final are final; anything else is
 * taken as temporary and retried with backoff, up to the reconcile horizon
 * (ksnet refuses virtual-account refunds at night, PGs go down for
 * maintenance, a cancel in progress blocks another).
 */
export type Refusal =
  /** The balance is not what we sent as checksum: someone refunded meanwhile, or our earlier call took effect. */
  | 'balance_moved'
  /** Nothing left to cancel: look at PortOne to tell whose cancel it was. */
  | 'nothing_left'
  /** Retrying cannot fix it: a person must act. */
  | 'permanent'
  | 'temporary';

const NOTHING_LEFT = /이미\s*전액\s*취소|already\s+(fully\s+)?cancel/i;
const BALANCE_MOVED = /checksum|취소\s*가능\s*잔액|cancell?able\s+amount/i;
const PERMANENT = [
  // a PG or a payment method that does not allow it
  /지원하지\s*않|지원되지\s*않|not\s+supported/i,
  // a virtual account refund without the buyer's account, or without the PG contract for it
  /refund_(holder|bank|account)|환불\s*계좌|특약/i,
  // past the PG's cancellation period (e.g. phone payments after the month)
  /취소\s*가능\s*기간|기간이\s*(지났|경과)/,
];

export const classifyRefusal = (message: string): Refusal => {
  if (NOTHING_LEFT.test(message)) return 'nothing_left';
  if (BALANCE_MOVED.test(message)) return 'balance_moved';
  if (PERMANENT.some((pattern) => pattern.test(message))) return 'permanent';
  return 'temporary';
};
