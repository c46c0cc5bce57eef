import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../read-body';
import { API_TIMEOUT_MS, postToApi } from './api-call';
import { findProduct } from './catalog';
import { forgetPreRegistration } from './simulator-demo';

/** What `POST /shop/orders` answers: enough for `IMP.request_pay` or `PortOne.requestPayment`. */
export interface ShopOrder {
  merchant_uid: string;
  amount: number;
  name: string;
  /** With `{"api": "v2"}`: the V2 payment id the payments API issued for this checkout attempt. */
  payment_id?: string;
}

const MAX_BODY = 16 * 1024;

/** `shop-<base36 time>-<base36 random>`: at most 28 characters of [a-z0-9-]. */
export const newMerchantUid = (now = Date.now()): string =>
  `shop-${now.toString(36)}-${randomBytes(8).readBigUInt64BE().toString(36)}`;

/**
 * `POST /shop/orders`, the shop's own backend: the browser names a product
 * (and `api`: "v1", the default, or "v2"), the price comes from the catalog
 * (never from the browser), and the order is registered with the payments API
 * before the payment window opens; for V2 the answer also carries the payment
 * id that the payments API issued (and pre-registered) for this attempt.
 * `"prepare": false` is a demo control, on the simulator only: the shop then
 * makes the simulator forget the amount pre-registered for this checkout, so
 * that a tampered amount reaches the payments API as a forgery.
 */
export const createShopOrder = async (
  request: IncomingMessage,
  response: ServerResponse,
  apiBase: string,
  simulatorUrl: string | null = null,
): Promise<void> => {
  const raw = await readRequestBody(request, MAX_BODY);
  if (raw === 'too-large') return sendJson(response, 413, { message: 'request body is too large' });
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendJson(response, 400, { message: 'the body must be JSON: {"product_id": "…"}' });
  }
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const productId = fields.product_id;
  const api = fields.api ?? 'v1';
  if (api !== 'v1' && api !== 'v2') {
    return sendJson(response, 400, { message: 'api must be "v1" or "v2"' });
  }
  const prepare = fields.prepare ?? true;
  if (typeof prepare !== 'boolean') {
    return sendJson(response, 400, { message: 'prepare must be true or false' });
  }
  if (!prepare && simulatorUrl === null) {
    return sendJson(response, 400, {
      message: 'prepare: false is a simulator demo control; PortOne keeps its pre-registrations',
    });
  }
  if (typeof productId !== 'string' || productId === '') {
    return sendJson(response, 400, { message: 'product_id is required' });
  }
  const product = findProduct(productId);
  if (!product) {
    return sendJson(response, 404, { message: `unknown product: ${productId.slice(0, 100)}` });
  }

  const order: ShopOrder = {
    merchant_uid: newMerchantUid(),
    amount: product.price,
    name: product.name.ko,
  };
  const registered = await postToApi(`${apiBase}/orders`, { ...order, currency: 'KRW' });
  if (!registered.ok) {
    return sendJson(response, 502, {
      message: `could not register the order with the payments API: ${registered.why}`,
    });
  }
  if (api === 'v1') return answerOrder(response, order, prepare ? null : simulatorUrl);
  // V2's payment id is the merchant's to choose: here the payments API issues it, never the browser.
  const issued = await postToApi(
    `${apiBase}/orders/${encodeURIComponent(order.merchant_uid)}/payments`,
    {},
  );
  const paymentId = issued.ok ? (issued.body as { payment_id?: unknown } | null)?.payment_id : null;
  if (typeof paymentId !== 'string') {
    return sendJson(response, 502, {
      message: `could not get a V2 payment id from the payments API: ${issued.ok ? 'no payment_id in the answer' : issued.why}`,
    });
  }
  await answerOrder(response, { ...order, payment_id: paymentId }, prepare ? null : simulatorUrl);
};

/** Answers the order, after making the simulator forget its pre-registration when asked to. */
const answerOrder = async (
  response: ServerResponse,
  order: ShopOrder,
  forgetAt: string | null,
): Promise<void> => {
  if (forgetAt !== null) {
    const forgotten = await forgetPreRegistration(forgetAt, order);
    if (!forgotten.ok) {
      return sendJson(response, 502, {
        message: `could not make the simulator forget the pre-registration: ${forgotten.why}`,
      });
    }
  }
  sendJson(response, 201, order);
};

/**
 * `GET /shop/orders/{merchant_uid}`, the shop's own backend again: the
 * result page shows the merchant's full view of the order (attempts,
 * history), which only the trusted `GET /orders/{merchant_uid}` answers; in
 * AWS this is where the merchant's backend signs the call with its IAM
 * credentials. The browser never calls the trusted route itself.
 */
export const readShopOrder = async (
  response: ServerResponse,
  apiBase: string,
  /** The path segment as the browser sent it, still URL-encoded. */
  merchantUidSegment: string,
): Promise<void> => {
  let answer: Response;
  try {
    answer = await fetch(`${apiBase}/orders/${merchantUidSegment}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch {
    return sendJson(response, 502, { message: 'the payments API is unreachable' });
  }
  const text = await answer.text().catch(() => '');
  response.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(text);
};

export const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
};
