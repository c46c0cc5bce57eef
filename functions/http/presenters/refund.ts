import { roundMoney } from '../../domain/rules/observation';
import type { RefundResult } from '../../domain/use-cases/refund-order';
import { MESSAGES, refundFailed } from '../messages';
import { toOrderView } from '../order-view';
import { json } from '../responses';
import type { HttpResult } from '../types';
import type { RefundWord } from '../words';

/** docs/design.md §4.1's answers to a refund, each with the order as it stands. */
export const refundAnswer = (result: RefundResult): HttpResult => {
  if (result.kind === 'conflict') return json(409, { status: 'conflict', message: result.message });
  const { order, refund } = result;
  const view = toOrderView(order);
  switch (result.kind) {
    case 'done': {
      const left = roundMoney(refund.balance - refund.amount) > 0;
      const status: RefundWord =
        order.status === 'cancelled' || order.status === 'partially_cancelled'
          ? order.status
          : left
            ? 'partially_cancelled'
            : 'cancelled';
      return json(200, { status, order: view });
    }
    case 'requested':
      return json(202, { status: 'requested', message: MESSAGES.refundRequested, order: view });
    case 'failed':
      return json(502, {
        status: 'upstream_error',
        message: refundFailed(refund.message),
        order: view,
      });
    case 'rejected':
      return json(422, {
        status: 'rejected',
        message: refund.message ?? MESSAGES.refundRefused,
        order: view,
      });
  }
};
