import { UpstreamRejectedError } from '../model/errors';
import { LOG_LINES } from '../model/log-lines';
import type { Cancellation, Order, Refund, Source } from '../model/order';
import type { PortOneMode } from '../model/portone-mode';
import type { PortOnePayment } from '../model/portone-payment';
import type { Clock } from '../ports/clock';
import type { Log } from '../ports/log';
import type { OrderStore } from '../ports/order-store';
import type { PaymentGateway } from '../ports/payment-gateway';
import { type Budget, CANCELLATION_STEP_MS, callLimit, unlimited } from '../rules/budget';
import {
  cancellationReason,
  claimed,
  dropped,
  isDue,
  isOpen,
  kindFor,
  type Outcome,
  owesCancellation,
  pastHorizon,
  settledBy,
  showsDone,
} from '../rules/cancellation';
import { decide, isVerifiable } from '../rules/decide';
import { refundableBalance, roundMoney } from '../rules/observation';
import { withRecheck } from '../rules/recheck';
import { classifyRefusal } from '../rules/refusal';

/**
 * docs/design.md §2.1, the effects: moves one cancellation one step forward.
 * Used for our automatic cancellations (forged and duplicate payments) and
 * for the merchant's refunds alike. A step never trusts an answer alone:
 * - when an earlier call may have taken effect, it first looks at PortOne;
 * - a duplicate is cancelled only after PortOne shows that another payment
 *   of the order still holds the money;
 * - `code: 0` counts as done only when the payment shows the money returned;
 * - a refusal is looked into (a balance that moved) or classified
 *   (refusal.ts) as temporary (retried with backoff) or final (rejected).
 */
export interface CancellationDeps {
  gateway: PaymentGateway;
  store: OrderStore;
  clock: Clock;
  log: Log;
  settings: { mode: PortOneMode; autoCancelForgery: boolean };
  /** The time the request may still take; unlimited when absent. */
  budget?: Budget;
}

/** Which record: an attempt's automatic cancellation, or a merchant refund. */
export type Slot = { type: 'attempt'; impUid: string } | { type: 'refund'; requestId: string };

export interface StepReport {
  order: Order;
  /** PortOne could not be reached: repeating the request may help. */
  unreachable: boolean;
  /** Not started: the request's time ran out. */
  deferred: boolean;
}

export const recordOf = (order: Order, slot: Slot): Cancellation | null =>
  slot.type === 'attempt'
    ? (order.attempts[slot.impUid]?.cancellation ?? null)
    : (order.refunds.find((refund) => refund.request_id === slot.requestId) ?? null);

const targetOf = (order: Order, slot: Slot): string | null =>
  slot.type === 'attempt'
    ? slot.impUid
    : (order.refunds.find((refund) => refund.request_id === slot.requestId)?.imp_uid ?? null);

export const withRecord = (order: Order, slot: Slot, record: Cancellation, now: string): Order => {
  const next =
    slot.type === 'attempt'
      ? {
          ...order,
          attempts: {
            ...order.attempts,
            [slot.impUid]: {
              ...(order.attempts[slot.impUid] as Order['attempts'][string]),
              cancellation: record,
            },
          },
        }
      : {
          ...order,
          refunds: order.refunds.map((refund) =>
            refund.request_id === slot.requestId ? { ...refund, ...record } : refund,
          ),
        };
  return withRecheck({ ...next, updated_at: now }, now);
};

