// zod/mini, as for V1 (functions/adapters/portone/schemas.ts): the same
// validation core with a tree-shakable API, so bundles stay small.
import type { Payment as SdkPayment } from '@portone/server-sdk/payment';
import * as z from 'zod/mini';

/**
 * Shapes of what PortOne V2 (`api.portone.io`) sends back, parsed at the
 * wire like V1's answers. A V2 payment is a union on `status`; the fields
 * each status adds are optional here and checked where they are read. Keys
 * we do not read are dropped (PortOne adds fields without notice); a status
 * we do not know fails the parse, so it reaches the caller as an upstream
 * error instead of being guessed at.
 */

export const V2_STATUSES = [
  'READY',
  'PAY_PENDING',
  'VIRTUAL_ACCOUNT_ISSUED',
  'PAID',
  'FAILED',
  'PARTIAL_CANCELLED',
  'CANCELLED',
] as const;
export type V2Status = (typeof V2_STATUSES)[number];

// Compile-time guard: our statuses are exactly the official SDK's (less its
// "unrecognized" placeholder), so an SDK upgrade that adds one fails to build.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SdkStatus = Extract<SdkPayment['status'], string>;
const statusesMatchTheSdk: Exact<SdkStatus, V2Status> = true;
void statusesMatchTheSdk;

const text = z.string().check(z.minLength(1));
const money = z.int().check(z.minimum(0));
/** RFC 3339 as PortOne writes it; kept as the string, compared after Date.parse. */
const instant = z
  .string()
  .check(z.refine((value) => !Number.isNaN(Date.parse(value)), 'must be an RFC 3339 time'));

const virtualAccountSchema = z.object({
  type: z.literal('PaymentMethodVirtualAccount'),
  bank: z.optional(z.string()),
  accountNumber: z.string(),
  remitteeName: z.optional(z.string()),
  expiredAt: z.optional(instant),
  issuedAt: z.optional(instant),
});

/** `method` is a union on `type`; only a virtual account's details matter here. */
const methodSchema = z.union([
  virtualAccountSchema,
  z
    .object({ type: z.string() })
    .check(
      z.refine(
        (method) => method.type !== 'PaymentMethodVirtualAccount',
        'malformed virtual account',
      ),
    ),
]);

/** `GET /payments/{paymentId}`: the decision-relevant part of the `Payment` union. */
export const v2PaymentSchema = z.object({
  status: z.enum(V2_STATUSES),
  id: text,
  transactionId: text,
  storeId: z.optional(z.string()),
  channel: z.optional(z.object({ type: z.enum(['LIVE', 'TEST']) })),
  method: z.optional(methodSchema),
  requestedAt: instant,
  updatedAt: instant,
  statusChangedAt: instant,
  orderName: z.optional(z.string()),
  amount: z.object({ total: money, cancelled: money }),
  currency: text,
  paidAt: z.optional(instant),
  failedAt: z.optional(instant),
  cancelledAt: z.optional(instant),
  failure: z.optional(z.object({ reason: z.optional(z.string()) })),
});
export type V2Payment = z.output<typeof v2PaymentSchema>;

/** Every V2 error body: `{type, message}` (e.g. `PAYMENT_NOT_FOUND`). */
export const v2ErrorSchema = z.object({
  type: text,
  message: z.optional(z.string()),
});
export type V2Error = z.output<typeof v2ErrorSchema>;

/** `POST /payments/{paymentId}/cancel`: the cancellation PortOne made (or is making). */
export const v2CancelAnswerSchema = z.object({
  cancellation: z.object({
    status: z.enum(['REQUESTED', 'SUCCEEDED', 'FAILED']),
    id: text,
    totalAmount: money,
  }),
});

/**
 * A V2 webhook body (webhook version 2024-04-25), read only after its
 * signature checked out. `Transaction.*` types name a payment to verify;
 * every other type (billing keys, disputes, types PortOne adds later) is
 * answered `ignored`, never refused, as PortOne asks.
 */
export const v2WebhookSchema = z.object({
  type: text,
  timestamp: z.optional(z.string()),
  data: z.optional(z.record(z.string(), z.unknown())),
});

export const v2TransactionDataSchema = z.object({
  paymentId: text,
  storeId: z.optional(z.string()),
  transactionId: z.optional(z.string()),
  cancellationId: z.optional(z.string()),
});

export type V2WebhookEvent =
  | { kind: 'transaction'; type: string; paymentId: string; transactionId: string | null }
  | { kind: 'other'; type: string };

/**
 * What a verified webhook asks of us. Null when the body is not a V2
 * webhook at all (a bad request): a signed body PortOne would never send.
 */
export const readV2Webhook = (body: unknown): V2WebhookEvent | null => {
  const webhook = v2WebhookSchema.safeParse(body);
  if (!webhook.success) return null;
  const { type, data } = webhook.data;
  if (!type.startsWith('Transaction.')) return { kind: 'other', type };
  const transaction = v2TransactionDataSchema.safeParse(data);
  if (!transaction.success) return null;
  return {
    kind: 'transaction',
    type,
    paymentId: transaction.data.paymentId,
    transactionId: transaction.data.transactionId ?? null,
  };
};
