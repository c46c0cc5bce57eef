import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateFault } from './faults';
import { type Fields, parseBody, readBody, sendJson, sleep } from './http-util';
import type { SimulatorState } from './state';
import type {
  BehaviorPatch,
  CancelBehavior,
  ControlState,
  CreatePaymentInput,
  DeliveryOutcome,
  FaultInput,
  PaymentBehavior,
  SendWebhookInput,
  SettleOutcome,
  SimulatorConfig,
} from './types';

const STATES: readonly ControlState[] = [
  'paid',
  'failed',
  'ready',
  'vbank_issued',
  'cancelled',
  'partially_cancelled',
];
const MAX_COPIES = 100;
const CANCEL_BEHAVIORS: readonly CancelBehavior[] = ['immediate', 'pending', 'refuse'];
const SETTLE_OUTCOMES: readonly SettleOutcome[] = ['approve', 'reject'];

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Test-only endpoints under /__sim/ (not part of PortOne): put payments into
 * states, give them a behaviour (pending or refused cancels, late approval),
 * settle pending cancels, forget an amount pre-registration (DELETE prepared/{merchant_uid}),
 * move the clock, fire webhooks, queue faults, read the call log, set
 * the latency every PortOne API answer waits for.
 * JSON in and out, no auth; errors are `{message}` with a 4xx status.
 */
export async function handleControl(
  state: SimulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  try {
    const s = url.pathname.replace(/\/+$/, '').split('/').slice(2).map(decodeURIComponent);
    const raw = await readBody(req);
    const parsed = parseBody(raw, 'application/json');
    if (!parsed.ok) throw new ControlError(400, parsed.error);
    const body = parsed.fields;
    const [first, second, third] = s;
    // e.g. 'POST payments/*/deposit': the one variable segment (an imp_uid) becomes '*'.
    const shape = [first ?? '', ...(s.length > 1 ? ['*'] : []), ...(s.length > 2 ? [third] : [])];
    const route = s.length > 3 ? 'none' : `${method} ${shape.join('/')}`;

    switch (route) {
      case 'POST reset':
        state.reset();
        return sendJson(res, 200, { ok: true });
      case 'GET config':
        return sendJson(res, 200, state.config);
      case 'POST config':
        state.config = { ...state.config, ...readConfig(body) };
        return sendJson(res, 200, state.config);
      case 'GET latency':
        return sendJson(res, 200, { latencyMs: state.latencyMs });
      case 'POST latency':
        state.latencyMs = readLatency(body);
        return sendJson(res, 200, { latencyMs: state.latencyMs });
      case 'GET clock':
        return sendJson(res, 200, { now: state.clock.now() });
      case 'POST clock':
        return sendJson(res, 200, { now: moveClock(state, body) });
      case 'POST payments': {
        const result = state.store.create(readCreateInput(body));
        if (!result.ok) throw new ControlError(result.status, result.message);
        return sendJson(res, 201, result.payment);
      }
      case 'GET payments': {
        const merchantUid = url.searchParams.get('merchant_uid') ?? undefined;
        return sendJson(res, 200, { payments: state.store.list(merchantUid) });
      }
      case 'GET payments/*':
        return sendJson(res, 200, requirePayment(state, second));
      case 'POST payments/*/deposit':
        return transition(res, state.store.deposit(requirePayment(state, second).imp_uid));
      case 'POST payments/*/pay':
        return transition(res, state.store.pay(requirePayment(state, second).imp_uid));
      case 'POST payments/*/fail':
        return transition(
          res,
          state.store.fail(
            requirePayment(state, second).imp_uid,
            optionalString(body, 'reason') ?? null,
          ),
        );
      case 'GET payments/*/behavior': {
        const impUid = requirePayment(state, second).imp_uid;
        return sendJson(res, 200, { behavior: state.store.behavior(impUid) });
      }
      case 'POST payments/*/behavior': {
        const patch = readBehavior(body, '', true);
        const behavior = state.store.setBehavior(requirePayment(state, second).imp_uid, patch);
        return sendJson(res, 200, { behavior });
      }
      case 'GET payments/*/pending-cancels': {
        // Outside the payment's own shape: PortOne shows nothing of a pending cancel.
        const impUid = requirePayment(state, second).imp_uid;
        return sendJson(res, 200, { pending: state.store.pendingCancels(impUid) });
      }
      case 'POST payments/*/settle-cancels': {
        const outcome = oneOf(body, 'outcome', SETTLE_OUTCOMES) ?? 'approve';
        const impUid = requirePayment(state, second).imp_uid;
        return sendJson(res, 200, state.store.settleCancels(impUid, outcome));
      }
      case 'POST payments/*/cancel': {
        const payment = requirePayment(state, second);
        // The console skips the checksum guard and asks for refund accounts itself.
        const result = state.store.cancel(payment, {
          amount: optionalNumber(body, 'amount'),
          reason: optionalString(body, 'reason'),
          requireRefundAccount: false,
        });
        if (!result.ok) throw new ControlError(409, result.message);
        return sendJson(res, 200, result.payment);
      }
      case 'DELETE prepared/*':
        if (!state.store.forgetPrepared(second ?? '')) {
          throw new ControlError(404, `not prepared: ${second}`);
        }
        return sendJson(res, 200, { forgotten: second });
      case 'POST webhooks':
        return sendJson(res, 200, { deliveries: await sendWebhooks(state, body) });
      case 'GET webhooks':
        return sendJson(res, 200, { webhooks: state.webhooks.list() });
      case 'DELETE webhooks':
        state.webhooks.clear();
        return sendJson(res, 200, { ok: true });
      case 'POST faults': {
        const problem = validateFault(body);
        if (problem !== null) throw new ControlError(400, problem);
        return sendJson(res, 201, state.faults.add(body as unknown as FaultInput));
      }
      case 'GET faults':
        return sendJson(res, 200, { faults: state.faults.list() });
      case 'DELETE faults':
        state.faults.clear();
        return sendJson(res, 200, { ok: true });
      case 'GET calls':
        return sendJson(res, 200, { calls: state.calls.list() });
      case 'DELETE calls':
        state.calls.clear();
        return sendJson(res, 200, { ok: true });
      case 'POST tokens/*':
        if (second === 'expire') return sendJson(res, 200, { expired: state.tokens.expireAll() });
        break;
    }
    throw new ControlError(404, `unknown control endpoint: ${method} ${url.pathname}`);
  } catch (error) {
    if (error instanceof ControlError)
      return sendJson(res, error.status, { message: error.message });
    if (error instanceof URIError) return sendJson(res, 400, { message: 'malformed path' });
    return sendJson(res, 500, { message: error instanceof Error ? error.message : String(error) });
  }
}

