import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bool,
  type Fields,
  num,
  parseBody,
  readBody,
  sendEnvelope,
  sendRaw,
  sleep,
  str,
} from './http-util';
import type { SimulatorState } from './state';
import { SORTINGS, type Sorting } from './store';
import type { ApiRoute, AuthForm, Fault, SimPayment, SimStatus } from './types';

// PortOne's own messages where they are known (reference §1.8).
const MSG_NOT_FOUND = '존재하지 않는 결제정보입니다.';
const MSG_CANCEL_NOT_FOUND = '취소할 결제건이 존재하지 않습니다.';
const MSG_CANCEL_NO_ID = 'imp_uid 또는 merchant_uid 중 하나를 지정해주셔야합니다.';
const MSG_TOKEN_PARAMS = 'imp_key, imp_secret 파라메터가 누락되었습니다.';
const MSG_PREPARED_EXISTS = '이미 사전등록된 결제정보가 존재합니다.';
const MSG_PREPARED_MISSING = '사전등록된 결제정보가 존재하지 않습니다.';
const MSG_BAD_STATUS = '지원되지 않는 상태값입니다.';
const MSG_UNAUTHORIZED = 'Unauthorized';

const STATUSES: readonly SimStatus[] = ['ready', 'paid', 'failed', 'cancelled'];

interface ApiRequest {
  state: SimulatorState;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Decoded path segments after the matched prefix. */
  params: string[];
  fields: Fields;
}

type Handler = (request: ApiRequest) => void;

interface Match {
  route: ApiRoute;
  handler: Handler;
  /** getToken is the only route open without a token. */
  open?: boolean;
}

/** Serves one PortOne V1 API request, applying queued faults and logging the call. */
export async function handleApi(
  state: SimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  // Before anything else, like a network round trip: a fault or a 401 arrives just as late.
  if (state.latencyMs > 0) await sleep(state.latencyMs, state.closingSignal);
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const segments = path.split('/').slice(1).map(decodeSegment);
  const match = matchRoute(req.method ?? 'GET', segments);
  const { form: authForm, token } = extractToken(req);
  const fault = state.faults.take(match.route);

  const record = (status: number) => {
    state.calls.record({
      at: state.clock.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      route: match.route,
      status,
      authForm,
      ...(fault ? { fault: fault.kind } : {}),
    });
    state.log(
      `${req.method} ${url.pathname}${url.search} -> ${status}${fault ? ` (fault ${fault.kind})` : ''}`,
    );
  };

  if (fault !== undefined && fault.kind !== 'slow') {
    answerFault(fault, match.route, req, res);
    record(fault.kind === 'reset' ? 0 : res.statusCode);
    return;
  }

  let raw: string;
  try {
    raw = await readBody(req);
  } catch {
    sendEnvelope(res, 413, -1, 'request body too large', null);
    record(413);
    return;
  }
  if (fault?.kind === 'slow') await sleep(fault.delayMs, state.closingSignal);

  const parsed = parseBody(raw, req.headers['content-type']);
  if (!parsed.ok) {
    sendEnvelope(res, 400, -1, parsed.error, null);
  } else if (
    !match.open &&
    match.route !== 'unknown' &&
    (token === null || !state.tokens.isValid(token))
  ) {
    sendEnvelope(res, 401, -1, MSG_UNAUTHORIZED, null);
  } else {
    match.handler({ state, req, res, url, params: segments, fields: parsed.fields });
  }
  record(res.statusCode);
}

