import { ConflictError, NotConfiguredError, NotFoundError } from '../model/errors';
import type { Clock } from '../ports/clock';
import type { Log } from '../ports/log';
import type { OrderStore } from '../ports/order-store';
import type { PaymentIdRegistry } from '../ports/payment-ids';
import type { RandomBytes } from '../ports/random';
import { type Budget, callLimit, unlimited } from '../rules/budget';
import { type IssueRefusal, issueRefusalOf, newPaymentId, withIssuedId } from '../rules/payment-id';

export interface PaymentIdDeps {
  store: OrderStore;
  /** PortOne V2's pre-registration; null when V2 is not configured. */
  registry: PaymentIdRegistry | null;
  random: RandomBytes;
  clock: Clock;
  log: Log;
  settings: { prepare: boolean };
  budget?: Budget;
}

/** What `POST /orders/{merchant_uid}/payments` answers (docs/design.md §4.2). */
export interface IssuedPaymentId {
  payment_id: string;
  merchant_uid: string;
  amount: number;
  currency: string;
}

/**
 * `POST /orders/{merchant_uid}/payments`: a new V2 payment id for one
 * checkout attempt, which the page passes to `PortOne.requestPayment`.
 *
 * The id is stored in the order before it is answered, so a payment made
 * under it is always one the order issued (docs/design.md §2 step 2). The
 * write is `store.updateOrder`, a read and one write conditional on the
 * revision, retried when another write came first: the refusals (paid,
 * too many ids) are then decided by pure rules on the order as stored, and
 * concurrent calls each add their own id, none lost (I5). A single
 * UpdateItem could save the read, but would have to restate those rules as
 * a condition expression; issuing an id is rare enough per order that the
 * read costs nothing that matters.
 *
 * With PORTONE_PREPARE the id is pre-registered with the order's amount and
 * currency before it is answered. When PortOne is down the id stays stored
 * but unanswered (502): harmless, since nobody else knows it and PortOne
 * holds no payment under it; the next call issues another.
 *
 * @throws NotConfiguredError without PortOne V2, NotFoundError for an unknown
 * order, ConflictError for a paid order or one at PAYMENT_ID_LIMIT.
 */
export const issuePaymentId = async (
  deps: PaymentIdDeps,
  merchantUid: string,
): Promise<IssuedPaymentId> => {
  if (!deps.registry) throw new NotConfiguredError('PortOne V2 is not configured');
  const paymentId = newPaymentId(merchantUid, deps.random);
  const now = deps.clock().toISOString();
  // The last call of `change` is the one that decided: updateOrder retries with the newer order.
  const seen: { refusal: IssueRefusal | null } = { refusal: null };
  const result = await deps.store.updateOrder(merchantUid, (stored) => {
    seen.refusal = issueRefusalOf(stored);
    return seen.refusal ? null : withIssuedId(stored, paymentId, now);
  });
  if (!result) throw new NotFoundError(`order ${merchantUid} is not registered`);
  if (seen.refusal) throw new ConflictError(refusalMessage(merchantUid, seen.refusal));
  const { order } = result;
  deps.log.info('payment id issued', { payment_id: paymentId });

  if (deps.settings.prepare) {
    await deps.registry.preRegister(
      { paymentId, totalAmount: order.amount, currency: order.currency },
      callLimit(deps.budget ?? unlimited),
    );
    deps.log.info('payment id pre-registered at PortOne', { payment_id: paymentId });
  }
  return {
    payment_id: paymentId,
    merchant_uid: order.merchant_uid,
    amount: order.amount,
    currency: order.currency,
  };
};

const refusalMessage = (merchantUid: string, refusal: IssueRefusal): string =>
  refusal.kind === 'paid'
    ? `order ${merchantUid} is already paid (status ${refusal.status}); no new payment may start`
    : `order ${merchantUid} already has the maximum of ${refusal.limit} payment ids; register a new order`;
