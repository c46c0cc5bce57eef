// The demo shop's two uses of the simulator's control API (/__sim/, not
// PortOne's): forgetting an order's amount pre-registration, so that a
// tampered amount reaches the payments API (the forgery path), and reading
// the webhook log, so that the result page can say how many deliveries
// arrived. Neither exists against PortOne's real test channel.
import { API_TIMEOUT_MS } from './api-call';

/** One webhook delivery the simulator sent for an order: when, and what the server answered. */
export interface Delivery {
  /** ISO time the delivery started (the simulator's clock). */
  at: string;
  /** The HTTP status the payments API answered; null when it did not answer. */
  status: number | null;
}

const control = (simulatorUrl: string, path: string, method = 'GET'): Promise<Response> =>
  fetch(`${simulatorUrl}/__sim${path}`, {
    method,
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(API_TIMEOUT_MS),
  });

/**
 * Makes the simulator forget the amount pre-registered for this checkout
 * (V1: the merchant_uid; V2: the payment id). Nothing registered (e.g.
 * PORTONE_PREPARE=false) is fine: the result is the same.
 */
export const forgetPreRegistration = async (
  simulatorUrl: string,
  // The two ids of a ShopOrder (orders.ts), named here so that orders.ts can import this file.
  order: { merchant_uid: string; payment_id?: string },
): Promise<{ ok: true } | { ok: false; why: string }> => {
  const path = order.payment_id
    ? `/v2/payments/${encodeURIComponent(order.payment_id)}/pre-register`
    : `/prepared/${encodeURIComponent(order.merchant_uid)}`;
  try {
    const answer = await control(simulatorUrl, path, 'DELETE');
    return answer.ok || answer.status === 404
      ? { ok: true }
      : { ok: false, why: `HTTP ${answer.status}` };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
};

interface LoggedDelivery {
  at: number;
  fields?: Record<string, string>;
  body?: string;
  /** V2's `skipped`: the delivery mode "none", which never sent anything. */
  outcome: { status?: number; skipped?: boolean };
}

const deliveryOf = (entry: LoggedDelivery): Delivery => ({
  at: new Date(entry.at * 1000).toISOString(),
  status: typeof entry.outcome.status === 'number' ? entry.outcome.status : null,
});

/** The V2 payment id a V2 webhook body names, if any. */
const v2PaymentIdOf = (body: string | undefined): string | null => {
  try {
    const parsed = JSON.parse(body ?? 'null') as { data?: { paymentId?: unknown } } | null;
    return typeof parsed?.data?.paymentId === 'string' ? parsed.data.paymentId : null;
  } catch {
    return null;
  }
};

/**
 * Every webhook delivery the simulator sent for this order, oldest first (a
 * skipped one, V2's mode "none", never arrived, so it is left out):
 * V1 deliveries name the merchant_uid, V2 ones a payment id the payments API
 * issued for it (`{merchant_uid}.{random}`).
 */
export const webhookDeliveries = async (
  simulatorUrl: string,
  merchantUid: string,
): Promise<Delivery[]> => {
  const read = async (path: string): Promise<LoggedDelivery[]> => {
    const answer = await control(simulatorUrl, path);
    if (!answer.ok) return [];
    return ((await answer.json()) as { webhooks?: LoggedDelivery[] }).webhooks ?? [];
  };
  const [v1, v2] = await Promise.all([read('/webhooks'), read('/v2/webhooks')]);
  return [
    ...v1.filter((entry) => entry.fields?.merchant_uid === merchantUid),
    ...v2.filter((entry) => v2PaymentIdOf(entry.body)?.startsWith(`${merchantUid}.`)),
  ]
    .filter((entry) => !entry.outcome.skipped)
    .sort((a, b) => a.at - b.at)
    .map(deliveryOf);
};