function transition(
  res: ServerResponse,
  result: { ok: true; payment: unknown } | { ok: false; message: string },
): void {
  if (!result.ok) throw new ControlError(409, result.message);
  sendJson(res, 200, result.payment);
}

function requirePayment(state: SimulatorState, impUid: string | undefined) {
  const payment = state.store.get(impUid ?? '');
  if (payment === undefined) throw new ControlError(404, `unknown imp_uid: ${impUid}`);
  return payment;
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
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ControlError(400, `${key} must be a number`);
  }
  return value;
}

function optionalBoolean(body: Fields, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ControlError(400, `${key} must be a boolean`);
  return value;
}

function oneOf<T extends string>(body: Fields, key: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(body, key);
  if (value !== undefined && !allowed.includes(value as T)) {
    throw new ControlError(400, `${key} must be one of ${allowed.join(', ')}`);
  }
  return value as T | undefined;
}

function readConfig(body: Fields): Partial<SimulatorConfig> {
  const config: Partial<SimulatorConfig> = {};
  if ('webhookUrl' in body) {
    const url = body.webhookUrl;
    if (url !== null && (typeof url !== 'string' || !URL.canParse(url))) {
      throw new ControlError(400, 'webhookUrl must be an absolute URL or null');
    }
    config.webhookUrl = url;
  }
  const format = oneOf(body, 'webhookFormat', ['json', 'form'] as const);
  if (format !== undefined) config.webhookFormat = format;
  const status = oneOf(body, 'statusAfterPartialCancel', ['cancelled', 'paid'] as const);
  if (status !== undefined) config.statusAfterPartialCancel = status;
  return config;
}

