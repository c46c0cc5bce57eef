import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Fields, readBody, sendJson, sendRaw, sleep } from '../http-util';
import type { SimulatorState } from '../state';
import type { ApiRoute, AuthForm, Fault } from '../types';
import { MSG_V2_NOT_FOUND, renderV2Payment } from './store';

/** The path prefix that is the V2 base URL (V2's /payments/{id} would collide with V1's). */
export { V2_PREFIX } from '../defaults';

import { V2_PREFIX } from '../defaults';

type V2Route = Extract<ApiRoute, `v2.${string}`>;

interface V2Request {
  state: SimulatorState;
  res: ServerResponse;
  url: URL;
  paymentId: string;
  fields: Fields;
}

/** V2 error body: `{type, message}` with an HTTP status that means what it says. */
function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type, message });
}

/**
 * Serves one PortOne V2 API request (reference §3): `Authorization:
 * PortOne <secret>`, JSON bodies, `{type, message}` errors. Faults, the
 * latency and the call log are shared with V1, under V2 route names.
 */
export async function handleV2Api(
  state: SimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (state.latencyMs > 0) await sleep(state.latencyMs, state.closingSignal);
  const path = url.pathname.slice(V2_PREFIX.length).replace(/\/+$/, '');
  const segments = path.split('/').slice(1).map(decodeSegment);
  const { route, handler } = matchRoute(req.method ?? 'GET', segments);
  const { form: authForm, secret } = extractSecret(req);
  const fault = route === 'v2.unknown' ? undefined : state.faults.take(route);

  const record = (status: number) => {
    state.calls.record({
      at: state.clock.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      route,
      status,
      authForm,
      ...(fault ? { fault: fault.kind } : {}),
    });
    state.log(
      `V2 ${req.method} ${url.pathname}${url.search} -> ${status}${fault ? ` (fault ${fault.kind})` : ''}`,
    );
  };

  if (fault !== undefined && fault.kind !== 'slow') {
    answerFault(fault, route, req, res);
    record(fault.kind === 'reset' ? 0 : res.statusCode);
    return;
  }
  let raw: string;
  try {
    raw = await readBody(req);
  } catch {
    sendError(res, 413, 'INVALID_REQUEST', 'request body too large');
    record(413);
    return;
  }
  if (fault?.kind === 'slow') await sleep(fault.delayMs, state.closingSignal);

  const fields = parseJsonBody(raw);
  if (route === 'v2.unknown') {
    sendError(res, 404, 'NOT_FOUND', `no such V2 endpoint: ${req.method} ${path}`);
  } else if (secret !== state.v2.apiSecret) {
    sendError(res, 401, 'UNAUTHORIZED', '인증 정보가 올바르지 않습니다.');
  } else if (fields === null) {
    sendError(res, 400, 'INVALID_REQUEST', 'request body must be a JSON object');
  } else {
    handler({ state, res, url, paymentId: segments[1] ?? '', fields });
  }
  record(res.statusCode);
}

function matchRoute(
  method: string,
  s: string[],
): { route: V2Route; handler: (r: V2Request) => void } {
  const [first, id, action] = s;
  if (first === 'payments' && id !== undefined && id !== '') {
    if (method === 'GET' && s.length === 2) return { route: 'v2.getPayment', handler: getPayment };
    if (method === 'POST' && s.length === 3 && action === 'cancel') {
      return { route: 'v2.cancel', handler: cancel };
    }
    if (method === 'POST' && s.length === 3 && action === 'pre-register') {
      return { route: 'v2.preRegister', handler: preRegister };
    }
  }
  return { route: 'v2.unknown', handler: () => {} };
}

function answerFault(
  fault: Fault,
  route: V2Route,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  switch (fault.kind) {
    case 'reset':
      req.socket.destroy();
      return;
    case 'unauthorized':
      sendError(res, 401, 'UNAUTHORIZED', 'simulated fault: unauthorized');
      return;
    case 'status':
      if (fault.body !== null) sendRaw(res, fault.status, fault.body);
      else
        sendError(
          res,
          fault.status,
          faultType(fault.status),
          `simulated fault: HTTP ${fault.status}`,
        );
      return;
    case 'malformed':
      sendRaw(res, 200, fault.body ?? MALFORMED[route]);
      return;
    case 'slow':
      return;
  }
}

/** Bodies that parse as JSON but not as the answer (pre-register reads nothing, so: not JSON). */
const MALFORMED: Record<V2Route, string> = {
  'v2.getPayment': '{"status":"PAID","id":123}',
  'v2.cancel': '{"cancellation":{"status":"SUCCEEDED","id":123}}',
  'v2.preRegister': '<html>not json</html>',
  'v2.unknown': '{}',
};

