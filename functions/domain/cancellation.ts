import { attemptFrom, type ObservationContext, withAttempt } from './decide';
import { refundableBalance } from './observation';
import type { Attempt, Cancellation, Order } from './order';
import type { PortOnePayment } from './portone-payment';
import { owesCancellation, withRecheck } from './recheck';

/**
 * DESIGN.md §2 step 6 and I4: a forged or duplicate attempt that holds money
 * is cancelled by us. Exactly one request may call PortOne for it at a time:
 * it first claims the attempt with a conditional write (a lease, so a crashed
 * claimant does not block forever), and PortOne's `checksum` turns any second
 * call into a harmless refusal.
 */
export const CANCELLATION_LEASE_MS = 60_000;

export const cancellationReason = (attempt: Attempt): string =>
  attempt.verdict === 'duplicate'
    ? 'Duplicate payment for an order that is already paid'
    : `Payment verification failed (${attempt.forgery_reason ?? 'forgery'})`;

const claimable = (cancellation: Cancellation | null, nowMs: number): boolean =>
  cancellation === null ||
  cancellation.state === 'failed' ||
  (cancellation.state === 'requested' &&
    nowMs - Date.parse(cancellation.at) > CANCELLATION_LEASE_MS);

/** Attempts we must cancel and nobody is cancelling right now. */
export const cancellationsDue = (order: Order, now: string): Attempt[] =>
  Object.values(order.attempts).filter(
    (attempt) => owesCancellation(attempt) && claimable(attempt.cancellation, Date.parse(now)),
  );

/** The order with the attempt claimed for cancellation, or null when it is no longer due. */
export const claimCancellation = (order: Order, impUid: string, now: string): Order | null => {
  const attempt = order.attempts[impUid];
  if (!attempt || !cancellationsDue(order, now).some((due) => due.imp_uid === impUid)) return null;
  const cancellation: Cancellation = {
    state: 'requested',
    at: now,
    amount: refundableBalance(attempt),
    message: null,
  };
  return withCancellation(order, impUid, cancellation);
};

/**
 * Records how the cancellation ended. A successful cancel returns the updated
 * payment from PortOne, which is stored as a provisional observation; the
 * `cancelled` webhook we asked for confirms it later.
 */
export const recordCancellation = (
  order: Order,
  impUid: string,
  result: {
    state: 'done' | 'failed' | 'rejected';
    message: string | null;
    payment?: PortOnePayment;
  },
  context: Pick<ObservationContext, 'mode' | 'now'>,
): Order => {
  const previous = order.attempts[impUid];
  if (!previous) return order;
  const cancellation: Cancellation = {
    state: result.state,
    at: context.now,
    amount: previous.cancellation?.amount ?? refundableBalance(previous),
    message: result.message,
  };
  const observed =
    result.payment && result.payment.imp_uid === impUid
      ? attemptFrom(order, result.payment, { ...context, source: 'cancel' }, previous)
      : undefined;
  if (observed && observed.version > previous.version) {
    return withAttempt(order, { ...observed, cancellation }, { source: 'cancel', now: context.now })
      .order;
  }
  return withCancellation(order, impUid, cancellation);
};

const withCancellation = (order: Order, impUid: string, cancellation: Cancellation): Order => {
  const attempt = order.attempts[impUid] as Attempt;
  return withRecheck(
    {
      ...order,
      attempts: { ...order.attempts, [impUid]: { ...attempt, cancellation } },
      updated_at: cancellation.at,
      rev: order.rev + 1,
    },
    cancellation.at,
  );
};
