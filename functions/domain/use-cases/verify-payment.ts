import { NotFoundError, UpstreamUnavailableError } from '../model/errors';
import { LOG_LINES } from '../model/log-lines';
import type { ObservationContext, Outcome } from '../model/observation';
import type { Attempt, Order, Source } from '../model/order';
import type { PortOneMode } from '../model/portone-mode';
import type { PortOnePayment } from '../model/portone-payment';
import type { Clock } from '../ports/clock';
import type { Log } from '../ports/log';
import type { OrderStore } from '../ports/order-store';
import type { PaymentGateway } from '../ports/payment-gateway';
import { type Budget, callLimit, unlimited } from '../rules/budget';
import { isVerifiable } from '../rules/decide';
import type { RecentlyUnknown } from './recently-unknown';
import { settleCancellations } from './settle-cancellations';

export interface VerificationDeps {
  gateway: PaymentGateway;
  store: OrderStore;
  clock: Clock;
  log: Log;
  settings: VerificationSettings;
  /** How long the request may still take (the webhook: inside PortOne's 15 s); unlimited when absent. */
  budget?: Budget;
  /** The container's memory of imp_uids PortOne does not know; consulted by the browser routes only. */
  unknownPayments?: RecentlyUnknown;
}

export interface VerificationSettings {
  mode: PortOneMode;
  autoCancelForgery: boolean;
}

/** The two ids a caller may claim; nothing else in a request is believed. */
export interface PaymentClaim {
  impUid: string;
  merchantUid: string;
}

export type VerificationResult =
  /** PortOne does not know the imp_uid (e.g. the console's test webhook). */
  | { kind: 'unknown_payment' }
  /** A browser report for an order never registered: answered without asking PortOne. */
  | { kind: 'unregistered' }
  /** The payment belongs to another order: nothing is written, nothing cancelled. */
  | { kind: 'merchant_mismatch'; payment: PortOnePayment }
  /** A real payment for an order we never registered; kept as an orphan. */
  | { kind: 'orphan'; payment: PortOnePayment }
  | {
      kind: 'recorded';
      outcome: Exclude<Outcome, 'not_issued'>;
      order: Order;
      /** The presented attempt after the write. */
      attempt: Attempt;
      /** A cancellation we owe could not reach PortOne; a repeat of this delivery tries again. */
      cancellationUnreachable: boolean;
    };

/**
 * The webhook's verification (docs/design.md §2), and the rest of the browser
 * routes' once they know the order: look the payment up at PortOne, check
 * it belongs to the claimed order, record it, and cancel a forged or
 * duplicate payment. Costs one PortOne call and one write, no read.
 * Transient failures propagate as Upstream/StorageUnavailableError so that
 * the caller answers 5xx (I6).
 */
export const verifyPayment = async (
  deps: VerificationDeps,
  claim: PaymentClaim,
  source: Source,
): Promise<VerificationResult> => {
  const payment = await lookUp(deps, claim);
  return payment ? record(deps, claim, payment, source) : { kind: 'unknown_payment' };
};

/**
 * complete and redirect (docs/design.md §4.2): anyone can call them, so the
 * order is read first, and a report for an order never registered costs no
 * PortOne call. When the order already holds the payment as confirmed by
 * the webhook (which often arrives first), the answer comes from it, with
 * no PortOne call and no write. Otherwise: one read, one call, one write.
 */
export const verifyBrowserReport = async (
  deps: VerificationDeps,
  claim: PaymentClaim,
  source: 'complete' | 'redirect',
): Promise<VerificationResult> => {
  if (deps.unknownPayments?.has(claim.impUid)) return { kind: 'unknown_payment' };
  const order = await deps.store.findOrder(claim.merchantUid);
  if (!order) return { kind: 'unregistered' };
  const held = order.attempts[claim.impUid];
  if (held?.final) {
    return {
      kind: 'recorded',
      outcome: 'duplicate',
      order,
      attempt: held,
      cancellationUnreachable: false,
    };
  }
  const payment = await lookUp(deps, claim);
  if (!payment) {
    deps.unknownPayments?.remember(claim.impUid);
    return { kind: 'unknown_payment' };
  }
  // Written like the webhook's observation (one conditional UpdateItem), not
  // conditioned on the order just read: a read-modify-write of the whole item
  // would collide with every concurrent report on the order (a checkout
  // window opened a hundred times), while the fast path's condition does not.
  return record(deps, claim, payment, source);
};

/** PortOne's payment, or null when PortOne does not know the imp_uid. */
const lookUp = async (
  deps: VerificationDeps,
  claim: PaymentClaim,
): Promise<PortOnePayment | null> => {
  try {
    return await deps.gateway.getPayment(claim.impUid, callLimit(deps.budget ?? unlimited));
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
};

/** Steps 2–6 of docs/design.md §2 for a payment PortOne showed. */
const record = async (
  deps: VerificationDeps,
  claim: PaymentClaim,
  payment: PortOnePayment,
  source: Source,
): Promise<VerificationResult> => {
  if (!isVerifiable(payment, deps.settings.mode)) {
    // Before 2026 PortOne's answers did not say whether a payment came from a
    // test channel, and test-channel payments were abused: never let such an
    // answer pay an order. Answered like an outage, so that it is retried.
    deps.log.warn('PortOne answer without the sandbox flag; not verified', {
      imp_uid: payment.imp_uid,
    });
    throw new UpstreamUnavailableError(
      'PortOne did not say whether the payment was made on a test channel; it cannot be verified yet',
    );
  }
  if (payment.merchant_uid !== claim.merchantUid || payment.imp_uid !== claim.impUid) {
    // Someone presented a real imp_uid with another order: no money is at
    // stake and nothing is written, so it has its own metric rather than
    // paging the on-call like a forgery.
    deps.log.warn(LOG_LINES.merchantMismatch, {
      payment_merchant_uid: payment.merchant_uid,
    });
    return { kind: 'merchant_mismatch', payment };
  }
  const context: ObservationContext = {
    source,
    mode: deps.settings.mode,
    now: deps.clock().toISOString(),
  };
  const decision = await deps.store.recordObservation(payment, context);
  if (!decision) {
    await deps.store.recordOrphan(payment, context);
    return { kind: 'orphan', payment };
  }
  if (decision.outcome === 'not_issued') {
    // A V2 payment made with an id of our shape that the order never issued:
    // genuine for nobody we know, so like a payment of another order.
    deps.log.warn(LOG_LINES.merchantMismatch, {
      payment_id: payment.imp_uid,
      reason: 'not_issued',
    });
    return { kind: 'merchant_mismatch', payment };
  }
  if (decision.attempt.verdict === 'forgery') {
    deps.log.warn(LOG_LINES.forgeryDetected, {
      forgery_reason: decision.attempt.forgery_reason,
      outcome: decision.outcome,
    });
  } else if (decision.attempt.verdict === 'duplicate') {
    deps.log.warn(LOG_LINES.duplicatePayment, {
      current_imp_uid: decision.order.imp_uid,
      outcome: decision.outcome,
    });
  }
  const settled = await settleCancellations(deps, decision.order);
  return {
    kind: 'recorded',
    outcome: decision.outcome,
    order: settled.order,
    attempt: settled.order.attempts[payment.imp_uid] ?? decision.attempt,
    cancellationUnreachable: settled.unreachable,
  };
};
