import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Fields, parseBody, readBody, sendJson } from '../http-util';
import type { SimulatorState } from '../state';
import { webhookTypeOf } from './state';
import { renderV2Payment } from './store';
import type {
  V2ChannelType,
  V2Config,
  V2ControlState,
  V2CreatePaymentInput,
  V2PayMethod,
  V2SendWebhookInput,
  V2WebhookLogEntry,
  V2WebhookMode,
} from './types';
import { V2_WEBHOOK_MODES } from './types';

export const V2_CONTROL_PREFIX = '/__sim/v2/';

const STATES: readonly V2ControlState[] = [
  'ready',
  'virtual_account_issued',
  'paid',
  'failed',
  'partially_cancelled',
  'cancelled',
];
const MODES = V2_WEBHOOK_MODES;
const CHANNELS: readonly V2ChannelType[] = ['LIVE', 'TEST'];
const PAY_METHODS: readonly V2PayMethod[] = ['CARD', 'VIRTUAL_ACCOUNT', 'TRANSFER'];

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Test-only V2 endpoints under /__sim/v2/ (not part of PortOne), shaped like
 * V1's: put V2 payments into states, deposit into a virtual account, cancel
 * from the console, forget a pre-registration (DELETE payments/{id}/pre-register),
 * send or resend signed webhooks in a delivery mode, read
 * the webhook log. Payments are answered as `GET /payments/{id}` shows them.
 * JSON in and out, no auth; errors are `{message}` with a 4xx status.
 */
export async function handleV2Control(
  state: SimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const v2 = state.v2;
  try {
    const s = url.pathname
      .slice(V2_CONTROL_PREFIX.length)
      .replace(/\/+$/, '')
      .split('/')
      .map(decodeURIComponent);
    const parsed = parseBody(await readBody(req), 'application/json');
    if (!parsed.ok) throw new ControlError(400, parsed.error);
    const body = parsed.fields;
    const [first, second, third] = s;
    const shape = [first ?? '', ...(s.length > 1 ? ['*'] : []), ...(s.length > 2 ? [third] : [])];
    const route = s.length > 3 ? 'none' : `${method} ${shape.join('/')}`;

    switch (route) {
      case 'GET config':
        return sendJson(res, 200, v2.config);
      case 'POST config':
        v2.config = { ...v2.config, ...readConfig(body) };
        return sendJson(res, 200, v2.config);
      case 'POST payments': {
        const result = v2.store.create(readCreateInput(body));
        if (!result.ok) throw new ControlError(result.status, result.message);
        return sendJson(res, 201, renderV2Payment(result.payment));
      }
      case 'GET payments':
        return sendJson(res, 200, { payments: v2.store.list().map(renderV2Payment) });
      case 'GET payments/*':
        return sendJson(res, 200, renderV2Payment(requirePayment(state, second)));
      case 'GET payments/*/pre-register': {
        const entry = v2.store.getPreRegistration(second ?? '');
        if (entry === undefined) throw new ControlError(404, `not pre-registered: ${second}`);
        return sendJson(res, 200, entry);
      }
      case 'DELETE payments/*/pre-register':
        if (!v2.store.forgetPreRegistration(second ?? '')) {
          throw new ControlError(404, `not pre-registered: ${second}`);
        }
        return sendJson(res, 200, { forgotten: second });
      case 'POST payments/*/deposit': {
        // Options are read before the transition: a bad one must change nothing.
        const mode = modeOption(body);
        const result = v2.store.deposit(requirePayment(state, second).id);
        if (!result.ok) throw new ControlError(409, result.message);
        const webhooks = await v2.notify(result.payment, 'deposit', mode);
        return sendJson(res, 200, { payment: renderV2Payment(result.payment), webhooks });
      }
      case 'POST payments/*/cancel': {
        // The console skips the balance guard: it shows the balance itself.
        const payment = requirePayment(state, second);
        const amount = optionalNumber(body, 'amount');
        const reason = optionalString(body, 'reason') ?? '콘솔 취소';
        const mode = modeOption(body);
        const result = v2.store.cancel(payment.id, {
          reason,
          trigger: 'CONSOLE',
          ...(amount === undefined ? {} : { amount }),
        });
        if (!result.ok) throw new ControlError(409, `${result.type}: ${result.message}`);
        const webhooks = await v2.notify(result.payment, 'console', {
          cancellationId: result.cancellation.id,
          ...mode,
        });
        return sendJson(res, 200, { payment: renderV2Payment(result.payment), webhooks });
      }
      case 'POST webhooks':
        return sendJson(res, 200, { webhooks: await sendWebhook(state, readWebhookInput(body)) });
      case 'GET webhooks':
        return sendJson(res, 200, { webhooks: v2.webhooks.list() });
      case 'DELETE webhooks':
        v2.webhooks.clear();
        return sendJson(res, 200, { ok: true });
      case 'POST webhooks/*/resend':
        return sendJson(res, 200, { webhooks: await resend(state, second ?? '', body) });
      case 'POST webhooks/*':
        if (second === 'settle') {
          await v2.webhooks.settle();
          return sendJson(res, 200, { webhooks: v2.webhooks.list() });
        }
        break;
    }
    throw new ControlError(404, `unknown control endpoint: ${method} ${url.pathname}`);
  } catch (error) {
    if (error instanceof ControlError) {
      return sendJson(res, error.status, { message: error.message });
    }
    if (error instanceof URIError) return sendJson(res, 400, { message: 'malformed path' });
    return sendJson(res, 500, { message: error instanceof Error ? error.message : String(error) });
  }
}

