// The result page's decisions, pure and without the DOM: which ids it looks
// up, which message keys it shows, and whether the browser was told otherwise
// than the server says. The words come from their owners in functions/.
import { MERCHANT_UID_PATTERN } from '../../../functions/domain/model/ids';
import { ORDER_STATUSES, type OrderStatus } from '../../../functions/domain/model/order';
import { resultWordOf } from '../../../functions/http/order-view';

/** What the page needs of the order to choose its texts. */
export interface Shown {
  status: string;
  final: boolean;
}

/** Only an id of the API's shape is looked up; any other is not found at once. */
export const isMerchantUid = (value: string | null): value is string =>
  value !== null && MERCHANT_UID_PATTERN.test(value);

export const isOrderStatus = (value: unknown): value is OrderStatus =>
  (ORDER_STATUSES as readonly unknown[]).includes(value);

/** The label of an order status; the loading label while there is none yet. */
export const statusKey = (status: string | null | undefined): string =>
  status ? `status.${status}` : 'status.loading';

/** The note under the status: paid and failed read differently until they are final. */
export const noteKey = (order: Shown): string =>
  (order.status === 'paid' || order.status === 'failed') && !order.final
    ? `note.${order.status}.provisional`
    : `note.${order.status}`;

/** The hint next to the final/provisional badge. */
export const finalHintKey = (order: Shown): string =>
  order.final
    ? 'result.finalHint'
    : order.status === 'failed'
      ? 'result.provisionalHintFailed'
      : 'result.provisionalHint';

/**
 * The browser was told a `status` word (?status=, what complete or redirect
 * answered) other than the one the server's status now answers.
 */
export const toldOtherwise = (told: string | null, status: string): boolean =>
  Boolean(told) && !(isOrderStatus(status) && resultWordOf(status) === told);
