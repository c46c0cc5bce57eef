import type { Decision, ObservationContext, Outcome } from '../model/observation';
import type {
  Attempt,
  ForgeryReason,
  HistoryEntry,
  Order,
  OrderStatus,
  Verdict,
} from '../model/order';
import type { PortOneMode } from '../model/portone-mode';
import type { PortOnePayment } from '../model/portone-payment';
import { followedBy, isOpen, refundsFollowedBy } from './cancellation';
import { ATTEMPT_LIMIT, HISTORY_LIMIT } from './limits';
import { attemptStatusOf, isConfirmingSource, observationVersion, vbankOf } from './observation';
import { elect, rankOf } from './ranking';
import { withRecheck } from './recheck';
import { withSettlement } from './settlement';

/** docs/design.md §2 steps 4 and 5 for a payment that belongs to this order. */
export const judge = (
  order: Pick<Order, 'amount' | 'currency'>,
  payment: PortOnePayment,
  mode: PortOneMode,
): { verdict: Verdict; reason: ForgeryReason | null } => {
  if (payment.currency !== order.currency) return forgery('currency_mismatch');
  if (payment.amount !== order.amount) return forgery('amount_mismatch');
  if (payment.sandbox === true && mode === 'live') return forgery('sandbox_in_live_mode');
  return { verdict: 'ok', reason: null };
};

const forgery = (reason: ForgeryReason) => ({ verdict: 'forgery' as const, reason });

/**
 * In live mode an answer that does not say which channel it came from cannot
 * be verified (docs/design.md §2 step 4): it must never pay an order.
 */
export const isVerifiable = (payment: PortOnePayment, mode: PortOneMode): boolean =>
  mode === 'test' || payment.sandbox !== null;

/** The attempt that one observation describes, before the election among the order's attempts. */
export const attemptFrom = (
  order: Pick<Order, 'amount' | 'currency'>,
  payment: PortOnePayment,
  context: ObservationContext,
  previous?: Attempt,
): Attempt => {
  const { reason } = judge(order, payment, context.mode);
  return {
    api: payment.api,
    imp_uid: payment.imp_uid,
    status: attemptStatusOf(payment),
    // A duplicate stays one only as long as the election says so (ranking.ts).
    verdict: reason ? 'forgery' : previous?.verdict === 'duplicate' ? 'duplicate' : 'ok',
    forgery_reason: reason,
    portone_status: payment.status,
    amount: payment.amount,
    cancel_amount: payment.cancel_amount,
    currency: payment.currency,
    pay_method: payment.pay_method,
    sandbox: payment.sandbox === true,
    started_at: payment.started_at,
    paid_at: payment.paid_at,
    fail_reason: payment.fail_reason,
    vbank: vbankOf(payment),
    version: observationVersion(payment),
    final: isConfirmingSource(context.source),
    // Our cancellation follows PortOne: done once the payment shows it (cancellation.ts).
    cancellation: followedBy(previous?.cancellation ?? null, payment, context.now),
    observed_at: context.now,
  };
};

/**
 * Invariants I2–I4 and I9 as one pure function. The DynamoDB adapter runs it
 * on the stored item whenever its single-write fast path does not apply, and
 * writes the result with an optimistic-concurrency condition.
 */
export const decide = (
  order: Order,
  payment: PortOnePayment,
  context: ObservationContext,
): Decision => {
  const previous = order.attempts[payment.imp_uid];
  const observed = attemptFrom(order, payment, context, previous);
  if (payment.api === 'v2' && !order.payment_ids[payment.imp_uid]) {
    return unchanged(order, observed, 'not_issued');
  }
  if (previous) {
    if (observed.version < previous.version) return unchanged(order, previous, 'stale');
    if (observed.version === previous.version) {
      if (!observed.final || previous.final) return unchanged(order, previous, 'duplicate');
    }
  }
  const followed = { ...order, refunds: refundsFollowedBy(order.refunds, payment, context.now) };
  const next = withAttempt(followed, observed, context);
  // An old abandoned window reported late to a full order decides nothing: it is not kept.
  if (!previous && !next.order.attempts[payment.imp_uid]) {
    return unchanged(order, observed, 'stale');
  }
  return { outcome: 'applied', ...next };
};

const unchanged = (order: Order, attempt: Attempt, outcome: Outcome): Decision => ({
  outcome,
  order,
  attempt,
});

/** Stores an attempt, re-elects the current attempt and the duplicates, bounds the attempts, records history. */
export const withAttempt = (
  order: Order,
  attempt: Attempt,
  context: Pick<ObservationContext, 'source' | 'now'>,
): { order: Order; attempt: Attempt } => {
  const elected = elect({ ...order.attempts, [attempt.imp_uid]: attempt });
  const { current } = elected;
  const { attempts, dropped } = bounded(elected.attempts, current?.imp_uid ?? null, order);
  const changed = Object.keys(attempts).filter(
    (id) => id === attempt.imp_uid || attempts[id]?.verdict !== order.attempts[id]?.verdict,
  );
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
    dropped_attempts: (order.dropped_attempts ?? 0) + dropped,
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
    attempt: attempts[attempt.imp_uid] ?? attempt,
  };
};

/**
 * I9: beyond ATTEMPT_LIMIT, the oldest attempts that decide nothing are
 * dropped: failed or abandoned windows that are not current and that no
 * cancellation or refund refers to. Money is never dropped.
 */
const bounded = (
  attempts: Record<string, Attempt>,
  currentId: string | null,
  order: Pick<Order, 'refunds'>,
): { attempts: Record<string, Attempt>; dropped: number } => {
  const all = Object.values(attempts);
  if (all.length <= ATTEMPT_LIMIT) return { attempts, dropped: 0 };
  const droppable = all
    .filter(
      (a) =>
        (a.status === 'pending' || a.status === 'failed') &&
        a.imp_uid !== currentId &&
        !isOpen(a.cancellation) &&
        !order.refunds.some((refund) => refund.imp_uid === a.imp_uid),
    )
    .sort((a, b) => a.started_at - b.started_at || a.imp_uid.localeCompare(b.imp_uid))
    .slice(0, all.length - ATTEMPT_LIMIT);
  if (droppable.length === 0) return { attempts, dropped: 0 };
  const kept = { ...attempts };
  for (const attempt of droppable) delete kept[attempt.imp_uid];
  return { attempts: kept, dropped: droppable.length };
};

export const orderStatusOf = (attempt: Pick<Attempt, 'status' | 'verdict'>): OrderStatus =>
  attempt.verdict === 'forgery' ? 'forgery' : attempt.status;
