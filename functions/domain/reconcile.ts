import { NotFoundError } from './errors';
import type { Order } from './order';
import type { PortOnePayment } from './portone-payment';
import {
  checkAtOf,
  owesCancellation,
  RECHECK_ABANDONED_MS,
  STOP_WATCHING_AFTER_MS,
} from './recheck';
import { settleCancellations, type VerificationDeps } from './verify-payment';

export interface ReconcileReport {
  /** Orders whose recheck time had come. */
  due: number;
  /** Now confirmed, or no longer watched. */
  settled: number;
  /** Looked at, still waiting for PortOne (e.g. a virtual account before its deadline). */
  open: number;
  /** Skipped: another writer got there first. */
  skipped: number;
  /** PortOne or DynamoDB failed; they stay due and the next run tries again. */
  failed: number;
}

/**
 * The backstop for webhooks that never arrive (PortOne sends each once by
 * default, and none for failed payments): every order whose recheck time has
 * come is looked up at PortOne and written with the webhook's authority
 * (`reconcile` confirms), under the same invariants. It reads the small
 * recheck index, never the table, and is safe to run twice at once: every
 * write is conditional and cancellations are claimed.
 */
export const reconcile = async (
  deps: VerificationDeps,
  options: { limit?: number; concurrency?: number } = {},
): Promise<ReconcileReport> => {
  const due = await deps.store.listDue(deps.clock().toISOString(), options.limit ?? 500);
  const report: ReconcileReport = { due: due.length, settled: 0, open: 0, skipped: 0, failed: 0 };
  const queue = [...due];
  const worker = async () => {
    for (let merchantUid = queue.shift(); merchantUid; merchantUid = queue.shift()) {
      const log = deps.log.with({ merchant_uid: merchantUid, route: 'reconcile' });
      try {
        const outcome = await reconcileOrder({ ...deps, log }, merchantUid);
        report[outcome]++;
        log.info('order reconciled', { outcome });
      } catch (error) {
        report.failed++;
        log.warn('order could not be reconciled; it stays due', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  deps.log.info('reconciliation finished', { ...report });
  return report;
};

const reconcileOrder = async (
  deps: VerificationDeps,
  merchantUid: string,
): Promise<'settled' | 'open' | 'skipped'> => {
  const now = deps.clock().toISOString();
  const order = await deps.store.findOrder(merchantUid);
  if (!order?.check_at || order.check_at > now) return 'skipped';

  let current: Order = order;
  for (const payment of await lookUp(deps, order)) {
    const decision = await deps.store.recordObservation(payment, {
      source: 'reconcile',
      mode: deps.settings.mode,
      now,
    });
    if (decision) current = decision.order;
  }
  current = (await settleCancellations(deps, current)).order;

  // Nothing new at PortOne leaves the recheck time in the past: move it on,
  // or stop watching (an expired virtual account, an abandoned checkout).
  const rescheduled = await deps.store.updateOrder(merchantUid, (stored) => {
    if (!stored.check_at || stored.check_at > now) return null;
    const next = nextCheck(stored, now);
    return next === stored.check_at ? null : { ...stored, check_at: next, rev: stored.rev + 1 };
  });
  const settled = rescheduled?.order ?? current;
  return settled.check_at ? 'open' : 'settled';
};

/**
 * What PortOne holds for the order: its latest attempt (`find` by
 * merchant_uid: it may be one we never heard of) and every attempt we hold
 * that is not confirmed yet.
 */
const lookUp = async (deps: VerificationDeps, order: Order): Promise<PortOnePayment[]> => {
  const payments = new Map<string, PortOnePayment>();
  try {
    const latest = await deps.gateway.findPayment(order.merchant_uid);
    if (latest.merchant_uid === order.merchant_uid) payments.set(latest.imp_uid, latest);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const unconfirmed = Object.values(order.attempts).filter(
    (attempt) => !attempt.final || attempt.imp_uid === order.imp_uid || owesCancellation(attempt),
  );
  for (const attempt of unconfirmed) {
    if (payments.has(attempt.imp_uid)) continue;
    const payment = await deps.gateway.getPayment(attempt.imp_uid);
    if (payment.merchant_uid === order.merchant_uid) payments.set(payment.imp_uid, payment);
  }
  return [...payments.values()];
};

const nextCheck = (order: Order, now: string): string | null => {
  const computed = checkAtOf(order, now);
  if (Object.keys(order.attempts).length > 0) return computed;
  // No payment at all: an abandoned checkout, unless someone pays late. Look
  // again after as long again as it has waited (between 1 h and a day), so a
  // checkout costs about a dozen lookups in the week it is watched, not 168.
  const age = Date.parse(now) - Date.parse(order.created_at);
  if (age > STOP_WATCHING_AFTER_MS) return null;
  const wait = Math.min(Math.max(age, RECHECK_ABANDONED_MS), 24 * 3600_000);
  return new Date(Date.parse(now) + wait).toISOString();
};
