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