/** One step for the record in `slot` of `order` (as last read), if it is due. */
export const advanceCancellation = async (
  deps: CancellationDeps,
  order: Order,
  slot: Slot,
  source: Source,
  options: { force?: boolean } = {},
): Promise<StepReport> => {
  const budget = deps.budget ?? unlimited;
  const idle = (current: Order, deferred = false): StepReport => ({
    order: current,
    unreachable: false,
    deferred,
  });
  if (budget.remainingMs() < CANCELLATION_STEP_MS) return idle(order, true);
  const target = targetOf(order, slot);
  if (target === null) return idle(order);
  let current = order;

  // 1. An earlier call may have taken effect (an answer lost, a PG approving later): look first.
  const earlier = recordOf(current, slot);
  if (earlier && earlier.tries > 0) {
    const look = await lookAt(deps, current, target, source);
    if (!look.order) return { order: current, unreachable: look.unreachable, deferred: false };
    current = look.order;
    const record = recordOf(current, slot);
    if (!isOpen(record)) return idle(current);
    if (record.state === 'requested' && record.accepted) {
      const outcome: Outcome = pastHorizon(record, deps.clock().toISOString())
        ? {
            type: 'rejected',
            message: `PortOne accepted this cancellation on ${record.since} but has not shown the money returned for 7 days; check it in the PortOne console`,
          }
        : { type: 'accepted' };
      return idle(await save(deps, current, slot, record, outcome));
    }
  }

  // 2. Still needed? A duplicate only while another payment holds the order's money (§2.1).
  if (slot.type === 'attempt') {
    let attempt = current.attempts[target];
    if (attempt?.verdict === 'duplicate' && owesCancellation(attempt) && current.imp_uid) {
      const look = await lookAt(deps, current, current.imp_uid, source);
      if (!look.order) return { order: current, unreachable: look.unreachable, deferred: false };
      current = look.order;
      attempt = current.attempts[target];
    }
    if (!attempt || !owesCancellation(attempt)) return idle(await dropIfOpen(deps, current, slot));
  }

  // Still needed, and failing for 7 days: a person acts (after step 2, so that a
  // duplicate that now pays the order is dropped, never handed to a person to refund).
  const failing = recordOf(current, slot);
  if (
    earlier &&
    earlier.tries > 0 &&
    isOpen(failing) &&
    pastHorizon(failing, deps.clock().toISOString())
  ) {
    const message = `the cancellation could not be completed within 7 days (last: ${failing.message ?? 'unknown'})`;
    return idle(await save(deps, current, slot, failing, { type: 'rejected', message }));
  }

  // 3. Claim it: one caller at a time, with the balance PortOne last showed.
  const now = deps.clock().toISOString();
  const claim = await deps.store.updateOrder(current.merchant_uid, (stored) =>
    claimIn(stored, slot, now, options.force === true),
  );
  if (!claim?.written) return idle(claim?.order ?? current);
  const record = recordOf(claim.order, slot);
  if (record?.state === 'rejected') {
    // The claim itself ended it (a refund larger than what is left): the same alarm as PortOne's refusal.
    raiseAlarm(deps, claim.order, slot, record, record.message ?? 'rejected');
  }
  if (record?.state !== 'requested') return idle(claim.order);

  // 4. Ask PortOne once.
  return send(deps, claim.order, slot, record, source);
};

/** The order with the record claimed, or null when it is no longer due (someone else has it). */
const claimIn = (stored: Order, slot: Slot, now: string, force: boolean): Order | null => {
  const record = recordOf(stored, slot);
  if (slot.type === 'attempt') {
    const attempt = stored.attempts[slot.impUid];
    if (!attempt || !owesCancellation(attempt) || !isDue(record, true, now)) return null;
    const balance = refundableBalance(attempt);
    const kind = kindFor(attempt);
    // A virtual account is revoked whole; a payment is cancelled for what is left on it.
    const amount = kind === 'revoke' ? attempt.amount : balance;
    return withRecord(stored, slot, claimed(record, { kind, amount, balance }, now), now);
  }
  const refund = record as Refund | null;
  // A merchant repeating a failed refund sends it again now, whatever the backoff said.
  if (!refund || !(isDue(refund, false, now) || (force && refund.state === 'failed'))) return null;
  const attempt = stored.attempts[refund.imp_uid];
  const balance = attempt ? refundableBalance(attempt) : 0;
  if (refund.amount > balance) {
    const message = `the refundable balance is now ${balance}, less than the ${refund.amount} asked`;
    return withRecord(stored, slot, settledBy(refund, { type: 'rejected', message }, now), now);
  }
  return withRecord(
    stored,
    slot,
    claimed(refund, { kind: 'cancel', amount: refund.amount, balance }, now),
    now,
  );
};

