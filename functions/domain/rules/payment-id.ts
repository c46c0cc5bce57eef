import type { Order, OrderStatus } from '../model/order';
import { PAYMENT_ID_LIMIT } from './limits';
import { RECHECK_AFTER_MS } from './timing';

/** The characters of an issued id's random part, and how many (PAYMENT_ID_PATTERN in model/ids.ts). */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX_LENGTH = 16;

/**
 * Bytes at or above this are thrown away: 252 is the largest multiple of 36
 * under 256, so every character is equally likely (`byte % 36` over all 256
 * values would favour the first four). 16 characters of 36 are about 82
 * bits: an id cannot be guessed, and two ids never meet.
 */
const UNBIASED_BELOW = 256 - (256 % ALPHABET.length);

/**
 * A new V2 payment id for the order: `<merchant_uid>.<16 random a-z0-9>`
 * (model/ids.ts). `random` is the RandomBytes port (ports/random.ts), typed
 * here by its shape: rules import no ports.
 */
export const newPaymentId = (merchantUid: string, random: (size: number) => Uint8Array): string => {
  let suffix = '';
  while (suffix.length < SUFFIX_LENGTH) {
    for (const byte of random(SUFFIX_LENGTH)) {
      if (byte < UNBIASED_BELOW && suffix.length < SUFFIX_LENGTH) {
        suffix += ALPHABET[byte % ALPHABET.length];
      }
    }
  }
  return `${merchantUid}.${suffix}`;
};

/** Statuses in which the order's money has been taken: no new checkout attempt may start. */
const PAID: readonly OrderStatus[] = ['paid', 'partially_cancelled', 'cancelled'];

export type IssueRefusal = { kind: 'paid'; status: OrderStatus } | { kind: 'limit'; limit: number };

/** Why the order may not issue another payment id now, or null when it may. */
export const issueRefusalOf = (order: Order): IssueRefusal | null => {
  if (PAID.includes(order.status)) return { kind: 'paid', status: order.status };
  if (Object.keys(order.payment_ids).length >= PAYMENT_ID_LIMIT) {
    return { kind: 'limit', limit: PAYMENT_ID_LIMIT };
  }
  return null;
};

/**
 * The order with `paymentId` issued at `now`. A new checkout window is open,
 * so the reconciler looks at the order again soon (I8), whatever it had
 * settled before (a failed or expired attempt).
 */
export const withIssuedId = (order: Order, paymentId: string, now: string): Order => {
  const soon = new Date(Date.parse(now) + RECHECK_AFTER_MS).toISOString();
  return {
    ...order,
    payment_ids: { ...order.payment_ids, [paymentId]: now },
    updated_at: now,
    check_at: order.check_at !== null && order.check_at < soon ? order.check_at : soon,
  };
};
