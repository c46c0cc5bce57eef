import { z } from 'zod';
import type { PortOnePayment } from '../../domain/portone-payment';

/**
 * Shapes of what PortOne V1 sends back. Everything that crosses the wire is
 * parsed here, so that the rest of the service only ever sees values that have
 * the types it was promised (a PortOne payment is the sole source of truth for
 * amounts and statuses, so a wrong type must fail loudly, never coerce).
 */

/** `{code, message, response}` wraps every answer, success or not. */
export const envelopeSchema = z.object({
  code: z.number().int(),
  // null on success; some error bodies are suspected to omit it.
  message: z
    .string()
    .nullish()
    .transform((value) => value ?? null),
  response: z.unknown(),
});
export type Envelope = z.output<typeof envelopeSchema>;

/** `POST /users/getToken`: times are the server's unix seconds. */
export const tokenSchema = z.object({
  access_token: z.string().min(1),
  now: z.number(),
  expired_at: z.number(),
});
export type IssuedToken = z.output<typeof tokenSchema>;

// PortOne reports "has not happened" as 0 and "not applicable" as null, but
// older records and some PGs omit keys altogether; both mean the same to us.
const timestamp = z
  .number()
  .nullish()
  .transform((value) => value ?? 0);
const nullableString = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const money = z.number().min(0);

/**
 * The decision-relevant part of a payment. Identity, amount and status are
 * required: without them nothing can be decided, so a payment lacking them is
 * a malformed answer. z.object drops every other key PortOne sends.
 */
export const paymentSchema = z.object({
  imp_uid: z.string().min(1),
  merchant_uid: z.string().min(1),
  status: z.enum(['ready', 'paid', 'failed', 'cancelled']),
  amount: money,
  cancel_amount: money.nullish().transform((value) => value ?? 0),
  currency: z
    .string()
    .nullish()
    .transform((value) => value ?? 'KRW'),
  // Absent before the 2025-11 API change: those payments were all live.
  sandbox: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
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

// Compile-time guard: the schema's output is exactly the domain type.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const paymentShapeMatches: Exact<z.output<typeof paymentSchema>, PortOnePayment> = true;
void paymentShapeMatches;

/** `GET /payments/prepare/{merchant_uid}`. */
export const preparedSchema = z.object({
  merchant_uid: z.string().min(1),
  amount: money,
  currency: nullableString,
});
