import { refundableBalance } from './observation';
import type { Attempt, Order } from './order';

/**
 * When the reconciler should look at an order again (issue: webhooks that
 * never arrive). An order is watched while its result is unconfirmed, and a
 * confirmed virtual account until its deposit deadline; every write keeps
 * this up to date, so the reconciler reads a small index instead of the table.
 */
export const RECHECK_AFTER_MS = 10 * 60_000;

/** An order with no payment at all is an abandoned checkout after this long; we stop asking PortOne. */
export const STOP_WATCHING_AFTER_MS = 7 * 24 * 3600_000;

/** The shortest wait before asking again about an order PortOne knows no payment for. */
export const RECHECK_ABANDONED_MS = 3600_000;

/** A forged or duplicate attempt that still holds money and whose cancellation has not ended. */
export const owesCancellation = (attempt: Attempt): boolean =>
  attempt.verdict !== 'ok' &&
  (attempt.status === 'paid' || attempt.status === 'partially_cancelled') &&
  refundableBalance(attempt) > 0 &&
  attempt.cancellation?.state !== 'done' &&
  attempt.cancellation?.state !== 'rejected';

/** Sets the derived bookkeeping every write must carry: open cancellations and the recheck time. */
export const withRecheck = (order: Order, now: string): Order => {
  const next = {
    ...order,
    owes_cancellation: Object.values(order.attempts).some(owesCancellation),
  };
  next.check_at = checkAtOf(next, now);
  return next;
};

export const checkAtOf = (
  order: Pick<Order, 'final' | 'status' | 'imp_uid' | 'attempts' | 'owes_cancellation'>,
  now: string,
): string | null => {
  const nowMs = Date.parse(now);
  // A cancellation we owe is retried by the reconciler until it ends.
  if (order.owes_cancellation) return new Date(nowMs + RECHECK_AFTER_MS).toISOString();
  if (order.final && order.status !== 'vbank_issued') return null;
  if (order.final && order.status === 'vbank_issued') {
    const due = order.imp_uid ? order.attempts[order.imp_uid]?.vbank?.due : null;
    const dueMs = due ? Date.parse(due) : Number.NaN;
    // Past the deadline and still confirmed as issued: the account expired unpaid.
    if (Number.isFinite(dueMs) && dueMs <= nowMs) return null;
    return new Date(Number.isFinite(dueMs) ? dueMs : nowMs + 24 * 3600_000).toISOString();
  }
  return new Date(nowMs + RECHECK_AFTER_MS).toISOString();
};
