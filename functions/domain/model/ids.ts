/**
 * docs/design.md §4: the only shapes of id we ever look up, log or echo, and
 * what a request is told when an id has another shape. The HTTP schemas
 * (functions/http/schemas.ts) and the demo shop's result page read them from
 * here. No imports: the shop's browser bundle includes this file as it is.
 */

/** A shop's order id: 1-40 characters of A-Z a-z 0-9 _ -. */
export const MERCHANT_UID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
export const MERCHANT_UID_MESSAGE = 'merchant_uid must be 1-40 characters of A-Z a-z 0-9 _ -';

/** A PortOne V1 payment id: 1-32 characters of A-Z a-z 0-9 _ -. */
export const IMP_UID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const IMP_UID_MESSAGE = 'imp_uid must be 1-32 characters of A-Z a-z 0-9 _ -';

/**
 * A V2 payment id as this service issues them (`POST /orders/{merchant_uid}/payments`):
 * the order's merchant_uid, a dot and 16 random characters of a-z 0-9. The
 * order is read from the id itself, so a webhook finds it without a read;
 * the dot never appears in a merchant_uid or an imp_uid, so a V2 id is never
 * mistaken for a V1 one.
 */
export const PAYMENT_ID_PATTERN = /^([A-Za-z0-9_-]{1,40})\.[a-z0-9]{16}$/;
export const PAYMENT_ID_MESSAGE =
  'paymentId must be a payment id this service issued: <merchant_uid>.<16 characters of a-z 0-9>';

/** The order a V2 payment id was issued for, or null when the id is not one of ours. */
export const orderOfPaymentId = (paymentId: string): string | null =>
  PAYMENT_ID_PATTERN.exec(paymentId)?.[1] ?? null;
