import * as z from 'zod/mini';
import { ORDER_STATUSES, type Order, SETTLED_STATUSES } from '../../domain/model/order';

/**
 * The stored order, checked on every read as PortOne's answers are: an item
 * edited by hand, written by a future version or cut short must fail loudly
 * here, never flow on as a wrongly typed Order and decide a payment. Fields
 * added after the first items were written read as their neutral value.
 * Unknown fields are kept (loose objects), so an item a newer version wrote
 * survives a rollback's read-modify-write intact.
 */

const text = z.string();
const nullableText = z.nullable(z.string());
const money = z.number().check(z.nonnegative());
const ATTEMPT_STATUSES = ORDER_STATUSES.filter((status) => status !== 'forgery') as [
  Exclude<(typeof ORDER_STATUSES)[number], 'forgery'>,
  ...Exclude<(typeof ORDER_STATUSES)[number], 'forgery'>[],
];
const verdict = z.enum(['ok', 'forgery', 'duplicate']);

const cancellationFields = {
  state: z.enum(['requested', 'done', 'failed', 'rejected']),
  kind: z.enum(['cancel', 'revoke']),
  at: text,
  amount: money,
  balance: money,
  message: nullableText,
  since: text,
  tries: z.int(),
  accepted: z.boolean(),
  next_at: nullableText,
};

/** A cancellation written before records had a balance and a schedule (one call, its amount the balance). */
const legacyCancellation = (stored: unknown) => {
  if (stored === null || typeof stored !== 'object') return stored;
  const record = stored as Record<string, unknown>;
  return {
    kind: 'cancel',
    balance: record.amount,
    since: record.at,
    tries: 1,
    accepted: record.state === 'done',
    next_at: record.state === 'failed' ? record.at : null,
    ...record,
  };
};

const cancellation = z.pipe(z.transform(legacyCancellation), z.looseObject(cancellationFields));

const attempt = z.looseObject({
  // Attempts stored before V2 existed are all V1's.
  api: z._default(z.enum(['v1', 'v2']), 'v1'),
  imp_uid: text,
  status: z.enum(ATTEMPT_STATUSES),
  verdict,
  forgery_reason: z.nullable(
    z.enum(['amount_mismatch', 'currency_mismatch', 'sandbox_in_live_mode']),
  ),
  portone_status: z.enum(['ready', 'paid', 'failed', 'cancelled']),
  amount: money,
  cancel_amount: money,
  currency: text,
  pay_method: nullableText,
  sandbox: z.boolean(),
  started_at: z.number(),
  paid_at: z.number(),
  fail_reason: nullableText,
  vbank: z.nullable(
    z.looseObject({
      bank: nullableText,
      number: nullableText,
      holder: nullableText,
      due: nullableText,
    }),
  ),
  version: text,
  final: z.boolean(),
  cancellation: z.nullable(cancellation),
  observed_at: text,
});

const refund = z.looseObject({
  ...cancellationFields,
  request_id: text,
  imp_uid: text,
  reason: text,
  requested_amount: z.nullable(money),
  refund_account: z.nullable(
    z.looseObject({ holder: text, bank: text, account: text, tel: nullableText }),
  ),
});

const historyEntry = z.looseObject({
  at: text,
  source: z.enum(['complete', 'redirect', 'webhook', 'reconcile', 'cancel', 'merchant']),
  imp_uid: text,
  attempt_status: z.enum(ATTEMPT_STATUSES),
  verdict,
  status: z.enum(ORDER_STATUSES),
  final: z.boolean(),
});

export const storedOrder = z.looseObject({
  merchant_uid: text,
  amount: money,
  currency: text,
  name: nullableText,
  prepared: z.boolean(),
  created_at: text,
  updated_at: text,
  imp_uid: nullableText,
  payment_ids: z._default(z.record(text, text), {}),
  rank: nullableText,
  status: z.enum(ORDER_STATUSES),
  final: z.boolean(),
  check_at: z._default(nullableText, null),
  owes_cancellation: z._default(z.boolean(), false),
  settled: z._default(z.partialRecord(z.enum(SETTLED_STATUSES), text), {}),
  attempts: z.record(text, attempt),
  dropped_attempts: z._default(z.int(), 0),
  refunds: z._default(z.array(refund), []),
  history: z.array(historyEntry),
  recheck_failures: z._default(z.int(), 0),
  rev: z.int(),
});

// The schema must describe exactly the model's Order: this fails to compile otherwise.
type Parsed = z.output<typeof storedOrder>;
export const asOrder = (parsed: Parsed): Order => parsed;
