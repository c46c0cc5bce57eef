import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../read-body';
import { findProduct } from './catalog';

/** What `POST /shop/orders` answers: enough for `IMP.request_pay`. */
export interface ShopOrder {
  merchant_uid: string;
  amount: number;
  name: string;
}

const MAX_BODY = 16 * 1024;
/** POST /orders may pre-register the amount with PortOne (5 s timeout, retries): allow for it. */
const REGISTER_TIMEOUT_MS = 15_000;

/** `shop-<base36 time>-<base36 random>`: at most 28 characters of [a-z0-9-]. */
export const newMerchantUid = (now = Date.now()): string =>
  `shop-${now.toString(36)}-${randomBytes(8).readBigUInt64BE().toString(36)}`;

/**
 * `POST /shop/orders`, the shop's own backend: the browser names a product,
 * the price comes from the catalog (never from the browser), and the order is
 * registered with the payments API before the payment window opens.
 */
export const createShopOrder = async (
  request: IncomingMessage,
  response: ServerResponse,
  apiBase: string,
): Promise<void> => {
  const raw = await readRequestBody(request, MAX_BODY);
  if (raw === 'too-large') return sendJson(response, 413, { message: 'request body is too large' });
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendJson(response, 400, { message: 'the body must be JSON: {"product_id": "…"}' });
  }
  const productId =
    typeof body === 'object' && body !== null
      ? (body as { product_id?: unknown }).product_id
      : undefined;
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
  const failure = await registerOrder(apiBase, order);
  if (failure) {
    return sendJson(response, 502, {
      message: `could not register the order with the payments API: ${failure}`,
    });
  }
  sendJson(response, 201, order);
};

/** POST {apiBase}/orders; null when registered, else why not. */
const registerOrder = async (apiBase: string, order: ShopOrder): Promise<string | null> => {
  let answer: Response;
  try {
    answer = await fetch(`${apiBase}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...order, currency: 'KRW' }),
      signal: AbortSignal.timeout(REGISTER_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return error instanceof Error && error.name === 'TimeoutError'
      ? 'no answer in time'
      : `unreachable (${cause ?? (error instanceof Error ? error.message : String(error))})`;
  }
  const text = await answer.text().catch(() => '');
  if (answer.ok) return null;
  let message = text.slice(0, 300);
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the start of the text
  }
  return `HTTP ${answer.status}${message ? `: ${message}` : ''}`;
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
      signal: AbortSignal.timeout(REGISTER_TIMEOUT_MS),
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
