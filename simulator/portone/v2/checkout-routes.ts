import type { IncomingMessage, ServerResponse } from 'node:http';
import { CheckoutError } from '../checkout/checkout';
import { num, parseBody, readBody, sendJson } from '../http-util';
import type { SimulatorState } from '../state';
import { completeV2Checkout, openV2Checkout } from './checkout';
import { V2_CHECKOUT_ACTIONS, type V2CheckoutAction } from './checkout-types';
import { v2BrowserSdkScript } from './sdk-script';
import { V2_WEBHOOK_MODES } from './types';

/** Where the stand-in for `@portone/browser-sdk/v2` is served. */
export const V2_SDK_PATH = '/v2-browser-sdk.js';
export const V2_CHECKOUT_PREFIX = '/__sim/v2/checkout/';

/** `GET /v2-browser-sdk.js`: the V2 browser SDK stand-in, found by pages via its own src. */
export function serveV2Sdk(req: IncomingMessage, res: ServerResponse): void {
  const body = v2BrowserSdkScript(`http://${req.headers.host ?? '127.0.0.1'}`);
  res.writeHead(200, {
    'content-type': 'application/javascript; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * `POST /__sim/v2/checkout/{open,complete}`: the server side of the V2
 * overlay. Bodies `{request}` (the requestPayment argument) and, for
 * complete, `{action, tamperAmount?, webhookMode?}`. CORS is answered by
 * server.ts; errors are `{message}` with a 4xx status.
 */
export async function handleV2Checkout(
  state: SimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  try {
    const name = url.pathname.slice(V2_CHECKOUT_PREFIX.length).replace(/\/+$/, '');
    if (req.method !== 'POST' || (name !== 'open' && name !== 'complete')) {
      throw new CheckoutError(404, `unknown checkout endpoint: ${req.method} ${url.pathname}`);
    }
    const parsed = parseBody(await readBody(req), req.headers['content-type']);
    if (!parsed.ok) throw new CheckoutError(400, parsed.error);
    const body = parsed.fields;
    if (name === 'open') {
      const answer = openV2Checkout(state, body.request);
      state.log(`V2 checkout open -> ${answer.blocked ? 'blocked' : 'ok'}`);
      return sendJson(res, 200, answer);
    }
    const action = oneOf(body.action, 'action', V2_CHECKOUT_ACTIONS);
    if (action === undefined) {
      throw new CheckoutError(400, `action must be one of ${V2_CHECKOUT_ACTIONS.join(', ')}`);
    }
    const webhookMode = oneOf(body.webhookMode, 'webhookMode', V2_WEBHOOK_MODES);
    const tamper = num(body.tamperAmount);
    if (tamper !== undefined && (!Number.isInteger(tamper) || tamper < 0)) {
      throw new CheckoutError(400, 'tamperAmount must be a non-negative integer');
    }
    const answer = completeV2Checkout(state, {
      request: body.request,
      action: action as V2CheckoutAction,
      ...(tamper === undefined ? {} : { tamperAmount: tamper }),
      ...(webhookMode === undefined ? {} : { webhookMode }),
    });
    state.log(`V2 checkout ${action} -> ${answer.response.code ?? 'ok'}`);
    return sendJson(res, 200, answer);
  } catch (error) {
    if (error instanceof CheckoutError) {
      return sendJson(res, error.status, { message: error.message });
    }
    throw error;
  }
}

function oneOf<T extends string>(
  value: unknown,
  key: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new CheckoutError(400, `${key} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}
