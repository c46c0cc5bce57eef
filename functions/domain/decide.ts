import { attemptStatusOf, observationVersion, refundableBalance, vbankOf } from './observation';
import {
  type Attempt,
  type Cancellation,
  type ForgeryReason,
  HISTORY_LIMIT,
  type HistoryEntry,
  isConfirmingSource,
  type Order,
  type OrderStatus,
  type Source,
  type Verdict,
} from './order';
import type { PortOnePayment } from './portone-payment';
import { currentAttemptOf, levelOf, PAID_LEVEL, rankOf } from './ranking';
import { withRecheck } from './recheck';
import { withSettlement } from './settlement';

export type PortOneMode = 'live' | 'test';

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

/** DESIGN.md §2 steps 4 and 5 for a payment that belongs to this order. */
export const judge = (
  order: Pick<Order, 'amount' | 'currency'>,
  payment: PortOnePayment,
  mode: PortOneMode,
): { verdict: Verdict; reason: ForgeryReason | null } => {
  if (payment.currency !== order.currency) return forgery('currency_mismatch');
  if (payment.amount !== order.amount) return forgery('amount_mismatch');
  if (payment.sandbox && mode === 'live') return forgery('sandbox_in_live_mode');
  return { verdict: 'ok', reason: null };
};

const forgery = (reason: ForgeryReason) => ({ verdict: 'forgery' as const, reason });

/** The attempt that one observation describes, before ranking against the other attempts. */
export const attemptFrom = (
  order: Pick<Order, 'amount' | 'currency'>,
  payment: PortOnePayment,
  context: ObservationContext,
  previous?: Attempt,
): Attempt => {
  const { verdict, reason } = judge(order, payment, context.mode);
  return {
    imp_uid: payment.imp_uid,
    status: attemptStatusOf(payment),
    // Being a duplicate is a fact about the past (money arrived twice): it sticks.
    verdict: previous?.verdict === 'duplicate' ? 'duplicate' : verdict,
    forgery_reason: reason,
    portone_status: payment.status,
    amount: payment.amount,
    cancel_amount: payment.cancel_amount,
    currency: payment.currency,
    pay_method: payment.pay_method,
    sandbox: payment.sandbox,
    started_at: payment.started_at,
    paid_at: payment.paid_at,
    fail_reason: payment.fail_reason,
    vbank: vbankOf(payment),
    version: observationVersion(payment),
    final: isConfirmingSource(context.source),
    cancellation: cancellationAfter(previous?.cancellation ?? null, payment, context.now),
    observed_at: context.now,
  };
};

/**
 * Our cancellation's record follows PortOne: when the cancel call's answer was
 * lost (a timeout, or a failed write after it) PortOne still cancelled, and
 * the next observation shows nothing left to refund. Then the record is done.
 */
const cancellationAfter = (
  cancellation: Cancellation | null,
  payment: PortOnePayment,
  now: string,
): Cancellation | null =>
  cancellation &&
  (cancellation.state === 'requested' || cancellation.state === 'failed') &&
  payment.status === 'cancelled' &&
  refundableBalance(payment) === 0
    ? { ...cancellation, state: 'done', at: now, message: 'PortOne reports the payment cancelled' }
    : cancellation;

/**
 * Invariants I2–I4 as one pure function. The DynamoDB adapter runs it on the
 * stored item whenever its single-write fast path does not apply, and writes
 * the result with an optimistic-concurrency condition.
 */
export const decide = (
  order: Order,
  payment: PortOnePayment,
  context: ObservationContext,
): Decision => {
  const previous = order.attempts[payment.imp_uid];
  const observed = attemptFrom(order, payment, context, previous);
  if (previous) {
    if (observed.version < previous.version) return unchanged(order, previous, 'stale');
    if (observed.version === previous.version) {
      if (!observed.final || previous.final) return unchanged(order, previous, 'duplicate');
    }
  }
  return { outcome: 'applied', ...withAttempt(order, observed, context) };
};

const unchanged = (order: Order, attempt: Attempt, outcome: Outcome): Decision => ({
  outcome,
  order,
  attempt,
});

/** Stores an attempt, re-elects the current attempt, flags duplicates and records history. */
export const withAttempt = (
  order: Order,
  attempt: Attempt,
  context: Pick<ObservationContext, 'source' | 'now'>,
): { order: Order; attempt: Attempt } => {
  const attempts = { ...order.attempts, [attempt.imp_uid]: attempt };
  const changed = [attempt.imp_uid];
  let current = currentAttemptOf(attempts);
  if (current && levelOf(current) === PAID_LEVEL) {
    for (const other of Object.values(attempts)) {
      if (other.imp_uid !== current.imp_uid && levelOf(other) === PAID_LEVEL) {
        attempts[other.imp_uid] = { ...other, verdict: 'duplicate' };
        if (other.imp_uid !== attempt.imp_uid) changed.push(other.imp_uid);
      }
    }
    current = currentAttemptOf(attempts);
  }
  const status = current ? orderStatusOf(current) : 'pending';
  const final = current?.final ?? false;
  const entries: HistoryEntry[] = changed.map((impUid) => {
    const changedAttempt = attempts[impUid] as Attempt;
    return {
      at: context.now,
      source: context.source,
      imp_uid: impUid,
      attempt_status: changedAttempt.status,
      verdict: changedAttempt.verdict,
      status,
      final,
    };
  });
  const next: Order = {
    ...order,
    attempts,
    imp_uid: current?.imp_uid ?? null,
    rank: current ? rankOf(current) : null,
    status,
    final,
    updated_at: context.now,
    history: [...order.history, ...entries].slice(-HISTORY_LIMIT),
    rev: order.rev + 1,
  };
  return {
    order: withSettlement(withRecheck(next, context.now), context.now),
    attempt: attempts[attempt.imp_uid] as Attempt,
  };
};

export const orderStatusOf = (attempt: Pick<Attempt, 'status' | 'verdict'>): OrderStatus =>
  attempt.verdict === 'forgery' ? 'forgery' : attempt.status;
