/** Support needs the recent story, not all of it; the item must stay small (cost and the 400 KB limit). */
export const HISTORY_LIMIT = 30;

/**
 * I9: attempts kept per order beyond which the oldest that decide nothing
 * (failed or abandoned, not current, owing nothing) are dropped. About 460
 * bytes each, so an order stays near 10 KB however often its window is
 * closed; paid, cancelled and virtual-account attempts are always kept.
 */
export const ATTEMPT_LIMIT = 20;

/** Refunds kept per order: all of them (a dropped request_id could be refunded again), so a cap. */
export const REFUND_LIMIT = 100;

/**
 * I9: V2 payment ids an order may issue (`POST /orders/{merchant_uid}/payments`),
 * one per checkout attempt. Ids are never dropped: a payment made under an id
 * the order no longer knew would count as not issued, so the bound refuses
 * more instead (409). Each entry is the id (at most 57 characters) and its
 * ISO issue time (24), about 90 bytes as DynamoDB counts them, so 50 ids add
 * under 5 KB: with the 20 attempts (~9 KB), 30 history entries and the
 * refunds, the item stays near 20 KB, far under 400 KB. 50 windows opened for
 * one order is already far beyond a shopper retrying, and each id is one more
 * lookup for the reconciler.
 */
export const PAYMENT_ID_LIMIT = 50;
