import type {
  Attempt,
  Cancellation,
  HistoryEntry,
  Order,
  OrderStatus,
  Refund,
  Source,
  Vbank,
} from '../domain/model/order';

/** The order as the API shows it (docs/design.md §4, `GET /orders/{merchant_uid}`). */
export interface OrderView {
  merchant_uid: string;
  amount: number;
  currency: string;
  name: string | null;
  status: OrderStatus;
  final: boolean;
  /** The current attempt's id when it is a PortOne V1 payment (then `payment_id` is null). */
  imp_uid: string | null;
  /** The current attempt's id when it is a PortOne V2 payment (then `imp_uid` is null). */
  payment_id: string | null;
  paid_amount: number;
  cancel_amount: number;
  pay_method: string | null;
  vbank: Vbank | null;
  attempts: AttemptView[];
  refunds: RefundView[];
  /** Old failed or abandoned attempts no longer kept (I9). */
  dropped_attempts: number;
  history: HistoryView[];
  created_at: string;
  updated_at: string;
}

/**
 * What complete answers anyone holding the two ids (docs/design.md §4.2): the
 * order's outcome and nothing else; no name, attempts, history or other
 * payments. The full view is the merchant's, behind IAM.
 */
export interface PublicOrderView {
  merchant_uid: string;
  status: OrderStatus;
  final: boolean;
  amount: number;
  currency: string;
  paid_amount: number;
  cancel_amount: number;
  pay_method: string | null;
  vbank: Vbank | null;
  /** Why the current attempt failed, as the PG put it; null unless it failed. */
  fail_reason: string | null;
}

export const toPublicView = (order: Order): PublicOrderView => {
  const current = order.imp_uid ? order.attempts[order.imp_uid] : undefined;
  return {
    merchant_uid: order.merchant_uid,
    status: order.status,
    final: order.final,
    amount: order.amount,
    currency: order.currency,
    paid_amount: paidAmountOf(current),
    cancel_amount: current?.cancel_amount ?? 0,
    pay_method: current?.pay_method ?? null,
    vbank: current?.vbank ?? null,
    fail_reason: current?.status === 'failed' ? current.fail_reason : null,
  };
};

const paidAmountOf = (current: Attempt | undefined): number =>
  current && current.paid_at > 0 ? current.amount : 0;

/** Where a cancellation we asked of PortOne stands (docs/design.md §2.1). */
export interface CancellationView {
  state: Cancellation['state'];
  amount: number;
  at: string;
  message: string | null;
}

export interface RefundView extends CancellationView {
  request_id: string;
  imp_uid: string;
  reason: string;
}

/** One attempt; its id is `imp_uid` (V1) or `payment_id` (V2), the other null, as on the order. */
export interface AttemptView {
  api: Attempt['api'];
  imp_uid: string | null;
  payment_id: string | null;
  status: Attempt['status'];
  verdict: Attempt['verdict'];
  forgery_reason: Attempt['forgery_reason'];
  current: boolean;
  final: boolean;
  amount: number;
  cancel_amount: number;
  currency: string;
  pay_method: string | null;
  sandbox: boolean;
  fail_reason: string | null;
  paid_at: string | null;
  cancellation: CancellationView | null;
  observed_at: string;
}

export interface HistoryView {
  at: string;
  source: Source;
  imp_uid: string;
  from: OrderStatus;
  to: OrderStatus;
  final: boolean;
  attempt_status: HistoryEntry['attempt_status'];
  verdict: HistoryEntry['verdict'];
}

export const toOrderView = (order: Order): OrderView => {
  const current = order.imp_uid ? order.attempts[order.imp_uid] : undefined;
  return {
    merchant_uid: order.merchant_uid,
    amount: order.amount,
    currency: order.currency,
    name: order.name,
    status: order.status,
    final: order.final,
    ...idsOf(current?.api ?? 'v1', order.imp_uid),
    paid_amount: paidAmountOf(current),
    cancel_amount: current?.cancel_amount ?? 0,
    pay_method: current?.pay_method ?? null,
    vbank: current?.vbank ?? null,
    attempts: Object.values(order.attempts)
      .sort((a, b) => a.started_at - b.started_at || a.imp_uid.localeCompare(b.imp_uid))
      .map((attempt) => toAttemptView(attempt, attempt.imp_uid === order.imp_uid)),
    refunds: (order.refunds ?? []).map(toRefundView),
    dropped_attempts: order.dropped_attempts ?? 0,
    history: order.history.map((entry, index) => ({
      at: entry.at,
      source: entry.source,
      imp_uid: entry.imp_uid,
      // Stored once per write; `from` is the previous entry's `to`.
      from: order.history[index - 1]?.status ?? 'pending',
      to: entry.status,
      final: entry.final,
      attempt_status: entry.attempt_status,
      verdict: entry.verdict,
    })),
    created_at: order.created_at,
    updated_at: order.updated_at,
  };
};

const toCancellationView = (record: Cancellation): CancellationView => ({
  state: record.state,
  amount: record.amount,
  at: record.at,
  message: record.message,
});

const toRefundView = (refund: Refund): RefundView => ({
  request_id: refund.request_id,
  imp_uid: refund.imp_uid,
  reason: refund.reason,
  ...toCancellationView(refund),
});

/**
 * The model keeps one id per payment in `imp_uid` (V1's or V2's: their
 * shapes never collide); the view names it by its API (docs/design.md §4.1).
 */
const idsOf = (api: Attempt['api'], id: string | null) =>
  api === 'v2' ? { imp_uid: null, payment_id: id } : { imp_uid: id, payment_id: null };

const toAttemptView = (attempt: Attempt, current: boolean): AttemptView => ({
  api: attempt.api,
  ...idsOf(attempt.api, attempt.imp_uid),
  status: attempt.status,
  verdict: attempt.verdict,
  forgery_reason: attempt.forgery_reason,
  current,
  final: attempt.final,
  amount: attempt.amount,
  cancel_amount: attempt.cancel_amount,
  currency: attempt.currency,
  pay_method: attempt.pay_method,
  sandbox: attempt.sandbox,
  fail_reason: attempt.fail_reason,
  paid_at: attempt.paid_at > 0 ? new Date(attempt.paid_at * 1000).toISOString() : null,
  cancellation: attempt.cancellation ? toCancellationView(attempt.cancellation) : null,
  observed_at: attempt.observed_at,
});

/** The `status` word that complete and redirect answer for an order (the words iamport's example checkout page expects). */
export type ResultWord = 'success' | 'vbankIssued' | 'pending' | 'failed' | 'cancelled' | 'forgery';

export const resultWordOf = (status: OrderStatus): ResultWord => {
  switch (status) {
    case 'paid':
      return 'success';
    case 'vbank_issued':
      return 'vbankIssued';
    case 'pending':
      return 'pending';
    case 'failed':
      return 'failed';
    case 'partially_cancelled':
    case 'cancelled':
      return 'cancelled';
    case 'forgery':
      return 'forgery';
  }
};