/** Calls PortOne for a claimed record and records how it ended. */
export const send = async (
  deps: CancellationDeps,
  order: Order,
  slot: Slot,
  record: Cancellation,
  source: Source,
): Promise<StepReport> => {
  const target = targetOf(order, slot) as string;
  const attempt = order.attempts[target];
  const limit = callLimit(deps.budget ?? unlimited);
  const fields = { imp_uid: target, amount: record.amount, kind: record.kind, slot: slot.type };
  const refund = slot.type === 'refund' ? (record as Refund) : null;
  let payment: PortOnePayment;
  try {
    payment =
      record.kind === 'revoke'
        ? await deps.gateway.revokeVbank(target, limit)
        : await deps.gateway.cancelPayment(
            {
              impUid: target,
              amount: record.amount,
              checksum: record.balance,
              reason: refund ? refund.reason : attempt ? cancellationReason(attempt) : 'cancel',
              enableWebhook: true,
              ...(refund?.refund_account ? { refundAccount: refund.refund_account } : {}),
            },
            limit,
          );
  } catch (error) {
    if (!(error instanceof UpstreamRejectedError)) {
      // The call may or may not have reached PortOne: the next step looks first.
      const message = describe(error);
      deps.log.warn('cancellation could not reach PortOne; it will be retried', {
        ...fields,
        error: message,
      });
      const after = await save(deps, order, slot, record, { type: 'failed', message });
      return { order: after, unreachable: true, deferred: false };
    }
    return {
      order: await refused(deps, order, slot, record, error, source),
      unreachable: false,
      deferred: false,
    };
  }
  // A revocation is immediate; a cancel counts only once the payment shows it.
  const outcome: Outcome =
    record.kind === 'revoke' || showsDone(record, payment)
      ? { type: 'done', message: null }
      : { type: 'accepted' };
  deps.log.info(
    outcome.type === 'done'
      ? 'cancellation done'
      : 'cancellation accepted by PortOne; waiting for it to show',
    fields,
  );
  if (outcome.type === 'done' && slot.type === 'attempt') {
    deps.log.warn('cancelled a payment that failed verification', fields);
  }
  const after = await save(deps, order, slot, record, outcome, payment, source);
  return { order: after, unreachable: false, deferred: false };
};

/** A refusal (HTTP 200, `code != 0`): find out what it means before recording it. */
const refused = async (
  deps: CancellationDeps,
  order: Order,
  slot: Slot,
  record: Cancellation,
  error: UpstreamRejectedError,
  source: Source,
): Promise<Order> => {
  const { message } = error;
  const target = targetOf(order, slot) as string;
  const fields = { imp_uid: target, amount: record.amount, kind: record.kind, slot: slot.type };
  const refusal = record.kind === 'revoke' ? 'look' : classifyRefusal(message, error.portoneCode);
  if (refusal === 'permanent') return reject(deps, order, slot, record, message);
  if (refusal === 'temporary') {
    deps.log.warn('PortOne refused the cancellation for now; it will be retried', {
      ...fields,
      error: message,
    });
    return save(deps, order, slot, record, { type: 'failed', message });
  }
  // The balance moved, nothing is left, or a revocation was refused: look at the payment.
  let fresh: PortOnePayment;
  try {
    fresh = await deps.gateway.getPayment(target, callLimit(deps.budget ?? unlimited));
  } catch (error) {
    deps.log.warn(
      'PortOne refused the cancellation and could not be asked why; it will be retried',
      {
        ...fields,
        error: `${message} / ${describe(error)}`,
      },
    );
    return save(deps, order, slot, record, { type: 'failed', message });
  }
  if (record.kind === 'revoke' && fresh.status === 'ready') {
    return reject(deps, order, slot, record, message);
  }
  if (showsDone(record, fresh)) {
    return save(deps, order, slot, record, { type: 'done', message }, fresh, source);
  }
  deps.log.warn('PortOne refused the cancellation; it will be retried with the balance it shows', {
    ...fields,
    error: message,
    balance: roundMoney(refundableBalance(fresh)),
  });
  return save(deps, order, slot, record, { type: 'failed', message }, fresh, source);
};