function answerFault(
  fault: Fault,
  route: ApiRoute,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  switch (fault.kind) {
    case 'reset':
      req.socket.destroy();
      return;
    case 'unauthorized':
      sendEnvelope(res, 401, -1, MSG_UNAUTHORIZED, null);
      return;
    case 'status':
      sendEnvelope(res, fault.status, -1, `simulated fault: HTTP ${fault.status}`, null);
      return;
    case 'malformed':
      sendRaw(
        res,
        200,
        fault.body ??
          (route === 'getToken'
            ? '{"code":0,"response":{"access_token":123}}'
            : '{"code":0,"response":{"imp_uid":123}}'),
      );
      return;
    case 'slow':
      return;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `Authorization: Bearer <t>`, raw `Authorization: <t>`, or legacy `X-ImpTokenHeader`. */
function extractToken(req: IncomingMessage): { form: AuthForm; token: string | null } {
  const authorization = req.headers.authorization?.trim();
  if (authorization) {
    const bearer = /^bearer\s+(.*)$/i.exec(authorization);
    return bearer
      ? { form: 'bearer', token: bearer[1]?.trim() ?? '' }
      : { form: 'raw', token: authorization };
  }
  const legacy = req.headers['x-imptokenheader'];
  const value = Array.isArray(legacy) ? legacy[0] : legacy;
  if (value?.trim()) return { form: 'x-imp', token: value.trim() };
  return { form: 'none', token: null };
}

function matchRoute(method: string, s: string[]): Match {
  const [first, second, third] = s;
  if (method === 'POST' && s.length === 2 && first === 'users' && second === 'getToken') {
    return { route: 'getToken', handler: getToken, open: true };
  }
  if (method === 'DELETE' && s.length === 2 && first === 'vbanks') {
    return { route: 'revokeVbank', handler: revokeVbank };
  }
  if (first === 'payments') {
    if (method === 'POST' && s.length === 2 && second === 'cancel') {
      return { route: 'cancel', handler: cancel };
    }
    if (second === 'prepare') {
      if ((method === 'POST' || method === 'PUT') && s.length === 2) {
        return { route: 'prepare', handler: method === 'POST' ? prepare : updatePrepare };
      }
      if (method === 'GET' && s.length === 3) return { route: 'prepare', handler: getPrepare };
    }
    if (
      method === 'GET' &&
      (second === 'find' || second === 'findAll') &&
      third !== undefined &&
      s.length <= 4
    ) {
      return { route: 'findPayment', handler: second === 'find' ? find : findAll };
    }
    if (method === 'GET' && s.length === 1) return { route: 'getPayment', handler: getPayments };
    if (method === 'GET' && s.length === 2) return { route: 'getPayment', handler: getPayment };
  }
  return { route: 'unknown', handler: notFound };
}

function notFound({ res }: ApiRequest): void {
  sendEnvelope(res, 404, -1, 'Not Found', null);
}

function includeSandbox(url: URL): boolean {
  return bool(url.searchParams.get('include_sandbox'));
}

function visible(payment: SimPayment | undefined, url: URL): payment is SimPayment {
  // A test-channel payment looks unknown unless include_sandbox=true (reference §1.4).
  return payment !== undefined && (!payment.sandbox || includeSandbox(url));
}

/**
 * The payment as an API answer shows it: without the `sandbox` key when the
 * payment is to look like one from before PortOne added it (reference §1.6).
 */
function shown(state: SimulatorState, payment: SimPayment): Partial<SimPayment> {
  if (!state.store.behavior(payment.imp_uid)?.omitSandbox) return payment;
  const { sandbox: _omitted, ...rest } = payment;
  return rest;
}

// --- POST /users/getToken ------------------------------------------------------

function getToken({ state, res, fields }: ApiRequest): void {
  const key = str(fields.imp_key);
  const secret = str(fields.imp_secret);
  if (key === undefined || secret === undefined) {
    sendEnvelope(res, 400, -1, MSG_TOKEN_PARAMS, null);
    return;
  }
  if (key !== state.apiKey || secret !== state.apiSecret) {
    sendEnvelope(res, 401, -1, MSG_UNAUTHORIZED, null);
    return;
  }
  sendEnvelope(res, 200, 0, null, state.tokens.issue());
}

// --- lookups -------------------------------------------------------------------

function getPayment({ state, res, url, params }: ApiRequest): void {
  const payment = state.store.get(params[1] ?? '');
  if (!visible(payment, url)) {
    sendEnvelope(res, 404, -1, MSG_NOT_FOUND, null);
    return;
  }
  sendEnvelope(res, 200, 0, null, shown(state, payment));
}

/** `GET /payments?imp_uid[]=…&merchant_uid[]=…`: 207 when only some are found. */
function getPayments({ state, res, url }: ApiRequest): void {
  const q = url.searchParams;
  const impUids = [...q.getAll('imp_uid[]'), ...q.getAll('imp_uid')];
  const merchantUids = [...q.getAll('merchant_uid[]'), ...q.getAll('merchant_uid')];
  const asked = impUids.length + merchantUids.length;
  if (asked === 0 || asked > 100) {
    sendEnvelope(res, 400, -1, 'imp_uid 또는 merchant_uid를 1~100개 지정해주셔야합니다.', null);
    return;
  }
  const found: SimPayment[] = [];
  for (const id of impUids) {
    const payment = state.store.get(id);
    if (visible(payment, url)) found.push(payment);
  }
  for (const id of merchantUids) {
    const [latest] = state.store.findByMerchant(id, { includeSandbox: includeSandbox(url) });
    if (latest !== undefined) found.push(latest);
  }
  if (found.length === 0) {
    sendEnvelope(res, 404, -1, MSG_NOT_FOUND, null);
    return;
  }
  const answer = found.map((p) => shown(state, p));
  sendEnvelope(res, found.length < asked ? 207 : 200, 0, null, answer);
}

type Lookup = { ok: true; list: SimPayment[] } | { ok: false; status: number; message: string };

function lookupByMerchant({ state, url, params }: ApiRequest): Lookup {
  const merchantUid = params[2] ?? '';
  const statusParam = params[3];
  if (statusParam !== undefined && !STATUSES.includes(statusParam as SimStatus)) {
    return { ok: false, status: 400, message: MSG_BAD_STATUS };
  }
  const sorting = url.searchParams.get('sorting') ?? '-started';
  if (!SORTINGS.includes(sorting as Sorting)) {
    return { ok: false, status: 400, message: '지원되지 않는 정렬기준입니다.' };
  }
  const list = state.store.findByMerchant(merchantUid, {
    status: statusParam as SimStatus | undefined,
    sorting: sorting as Sorting,
    includeSandbox: includeSandbox(url),
  });
  if (list.length === 0) return { ok: false, status: 404, message: MSG_NOT_FOUND };
  return { ok: true, list };
}

/** The first payment by `sorting` (default: most recently started attempt). */
function find(request: ApiRequest): void {
  const found = lookupByMerchant(request);
  if (!found.ok) {
    sendEnvelope(request.res, found.status, -1, found.message, null);
    return;
  }
  const [first] = found.list;
  sendEnvelope(request.res, 200, 0, null, first && shown(request.state, first));
}

function findAll(request: ApiRequest): void {
  const q = request.url.searchParams;
  const page = num(q.get('page')) ?? 1;
  const limit = num(q.get('limit')) ?? 20;
  if (
    !Number.isInteger(page) ||
    page < 1 ||
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > 1000
  ) {
    sendEnvelope(request.res, 400, -1, 'page, limit 파라메터가 올바르지 않습니다.', null);
    return;
  }
  const found = lookupByMerchant(request);
  if (!found.ok) {
    sendEnvelope(request.res, found.status, -1, found.message, null);
    return;
  }
  const total = found.list.length;
  const start = (page - 1) * limit;
  sendEnvelope(request.res, 200, 0, null, {
    total,
    previous: page > 1 ? page - 1 : 0,
    next: start + limit < total ? page + 1 : 0,
    list: found.list.slice(start, start + limit).map((p) => shown(request.state, p)),
  });
}

// --- POST /payments/cancel -----------------------------------------------------

/** Business refusals are HTTP 200 with code 1, as PortOne documents (reference §1.6). */
function cancel({ state, res, fields }: ApiRequest): void {
  const impUid = str(fields.imp_uid);
  const merchantUid = str(fields.merchant_uid);
  if (impUid === undefined && merchantUid === undefined) {
    sendEnvelope(res, 200, 1, MSG_CANCEL_NO_ID, null);
    return;
  }
  // imp_uid wins: an unknown imp_uid fails even when merchant_uid would match.
  const payment =
    impUid !== undefined ? state.store.get(impUid) : state.store.cancelTarget(merchantUid ?? '');
  if (payment === undefined) {
    sendEnvelope(res, 200, 1, MSG_CANCEL_NOT_FOUND, null);
    return;
  }
  const result = state.store.cancel(payment, {
    amount: num(fields.amount),
    checksum: num(fields.checksum),
    reason: str(fields.reason),
    refundHolder: str(fields.refund_holder),
    refundBank: str(fields.refund_bank),
    refundAccount: str(fields.refund_account),
    requireRefundAccount: true,
    followBehavior: true,
    enableWebhook: bool(fields.enable_webhook),
  });
  if (!result.ok) {
    sendEnvelope(res, 200, 1, result.message, null);
    return;
  }
  // A pending cancel answers the payment unchanged; its webhook comes when it completes.
  sendEnvelope(res, 200, 0, null, shown(state, result.payment));

  // REST cancels notify only on request (enable_webhook), and never hold up the answer.
  if ('entry' in result && bool(fields.enable_webhook)) {
    state.notifyCancelled(result.payment, result.entry.cancellation_id);
  }
}

// --- DELETE /vbanks/{imp_uid} ----------------------------------------------------

/**
 * Revokes an issued, unpaid virtual account (Inicis, KCP, Nice, KICC, Danal,
 * Settlebank). PortOne's spec answers 400 for a payment that is not a waiting
 * virtual account, 404 for an unknown imp_uid.
 */
function revokeVbank({ state, res, url, params, fields }: ApiRequest): void {
  const reason = str(fields.reason) ?? str(url.searchParams.get('reason')) ?? null;
  const result = state.store.revokeVbank(params[1] ?? '', reason);
  if (!result.ok) {
    if (!result.found) sendEnvelope(res, 404, -1, MSG_NOT_FOUND, null);
    else sendEnvelope(res, 400, -1, result.message, null);
    return;
  }
  sendEnvelope(res, 200, 0, null, shown(state, result.payment));
}

// --- amount pre-registration -----------------------------------------------------

function readPrepare(fields: Fields) {
  const merchantUid = str(fields.merchant_uid);
  const amount = num(fields.amount);
  if (merchantUid === undefined || amount === undefined || Number.isNaN(amount) || amount < 0) {
    return undefined;
  }
  return { merchant_uid: merchantUid, amount, currency: str(fields.currency) ?? null };
}

function prepare({ state, res, fields }: ApiRequest): void {
  const entry = readPrepare(fields);
  if (entry === undefined) {
    sendEnvelope(res, 400, -1, 'merchant_uid, amount 파라메터가 누락되었습니다.', null);
    return;
  }
  if (!state.store.prepare(entry)) {
    sendEnvelope(res, 200, 1, MSG_PREPARED_EXISTS, null);
    return;
  }
  sendEnvelope(res, 200, 0, null, { merchant_uid: entry.merchant_uid, amount: entry.amount });
}

function updatePrepare({ state, res, fields }: ApiRequest): void {
  const entry = readPrepare(fields);
  if (entry === undefined) {
    sendEnvelope(res, 400, -1, 'merchant_uid, amount 파라메터가 누락되었습니다.', null);
    return;
  }
  if (!state.store.updatePrepared(entry)) {
    sendEnvelope(res, 404, -1, MSG_PREPARED_MISSING, null);
    return;
  }
  sendEnvelope(res, 200, 0, null, { merchant_uid: entry.merchant_uid, amount: entry.amount });
}

function getPrepare({ state, res, params }: ApiRequest): void {
  const entry = state.store.getPrepared(params[2] ?? '');
  if (entry === undefined) {
    sendEnvelope(res, 404, -1, MSG_PREPARED_MISSING, null);
    return;
  }
  sendEnvelope(res, 200, 0, null, { merchant_uid: entry.merchant_uid, amount: entry.amount });
}
