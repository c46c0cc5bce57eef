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
  CreatePaymentInput,
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
}

export type CancelResult =
  | { ok: true; payment: SimPayment; entry: SimCancelHistoryEntry }
  | { ok: false; message: string };

export type CreateResult =
  | { ok: true; payment: SimPayment }
  | { ok: false; status: number; message: string };

export type TransitionResult = { ok: true; payment: SimPayment } | { ok: false; message: string };

export const MSG_ALREADY_CANCELLED = '이미 전액취소된 주문입니다.';

interface PaymentRecord {
  payment: SimPayment;
  /** Creation order: tie-breaker when timestamps are equal. */
  seq: number;
  /** For `sorting=-updated`; PortOne tracks it but does not expose it on V1 payments. */
  updatedAt: number;
}

/**
 * All payments and amount pre-registrations, plus the state transitions
 * PortOne applies to them (approval, deposit, failure, cancellation).
 */
export class PaymentStore {
  private readonly records = new Map<string, PaymentRecord>();
  private readonly prepared = new Map<string, Prepared>();
  private seq = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly config: () => SimulatorConfig,
  ) {}

  clear(): void {
    this.records.clear();
    this.prepared.clear();
    this.seq = 0;
  }

  get(impUid: string): SimPayment | undefined {
    return this.records.get(impUid)?.payment;
  }

  list(merchantUid?: string): SimPayment[] {
    return this.sorted([...this.records.values()], 'started').filter(
      (p) => merchantUid === undefined || p.merchant_uid === merchantUid,
    );
  }

  /** Payments sharing a merchant_uid (retries), ordered as PortOne's `sorting` says. */
  findByMerchant(
    merchantUid: string,
    options: { status?: SimStatus; sorting?: Sorting; includeSandbox: boolean },
  ): SimPayment[] {
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

    this.records.set(impUid, { payment, seq: this.seq++, updatedAt: now });
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

  /** A ready payment approved later (e.g. PayPal's pending that turns paid). */
  pay(impUid: string): TransitionResult {
    const payment = this.get(impUid);
    if (payment === undefined) return { ok: false, message: 'unknown imp_uid' };
    if (payment.status !== 'ready')
      return { ok: false, message: 'only a ready payment can be paid' };
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

  /** PortOne's cancel rules (reference §1.6); refusals carry PortOne-style messages. */
  cancel(payment: SimPayment, request: CancelRequest): CancelResult {
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
    const entry = this.applyCancel(payment, amount, request.reason ?? null);
    this.touch(payment.imp_uid);
    return { ok: true, payment, entry };
  }

  private applyCancel(
    payment: SimPayment,
    amount: number,
    reason: string | null,
  ): SimCancelHistoryEntry {
    const now = this.clock.now();
    const receiptUrl = `https://iniweb.inicis.com/receipt/cancel?noTid=${payment.pg_tid ?? ''}&n=${payment.cancel_history.length + 1}`;
    const entry: SimCancelHistoryEntry = {
      pg_tid: payment.pg_tid ?? '',
      amount,
      cancelled_at: now,
      reason,
      receipt_url: receiptUrl,
      cancellation_id: randomUUID(),
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
  return (payment.status === 'paid' || payment.status === 'cancelled') && hasBalance;
}

/** Amounts may be fractional (USD); avoid float drift in balances. */
function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}
