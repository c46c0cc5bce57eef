import type { Order } from '../model/order';
import { CANCELLATION_STEP_MS, unlimited } from '../rules/budget';
import { isDue, isOpen, kindFor, owesCancellation } from '../rules/cancellation';
import { refundableBalance } from '../rules/observation';
import {
  advanceCancellation,
  type CancellationDeps,
  recordOf,
  type Slot,
  withRecord,
} from './cancel-at-portone';

export interface SettleReport {
  order: Order;
  /** A cancellation step could not reach PortOne: a repeat of the delivery may finish it. */
  unreachable: boolean;
  /** Steps left for later (next delivery or reconciler) for lack of time. */
  deferred: boolean;
}

const OFF_MESSAGE =
  'automatic cancellation is off (AUTO_CANCEL_FORGERY=false): refund this payment in the PortOne console';

/**
 * Runs every cancellation of the order whose next step is due: forged and
 * duplicate payments to cancel (unless AUTO_CANCEL_FORGERY is off), and the
 * merchant's refunds still under way. Called after every delivery and by the
 * reconciler, so a step that failed is retried by whichever comes first, as
 * the record's backoff allows.
 */
export const settleCancellations = async (
  deps: CancellationDeps,
  order: Order,
): Promise<SettleReport> => {
  let current = deps.settings.autoCancelForgery ? order : await markManual(deps, order);
  let unreachable = false;
  let deferred = false;
  for (const slot of dueSlots(
    current,
    deps.clock().toISOString(),
    deps.settings.autoCancelForgery,
  )) {
    if ((deps.budget ?? unlimited).remainingMs() < CANCELLATION_STEP_MS) {
      deferred = true;
      break;
    }
    const step = await advanceCancellation(deps, current, slot, 'cancel');
    current = step.order;
    unreachable ||= step.unreachable;
    deferred ||= step.deferred;
  }
  if (deferred) {
    deps.log.info('cancellations left for the next delivery or the reconciler', {
      merchant_uid: order.merchant_uid,
    });
  }
  return { order: current, unreachable, deferred };
};

export const dueSlots = (order: Order, now: string, automatic: boolean): Slot[] => {
  const slots: Slot[] = [];
  for (const attempt of Object.values(order.attempts)) {
    const record = attempt.cancellation;
    const owed = owesCancellation(attempt);
    // With automatic cancellation off, only a cancellation PortOne already accepted is followed.
    const followOnly = isOpen(record) && record.state === 'requested' && record.accepted;
    if ((automatic || followOnly) && isDue(record, owed, now)) {
      slots.push({ type: 'attempt', impUid: attempt.imp_uid });
    }
  }
  for (const refund of order.refunds) {
    if (isDue(refund, false, now)) slots.push({ type: 'refund', requestId: refund.request_id });
  }
  return slots;
};

/**
 * AUTO_CANCEL_FORGERY=false: a forged or duplicate payment is a person's to
 * refund. Its record says so (`rejected`), so that the order is not looked
 * at again every few minutes for a cancellation nobody will make.
 */
const markManual = async (deps: CancellationDeps, order: Order): Promise<Order> => {
  const pending = (stored: Order) =>
    Object.values(stored.attempts).filter((attempt) => {
      const record = attempt.cancellation;
      const accepted = record?.state === 'requested' && record.accepted;
      return owesCancellation(attempt) && !accepted;
    });
  if (pending(order).length === 0) return order;
  const now = deps.clock().toISOString();
  const result = await deps.store.updateOrder(order.merchant_uid, (stored) => {
    const owed = pending(stored);
    if (owed.length === 0) return null;
    let next = stored;
    for (const attempt of owed) {
      const balance = refundableBalance(attempt);
      next = withRecord(
        next,
        { type: 'attempt', impUid: attempt.imp_uid },
        {
          state: 'rejected',
          kind: kindFor(attempt),
          at: now,
          amount: kindFor(attempt) === 'revoke' ? attempt.amount : balance,
          balance,
          message: OFF_MESSAGE,
          since: attempt.cancellation?.since ?? now,
          tries: attempt.cancellation?.tries ?? 0,
          accepted: false,
          next_at: null,
        },
        now,
      );
    }
    return next;
  });
  for (const attempt of pending(order)) {
    deps.log.warn('automatic cancellation is off; a person must refund the payment', {
      imp_uid: attempt.imp_uid,
      verdict: attempt.verdict,
    });
  }
  return result?.order ?? order;
};

export { recordOf };
