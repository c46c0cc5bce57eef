import type { Attempt, Cancellation, Order, Refund } from '../model/order';
import type { PortOnePayment } from '../model/portone-payment';
import { refundableBalance, roundMoney } from './observation';
import {
  CANCELLATION_LEASE_MS,
  CANCELLATION_LOOK_LONGEST_MS,
  CANCELLATION_LOOK_SHORTEST_MS,
  CANCELLATION_PICKUP_MS,
  CANCELLATION_RETRY_LONGEST_MS,
  doubling,
  isoAfter,
  RECONCILE_HORIZON_MS,
} from './timing';

/**
 * The life of a cancellation we ask of PortOne (docs/design.md §2.1), as pure
 * functions over its record. The effects (calls, writes) are in
 * cancel-at-portone.ts. Exactly one request may call PortOne for a record at
 * a time: it claims it first with a conditional write (a lease, so that a
 * crashed claimant does not block forever), and PortOne's `checksum` turns
 * a second call into a harmless refusal wherever the first took effect.
 */

/** Still moving: PortOne is to be asked, or looked at again. */
export const isOpen = (record: Cancellation | null): record is Cancellation =>
  record !== null &&
  (record.state === 'requested' || (record.state === 'failed' && record.next_at !== null));

/** A paid attempt with a refundable balance: it holds the buyer's money. */
export const holdsMoney = (attempt: Pick<Attempt, 'status' | 'amount' | 'cancel_amount'>) =>
  (attempt.status === 'paid' || attempt.status === 'partially_cancelled') &&
  refundableBalance(attempt) > 0;

/**
 * I4 and §2 step 6: a forged or duplicate attempt that holds money is to be
 * cancelled, and a forged virtual account not yet paid is to be revoked,
 * unless that has already ended.
 */
export const owesCancellation = (attempt: Attempt): boolean => {
  if (attempt.verdict === 'ok') return false;
  const owed =
    holdsMoney(attempt) || (attempt.verdict === 'forgery' && attempt.status === 'vbank_issued');
  const state = attempt.cancellation?.state;
  return owed && state !== 'done' && state !== 'rejected';
};

export const kindFor = (attempt: Attempt): Cancellation['kind'] =>
  attempt.status === 'vbank_issued' ? 'revoke' : 'cancel';

export const cancellationReason = (attempt: Attempt): string =>
  attempt.verdict === 'duplicate'
    ? 'Duplicate payment for an order that is already paid'
    : `Payment verification failed (${attempt.forgery_reason ?? 'forgery'})`;

/** When the record wants its next step; null once ended. `owed` with no record: at once. */
export const nextStepAt = (record: Cancellation | null, owed: boolean, now: string) => {
  if (record === null) return owed ? now : null;
  if (record.state === 'requested' && !record.accepted) {
    return isoAfter(record.at, CANCELLATION_LEASE_MS);
  }
  if (isOpen(record)) return record.next_at;
  // A failed record nobody needed any more, owed again: at once.
  return owed && (record as Cancellation).state === 'failed' ? now : null;
};

export const isDue = (record: Cancellation | null, owed: boolean, now: string): boolean => {
  const at = nextStepAt(record, owed, now);
  return at !== null && at <= now;
};

/** When the reconciler should take the record up (recheck.ts): its next step, or soon for one never started. */
export const recheckAtOf = (record: Cancellation | null, owed: boolean, now: string) =>
  record === null && owed ? isoAfter(now, CANCELLATION_PICKUP_MS) : nextStepAt(record, owed, now);

export const pastHorizon = (record: Cancellation, now: string): boolean =>
  Date.parse(now) - Date.parse(record.since) > RECONCILE_HORIZON_MS;

/** The record of a claim: about to ask PortOne to return `amount` out of `balance`. */
export const claimed = <C extends Cancellation>(
  previous: C | null,
  fields: Pick<Cancellation, 'kind' | 'amount' | 'balance'> & Partial<C>,
  now: string,
): Cancellation & Partial<C> => ({
  ...previous,
  ...fields,
  state: 'requested',
  at: now,
  message: null,
  since: previous?.since ?? now,
  tries: (previous?.tries ?? 0) + 1,
  accepted: false,
  next_at: isoAfter(now, CANCELLATION_LEASE_MS),
});

