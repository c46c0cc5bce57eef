// What the product page tells the result page about the payment window it
// closed (sessionStorage), for that order only: the SDK's error message and
// code, the result flag V1's callback carried (or that V1 redirected), and when the page posted the
// callback to our API (the history only records changes).
import { readStorage, session, writeStorage } from './storage';

const KEY = 'shop.lastPayment';

export interface LastPayment {
  merchant_uid: string;
  error_msg: string | null;
  /** The SDK's error code, e.g. V1's F1001 for an amount other than the pre-registered one. */
  error_code?: string | null;
  /** V1's callback flag as it came, e.g. `imp_success=true`; `none` without one. */
  flag?: string | null;
  /** ISO time the page posted the callback to our API, and the status word it answered. */
  callback?: { at: string; word: string } | null;
  /**
   * V1's mobile flow: PortOne sends the browser back through our API
   * (m_redirect_url), so only the server saw the flag, and the page never learns it.
   */
  redirect?: boolean;
}

export const rememberLastPayment = (note: LastPayment): void =>
  writeStorage(session, KEY, JSON.stringify(note));

/** What the product page left for this order, if anything. */
export const lastPaymentFor = (merchantUid: string | null): LastPayment | null => {
  try {
    const note = JSON.parse(readStorage(session, KEY) || 'null') as LastPayment | null;
    return note && note.merchant_uid === merchantUid ? note : null;
  } catch {
    return null;
  }
};

/** The SDK's message for this order, if the product page left one. */
export const sdkMessageFor = (merchantUid: string | null): string | null =>
  lastPaymentFor(merchantUid)?.error_msg ?? null;
