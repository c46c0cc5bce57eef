import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Fields, num, parseBody, readBody, sendJson, str } from '../http-util';
import type { SimulatorState } from '../state';
import {
  approveCheckout,
  CheckoutError,
  completeCheckout,
  depositCheckout,
  openCheckout,
} from './checkout';
import { iamportScript } from './sdk-script';
import {
  CHECKOUT_ACTIONS,
  CHECKOUT_FLAGS,
  CHECKOUT_WEBHOOKS,
  type CheckoutParams,
  DEPOSIT_WEBHOOKS,
} from './types';

export const SDK_PATH = '/v1/iamport.js';
export const CHECKOUT_PREFIX = '/__sim/checkout/';

/** `GET /v1/iamport.js`: the stand-in for PortOne's V1 browser SDK. */
export function serveSdk(req: IncomingMessage, res: ServerResponse): void {
  const host = req.headers.host ?? '127.0.0.1';
  const body = iamportScript(`http://${host}`);
  res.writeHead(200, {
    'content-type': 'application/javascript; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * `POST /__sim/checkout/{open,complete,deposit,approve}`: the server side of the
 * checkout overlay. CORS and preflight are answered by the caller (server.ts).
 * Errors are `{message}` with a 4xx status, like the other control endpoints.
 */
export async function handleCheckout(
  state: SimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  try {
    const name = url.pathname.slice(CHECKOUT_PREFIX.length).replace(/\/+$/, '');
    if (req.method !== 'POST' || !['open', 'complete', 'deposit', 'approve'].includes(name)) {
      throw new CheckoutError(404, `unknown checkout endpoint: ${req.method} ${url.pathname}`);
    }
    const parsed = parseBody(await readBody(req), req.headers['content-type']);
    if (!parsed.ok) throw new CheckoutError(400, parsed.error);
    const body = parsed.fields;

    if (name === 'open') {
      const params = isObject(body.params) ? readParams(body.params, false) : {};
      const merchantUid = requireMerchantUid(body.merchant_uid ?? params.merchant_uid);
      const amount = requireAmount(body.amount ?? params.amount, 'amount');
      const currency = str(body.currency) ?? params.currency;
      const flag = oneOf(body, 'flag', CHECKOUT_FLAGS);
      const opened = openCheckout(state, {
        merchant_uid: merchantUid,
        amount,
        ...(currency !== undefined ? { currency } : {}),
        params,
        ...(flag !== undefined ? { flag } : {}),
      });
      state.log(`checkout open ${merchantUid} ${amount} -> ${opened.blocked ? 'blocked' : 'ok'}`);
      return sendJson(res, 200, opened);
    }

    if (name === 'complete') {
      if (!isObject(body.params)) throw new CheckoutError(400, 'params must be an object');
      const params = readParams(body.params, true) as CheckoutParams;
      const action = oneOf(body, 'action', CHECKOUT_ACTIONS);
      if (action === undefined) {
        throw new CheckoutError(400, `action must be one of ${CHECKOUT_ACTIONS.join(', ')}`);
      }
      const tamperAmount =
        body.tamperAmount === undefined || body.tamperAmount === null
          ? 100
          : requireAmount(body.tamperAmount, 'tamperAmount');
      const { answer, afterAnswer } = completeCheckout(state, {
        params,
        action,
        tamperAmount,
        webhook: oneOf(body, 'webhook', CHECKOUT_WEBHOOKS) ?? 'immediate',
        flag: oneOf(body, 'flag', CHECKOUT_FLAGS) ?? 'imp_success',
      });
      state.log(
        `checkout ${action} ${params.merchant_uid} -> ${answer.blocked ? 'blocked' : answer.report.status}`,
      );
      sendJson(res, 200, answer);
      afterAnswer();
      return;
    }

    const impUid = str(body.imp_uid);
    if (impUid === undefined) throw new CheckoutError(400, 'imp_uid is required');
    const webhook = oneOf(body, 'webhook', DEPOSIT_WEBHOOKS) ?? 'immediate';
    const later = name === 'deposit' ? depositCheckout : approveCheckout;
    return sendJson(res, 200, later(state, impUid, webhook));
  } catch (error) {
    if (error instanceof CheckoutError)
      return sendJson(res, error.status, { message: error.message });
    throw error;
  }
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireMerchantUid(value: unknown): string {
  const merchantUid = str(value);
  if (merchantUid === undefined) throw new CheckoutError(400, 'merchant_uid is required');
  return merchantUid;
}

function requireAmount(value: unknown, key: string): number {
  const amount = num(value);
  if (amount === undefined || !Number.isFinite(amount) || amount < 0) {
    throw new CheckoutError(400, `${key} must be a non-negative number`);
  }
  return amount;
}

function oneOf<T extends string>(body: Fields, key: string, allowed: readonly T[]): T | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new CheckoutError(400, `${key} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

const STRING_PARAMS = [
  'pg',
  'pay_method',
  'name',
  'currency',
  'buyer_email',
  'buyer_name',
  'buyer_tel',
  'm_redirect_url',
  'notice_url',
] as const;

/** request_pay params as PortOne reads them: strings (numbers allowed), amount numeric. */
function readParams(raw: Fields, strict: boolean): Partial<CheckoutParams> {
  const params: Partial<CheckoutParams> = {};
  for (const key of STRING_PARAMS) {
    const value = str(raw[key]);
    if (value !== undefined) params[key] = value;
  }
  if (raw.custom_data !== undefined) params.custom_data = raw.custom_data;
  const merchantUid = str(raw.merchant_uid);
  if (merchantUid !== undefined) params.merchant_uid = merchantUid;
  else if (strict) throw new CheckoutError(400, 'params.merchant_uid is required');
  if (raw.amount !== undefined || strict)
    params.amount = requireAmount(raw.amount, 'params.amount');
  for (const key of ['m_redirect_url', 'notice_url'] as const) {
    const value = params[key];
    if (value !== undefined && !URL.canParse(value)) {
      throw new CheckoutError(400, `params.${key} must be an absolute URL`);
    }
  }
  return params;
}
