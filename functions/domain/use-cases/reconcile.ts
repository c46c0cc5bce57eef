import { ItemTooLargeError, NotFoundError, UpstreamUnavailableError } from '../model/errors';
import { LOG_LINES } from '../model/log-lines';
import type { Order } from '../model/order';
import type { PortOnePayment } from '../model/portone-payment';
import { budgetOf } from '../rules/budget';
import { isOpen, owesCancellation } from '../rules/cancellation';
import { isVerifiable } from '../rules/decide';
import { observationVersion } from '../rules/observation';
import { checkAtOf } from '../rules/recheck';
import {
  doubling,
  isoAfter,
  RECHECK_ABANDONED_MS,
  RECHECK_AFTER_MS,
  RECHECK_LONGEST_MS,
  RECONCILE_HORIZON_MS,
} from '../rules/timing';
import { settleCancellations } from './settle-cancellations';
import type { VerificationDeps } from './verify-payment';

export interface ReconcileReport {
  /** Orders whose recheck time had come. */
  due: number;
  /** Now confirmed, or no longer watched. */
  settled: number;
  /** Looked at, still waiting for PortOne (e.g. a virtual account before its deadline). */
  open: number;
  /** Skipped: another writer got there first. */
  skipped: number;
  /** PortOne or DynamoDB failed; they are looked at again later, with backoff. */
  failed: number;
}

export interface ReconcileOptions {
  /** The most orders one run looks at. @default 500 */
  limit?: number;
  /** Orders looked at side by side. @default 4 */
  concurrency?: number;
  /**
   * Also look at orders whose recheck time comes within this many
   * milliseconds, with every write still stamped with the real clock. The
   * local schedule uses it to settle an unconfirmed order within a minute
   * instead of 10 (local/reconcile-schedule.ts); AWS runs with none.
   * @default 0
   */
  lookAheadMs?: number;
}

/** Time for one order: its lookups and any cancellation steps; a run has 4 minutes. */
const ORDER_BUDGET_MS = 30_000;

/** The longest wait after failures in a row on one order. */
const FAILED_LONGEST_MS = 6 * 3600_000;

/**
 * The backstop for webhooks that never arrive (PortOne sends each once by
 * default, and none for failed payments): every order whose recheck time has
 * come is looked up at PortOne and written with the webhook's authority
 * (`reconcile` confirms), under the same invariants. It reads the small
 * recheck index, never the table, and is safe to run twice at once: every
 * write is conditional and cancellations are claimed. An order that fails is
 * looked at again later with backoff, so that it never holds the head of
 * its shard and crowds out the others.
 */
