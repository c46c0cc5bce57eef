import { NotFoundError } from '../model/errors';
import type { Order, Refund, RefundAccount } from '../model/order';
import { claimed, holdsMoney, isOpen } from '../rules/cancellation';
import { HISTORY_LIMIT, REFUND_LIMIT } from '../rules/limits';
import { refundableBalance } from '../rules/observation';
import { CANCELLATION_LEASE_MS } from '../rules/timing';
import {
  advanceCancellation,
  type CancellationDeps,
  recordOf,
  type Slot,
  send,
  withRecord,
} from './cancel-at-portone';

/** `POST /orders/{merchant_uid}/cancel` as the merchant's backend sends it (docs/design.md §4.1). */
export interface RefundRequest {
  requestId: string;
  reason: string;
  /** null: the whole refundable balance. */
  amount: number | null;
  refundAccount: RefundAccount | null;
}

export type RefundResult =
  /** PortOne shows the money returned. */
  | { kind: 'done'; order: Order; refund: Refund }
  /** Accepted (or being sent by a concurrent request), not yet visible. */
  | { kind: 'requested'; order: Order; refund: Refund }
  /** PortOne unreachable or refusing for now: repeat with the same request_id (the reconciler retries too). */
  | { kind: 'failed'; order: Order; refund: Refund }
  /** PortOne refuses for good (its message). */
  | { kind: 'rejected'; order: Order; refund: Refund }
  /** Nothing to refund, more than the balance, another refund under way, or a reused request_id. */
  | { kind: 'conflict'; message: string };

/**
 * A merchant refund: cancels the order's paying payment at PortOne with the
 * balance guard, idempotent by `request_id` however often, concurrently or
 * late it is repeated. The refund is claimed in the order item before
 * PortOne is called, so two identical requests never both call; a repeat
 * follows the refund where it stands (looking at PortOne first), never
 * sending it again while an earlier call may still take effect.
 */
export const refundOrder = async (
  deps: CancellationDeps,
  merchantUid: string,
  request: RefundRequest,
): Promise<RefundResult> => {
  const order = await deps.store.findOrder(merchantUid);
  if (!order) throw new NotFoundError(`order ${merchantUid} is not registered`);
  const slot: Slot = { type: 'refund', requestId: request.requestId };
  if (!refundIn(order, request.requestId)) {
    const problem = whyNot(order, request);
    if (problem) return { kind: 'conflict', message: problem };
    const now = deps.clock().toISOString();
    const claim = await deps.store.updateOrder(merchantUid, (stored) =>
      refundIn(stored, request.requestId) || whyNot(stored, request)
        ? null
        : withRefund(stored, request, now),
    );
    if (!claim) throw new NotFoundError(`order ${merchantUid} is not registered`);
    const record = recordOf(claim.order, slot);
    if (claim.written && record) {
      deps.log.info('refund requested by the merchant', {
        request_id: request.requestId,
        amount: record.amount,
      });
      const step = await send(deps, claim.order, slot, record, 'merchant');
      return resultOf(step.order, request.requestId);
    }
    if (!refundIn(claim.order, request.requestId)) {
      return { kind: 'conflict', message: whyNot(claim.order, request) ?? 'the order changed' };
    }
    return follow(deps, claim.order, request);
  }
  return follow(deps, order, request);
};

const follow = async (
  deps: CancellationDeps,
  order: Order,
  request: RefundRequest,
): Promise<RefundResult> => {
  const refund = refundIn(order, request.requestId) as Refund;
  if (refund.requested_amount !== request.amount || refund.reason !== request.reason) {
    return {
      kind: 'conflict',
      message: `request_id ${request.requestId} was used for another refund (amount ${refund.requested_amount ?? 'the whole balance'}, reason "${refund.reason}")`,
    };
  }
  const now = Date.parse(deps.clock().toISOString());
  const inFlight =
    refund.state === 'requested' &&
    !refund.accepted &&
    now - Date.parse(refund.at) <= CANCELLATION_LEASE_MS;
  if (!isOpen(refund) || inFlight) return resultOf(order, request.requestId);
  // The merchant asks again: the next step now, whatever the backoff said.
  const step = await advanceCancellation(
    deps,
    order,
    { type: 'refund', requestId: request.requestId },
    'merchant',
    { force: true },
  );
  return resultOf(step.order, request.requestId);
};

const refundIn = (order: Order, requestId: string): Refund | undefined =>
  order.refunds.find((refund) => refund.request_id === requestId);

const whyNot = (order: Order, request: RefundRequest): string | null => {
  const target = order.imp_uid ? order.attempts[order.imp_uid] : undefined;
  if (target?.verdict !== 'ok' || !holdsMoney(target)) {
    return `nothing to refund: order ${order.merchant_uid} is ${order.status}`;
  }
  const balance = refundableBalance(target);
  if (request.amount !== null && request.amount > balance) {
    return `amount ${request.amount} is more than the refundable balance ${balance}`;
  }
  const open = order.refunds.find((refund) => refund.imp_uid === target.imp_uid && isOpen(refund));
  if (open) {
    return `refund ${open.request_id} of this payment is still under way; repeat it to follow it, and ask again once it has ended`;
  }
  if (order.refunds.length >= REFUND_LIMIT) {
    return `order ${order.merchant_uid} already has ${REFUND_LIMIT} refunds, the most one order keeps`;
  }
  return null;
};

/** The order with the new refund claimed (about to be sent) and a history entry by the merchant. */
const withRefund = (order: Order, request: RefundRequest, now: string): Order => {
  const target = order.attempts[order.imp_uid as string] as Order['attempts'][string];
  const balance = refundableBalance(target);
  const refund: Refund = {
    request_id: request.requestId,
    imp_uid: target.imp_uid,
    reason: request.reason,
    requested_amount: request.amount,
    refund_account: request.refundAccount,
    ...claimed(null, { kind: 'cancel', amount: request.amount ?? balance, balance }, now),
  };
  const next: Order = {
    ...order,
    refunds: [...order.refunds, refund],
    history: [
      ...order.history,
      {
        at: now,
        source: 'merchant' as const,
        imp_uid: target.imp_uid,
        attempt_status: target.status,
        verdict: target.verdict,
        status: order.status,
        final: order.final,
      },
    ].slice(-HISTORY_LIMIT),
  };
  return withRecord(next, { type: 'refund', requestId: request.requestId }, refund, now);
};

const resultOf = (order: Order, requestId: string): RefundResult => {
  const refund = refundIn(order, requestId) as Refund;
  switch (refund.state) {
    case 'done':
      return { kind: 'done', order, refund };
    case 'requested':
      return { kind: 'requested', order, refund };
    case 'failed':
      return { kind: 'failed', order, refund };
    case 'rejected':
      return { kind: 'rejected', order, refund };
  }
};
