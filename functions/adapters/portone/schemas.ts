// zod/mini rather than zod: the same validation core (and the same issue
// codes) with a tree-shakable API, so the function bundles stay small.
import * as z from 'zod/mini';
import type { PortOnePayment } from '../../domain/model/portone-payment';

/**
 * Shapes of what PortOne V1 sends back. Everything that crosses the wire is
 * parsed here, so that the rest of the service only ever sees values that have
 * the types it was promised (a PortOne payment is the sole source of truth for
 * amounts and statuses, so a wrong type must fail loudly, never coerce).
 */

/**
 * `schema`, except that an absent key or null reads as `fallback`. PortOne
 * reports "has not happened" as 0 and "not applicable" as null, but older
 * records and some PGs omit keys altogether; both mean the same to us.
 */
const orElse = <S extends z.ZodMiniType, F>(schema: S, fallback: F) =>
  z.pipe(
    z.nullish(schema),
    z.transform((value: z.output<S> | null | undefined) => value ?? fallback),
  );

/** `{code, message, response}` wraps every answer, success or not. */
export const envelopeSchema = z.object({
  code: z.int(),
  // null on success; some error bodies are suspected to omit it.
  message: orElse(z.string(), null),
  response: z.unknown(),
});
export type Envelope = z.output<typeof envelopeSchema>;

/** `POST /users/getToken`: times are the server's unix seconds. */
export const tokenSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  now: z.number(),
  expired_at: z.number(),
});
export type IssuedToken = z.output<typeof tokenSchema>;

const timestamp = orElse(z.number(), 0);
const nullableString = orElse(z.string(), null);
const money = z.number().check(z.minimum(0));

/**
 * The decision-relevant part of a payment. Identity, amount and status are
 * required: without them nothing can be decided, so a payment lacking them is
 * a malformed answer. z.object drops every other key PortOne sends. The
 * domain's payment also names its API (V1 here) and V2's change time (none).
 */
const v1PaymentSchema = z.object({
  imp_uid: z.string().check(z.minLength(1)),
  merchant_uid: z.string().check(z.minLength(1)),
  status: z.enum(['ready', 'paid', 'failed', 'cancelled']),
  amount: money,
  cancel_amount: orElse(money, 0),
  currency: orElse(z.string(), 'KRW'),
  // Absent from answers before the 2026 API change; test-channel payments
  // existed then too, so an absent flag says nothing (null), never "live".
  sandbox: orElse(z.boolean(), null),
  pay_method: nullableString,
  name: nullableString,
  started_at: timestamp,
  paid_at: timestamp,
  failed_at: timestamp,
  cancelled_at: timestamp,
  fail_reason: nullableString,
  cancel_reason: nullableString,
  vbank_code: nullableString,
  vbank_name: nullableString,
  vbank_num: nullableString,
  vbank_holder: nullableString,
  vbank_date: timestamp,
  vbank_issued_at: timestamp,
});

export const paymentSchema = z.pipe(
  v1PaymentSchema,
  z.transform((payment): PortOnePayment => ({ api: 'v1', ...payment, changed_at: 0 })),
);

// Compile-time guard: the schema's output is exactly the domain type.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const paymentShapeMatches: Exact<
  z.output<typeof v1PaymentSchema>,
  Omit<PortOnePayment, 'api' | 'changed_at'>
> = true;
void paymentShapeMatches;

/** `GET /payments/findAll/...`: one page of payments; `next` is 0 on the last page. */
export const paymentPageSchema = z.object({
  total: orElse(z.int(), 0),
  next: orElse(z.int(), 0),
  list: z.array(paymentSchema),
});

/** `GET /payments/prepare/{merchant_uid}`. */
export const preparedSchema = z.object({
  merchant_uid: z.string().check(z.minLength(1)),
  amount: money,
  currency: nullableString,
});