const reject = (
  deps: CancellationDeps,
  order: Order,
  slot: Slot,
  record: Cancellation,
  message: string,
): Promise<Order> => save(deps, order, slot, record, { type: 'rejected', message });

/**
 * Records an outcome for the claim `record` (by its `tries`), after storing
 * PortOne's payment when one came with it. If the observation already ended
 * the record (PortOne shows it), or someone else took the claim over, the
 * outcome is not written over it.
 */
const save = async (
  deps: CancellationDeps,
  order: Order,
  slot: Slot,
  record: Cancellation,
  outcome: Outcome,
  payment?: PortOnePayment,
  source: Source = 'cancel',
): Promise<Order> => {
  const now = deps.clock().toISOString();
  const merchantUid = order.merchant_uid;
  const result = await deps.store.updateOrder(merchantUid, (stored) => {
    let next = stored;
    if (
      payment &&
      payment.merchant_uid === merchantUid &&
      isVerifiable(payment, deps.settings.mode)
    ) {
      next = decide(stored, payment, { source, mode: deps.settings.mode, now }).order;
    }
    const current = recordOf(next, slot);
    if (!current || current.tries !== record.tries || !isOpen(current)) {
      return next === stored ? null : next;
    }
    return withRecord(next, slot, settledBy(current, outcome, now), now);
  });
  if (outcome.type === 'rejected' && recordOf(result?.order ?? order, slot)?.state === 'rejected') {
    raiseAlarm(deps, order, slot, record, outcome.message);
  }
  return result?.order ?? order;
};

/** The line the production stack's CancellationsRejected alarm counts: a person must act. */
const raiseAlarm = (
  deps: CancellationDeps,
  order: Order,
  slot: Slot,
  record: Cancellation,
  message: string,
): void => {
  deps.log.error(LOG_LINES.cancellationRejected, {
    imp_uid: targetOf(order, slot),
    amount: record.amount,
    kind: record.kind,
    slot: slot.type,
    error: message,
  });
};

/** A fresh look at one payment of the order, stored as an observation. */
const lookAt = async (
  deps: CancellationDeps,
  order: Order,
  impUid: string,
  source: Source,
): Promise<{ order: Order | null; unreachable: boolean }> => {
  let payment: PortOnePayment;
  try {
    payment = await deps.gateway.getPayment(impUid, callLimit(deps.budget ?? unlimited));
  } catch (error) {
    deps.log.warn('PortOne could not be asked about a cancellation; it will be retried', {
      imp_uid: impUid,
      error: describe(error),
    });
    return { order: null, unreachable: true };
  }
  if (payment.merchant_uid !== order.merchant_uid || !isVerifiable(payment, deps.settings.mode)) {
    return { order: null, unreachable: true };
  }
  const decision = await deps.store.recordObservation(payment, {
    source,
    mode: deps.settings.mode,
    now: deps.clock().toISOString(),
  });
  return { order: decision?.order ?? order, unreachable: false };
};

/** An automatic cancellation nobody needs any more (the duplicate now pays the order). */
const dropIfOpen = async (deps: CancellationDeps, order: Order, slot: Slot): Promise<Order> => {
  const record = recordOf(order, slot);
  if (!isOpen(record) || (record.state === 'requested' && record.accepted)) return order;
  const now = deps.clock().toISOString();
  const result = await deps.store.updateOrder(order.merchant_uid, (stored) => {
    const current = recordOf(stored, slot);
    const attempt = slot.type === 'attempt' ? stored.attempts[slot.impUid] : undefined;
    if (!isOpen(current) || (current.state === 'requested' && current.accepted)) return null;
    if (attempt && owesCancellation(attempt)) return null;
    const message = 'no longer needed: PortOne shows this payment is the one that pays the order';
    return withRecord(stored, slot, dropped(current, message, now), now);
  });
  return result?.order ?? order;
};

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
