import type { Order } from '../model/order';
import { hasCancellationWork, owesCancellation, recheckAtOf } from './cancellation';
import {
  doubling,
  isoAfter,
  RECHECK_ABANDONED_MS,
  RECHECK_AFTER_MS,
  RECHECK_LONGEST_MS,
  RECONCILE_HORIZON_MS,
  VBANK_GRACE_MS,
} from './timing';

/**
 * When the reconciler should look at an order again (I8: whatever every
 * webhook missed). Every write keeps this up to date, so the reconciler
 * reads a small index instead of the table. An order is watched
 * - while its result is unconfirmed: 10 minutes after the write;
 * - while it has no outcome yet (confirmed pending or failed: PayPal pending,
 *   a bank transfer approved later, Paymentwall's failed-then-paid), with
 *   doubling waits for the reconcile horizon;
 * - while a virtual account is open: at its deadline, then for a grace
 *   period (a deposit PortOne records late, or whose webhook was lost);
 * - while a cancellation is owed or under way: at its next step.
 */
export { RECHECK_AFTER_MS } from './timing';

/** Sets the derived bookkeeping every write must carry: cancellation work and the recheck time. */
export const withRecheck = (order: Order, now: string): Order => {
  const next = { ...order, owes_cancellation: hasCancellationWork(order) };
  next.check_at = checkAtOf(next, now);
  return next;
};

export const checkAtOf = (
  order: Pick<Order, 'final' | 'status' | 'imp_uid' | 'attempts' | 'refunds'>,
  now: string,
): string | null => {
  const times: string[] = [];
  for (const attempt of Object.values(order.attempts)) {
    const at = recheckAtOf(attempt.cancellation, owesCancellation(attempt), now);
    if (at) times.push(at);
  }
  for (const refund of order.refunds) {
    const at = recheckAtOf(refund, false, now);
    if (at) times.push(at);
  }
  const base = outcomeCheckAt(order, now);
  if (base) times.push(base);
  return times.length > 0 ? times.reduce((a, b) => (a < b ? a : b)) : null;
};

const outcomeCheckAt = (
  order: Pick<Order, 'final' | 'status' | 'imp_uid' | 'attempts'>,
  now: string,
): string | null => {
  if (!order.final) return isoAfter(now, RECHECK_AFTER_MS);
  const current = order.imp_uid ? order.attempts[order.imp_uid] : undefined;
  const nowMs = Date.parse(now);
  switch (order.status) {
    case 'vbank_issued': {
      const dueMs = current?.vbank?.due ? Date.parse(current.vbank.due) : Number.NaN;
      if (!Number.isFinite(dueMs)) return isoAfter(now, RECHECK_LONGEST_MS);
      if (dueMs > nowMs) return new Date(dueMs).toISOString();
      if (nowMs - dueMs > VBANK_GRACE_MS) return null; // expired unpaid
      return isoAfter(now, doubling(nowMs, dueMs, RECHECK_AFTER_MS, RECHECK_LONGEST_MS / 2));
    }
    case 'pending':
    case 'failed': {
      const startedMs = current && current.started_at > 0 ? current.started_at * 1000 : nowMs;
      if (nowMs - startedMs > RECONCILE_HORIZON_MS) return null;
      return isoAfter(now, doubling(nowMs, startedMs, RECHECK_ABANDONED_MS, RECHECK_LONGEST_MS));
    }
    default:
      return null;
  }
};