const MAX_LATENCY_MS = 60_000;

function readLatency(body: Fields): number {
  const latencyMs = optionalNumber(body, 'latencyMs');
  if (latencyMs === undefined || !Number.isInteger(latencyMs) || latencyMs < 0) {
    throw new ControlError(400, 'latencyMs must be a non-negative integer');
  }
  if (latencyMs > MAX_LATENCY_MS) {
    throw new ControlError(400, `latencyMs must be at most ${MAX_LATENCY_MS}`);
  }
  return latencyMs;
}

function moveClock(state: SimulatorState, body: Fields): number {
  const advance = optionalNumber(body, 'advanceSeconds');
  const set = optionalNumber(body, 'set');
  if ((advance === undefined) === (set === undefined)) {
    throw new ControlError(400, 'give exactly one of advanceSeconds, set');
  }
  if (advance !== undefined) return state.clock.advance(Math.trunc(advance));
  return state.clock.set(Math.trunc(set ?? 0));
}

function readCreateInput(body: Fields): CreatePaymentInput {
  const merchantUid = optionalString(body, 'merchant_uid');
  if (merchantUid === undefined || merchantUid.length === 0 || merchantUid.length > 40) {
    throw new ControlError(400, 'merchant_uid is required (1-40 characters)');
  }
  const amount = optionalNumber(body, 'amount');
  if (amount === undefined || amount < 0) {
    throw new ControlError(400, 'amount is required (a non-negative number)');
  }
  const state = oneOf(body, 'state', STATES);
  if (state === undefined) throw new ControlError(400, `state must be one of ${STATES.join(', ')}`);
  const impUid = optionalString(body, 'imp_uid');
  if (impUid !== undefined && (impUid.length === 0 || impUid.length > 32)) {
    throw new ControlError(400, 'imp_uid must be 1-32 characters');
  }
  const input: CreatePaymentInput = { merchant_uid: merchantUid, amount, state };
  const strings = [
    'currency',
    'name',
    'pay_method',
    'pg_provider',
    'cancel_reason',
    'fail_reason',
    'imp_uid',
    'buyer_name',
    'buyer_email',
    'buyer_tel',
    'custom_data',
    'channel',
  ] as const;
  for (const key of strings) {
    const value = optionalString(body, key);
    if (value !== undefined) input[key] = value;
  }
  const cancelAmount = optionalNumber(body, 'cancel_amount');
  if (cancelAmount !== undefined) input.cancel_amount = cancelAmount;
  const startedAt = optionalNumber(body, 'started_at');
  if (startedAt !== undefined) input.started_at = Math.trunc(startedAt);
  const sandbox = optionalBoolean(body, 'sandbox');
  if (sandbox !== undefined) input.sandbox = sandbox;
  if (body.behavior !== undefined && body.behavior !== null) {
    const behavior = body.behavior;
    if (typeof behavior !== 'object' || Array.isArray(behavior)) {
      throw new ControlError(400, 'behavior must be an object');
    }
    input.behavior = readBehavior(behavior as Fields, 'behavior.', false) as PaymentBehavior;
  }
  return input;
}

const BEHAVIOR_KEYS: readonly (keyof PaymentBehavior)[] = [
  'cancel',
  'cancelDelaySeconds',
  'refuseCancelUntil',
  'omitSandbox',
  'payAt',
];

/**
 * A behaviour from a control body. `prefix` names the fields in messages
 * (`behavior.` inside a create body); with `allowNull`, null removes a key.
 */
