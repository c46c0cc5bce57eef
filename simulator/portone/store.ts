import { randomUUID } from 'node:crypto';
import type { SimClock } from './clock';
import {
  issueVirtualAccount,
  markFailed,
  markPaid,
  newImpUid,
  readyPayment,
} from './payment-factory';
import type {
  BehaviorPatch,
  CreatePaymentInput,
  PaymentBehavior,
  PendingCancel,
  SettleOutcome,
  SimCancelHistoryEntry,
  SimPayment,
  SimStatus,
  SimulatorConfig,
} from './types';

export interface Prepared {
  merchant_uid: string;
  amount: number;
  currency: string | null;
}

export type Sorting = '-started' | 'started' | '-paid' | 'paid' | '-updated' | 'updated';
export const SORTINGS: readonly Sorting[] = [
  '-started',
  'started',
  '-paid',
  'paid',
  '-updated',
  'updated',
];

export interface CancelRequest {
  amount?: number;
  checksum?: number;
  reason?: string;
  refundHolder?: string;
  refundBank?: string;
  refundAccount?: string;
  /** The console asks for the refund account itself; only the API insists on the fields. */
  requireRefundAccount: boolean;
  /**
   * The REST API goes through the PG, so the payment's behaviour (pending,
   * refused, refused for now) applies; the console cancels at once.
   */
  followBehavior?: boolean;
  /** Remembered with a pending cancel: its completion notifies like an immediate cancel would. */
  enableWebhook?: boolean;
}

/** `entry`: done at once; `pending`: accepted, the PG carries it out later. */
export type CancelResult =
  | { ok: true; payment: SimPayment; entry: SimCancelHistoryEntry }
  | { ok: true; payment: SimPayment; pending: PendingCancel }
  | { ok: false; message: string };

/** A pending cancel the PG has just carried out (the lazy path or settle-cancels). */
export interface CompletedCancel {
  payment: SimPayment;
  entry: SimCancelHistoryEntry;
  pending: PendingCancel;
}

export type RevokeResult =
  | { ok: true; payment: SimPayment }
  | { ok: false; found: boolean; message: string };

export type CreateResult =
  | { ok: true; payment: SimPayment }
  | { ok: false; status: number; message: string };

export type TransitionResult = { ok: true; payment: SimPayment } | { ok: false; message: string };

export const MSG_ALREADY_CANCELLED = '이미 전액취소된 주문입니다.';
/** Temporary: ksnet refuses virtual-account refunds at night (reference §1.6). */
export const MSG_CANCEL_LATER =
  '[KSNET] 가상계좌 환불은 23:00~06:00에는 처리할 수 없습니다.(시간 외)';
/** Permanent: the PG offers no API cancel; the words `지원하지 않` mark it so. */
export const MSG_CANCEL_UNSUPPORTED =
  '결제취소에 실패하였습니다.(해당 PG사는 API를 통한 취소를 지원하지 않습니다)';
/** Temporary: an accepted cancel is still with the PG (paypal_v2, smartro_v2/daou vbank). */
export const MSG_CANCEL_IN_PROGRESS = '이미 취소 요청이 접수되어 처리 중인 결제건입니다.';
export const MSG_VBANK_NOT_REVOCABLE =
  '발급된 가상계좌가 아니거나 이미 입금 또는 취소된 결제건입니다.';

interface PaymentRecord {
  payment: SimPayment;
  /** Creation order: tie-breaker when timestamps are equal. */
  seq: number;
  /** For `sorting=-updated`; PortOne tracks it but does not expose it on V1 payments. */
  updatedAt: number;
  /** Simulator-only: how the PG treats this payment; not part of PortOne's answer. */
  behavior: PaymentBehavior;
  /** Cancels PortOne accepted that the PG has not carried out yet, oldest first. */
  pending: PendingCancel[];
}

/**
 * All payments and amount pre-registrations, plus the state transitions
 * PortOne applies to them (approval, deposit, failure, cancellation).
 */