function requirePayment(state: SimulatorState, paymentId: string | undefined) {
  const payment = state.v2.store.get(paymentId ?? '');
  if (payment === undefined) throw new ControlError(404, `unknown paymentId: ${paymentId}`);
  return payment;
}

/** Sends one webhook; an unknown paymentId is a console "test call" with placeholders. */
function sendWebhook(state: SimulatorState, input: V2SendWebhookInput) {
  const v2 = state.v2;
  const url = input.url ?? v2.config.webhookUrl;
  if (url === null) throw new ControlError(400, 'no url given and no webhookUrl configured');
  const payment = v2.store.get(input.paymentId);
  const type = input.type ?? (payment ? webhookTypeOf(payment.status) : 'Transaction.Paid');
  const isCancel = type === 'Transaction.Cancelled' || type === 'Transaction.PartialCancelled';
  const cancellationId =
    input.cancellationId ?? (isCancel ? payment?.cancellations?.at(-1)?.id : undefined);
  const data =
    input.data ??
    (payment
      ? v2.transactionData(payment, cancellationId)
      : {
          paymentId: input.paymentId,
          storeId: v2.config.storeId,
          transactionId: randomUUID(),
          ...(cancellationId === undefined ? {} : { cancellationId }),
        });
  return v2.webhooks.deliver({
    url,
    type,
    body: v2.webhookBody(type, data),
    mode: input.mode ?? (payment ? v2.store.webhookMode(payment.id) : undefined) ?? 'normal',
    trigger: 'control',
    ...(input.delayMs === undefined ? {} : { delayMs: input.delayMs }),
  });
}

/** PortOne's retry or the console's resend: same webhook-id and body, a fresh signature. */
function resend(
  state: SimulatorState,
  webhookId: string,
  body: Fields,
): Promise<V2WebhookLogEntry[]> {
  const earlier = state.v2.webhooks.find(webhookId);
  if (earlier === undefined) throw new ControlError(404, `unknown webhook-id: ${webhookId}`);
  const url = optionalString(body, 'url') ?? earlier.url;
  return state.v2.webhooks.deliver({
    url,
    type: earlier.type,
    body: earlier.body,
    webhookId,
    mode: oneOf(body, 'mode', MODES) ?? 'normal',
    trigger: 'resend',
    // A resend from the console is one delivery; only PortOne's own sends are re-sent.
    retry: false,
  });
}

function optionalString(body: Fields, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ControlError(400, `${key} must be a string`);
  return value;
}

function optionalNumber(body: Fields, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ControlError(400, `${key} must be a non-negative integer`);
  }
  return value;
}

function oneOf<T extends string>(body: Fields, key: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(body, key);
  if (value !== undefined && !allowed.includes(value as T)) {
    throw new ControlError(400, `${key} must be one of ${allowed.join(', ')}`);
  }
  return value as T | undefined;
}

function modeOption(body: Fields): { mode?: V2WebhookMode } {
  const mode = oneOf(body, 'webhookMode', MODES);
  return mode === undefined ? {} : { mode };
}

