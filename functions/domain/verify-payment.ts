import {
  cancellationReason,
  cancellationsDue,
  claimCancellation,
  recordCancellation,
} from './cancellation';
import type { Clock } from './clock';
import type { ObservationContext, Outcome, PortOneMode } from './decide';
import { NotFoundError, UpstreamRejectedError } from './errors';
import type { Log } from './logger';
import { refundableBalance } from './observation';
import type { Attempt, Order, Source } from './order';
import type { OrderStore } from './order-store';
import type { PaymentGateway } from './payment-gateway';
import type { PortOnePayment } from './portone-payment';

export interface VerificationDeps {
  gateway: PaymentGateway;
  store: OrderStore;
  clock: Clock;
  log: Log;
  settings: VerificationSettings;
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
  /** The payment belongs to another order: nothing is written, nothing cancelled. */
  | { kind: 'merchant_mismatch'; payment: PortOnePayment }
  /** A real payment for an order we never registered; kept as an orphan. */
  | { kind: 'orphan'; payment: PortOnePayment }
  | {
      kind: 'recorded';
      outcome: Outcome;
      order: Order;
      /** The presented attempt after the write. */
      attempt: Attempt;
      /** A cancellation we owe could not reach PortOne; a retry of this delivery tries again. */
      cancellationPending: boolean;
    };

/**
 * DESIGN.md §2, shared by complete, redirect and webhook: look the payment up
 * at PortOne, check it belongs to the claimed order, record it, and cancel a
 * forged or duplicate payment. Transient failures propagate as
 * Upstream/StorageUnavailableError so that the caller answers 5xx (I6).
 */
export const verifyPayment = async (
  deps: VerificationDeps,
  claim: PaymentClaim,
  source: Source,
): Promise<VerificationResult> => {
  let payment: PortOnePayment;
  try {
    payment = await deps.gateway.getPayment(claim.impUid);
  } catch (error) {
    if (error instanceof NotFoundError) return { kind: 'unknown_payment' };
    throw error;
  }
  if (payment.merchant_uid !== claim.merchantUid || payment.imp_uid !== claim.impUid) {
    // One line per request that sees a forgery: the production stack counts these.
    deps.log.warn('forgery detected', {
      forgery_reason: 'merchant_uid_mismatch',
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
  if (decision.attempt.verdict === 'forgery') {
    deps.log.warn('forgery detected', {
      forgery_reason: decision.attempt.forgery_reason,
      outcome: decision.outcome,
    });
  } else if (decision.attempt.verdict === 'duplicate') {
    deps.log.warn('duplicate payment detected', {
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
    cancellationPending: settled.pending,
  };
};

/**
 * Cancels every forged or duplicate attempt of the order that still holds
 * money and that no other request is cancelling. Runs on every delivery, so a
 * cancellation that failed earlier is retried by the next delivery.
 */
export const settleCancellations = async (
  deps: VerificationDeps,
  order: Order,
): Promise<{ order: Order; pending: boolean }> => {
  if (!deps.settings.autoCancelForgery) return { order, pending: false };
  let current = order;
  let pending = false;
  for (const due of cancellationsDue(order, deps.clock().toISOString())) {
    const claimedAt = deps.clock().toISOString();
    const claimed = await deps.store.updateOrder(order.merchant_uid, (stored) =>
      claimCancellation(stored, due.imp_uid, claimedAt),
    );
    if (!claimed) continue;
    current = claimed.order;
    if (!claimed.written) continue; // another request holds the claim
    const result = await cancelAtPortOne(deps, current.attempts[due.imp_uid] ?? due);
    pending ||= result.state === 'failed';
    const recorded = await deps.store.updateOrder(order.merchant_uid, (stored) =>
      recordCancellation(stored, due.imp_uid, result, {
        mode: deps.settings.mode,
        now: deps.clock().toISOString(),
      }),
    );
    if (recorded) current = recorded.order;
  }
  return { order: current, pending };
};

const cancelAtPortOne = async (
  deps: VerificationDeps,
  attempt: Attempt,
): Promise<{
  state: 'done' | 'failed' | 'rejected';
  message: string | null;
  payment?: PortOnePayment;
}> => {
  const balance = attempt.cancellation?.amount ?? refundableBalance(attempt);
  const fields = { imp_uid: attempt.imp_uid, amount: balance, verdict: attempt.verdict };
  try {
    const payment = await deps.gateway.cancelPayment({
      impUid: attempt.imp_uid,
      amount: balance,
      checksum: balance,
      reason: cancellationReason(attempt),
      enableWebhook: true,
    });
    deps.log.warn('cancelled a payment that failed verification', fields);
    return { state: 'done', message: null, payment };
  } catch (error) {
    if (!(error instanceof UpstreamRejectedError)) {
      deps.log.error('cancellation could not reach PortOne; it will be retried', {
        ...fields,
        error: describe(error),
      });
      return { state: 'failed', message: describe(error) };
    }
    // A refusal usually means the balance moved (someone cancelled already):
    // look again instead of guessing.
    const fresh = await deps.gateway.getPayment(attempt.imp_uid).catch(() => undefined);
    if (fresh && refundableBalance(fresh) === 0) {
      return { state: 'done', message: error.message, payment: fresh };
    }
    deps.log.error('PortOne refused the cancellation; needs a person', {
      ...fields,
      error: error.message,
    });
    return { state: 'rejected', message: error.message, payment: fresh };
  }
};

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