export class PaymentStore {
  private readonly records = new Map<string, PaymentRecord>();
  private readonly prepared = new Map<string, Prepared>();
  /** Records with a lazy transition ahead (payAt, timed pending cancels): all settle() looks at. */
  private readonly watched = new Set<PaymentRecord>();
  private seq = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly config: () => SimulatorConfig,
    /** Told about every pending cancel the PG carries out, e.g. to send its webhook. */
    private readonly onCancelCompleted: (done: CompletedCancel) => void = () => {},
  ) {}

  clear(): void {
    this.records.clear();
    this.prepared.clear();
    this.watched.clear();
    this.seq = 0;
  }

  get(impUid: string): SimPayment | undefined {
    this.settle();
    return this.records.get(impUid)?.payment;
  }

  list(merchantUid?: string): SimPayment[] {
    this.settle();
    return this.sorted([...this.records.values()], 'started').filter(
      (p) => merchantUid === undefined || p.merchant_uid === merchantUid,
    );
  }

  /** Payments sharing a merchant_uid (retries), ordered as PortOne's `sorting` says. */
  findByMerchant(
    merchantUid: string,
    options: { status?: SimStatus; sorting?: Sorting; includeSandbox: boolean },
  ): SimPayment[] {
    this.settle();
    const matching = [...this.records.values()].filter(
      (r) =>
        r.payment.merchant_uid === merchantUid &&
        (options.status === undefined || r.payment.status === options.status) &&
        (options.includeSandbox || !r.payment.sandbox),
    );
    return this.sorted(matching, options.sorting ?? '-started');
  }

  private sorted(records: PaymentRecord[], sorting: Sorting): SimPayment[] {
    const descending = sorting.startsWith('-');
    const key = sorting.replace('-', '');
    const value = (r: PaymentRecord) =>
      key === 'paid' ? r.payment.paid_at : key === 'updated' ? r.updatedAt : r.payment.started_at;
    return records
      .sort((a, b) => {
        const diff = value(a) - value(b) || a.seq - b.seq;
        return descending ? -diff : diff;
      })
      .map((r) => r.payment);
  }

  /** The payment a merchant_uid-only cancel targets: the latest one with money left on it. */
  cancelTarget(merchantUid: string): SimPayment | undefined {
    const all = this.findByMerchant(merchantUid, { includeSandbox: true });
    return all.find((p) => isCancellable(p)) ?? all[0];
  }

  // --- behaviour and lazy transitions -----------------------------------------

  /** A copy of the payment's behaviour; undefined for an unknown imp_uid. */
  behavior(impUid: string): PaymentBehavior | undefined {
    this.settle();
    const record = this.records.get(impUid);
    return record === undefined ? undefined : { ...record.behavior };
  }

  /** Merges the patch (null removes a key); answers the new behaviour. */
  setBehavior(impUid: string, patch: BehaviorPatch): PaymentBehavior | undefined {
    this.settle();
    const record = this.records.get(impUid);
    if (record === undefined) return undefined;
    record.behavior = mergeBehavior(record.behavior, patch);
    this.rewatch(record);
    // A payAt already in the past, or a shorter delay, takes effect on the next read.
    return { ...record.behavior };
  }

  pendingCancels(impUid: string): PendingCancel[] | undefined {
    this.settle();
    return this.records.get(impUid)?.pending.map((p) => ({ ...p }));
  }

  /**
   * The PG answers every pending cancel of the payment: approve carries them
   * out now, reject drops them and leaves the payment as it is (the money
   * never goes back). Nothing pending: nothing happens.
   */
  settleCancels(impUid: string, outcome: SettleOutcome): SimPayment | undefined {
    this.settle();
    const record = this.records.get(impUid);
    if (record === undefined) return undefined;
    const pending = record.pending.splice(0);
    if (outcome === 'approve') {
      for (const request of pending) this.completeCancel(record, request, this.clock.now());
    }
    this.rewatch(record);
    return record.payment;
  }

  /**
   * Applies every lazy transition that is due by the simulator clock. Runs at
   * the top of every read, so each route sees the same state without knowing
   * about behaviours.
   */
  private settle(): void {
    if (this.watched.size === 0) return;
    const now = this.clock.now();
    for (const record of [...this.watched]) {
      const { payment, behavior } = record;
      const payAt = behavior.payAt;
      if (
        payAt !== undefined &&
        payAt <= now &&
        (payment.status === 'ready' || payment.status === 'failed')
      ) {
        // The approval happened at payAt, not when someone looked.
        markPaid(payment, Math.max(payAt, payment.failed_at));
        record.updatedAt = payment.paid_at;
      }
      const delay = behavior.cancelDelaySeconds;
      while (delay !== undefined && record.pending.length > 0) {
        const [first] = record.pending;
        if (first === undefined || first.requested_at + delay > now) break;
        record.pending.shift();
        this.completeCancel(record, first, first.requested_at + delay);
      }
      this.rewatch(record);
    }
  }

  private rewatch(record: PaymentRecord): void {
    const { payment, behavior } = record;
    const payLater =
      behavior.payAt !== undefined && (payment.status === 'ready' || payment.status === 'failed');
    const cancelLater = behavior.cancelDelaySeconds !== undefined && record.pending.length > 0;
    if (payLater || cancelLater) this.watched.add(record);
    else this.watched.delete(record);
  }

  /** Carries out an accepted cancel; a balance shrunk meanwhile (console cancel) caps it. */
  private completeCancel(record: PaymentRecord, request: PendingCancel, at: number): void {
    const { payment } = record;
    const amount = Math.min(request.amount, roundMoney(payment.amount - payment.cancel_amount));
    if (amount <= 0) return;
    const entry = this.applyCancel(payment, amount, request.reason, at, request.cancellation_id);
    record.updatedAt = at;
    this.onCancelCompleted({ payment, entry, pending: { ...request } });
  }

  // --- amount pre-registration ---------------------------------------------

  getPrepared(merchantUid: string): Prepared | undefined {
    return this.prepared.get(merchantUid);
  }

  /** false when the merchant_uid is already registered. */
  prepare(entry: Prepared): boolean {
    if (this.prepared.has(entry.merchant_uid)) return false;
    this.prepared.set(entry.merchant_uid, entry);
    return true;
  }

  /** false when the merchant_uid is not registered. */
  updatePrepared(entry: Prepared): boolean {
    if (!this.prepared.has(entry.merchant_uid)) return false;
    this.prepared.set(entry.merchant_uid, entry);
    return true;
  }

  /** Forgets a pre-registration (a demo control, not PortOne's API); false when there was none. */
  forgetPrepared(merchantUid: string): boolean {
    return this.prepared.delete(merchantUid);
  }

  // --- transitions -----------------------------------------------------------

  /** Creates a payment directly in the requested state, as if the buyer had gone that far. */
  create(input: CreatePaymentInput): CreateResult {
    if (input.imp_uid !== undefined && this.records.has(input.imp_uid)) {
      return { ok: false, status: 409, message: `imp_uid ${input.imp_uid} already exists` };
    }
    // A prepared amount makes PortOne refuse to open the window for another amount.
    const prepared = this.prepared.get(input.merchant_uid);
    const currency = input.currency ?? 'KRW';
    if (
      prepared !== undefined &&
      (prepared.amount !== input.amount ||
        (prepared.currency !== null && prepared.currency !== currency))
    ) {
      return { ok: false, status: 409, message: 'prepared amount mismatch' };
    }
    if (input.state === 'partially_cancelled') {
      const partial = input.cancel_amount;
      if (partial === undefined || !(partial > 0 && partial < input.amount)) {
        return {
          ok: false,
          status: 400,
          message: 'partially_cancelled needs 0 < cancel_amount < amount',
        };
      }
    }

    const now = this.clock.now();
    const impUid = input.imp_uid ?? newImpUid((id) => this.records.has(id));
    const payment = readyPayment(input, impUid, now);
    const paidLike = input.state === 'paid' || input.state.endsWith('cancelled');
    if (input.state === 'vbank_issued' || (payment.pay_method === 'vbank' && paidLike)) {
      issueVirtualAccount(payment, now);
    }
    if (paidLike) markPaid(payment, now);
    if (input.state === 'failed') markFailed(payment, input.fail_reason ?? null, now);
    const reason = input.cancel_reason ?? '시뮬레이터 취소';
    if (input.state === 'cancelled') this.applyCancel(payment, payment.amount, reason);
    if (input.state === 'partially_cancelled') {
      this.applyCancel(payment, input.cancel_amount ?? 0, reason);
    }

    const record: PaymentRecord = {
      payment,
      seq: this.seq++,
      updatedAt: now,
      behavior: mergeBehavior({}, input.behavior ?? {}),
      pending: [],
    };
    this.records.set(impUid, record);
    this.rewatch(record);
    return { ok: true, payment };
  }

  /** Virtual-account deposit received. */
  deposit(impUid: string): TransitionResult {
    const payment = this.get(impUid);
    if (payment === undefined) return { ok: false, message: 'unknown imp_uid' };
    if (
      payment.status !== 'ready' ||
      payment.pay_method !== 'vbank' ||
      payment.vbank_num === null
    ) {
      return {
        ok: false,
        message: 'only an issued virtual account (ready, vbank) takes a deposit',
      };
    }
    const now = this.clock.now();
    markPaid(payment, now);
    payment.deposit_history = [];
    this.touch(impUid);
    return { ok: true, payment };
  }

  /**
   * A ready or failed payment approved later: PayPal's pending that turns
   * paid, Paymentwall's failed that turns paid. PortOne keeps failed_at and
   * fail_reason of the earlier failure.
   */
  pay(impUid: string): TransitionResult {
    const payment = this.get(impUid);
    if (payment === undefined) return { ok: false, message: 'unknown imp_uid' };
    if (payment.status !== 'ready' && payment.status !== 'failed') {
      return { ok: false, message: 'only a ready or failed payment can be paid' };
    }
    markPaid(payment, this.clock.now());
    this.touch(impUid);
    return { ok: true, payment };
  }

  fail(impUid: string, reason: string | null): TransitionResult {
    const payment = this.get(impUid);
    if (payment === undefined) return { ok: false, message: 'unknown imp_uid' };
    if (payment.status !== 'ready') return { ok: false, message: 'only a ready payment can fail' };
    markFailed(payment, reason, this.clock.now());
    this.touch(impUid);
    return { ok: true, payment };
  }

  /**
   * `DELETE /vbanks/{imp_uid}`: an issued, unpaid virtual account is revoked
   * (status cancelled). No money moved, so cancel_amount stays 0.
   */
  revokeVbank(impUid: string, reason: string | null): RevokeResult {
    const payment = this.get(impUid);
    if (payment === undefined) return { ok: false, found: false, message: 'unknown imp_uid' };
    if (
      payment.status !== 'ready' ||
      payment.pay_method !== 'vbank' ||
      payment.vbank_num === null
    ) {
      return { ok: false, found: true, message: MSG_VBANK_NOT_REVOCABLE };
    }
    const now = this.clock.now();
    payment.status = 'cancelled';
    payment.cancelled_at = now;
    payment.cancel_reason = reason;
    this.touch(impUid);
    return { ok: true, payment };
  }

  /** PortOne's cancel rules (reference §1.6); refusals carry PortOne-style messages. */
  cancel(payment: SimPayment, request: CancelRequest): CancelResult {
    const record = this.records.get(payment.imp_uid);
    const behavior = request.followBehavior ? (record?.behavior ?? {}) : {};
    const remaining = roundMoney(payment.amount - payment.cancel_amount);
    if (payment.status === 'cancelled' && remaining <= 0) {
      return { ok: false, message: MSG_ALREADY_CANCELLED };
    }
    if (!isCancellable(payment)) {
      return {
        ok: false,
        message: `취소할 수 없는 상태의 결제건입니다. (status: ${payment.status})`,
      };
    }
    if (request.followBehavior && record !== undefined && record.pending.length > 0) {
      return { ok: false, message: MSG_CANCEL_IN_PROGRESS };
    }
    if (behavior.refuseCancelUntil !== undefined && this.clock.now() < behavior.refuseCancelUntil) {
      return { ok: false, message: MSG_CANCEL_LATER };
    }
    if (request.checksum !== undefined) {
      if (Number.isNaN(request.checksum) || roundMoney(request.checksum) !== remaining) {
        return {
          ok: false,
          message: `[checksum] 취소가능잔액(${remaining})이 checksum(${request.checksum})과 일치하지 않습니다.`,
        };
      }
    }
    const requested = request.amount;
    if (requested !== undefined && (Number.isNaN(requested) || requested < 0)) {
      return { ok: false, message: '취소 요청 금액이 올바르지 않습니다.' };
    }
    const amount = requested === undefined || requested === 0 ? remaining : roundMoney(requested);
    if (amount > remaining) {
      return {
        ok: false,
        message: `취소 요청 금액(${amount})이 취소가능잔액(${remaining})보다 큽니다.`,
      };
    }
    if (
      request.requireRefundAccount &&
      payment.pay_method === 'vbank' &&
      (request.refundHolder === undefined ||
        request.refundBank === undefined ||
        request.refundAccount === undefined)
    ) {
      return {
        ok: false,
        message:
          '가상계좌 환불은 refund_holder, refund_bank, refund_account 파라메터가 필요합니다.',
      };
    }
    // Only a request that passed every check reaches the PG, which may refuse it for good.
    if (behavior.cancel === 'refuse') return { ok: false, message: MSG_CANCEL_UNSUPPORTED };
    if (behavior.cancel === 'pending' && record !== undefined) {
      // PortOne answers code 0 with the payment as it was; the money moves later.
      const pending: PendingCancel = {
        amount,
        reason: request.reason ?? null,
        requested_at: this.clock.now(),
        enable_webhook: request.enableWebhook ?? false,
        cancellation_id: randomUUID(),
      };
      record.pending.push(pending);
      this.rewatch(record);
      return { ok: true, payment, pending: { ...pending } };
    }
    const entry = this.applyCancel(payment, amount, request.reason ?? null);
    this.touch(payment.imp_uid);
    return { ok: true, payment, entry };
  }

  private applyCancel(
    payment: SimPayment,
    amount: number,
    reason: string | null,
    now = this.clock.now(),
    cancellationId: string = randomUUID(),
  ): SimCancelHistoryEntry {
    const receiptUrl = `https://iniweb.inicis.com/receipt/cancel?noTid=${payment.pg_tid ?? ''}&n=${payment.cancel_history.length + 1}`;
    const entry: SimCancelHistoryEntry = {
      pg_tid: payment.pg_tid ?? '',
      amount,
      cancelled_at: now,
      reason,
      receipt_url: receiptUrl,
      cancellation_id: cancellationId,
    };
    payment.cancel_amount = roundMoney(payment.cancel_amount + amount);
    payment.cancel_history.push(entry);
    payment.cancel_receipt_urls.push(receiptUrl);
    payment.cancelled_at = now;
    payment.cancel_reason = reason;
    const full = payment.cancel_amount >= payment.amount;
    // V1's status after a partial cancel is unconfirmed (reference §1.3.1): configurable.
    payment.status = full ? 'cancelled' : this.config().statusAfterPartialCancel;
    return entry;
  }

  private touch(impUid: string): void {
    const record = this.records.get(impUid);
    if (record !== undefined) record.updatedAt = this.clock.now();
  }
}

function isCancellable(payment: SimPayment): boolean {
  const hasBalance = payment.amount - payment.cancel_amount > 0;
  // A revoked virtual account is cancelled with its whole amount left, but was never paid.
  const wasPaid = payment.paid_at > 0;
  return (payment.status === 'paid' || payment.status === 'cancelled') && hasBalance && wasPaid;
}

/** Given keys replace, null removes; undefined values never end up in the behaviour. */
function mergeBehavior(current: PaymentBehavior, patch: BehaviorPatch): PaymentBehavior {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged as PaymentBehavior;
}

/** Amounts may be fractional (USD); avoid float drift in balances. */
function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}