function readBehavior(raw: Fields, prefix: string, allowNull: boolean): BehaviorPatch {
  const patch: BehaviorPatch = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = `${prefix}${key}`;
    if (!BEHAVIOR_KEYS.includes(key as keyof PaymentBehavior)) {
      throw new ControlError(
        400,
        `${name} is not a behavior field (one of ${BEHAVIOR_KEYS.join(', ')})`,
      );
    }
    if (value === undefined) continue;
    if (value === null) {
      if (!allowNull) continue;
      patch[key as keyof PaymentBehavior] = null;
      continue;
    }
    if (key === 'cancel') {
      if (!CANCEL_BEHAVIORS.includes(value as CancelBehavior)) {
        throw new ControlError(400, `${name} must be one of ${CANCEL_BEHAVIORS.join(', ')}`);
      }
      patch.cancel = value as CancelBehavior;
    } else if (key === 'omitSandbox') {
      if (typeof value !== 'boolean') throw new ControlError(400, `${name} must be a boolean`);
      patch.omitSandbox = value;
    } else {
      // Seconds on the simulator clock: a delay, or a unix time.
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        throw new ControlError(400, `${name} must be a non-negative integer (seconds)`);
      }
      patch[key as 'cancelDelaySeconds' | 'refuseCancelUntil' | 'payAt'] = value;
    }
  }
  return patch;
}

/** Delivers `copies` notifications and answers once all of them have completed. */
async function sendWebhooks(state: SimulatorState, body: Fields): Promise<DeliveryOutcome[]> {
  const input = readWebhookInput(body);
  const url = input.url ?? state.config.webhookUrl;
  if (url === null) throw new ControlError(400, 'no url given and no webhookUrl configured');
  const payment = state.store.get(input.imp_uid);
  // An unknown imp_uid is the console's "호출 테스트": placeholders unless given.
  const fields: Record<string, string> = {
    imp_uid: input.imp_uid,
    merchant_uid: input.merchant_uid ?? payment?.merchant_uid ?? 'test',
    status: input.status ?? payment?.status ?? 'test',
  };
  if (input.cancellation_id !== undefined) fields.cancellation_id = input.cancellation_id;
  const deliver = async () => {
    await sleep(input.delayMs ?? 0, state.closingSignal);
    return state.webhooks.deliver({
      url,
      fields,
      format: input.format ?? state.config.webhookFormat,
      ...(input.contentType !== undefined ? { contentType: input.contentType } : {}),
      trigger: 'control',
    });
  };
  const copies = input.copies ?? 1;
  if (input.concurrent) return Promise.all(Array.from({ length: copies }, deliver));
  const outcomes: DeliveryOutcome[] = [];
  for (let i = 0; i < copies; i += 1) outcomes.push(await deliver());
  return outcomes;
}

function readWebhookInput(body: Fields): SendWebhookInput {
  const impUid = optionalString(body, 'imp_uid');
  if (impUid === undefined || impUid === '') throw new ControlError(400, 'imp_uid is required');
  const url = optionalString(body, 'url');
  if (url !== undefined && !URL.canParse(url)) throw new ControlError(400, 'url must be absolute');
  const copies = optionalNumber(body, 'copies');
  if (copies !== undefined && (!Number.isInteger(copies) || copies < 1 || copies > MAX_COPIES)) {
    throw new ControlError(400, `copies must be an integer from 1 to ${MAX_COPIES}`);
  }
  const delayMs = optionalNumber(body, 'delayMs');
  if (delayMs !== undefined && delayMs < 0) throw new ControlError(400, 'delayMs must be >= 0');
  const input: SendWebhookInput = { imp_uid: impUid };
  const merchantUid = optionalString(body, 'merchant_uid');
  const status = optionalString(body, 'status');
  const cancellationId = optionalString(body, 'cancellation_id');
  const contentType = optionalString(body, 'contentType');
  const format = oneOf(body, 'format', ['json', 'form'] as const);
  const concurrent = optionalBoolean(body, 'concurrent');
  if (merchantUid !== undefined) input.merchant_uid = merchantUid;
  if (status !== undefined) input.status = status;
  if (cancellationId !== undefined) input.cancellation_id = cancellationId;
  if (contentType !== undefined) input.contentType = contentType;
  if (format !== undefined) input.format = format;
  if (concurrent !== undefined) input.concurrent = concurrent;
  if (url !== undefined) input.url = url;
  if (copies !== undefined) input.copies = copies;
  if (delayMs !== undefined) input.delayMs = delayMs;
  return input;
}