function faultType(status: number): string {
  if (status === 502) return 'PG_PROVIDER';
  if (status === 400) return 'INVALID_REQUEST';
  if (status === 403) return 'FORBIDDEN';
  return 'INTERNAL_SERVER_ERROR';
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function extractSecret(req: IncomingMessage): { form: AuthForm; secret: string | null } {
  const authorization = req.headers.authorization?.trim();
  if (!authorization) return { form: 'none', secret: null };
  const match = /^portone\s+(.+)$/i.exec(authorization);
  if (match) return { form: 'portone', secret: match[1]?.trim() ?? '' };
  // A Bearer access token (POST /login/api-secret) is not simulated: refused like a bad secret.
  return { form: /^bearer\s/i.test(authorization) ? 'bearer' : 'raw', secret: null };
}

/** V2 takes JSON only; null for anything else. An empty body is `{}`. */
function parseJsonBody(raw: string): Fields | null {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    return value as Fields;
  } catch {
    return null;
  }
}

/** A payment of another store is as unknown as a missing one. */
function storeMatches(storeId: unknown, paymentStoreId: string): boolean {
  return storeId === undefined || storeId === null || storeId === '' || storeId === paymentStoreId;
}

// --- GET /payments/{paymentId} --------------------------------------------------

function getPayment({ state, res, url, paymentId }: V2Request): void {
  const payment = state.v2.store.get(paymentId);
  if (payment === undefined || !storeMatches(url.searchParams.get('storeId'), payment.storeId)) {
    sendError(res, 404, 'PAYMENT_NOT_FOUND', MSG_V2_NOT_FOUND);
    return;
  }
  sendJson(res, 200, renderV2Payment(payment));
}

// --- POST /payments/{paymentId}/cancel ----------------------------------------------

type Check<T> = { ok: true; value: T } | { ok: false; message: string };

function optionalInt(fields: Fields, key: string, min: number): Check<number | undefined> {
  const value = fields[key];
  if (value === undefined || value === null) return { ok: true, value: undefined };
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    return { ok: false, message: `${key} must be an integer of at least ${min}` };
  }
  return { ok: true, value };
}

function cancel({ state, res, paymentId, fields }: V2Request): void {
  const reason = fields.reason;
  if (typeof reason !== 'string' || reason === '') {
    sendError(res, 400, 'INVALID_REQUEST', 'reason is required');
    return;
  }
  const amount = optionalInt(fields, 'amount', 1);
  const taxFree = optionalInt(fields, 'taxFreeAmount', 0);
  const current = optionalInt(fields, 'currentCancellableAmount', 0);
  for (const check of [amount, taxFree, current]) {
    if (!check.ok) {
      sendError(res, 400, 'INVALID_REQUEST', check.message);
      return;
    }
  }
  if (fields.skipWebhook !== undefined && typeof fields.skipWebhook !== 'boolean') {
    sendError(res, 400, 'INVALID_REQUEST', 'skipWebhook must be a boolean');
    return;
  }
  const payment = state.v2.store.get(paymentId);
  if (payment === undefined || !storeMatches(fields.storeId, payment.storeId)) {
    sendError(res, 404, 'PAYMENT_NOT_FOUND', MSG_V2_NOT_FOUND);
    return;
  }
  const result = state.v2.store.cancel(paymentId, {
    reason,
    trigger: 'API',
    ...(amount.ok && amount.value !== undefined ? { amount: amount.value } : {}),
    ...(taxFree.ok && taxFree.value !== undefined ? { taxFreeAmount: taxFree.value } : {}),
    ...(current.ok && current.value !== undefined
      ? { currentCancellableAmount: current.value }
      : {}),
  });
  if (!result.ok) {
    sendError(res, result.type === 'PAYMENT_NOT_FOUND' ? 404 : 409, result.type, result.message);
    return;
  }
  const { cancellation } = result;
  sendJson(res, 200, {
    cancellation: {
      status: cancellation.status,
      id: cancellation.id,
      pgCancellationId: cancellation.pgCancellationId,
      totalAmount: cancellation.totalAmount,
      taxFreeAmount: cancellation.taxFreeAmount,
      vatAmount: cancellation.vatAmount,
      reason: cancellation.reason,
      cancelledAt: cancellation.cancelledAt,
      requestedAt: cancellation.requestedAt,
    },
  });
  // Unlike V1, V2 cancels notify by default; in the background, never holding up the answer.
  if (fields.skipWebhook !== true) {
    void state.v2.notify(result.payment, 'cancel', { cancellationId: cancellation.id });
  }
}

// --- POST /payments/{paymentId}/pre-register ----------------------------------------

function preRegister({ state, res, paymentId, fields }: V2Request): void {
  const total = optionalInt(fields, 'totalAmount', 0);
  const taxFree = optionalInt(fields, 'taxFreeAmount', 0);
  if (!total.ok || total.value === undefined || !taxFree.ok) {
    const message = !taxFree.ok ? taxFree.message : 'totalAmount must be a non-negative integer';
    sendError(res, 400, 'INVALID_REQUEST', message);
    return;
  }
  const currency = fields.currency ?? 'KRW';
  if (typeof currency !== 'string') {
    sendError(res, 400, 'INVALID_REQUEST', 'currency must be a string');
    return;
  }
  const result = state.v2.store.preRegister({
    paymentId,
    totalAmount: total.value,
    taxFreeAmount: taxFree.value ?? 0,
    currency,
    storeId: typeof fields.storeId === 'string' ? fields.storeId : state.v2.config.storeId,
  });
  if (!result.ok) {
    sendError(res, 409, result.type, result.message);
    return;
  }
  sendJson(res, 200, {});
}