export type Outcome =
  /** PortOne shows the money returned (or the virtual account closed). */
  | { type: 'done'; message: string | null }
  /** `code: 0`, but the payment does not show it yet (PGs that approve later). */
  | { type: 'accepted' }
  | { type: 'failed'; message: string }
  | { type: 'rejected'; message: string };

/** The record after an outcome, with its next step scheduled. */
export const settledBy = <C extends Cancellation>(record: C, outcome: Outcome, now: string): C => {
  const nowMs = Date.parse(now);
  const since = Date.parse(record.since);
  switch (outcome.type) {
    case 'done':
      return ended({ ...record, state: 'done', at: now, message: outcome.message });
    case 'rejected':
      return ended({ ...record, state: 'rejected', at: now, message: outcome.message });
    case 'accepted': {
      const wait = doubling(
        nowMs,
        since,
        CANCELLATION_LOOK_SHORTEST_MS,
        CANCELLATION_LOOK_LONGEST_MS,
      );
      return {
        ...record,
        state: 'requested',
        accepted: true,
        at: now,
        next_at: isoAfter(now, wait),
      };
    }
    case 'failed': {
      // 0 after the first failure (the next delivery tries again at once, however long the
      // failed call took), then doubling with the time since the first try.
      const wait = record.tries <= 1 ? 0 : doubling(nowMs, since, 0, CANCELLATION_RETRY_LONGEST_MS);
      return {
        ...record,
        state: 'failed',
        at: now,
        message: outcome.message,
        next_at: isoAfter(now, wait),
      };
    }
  }
};

/** An ended record no longer needs the buyer's account (refunds keep it only to send again). */
const ended = <C extends Cancellation>(record: C): C =>
  'refund_account' in record
    ? { ...record, next_at: null, refund_account: null }
    : { ...record, next_at: null };

/** A failed record nobody needs any more (e.g. the duplicate became the order's payment). */
export const dropped = <C extends Cancellation>(record: C, message: string, now: string): C => ({
  ...record,
  state: 'failed',
  at: now,
  message,
  next_at: null,
});

/**
 * Whether PortOne's payment shows this cancellation: its refundable balance
 * fell by the amount we asked (a revocation: the account is no longer
 * waiting). Never decided by what PortOne answered to the call.
 */
export const showsDone = (
  record: Pick<Cancellation, 'kind' | 'balance' | 'amount'>,
  payment: Pick<PortOnePayment, 'amount' | 'cancel_amount' | 'status'>,
): boolean =>
  record.kind === 'revoke'
    ? payment.status === 'cancelled' || payment.status === 'failed'
    : refundableBalance(payment) <= roundMoney(record.balance - record.amount);

/**
 * The record after a fresh observation of its payment: done once PortOne
 * shows it (the answer to our call may have been lost, or the PG approved
 * it later). A revoked virtual account that was paid anyway is owed a
 * cancellation afresh.
 */
export const followedBy = <C extends Cancellation>(
  record: C | null,
  payment: PortOnePayment,
  now: string,
): C | null => {
  if (record === null) return null;
  if (record.kind === 'revoke' && payment.status === 'paid') return null;
  if (record.state === 'done' || record.state === 'rejected') return record;
  if (!showsDone(record, payment)) return record;
  return settledBy(record, { type: 'done', message: 'PortOne shows the money returned' }, now);
};

/** The refunds after a fresh observation of one payment. */
export const refundsFollowedBy = (
  refunds: readonly Refund[],
  payment: PortOnePayment,
  now: string,
): Refund[] =>
  refunds.map((refund) =>
    refund.imp_uid === payment.imp_uid && isOpen(refund)
      ? (followedBy(refund, payment, now) ?? refund)
      : refund,
  );

/** Open refunds or cancellations owed or under way: the order keeps the slow path and the reconciler. */
export const hasCancellationWork = (order: Pick<Order, 'attempts' | 'refunds'>): boolean =>
  Object.values(order.attempts).some(
    (attempt) => owesCancellation(attempt) || isOpen(attempt.cancellation),
  ) || order.refunds.some(isOpen);
