import type { ResultWord } from './order-view';

/**
 * The words an answer's `status` field carries. Each audience has its own
 * vocabulary, kept apart on purpose: a browser page branches on iamport's
 * example words, PortOne only reads the HTTP status, the merchant's backend
 * reads order statuses. All of them are here, so a newcomer sees the whole
 * contract (docs/design.md §4) in one file.
 */

/** Any route, when the request could not be served. */
export type ErrorWord =
  | 'invalid_request'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'invalid_signature'
  | 'not_configured'
  | 'upstream_error'
  | 'unavailable'
  | 'not_configured'
  | 'internal_error';

/** complete and redirect: where the order stands, in the words of iamport's example checkout page. */
export type BrowserWord = ResultWord | 'not_found';

/** The redirect's `status` query parameter also says when the request itself was malformed. */
export type RedirectWord = BrowserWord | 'invalid_request';

/** webhook: what PortOne's notice did (PortOne itself reads only the HTTP status). */
export type WebhookWord = 'applied' | 'duplicate' | 'stale' | 'forgery' | 'ignored' | 'not_found';

/** POST /orders/{merchant_uid}/cancel: where the refund stands. */
export type RefundWord = 'cancelled' | 'partially_cancelled' | 'requested' | 'rejected';
