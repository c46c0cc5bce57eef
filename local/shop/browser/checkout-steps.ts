// What the V1 and V2 payment flows share: the page's busy state and error
// box (owned by shop.ts), the call to our API's complete route, and the way
// to the result page.
import type { ShopOrder } from '../orders';
import { type LastPayment, rememberLastPayment } from './last-payment';
import { VERIFY_HEADERS } from './verify-request';

/** What shop.ts hands a flow for one checkout attempt. */
export interface Checkout {
  order: ShopOrder;
  /** The "Pay on mobile" button: the redirect flow even on a PC. */
  mobile: boolean;
  /** The shop's method word: 'card' or 'vbank'. */
  method: string;
  setBusy(key: string | null): void;
  showError(message: string): void;
}

/**
 * Asks our API to verify the payment; the answer's `status` word is all the
 * page trusts. No answer: the webhook will settle the order, and the result
 * page shows what it becomes.
 */
export const verify = async (path: string, body: Record<string, string>): Promise<string> => {
  try {
    const response = await fetch(`${window.SHOP.apiBase}${path}`, {
      method: 'POST',
      headers: { ...VERIFY_HEADERS },
      body: JSON.stringify(body),
    });
    const answer = (await response.json().catch(() => ({}))) as { status?: unknown };
    return typeof answer.status === 'string' && answer.status ? answer.status : 'pending';
  } catch {
    return 'pending';
  }
};

/** The result page for this order, told the status word, with the SDK's message kept for it. */
export const goToResult = (
  order: ShopOrder,
  status: string,
  sdkMessage: string | null,
  more: Omit<LastPayment, 'merchant_uid' | 'error_msg'> = {},
): void => {
  rememberLastPayment({ merchant_uid: order.merchant_uid, error_msg: sdkMessage || null, ...more });
  const query = new URLSearchParams({ merchant_uid: order.merchant_uid, status });
  window.location.href = `/result?${query}`;
};