function readConfig(body: Fields): Partial<V2Config> {
  const config: Partial<V2Config> = {};
  if ('webhookUrl' in body) {
    const url = body.webhookUrl;
    if (url !== null && (typeof url !== 'string' || !URL.canParse(url))) {
      throw new ControlError(400, 'webhookUrl must be an absolute URL or null');
    }
    config.webhookUrl = url;
  }
  const secret = optionalString(body, 'webhookSecret');
  if (secret !== undefined) {
    const key = secret.startsWith('whsec_') ? secret.slice(6) : secret;
    if (key === '' || Buffer.from(key, 'base64').toString('base64') !== key) {
      throw new ControlError(400, 'webhookSecret must be base64, optionally after whsec_');
    }
    config.webhookSecret = secret;
  }
  const storeId = optionalString(body, 'storeId');
  if (storeId !== undefined) config.storeId = storeId;
  const delayed = optionalNumber(body, 'delayedWebhookMs');
  if (delayed !== undefined) config.delayedWebhookMs = delayed;
  const maxRetries = optionalNumber(body, 'webhookMaxRetries');
  if (maxRetries !== undefined) {
    if (maxRetries > 10) throw new ControlError(400, 'webhookMaxRetries must be at most 10');
    config.webhookMaxRetries = maxRetries;
  }
  const retryBase = optionalNumber(body, 'webhookRetryBaseMs');
  if (retryBase !== undefined) config.webhookRetryBaseMs = retryBase;
  if ('webhookRetryJitter' in body) {
    if (typeof body.webhookRetryJitter !== 'boolean') {
      throw new ControlError(400, 'webhookRetryJitter must be a boolean');
    }
    config.webhookRetryJitter = body.webhookRetryJitter;
  }
  return config;
}

function readCreateInput(body: Fields): V2CreatePaymentInput {
  const paymentId = optionalString(body, 'paymentId');
  if (paymentId === undefined || paymentId === '')
    throw new ControlError(400, 'paymentId is required');
  const amount = optionalNumber(body, 'amount');
  if (amount === undefined)
    throw new ControlError(400, 'amount is required (a non-negative integer)');
  const state = oneOf(body, 'state', STATES);
  if (state === undefined) throw new ControlError(400, `state must be one of ${STATES.join(', ')}`);
  const input: V2CreatePaymentInput = { paymentId, amount, state };
  const channel = oneOf(body, 'channel', CHANNELS);
  const payMethod = oneOf(body, 'payMethod', PAY_METHODS);
  const webhookMode = oneOf(body, 'webhookMode', MODES);
  if (channel !== undefined) input.channel = channel;
  if (payMethod !== undefined) input.payMethod = payMethod;
  if (webhookMode !== undefined) input.webhookMode = webhookMode;
  const strings = [
    'orderName',
    'currency',
    'pgProvider',
    'storeId',
    'customerId',
    'customData',
    'failureReason',
  ] as const;
  for (const key of strings) {
    const value = optionalString(body, key);
    if (value !== undefined) input[key] = value;
  }
  const taxFree = optionalNumber(body, 'taxFree');
  if (taxFree !== undefined) {
    if (taxFree > amount) throw new ControlError(400, 'taxFree must not exceed amount');
    input.taxFree = taxFree;
  }
  const cancelled = optionalNumber(body, 'cancelledAmount');
  if (cancelled !== undefined) {
    if (state !== 'partially_cancelled' || cancelled < 1 || cancelled >= amount) {
      throw new ControlError(
        400,
        'cancelledAmount is for partially_cancelled, from 1 to amount - 1',
      );
    }
    input.cancelledAmount = cancelled;
  }
  return input;
}

function readWebhookInput(body: Fields): V2SendWebhookInput {
  const paymentId = optionalString(body, 'paymentId');
  if (paymentId === undefined || paymentId === '')
    throw new ControlError(400, 'paymentId is required');
  const input: V2SendWebhookInput = { paymentId };
  const type = optionalString(body, 'type');
  const cancellationId = optionalString(body, 'cancellationId');
  const url = optionalString(body, 'url');
  if (url !== undefined && !URL.canParse(url)) throw new ControlError(400, 'url must be absolute');
  const mode = oneOf(body, 'mode', MODES);
  const delayMs = optionalNumber(body, 'delayMs');
  if (body.data !== undefined && body.data !== null) {
    if (typeof body.data !== 'object' || Array.isArray(body.data)) {
      throw new ControlError(400, 'data must be an object');
    }
    input.data = body.data as Record<string, unknown>;
  }
  if (type !== undefined) input.type = type;
  if (cancellationId !== undefined) input.cancellationId = cancellationId;
  if (url !== undefined) input.url = url;
  if (mode !== undefined) input.mode = mode;
  if (delayMs !== undefined) input.delayMs = delayMs;
  return input;
}