export const reconcile = async (
  deps: VerificationDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> => {
  const lookAheadMs = options.lookAheadMs ?? 0;
  const dueBy = isoAfter(deps.clock().toISOString(), lookAheadMs);
  const due = await deps.store.listDue(dueBy, options.limit ?? 500);
  const report: ReconcileReport = { due: due.length, settled: 0, open: 0, skipped: 0, failed: 0 };
  const queue = [...due];
  const worker = async () => {
    for (let merchantUid = queue.shift(); merchantUid; merchantUid = queue.shift()) {
      const log = deps.log.with({ merchant_uid: merchantUid, route: 'reconcile' });
      try {
        const outcome = await reconcileOrder(
          { ...deps, log, budget: budgetOf(ORDER_BUDGET_MS) },
          merchantUid,
          lookAheadMs,
        );
        report[outcome]++;
        log.info('order reconciled', { outcome });
      } catch (error) {
        report.failed++;
        if (error instanceof ItemTooLargeError) {
          log.error(LOG_LINES.itemTooLarge, { error: error.message });
        }
        const retryAt = await postpone(deps, merchantUid).catch(() => null);
        log.warn('order could not be reconciled; it is looked at again later', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          retry_at: retryAt,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  deps.log.info(LOG_LINES.reconciliationFinished, { ...report });
  return report;
};

const reconcileOrder = async (
  deps: VerificationDeps,
  merchantUid: string,
  lookAheadMs: number,
): Promise<'settled' | 'open' | 'skipped'> => {
  const now = deps.clock().toISOString();
  const dueBy = isoAfter(now, lookAheadMs);
  const order = await deps.store.findOrder(merchantUid);
  if (!order?.check_at || order.check_at > dueBy) return 'skipped';

  let current: Order = order;
  for (const payment of await lookUp(deps, order)) {
    const held = current.attempts[payment.imp_uid];
    // Already confirmed exactly as PortOne shows it: nothing to write.
    if (held?.final && held.version >= observationVersion(payment)) continue;
    const decision = await deps.store.recordObservation(payment, {
      source: 'reconcile',
      mode: deps.settings.mode,
      now,
    });
    if (decision) current = decision.order;
  }
  current = (await settleCancellations(deps, current)).order;

  // Nothing new at PortOne leaves the recheck time in the past (or within the
  // look-ahead): move it on, or stop watching (an expired virtual account, an
  // abandoned checkout).
  const rescheduled = await deps.store.updateOrder(merchantUid, (stored) => {
    if (stored.recheck_failures === 0 && (!stored.check_at || stored.check_at > dueBy)) {
      return null;
    }
    const next = nextCheck(stored, now);
    if (next === stored.check_at && stored.recheck_failures === 0) return null;
    return { ...stored, check_at: next, recheck_failures: 0, rev: stored.rev + 1 };
  });
  const settled = rescheduled?.order ?? current;
  return settled.check_at ? 'open' : 'settled';
};

/**
 * What PortOne holds for the order (I8): every payment of it that moved
 * money (paid, or cancelled in part or whole: one may have been opened
 * before the one we heard of and approved after it), its latest attempt
 * (a virtual account or a pending payment we never heard of), and every
 * attempt we hold that is unconfirmed, current, or has a cancellation under
 * way, and every V2 payment id it issued that we never heard of. An answer that cannot be verified fails the order for this run.
 */
const lookUp = async (deps: VerificationDeps, order: Order): Promise<PortOnePayment[]> => {
  const payments = new Map<string, PortOnePayment>();
  const keep = (payment: PortOnePayment) => {
    if (payment.merchant_uid !== order.merchant_uid) return;
    if (!isVerifiable(payment, deps.settings.mode)) {
      throw new UpstreamUnavailableError(
        `PortOne did not say whether payment ${payment.imp_uid} was made on a test channel`,
      );
    }
    payments.set(payment.imp_uid, payment);
  };
  for (const status of ['paid', 'cancelled'] as const) {
    for (const payment of await deps.gateway.findPayments(order.merchant_uid, status)) {
      keep(payment);
    }
  }
  try {
    keep(await deps.gateway.findPayment(order.merchant_uid));
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const held = Object.values(order.attempts).filter(
    (attempt) =>
      !attempt.final ||
      attempt.imp_uid === order.imp_uid ||
      owesCancellation(attempt) ||
      isOpen(attempt.cancellation) ||
      order.refunds.some((refund) => refund.imp_uid === attempt.imp_uid && isOpen(refund)),
  );
  for (const attempt of held) {
    if (payments.has(attempt.imp_uid)) continue;
    keep(await deps.gateway.getPayment(attempt.imp_uid));
  }
  // V2 has no lookup by order: each payment id the order issued that we have
  // not heard of yet, within the horizon. PortOne knows an id only once its
  // window opened, so an id never used answers not found.
  const nowMs = Date.parse(deps.clock().toISOString());
  for (const [paymentId, issuedAt] of Object.entries(order.payment_ids)) {
    if (payments.has(paymentId) || order.attempts[paymentId]) continue;
    if (nowMs - Date.parse(issuedAt) > RECONCILE_HORIZON_MS) continue;
    try {
      keep(await deps.gateway.getPayment(paymentId));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return [...payments.values()];
};

const nextCheck = (order: Order, now: string): string | null => {
  if (Object.keys(order.attempts).length > 0 || order.refunds.length > 0) {
    return checkAtOf(order, now);
  }
  // No payment at all: an abandoned checkout, unless someone pays late. Look
  // again after as long again as it has waited (between 1 h and a day), so a
  // checkout costs about a dozen lookups in the week it is watched, not 168.
  const nowMs = Date.parse(now);
  const createdMs = Date.parse(order.created_at);
  if (nowMs - createdMs > RECONCILE_HORIZON_MS) return null;
  return isoAfter(now, doubling(nowMs, createdMs, RECHECK_ABANDONED_MS, RECHECK_LONGEST_MS));
};

/**
 * After a failed run on an order: look again after 10 minutes, doubling with
 * every failure in a row up to 6 hours. One targeted write, so that it works
 * whatever made the order fail.
 */
const postpone = async (deps: VerificationDeps, merchantUid: string): Promise<string> => {
  const stored = await deps.store.findOrder(merchantUid).catch(() => null);
  const failures = (stored?.recheck_failures ?? 0) + 1;
  const wait = Math.min(RECHECK_AFTER_MS * 2 ** (failures - 1), FAILED_LONGEST_MS);
  const retryAt = isoAfter(deps.clock().toISOString(), wait);
  await deps.store.postpone(merchantUid, retryAt, failures);
  return retryAt;
};
