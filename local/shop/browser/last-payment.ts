// What the product page tells the result page about the payment window it
// closed (sessionStorage): the SDK's error message, for that order only.
import { readStorage, session, writeStorage } from './storage';

const KEY = 'shop.lastPayment';

export interface LastPayment {
  merchant_uid: string;
  error_msg: string | null;
}

export const rememberLastPayment = (note: LastPayment): void =>
  writeStorage(session, KEY, JSON.stringify(note));

/** The SDK's message for this order, if the product page left one. */
export const sdkMessageFor = (merchantUid: string | null): string | null => {
  try {
    const note = JSON.parse(readStorage(session, KEY) || 'null') as LastPayment | null;
    return note && note.merchant_uid === merchantUid ? note.error_msg : null;
  } catch {
    return null;
  }
};
