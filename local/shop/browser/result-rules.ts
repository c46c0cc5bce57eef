// The result page's decisions, pure and without the DOM: which ids it looks
// up, which message keys it shows, and whether the browser was told otherwise
// than the server says. The words come from their owners in functions/.
import { MERCHANT_UID_PATTERN } from '../../../functions/domain/model/ids';
import { ORDER_STATUSES, type OrderStatus } from '../../../functions/domain/model/order';
import { resultWordOf } from '../../../functions/http/order-view';
import { type ForgedAttempts, forgeryNoteKey } from './forgery-note';

/** What the page needs of the order to choose its texts. */
export interface Shown {
  status: string;
  final: boolean;
  paid_amount?: number;
  cancel_amount?: number;
  attempts?: { current: boolean; status: string; fail_reason: string | null }[];
}

/** The words PortOne (and the simulator) use when the buyer closed the window. */
const CLOSED_BY_BUYER = /사용자가 결제를 취소|user cancel|cancelled by the user/i;

/**
 * Why a failed order failed, from its current attempt's reason as PortOne
 * gave it: the buyer closed the window, or the card company declined.
 */
export const failureOf = (order: Shown): 'closed' | 'declined' | null => {
  const current = order.attempts?.find((a) => a.current);
  if (order.status !== 'failed' || !current) return null;
  return CLOSED_BY_BUYER.test(current.fail_reason ?? '') ? 'closed' : 'declined';
};

/**
 * A forgery PortOne itself refused (V2 with a pre-registered amount): the
 * attempt failed and nothing was paid, so there is nothing to refund.
 */
export const isRefusedForgery = (order: {
  status: string;
  paid_amount?: number;
  attempts?: { current?: boolean; status?: string }[];
}): boolean =>
  order.status === 'forgery' &&
  !order.paid_amount &&
  order.attempts?.find((a) => a.current)?.status === 'failed';

/** The heading's label: a failed order says whether it was closed or declined. */
export const headingKey = (order: Shown): string => {
  const failure = failureOf(order);
  return failure ? `status.failed.${failure}` : statusKey(order.status);
};

/** Only an id of the API's shape is looked up; any other is not found at once. */
export const isMerchantUid = (value: string | null): value is string =>
  value !== null && MERCHANT_UID_PATTERN.test(value);

export const isOrderStatus = (value: unknown): value is OrderStatus =>
  (ORDER_STATUSES as readonly unknown[]).includes(value);

/** The label of an order status; the loading label while there is none yet. */
export const statusKey = (status: string | null | undefined): string =>
  status ? `status.${status}` : 'status.loading';

/**
 * The note under the status: paid reads differently until it is final; a
 * failure says whether the buyer closed the window or the card company
 * declined; a forgery whether PortOne refused it (nothing charged) or what
 * became of the money (forgery-note.ts).
 */
export const noteKey = (order: Shown & ForgedAttempts): string => {
  const failure = failureOf(order);
  if (failure) return `note.${failure}`;
  if (order.status === 'forgery') {
    return isRefusedForgery(order) ? 'note.forgery.refused' : forgeryNoteKey(order);
  }
  return (order.status === 'paid' || order.status === 'failed') && !order.final
    ? `note.${order.status}.provisional`
    : `note.${order.status}`;
};

/** The hint next to the final/provisional badge. */
export const finalHintKey = (order: Shown): string =>
  order.final
    ? 'result.finalHint'
    : order.status === 'failed' || isRefusedForgery(order)
      ? 'result.provisionalHintFailed'
      : 'result.provisionalHint';

/**
 * The browser was told a `status` word (?status=, what complete or redirect
 * answered) other than the one the server's status now answers, and other
 * than one of a status the order went through since (`passed`, from its
 * history): a virtual account the browser saw issued and the deposit paid
 * later is progress, not a disagreement.
 */
export const toldOtherwise = (
  told: string | null,
  status: string,
  passed: readonly string[] = [],
): boolean =>
  Boolean(told) && ![status, ...passed].some((s) => isOrderStatus(s) && resultWordOf(s) === told);

