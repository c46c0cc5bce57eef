import { ConflictError, UpstreamRejectedError } from '../model/errors';
import type { Order } from '../model/order';
import type { Clock } from '../ports/clock';
import type { Log } from '../ports/log';
import type { OrderStore } from '../ports/order-store';
import type { PaymentGateway } from '../ports/payment-gateway';
import { newOrder } from '../rules/new-order';

export interface RegistrationDeps {
  store: OrderStore;
  gateway: PaymentGateway;
  clock: Clock;
  log: Log;
  settings: { prepare: boolean };
}

export interface OrderTerms {
  merchant_uid: string;
  amount: number;
  currency: string;
  name: string | null;
}

/**
 * `POST /orders`: the merchant's backend states what an order must cost
 * before the payment window opens. With PORTONE_PREPARE the amount is also
 * pre-registered at PortOne, and the order counts as registered only once
 * that succeeded; calling again completes whatever is missing.
 *
 * A first registration writes the order once (not again to flag it
 * prepared: that second write and its read were a fifth of a payment's
 * DynamoDB cost, README "Cost"). So a stored `prepared: false` means "not yet
 * seen at PortOne by a repeat": the first repeat asks PortOne, which holds the
 * amount or is given it, and records the flag; later repeats ask nothing.
 *
 * `created` is true when this call completed the registration: it created the
 * order, or it was the call that PortOne first accepted the amount from.
 * @throws ConflictError when the order exists with other terms.
 */
export const registerOrder = async (
  deps: RegistrationDeps,
  terms: OrderTerms,
): Promise<{ created: boolean; order: Order }> => {
  const candidate = newOrder({
    ...terms,
    prepared: !deps.settings.prepare,
    now: deps.clock().toISOString(),
  });
  const { created, order } = await deps.store.createOrder(candidate);
  if (!created && (order.amount !== terms.amount || order.currency !== terms.currency)) {
    throw new ConflictError(
      `order ${terms.merchant_uid} is already registered with amount ${order.amount} ${order.currency}`,
    );
  }
  if (order.prepared) return { created, order };

  const accepted = await prepareAtPortOne(deps, terms);
  // Debug only: the handler's "order registered" line says `prepared` on every registration.
  deps.log.debug('amount pre-registered at PortOne', { merchant_uid: terms.merchant_uid });
  if (created) return { created, order: { ...order, prepared: true } };
  const updated = await deps.store.updateOrder(terms.merchant_uid, (stored) =>
    stored.prepared ? null : { ...stored, prepared: true, rev: stored.rev + 1 },
  );
  return { created: accepted, order: updated?.order ?? { ...order, prepared: true } };
};

/**
 * True when PortOne accepted the amount from this call; false when it held it
 * already (an earlier registration's). PortOne refuses a second POST for the
 * same merchant_uid; an earlier call may have prepared it before failing, so
 * look before deciding.
 */
const prepareAtPortOne = async (deps: RegistrationDeps, terms: OrderTerms): Promise<boolean> => {
  const request = {
    merchantUid: terms.merchant_uid,
    amount: terms.amount,
    currency: terms.currency,
  };
  try {
    await deps.gateway.preparePayment(request);
    return true;
  } catch (error) {
    if (!(error instanceof UpstreamRejectedError)) throw error;
    const prepared = await deps.gateway.getPrepared(terms.merchant_uid);
    if (prepared.amount === terms.amount) return false;
    await deps.gateway.updatePrepared(request);
    return true;
  }
};
