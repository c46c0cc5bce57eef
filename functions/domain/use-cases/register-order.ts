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
 * `created` is true when this call completed the registration.
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

  await prepareAtPortOne(deps, terms);
  const updated = await deps.store.updateOrder(terms.merchant_uid, (stored) =>
    stored.prepared ? null : { ...stored, prepared: true, rev: stored.rev + 1 },
  );
  // Debug only: the handler's "order registered" line says `prepared` on every registration.
  deps.log.debug('amount pre-registered at PortOne', { merchant_uid: terms.merchant_uid });
  return { created: true, order: updated?.order ?? { ...order, prepared: true } };
};

// PortOne refuses a second POST for the same merchant_uid; an earlier call
// may have prepared it before failing, so look before deciding.
const prepareAtPortOne = async (deps: RegistrationDeps, terms: OrderTerms): Promise<void> => {
  const request = {
    merchantUid: terms.merchant_uid,
    amount: terms.amount,
    currency: terms.currency,
  };
  try {
    await deps.gateway.preparePayment(request);
  } catch (error) {
    if (!(error instanceof UpstreamRejectedError)) throw error;
    const prepared = await deps.gateway.getPrepared(terms.merchant_uid);
    if (prepared.amount !== terms.amount) await deps.gateway.updatePrepared(request);
  }
};