/** What the page needs of the order to know whether anything is still to come. */
export interface Watched extends Pick<Shown, 'status' | 'final'> {
  paid_amount?: number;
  attempts?: { cancellation: { state: string } | null; current?: boolean; status?: string }[];
  refunds?: { state: string }[];
}

/**
 * What the shopper is still waiting for, as a message key; null once the
 * order is settled for good. A confirmed virtual account (`vbank_issued` is
 * final in the API's sense) still awaits the deposit, a confirmed `pending`
 * its outcome, and a refund under way its answer.
 */
export const pendingKey = (order: Watched | null): string | null => {
  if (!order) return 'pending.loading';
  if (order.status === 'vbank_issued') return 'pending.deposit';
  if (!order.final) {
    if (order.status === 'paid') return 'pending.confirmPaid';
    if (order.status === 'failed' || isRefusedForgery(order)) return 'pending.confirmFailed';
    return 'pending.payment';
  }
  if (order.status === 'pending') return 'pending.payment';
  const refunding =
    (order.attempts ?? []).some((a) => a.cancellation?.state === 'requested') ||
    (order.refunds ?? []).some((r) => r.state === 'requested');
  return refunding ? 'pending.refund' : null;
};

/** The page's first look is at once, then it waits 1 s, doubling up to 15 s. */
export const POLL_FIRST_MS = 1000;
export const POLL_LONGEST_MS = 15_000;

/** The wait before the next look, after `unchanged` looks in a row that showed nothing new. */
export const pollDelay = (unchanged: number): number =>
  Math.min(POLL_FIRST_MS * 2 ** Math.max(unchanged, 0), POLL_LONGEST_MS);

/**
 * The webhook note: how many deliveries `arrived`, how many of them the
 * server `refused` (answered other than 2xx, or not at all: e.g. a V2
 * signature that did not check out) and how many `changed` the order (its
 * history's webhook lines); the others it accepted and found nothing new in.
 * In the words `message` gives for a key.
 */
export const webhooksText = (
  message: (key: string) => string,
  arrived: number,
  changed: number,
  refused = 0,
): string => {
  const n = Math.max(arrived, 0);
  const r = Math.min(Math.max(refused, 0), n);
  const c = Math.min(Math.max(changed, 0), n - r);
  const u = n - r - c;
  const key =
    n === 0
      ? 'result.webhooksNone'
      : r === n
        ? n === 1
          ? 'result.webhooksOneRefused'
          : 'result.webhooksAllRefused'
        : r > 0
          ? u === 0
            ? 'result.webhooksChangedAndRefused'
            : 'result.webhooksSomeRefused'
          : n === 1
            ? c === 1
              ? 'result.webhooksOneChanged'
              : 'result.webhooksOneUnchanged'
            : c === n
              ? 'result.webhooksAllChanged'
              : c === 0
                ? 'result.webhooksNoneChanged'
                : 'result.webhooksSomeChanged';
  return message(key)
    .replaceAll('{n}', String(n))
    .replace('{changed}', String(c))
    .replace('{unchanged}', String(u))
    .replace('{refused}', String(r));
};

/** What the product page left about the payment window's result flag (last-payment.ts). */
export interface FlagSeen {
  flag?: string | null;
  callback?: unknown;
  redirect?: boolean;
}

/**
 * The note that the server ignores V1's result flag on purpose, only where a
 * flag came and the server asked PortOne instead: the PC callback the page
 * posted (the flag as it came), or the mobile redirect once the server had a
 * payment to ask about (`asked`; only the server saw that flag, in the
 * address PortOne sent the browser back to). None for V2, which has no flag,
 * nor for a window refused before any payment existed.
 */
export const flagNoteKey = (last: FlagSeen | null, asked: boolean): string | null => {
  if (last?.redirect) return asked ? 'result.flagRedirect' : null;
  if (!last?.flag || !last.callback) return null;
  return last.flag === 'none' ? 'result.flagNone' : 'result.flag';
};
