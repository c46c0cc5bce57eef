/**
 * Every message an answer carries, in one place, so that the same fact is
 * worded once whichever route says it. Public routes (complete, redirect,
 * webhook) answer anyone: their messages about our own failures stay
 * generic, and the detail goes to the log line whose request id they quote.
 */
export const MESSAGES = {
  unknownPayment: 'PortOne does not know this payment',
  unregistered: 'no such order is registered',
  merchantMismatch: 'the payment belongs to another order',
  notComplete: 'the payment is not complete yet',
  paymentFailed: 'the payment failed',
  forgedOther: 'the payment does not match the order',
  cancellationUnreachable: 'cancelling a forged or duplicate payment failed; please retry',
  addressNotAllowed: 'this address may not call the webhook',
  invalidSignature: 'the webhook signature is missing, wrong or too old',
  v2NotConfigured:
    'PortOne V2 is not configured: set PORTONE_V2_API_SECRET and PORTONE_V2_WEBHOOK_SECRET',
  upstream: 'PortOne could not be reached or gave no usable answer; please retry later',
  storage: 'the service is briefly unavailable; please retry',
  itemTooLarge: 'this order cannot be updated any more; the operator has been alerted',
  internal: 'internal error',
  refundRequested: 'PortOne has the refund; it shows once the money is returned',
  refundRefused: 'PortOne refused the refund',
} as const;

/** Why a payment is a forgery, in the words of an answer (the reasons are the model's). */
export const FORGERY_MESSAGES: Record<string, string> = {
  amount_mismatch: 'the paid amount differs from the order amount',
  currency_mismatch: 'the paid currency differs from the order currency',
  sandbox_in_live_mode: 'the payment was made on a PortOne test channel',
};

export const forgeryMessage = (reason: string | null): string =>
  (reason && FORGERY_MESSAGES[reason]) ?? MESSAGES.forgedOther;

export const orderNotRegistered = (merchantUid: string) => `order ${merchantUid} is not registered`;

export const refundFailed = (reason: string | null) =>
  `PortOne could not refund now (${reason ?? 'unreachable'}); it is retried automatically; repeat with the same request_id to follow it`;

export const routeNotSupported = (method: string, path: string | undefined) =>
  `${method} ${path} is not supported; use POST /orders, GET /orders/{merchant_uid}, POST /orders/{merchant_uid}/payments or POST /orders/{merchant_uid}/cancel`;
