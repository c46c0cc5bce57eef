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
