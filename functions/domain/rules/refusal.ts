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

/**
 * PortOne V2 names its refusals (the error `type` of a 409): those that tell
 * what happened are read from the type; a PG's own refusal (`PG_PROVIDER`)
 * and types we do not know fall back to its message, like V1's.
 */
const V2_TYPES: Record<string, Refusal> = {
  CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN: 'balance_moved',
  CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT: 'balance_moved',
  PAYMENT_ALREADY_CANCELLED: 'nothing_left',
  PAYMENT_NOT_PAID: 'nothing_left',
  CANCEL_TAX_AMOUNT_EXCEEDS_CANCELLABLE_TAX_AMOUNT: 'permanent',
  CANCEL_TAX_FREE_AMOUNT_EXCEEDS_CANCELLABLE_TAX_FREE_AMOUNT: 'permanent',
  SUM_OF_PARTS_EXCEEDS_CANCEL_AMOUNT: 'permanent',
  NEGATIVE_PROMOTION_ADJUSTED_CANCEL_AMOUNT: 'permanent',
  PROMOTION_DISCOUNT_RETAIN_OPTION_SHOULD_NOT_BE_CHANGED: 'permanent',
};

/** `code`: V1's numeric envelope code (says nothing), or V2's error type. */
export const classifyRefusal = (message: string, code: number | string = 1): Refusal => {
  const named = typeof code === 'string' ? V2_TYPES[code] : undefined;
  if (named) return named;
  if (NOTHING_LEFT.test(message)) return 'nothing_left';
  if (BALANCE_MOVED.test(message)) return 'balance_moved';
  if (PERMANENT.some((pattern) => pattern.test(message))) return 'permanent';
  return 'temporary';
};
