import { randomUUID } from 'node:crypto';
import type { Payment as SdkPayment } from '@portone/server-sdk/payment';
import type { SimClock } from '../clock';
import { randomDigits, VBANK_VALIDITY_SECONDS } from '../payment-factory';
import type {
  V2Amount,
  V2Cancellation,
  V2Channel,
  V2Config,
  V2CreatePaymentInput,
  V2Method,
  V2Payment,
  V2PreRegistration,
  V2Status,
} from './types';

/** PortOne's messages where the reference knows them, plausible Korean otherwise. */
export const MSG_V2_NOT_FOUND = '결제 건이 존재하지 않습니다.';
export const MSG_PRE_REGISTER_MISMATCH = '사전 등록된 결제 정보와 일치하지 않습니다.';

export type V2CancelError =
  | 'PAYMENT_NOT_FOUND'
  | 'PAYMENT_NOT_PAID'
  | 'PAYMENT_ALREADY_CANCELLED'
  | 'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN'
  | 'CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT';

const CANCEL_MESSAGES: Record<V2CancelError, string> = {
  PAYMENT_NOT_FOUND: MSG_V2_NOT_FOUND,
  PAYMENT_NOT_PAID: '결제가 완료되지 않은 건입니다.',
  PAYMENT_ALREADY_CANCELLED: '이미 취소된 결제 건입니다.',
  CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN: '취소 가능 잔액 검증에 실패하였습니다.',
  CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT: '취소 금액이 취소 가능 금액을 초과합니다.',
};

export interface V2CancelRequest {
  reason: string;
  /** Absent: the whole remaining balance. */
  amount?: number;
  taxFreeAmount?: number;
  /** The balance the caller believes is left (V1's checksum); absent: not checked. */
  currentCancellableAmount?: number;
  trigger: V2Cancellation['trigger'];
}

export type V2CancelResult =
  | { ok: true; payment: V2Payment; cancellation: V2Cancellation }
  | { ok: false; type: V2CancelError; message: string };

export type V2PreRegisterResult =
  | { ok: true }
  | { ok: false; type: 'ALREADY_PAID'; message: string };

export type V2CreateResult =
  | { ok: true; payment: V2Payment }
  | { ok: false; status: number; message: string };

/** Statuses in which money was taken: the id can never be paid (or pre-registered) again. */
const PAID_STATUSES: readonly V2Status[] = ['PAID', 'PARTIAL_CANCELLED', 'CANCELLED'];

interface Record_ {
  payment: V2Payment;
  /** Simulator-only: delivery mode of this payment's own webhooks. */
  webhookMode: V2CreatePaymentInput['webhookMode'];
}

/**
 * V2 payments by paymentId (the merchant's id: one payment per id, a new
 * attempt on an unpaid id replaces it with a new transactionId, as V2 does),
 * the amounts pre-registered for ids, and the transitions on them.
 */
export class V2PaymentStore {
  private readonly records = new Map<string, Record_>();
  private readonly preRegistered = new Map<string, V2PreRegistration>();

  constructor(
    private readonly clock: SimClock,
    private readonly config: () => V2Config,
  ) {}

  clear(): void {
    this.records.clear();
    this.preRegistered.clear();
  }

  get(paymentId: string): V2Payment | undefined {
    return this.records.get(paymentId)?.payment;
  }

  list(): V2Payment[] {
    return [...this.records.values()].map((r) => r.payment);
  }

  webhookMode(paymentId: string): V2CreatePaymentInput['webhookMode'] {
    return this.records.get(paymentId)?.webhookMode;
  }

  getPreRegistration(paymentId: string): V2PreRegistration | undefined {
    return this.preRegistered.get(paymentId);
  }

  /** Forgets a pre-registration (a demo control, not PortOne's API); false when there was none. */
  forgetPreRegistration(paymentId: string): boolean {
    return this.preRegistered.delete(paymentId);
  }

  /** Registering again replaces the amount; a paid id refuses (409 ALREADY_PAID). */
  preRegister(entry: V2PreRegistration): V2PreRegisterResult {
    const payment = this.get(entry.paymentId);
    if (payment !== undefined && PAID_STATUSES.includes(payment.status)) {
      return { ok: false, type: 'ALREADY_PAID', message: '이미 결제가 완료된 결제 건입니다.' };
    }
    this.preRegistered.set(entry.paymentId, { ...entry });
    return { ok: true };
  }

  /**
   * A payment that went through PortOne's window into `input.state`. An id
   * pre-registered with other terms ends FAILED instead: PortOne refuses to
   * take an amount it was not told about.
   */
  create(input: V2CreatePaymentInput): V2CreateResult {
    const existing = this.get(input.paymentId);
    if (existing !== undefined && PAID_STATUSES.includes(existing.status)) {
      return { ok: false, status: 409, message: `paymentId ${input.paymentId} is already paid` };
    }
    const config = this.config();
    const now = this.iso();
    const taxFree = input.taxFree ?? 0;
    const payMethod =
      input.state === 'virtual_account_issued' ? 'VIRTUAL_ACCOUNT' : input.payMethod;
    const payment: V2Payment = {
      status: 'READY',
      id: input.paymentId,
      transactionId: randomUUID(),
      merchantId: config.merchantId,
      storeId: input.storeId ?? config.storeId,
      method: methodOf(payMethod ?? 'CARD', this.clock.now()),
      channel: channelOf(input.channel ?? 'LIVE', input.pgProvider ?? 'INICIS_V2'),
      version: 'V2',
      requestedAt: now,
      updatedAt: now,
      statusChangedAt: now,
      orderName: input.orderName ?? '테스트 주문',
      amount: amountOf(input.amount, taxFree),
      currency: input.currency ?? 'KRW',
      customer: input.customerId === undefined ? {} : { id: input.customerId },
      ...(input.customData === undefined ? {} : { customData: input.customData }),
    };
    this.records.set(payment.id, { payment, webhookMode: input.webhookMode });

    if (input.state === 'ready') return { ok: true, payment };
    const refused = this.refusedByPreRegistration(payment);
    if (refused !== null || input.state === 'failed') {
      this.fail(payment, refused ?? input.failureReason ?? '카드 한도 초과');
      return { ok: true, payment };
    }
    if (input.state === 'virtual_account_issued') {
      this.setStatus(payment, 'VIRTUAL_ACCOUNT_ISSUED');
      payment.pgTxId = pgTxId();
      return { ok: true, payment };
    }
    this.markPaid(payment);
    if (input.state === 'cancelled' || input.state === 'partially_cancelled') {
      const amount =
        input.state === 'cancelled'
          ? undefined
          : (input.cancelledAmount ?? Math.floor(input.amount / 2));
      const result = this.cancel(payment.id, {
        reason: '고객 요청',
        trigger: 'CONSOLE',
        ...(amount === undefined ? {} : { amount }),
      });
      if (!result.ok) return { ok: false, status: 400, message: result.message };
    }
    return { ok: true, payment };
  }

  /** A deposit into an issued virtual account: VIRTUAL_ACCOUNT_ISSUED → PAID. */
  deposit(paymentId: string): { ok: true; payment: V2Payment } | { ok: false; message: string } {
    const payment = this.get(paymentId);
    if (payment === undefined) return { ok: false, message: `unknown paymentId: ${paymentId}` };
    if (payment.status !== 'VIRTUAL_ACCOUNT_ISSUED') {
      return { ok: false, message: `payment is ${payment.status}, not VIRTUAL_ACCOUNT_ISSUED` };
    }
    this.markPaid(payment);
    return { ok: true, payment };
  }

  /**
   * V2 cancel semantics (reference §3.3): only PAID or PARTIAL_CANCELLED
   * money can go back; `currentCancellableAmount` must equal what is left;
   * no more than what is left; the rest decides PARTIAL_CANCELLED or CANCELLED.
   */
  cancel(paymentId: string, request: V2CancelRequest): V2CancelResult {
    const payment = this.get(paymentId);
    const refuse = (type: V2CancelError): V2CancelResult => ({
      ok: false,
      type,
      message: CANCEL_MESSAGES[type],
    });
    if (payment === undefined) return refuse('PAYMENT_NOT_FOUND');
    if (payment.status === 'CANCELLED') return refuse('PAYMENT_ALREADY_CANCELLED');
    if (payment.status !== 'PAID' && payment.status !== 'PARTIAL_CANCELLED') {
      return refuse('PAYMENT_NOT_PAID');
    }
    const cancellable = payment.amount.total - payment.amount.cancelled;
    if (
      request.currentCancellableAmount !== undefined &&
      request.currentCancellableAmount !== cancellable
    ) {
      return refuse('CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN');
    }
    const amount = request.amount ?? cancellable;
    if (amount > cancellable) return refuse('CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT');
    const taxFreeLeft = payment.amount.taxFree - payment.amount.cancelledTaxFree;
    const taxFreeAmount = Math.min(
      request.taxFreeAmount ?? (request.amount === undefined ? taxFreeLeft : 0),
      taxFreeLeft,
      amount,
    );
    const now = this.iso();
    const cancellation: V2Cancellation = {
      status: 'SUCCEEDED',
      id: randomUUID(),
      pgCancellationId: `pgc_${randomDigits(14)}`,
      totalAmount: amount,
      taxFreeAmount,
      vatAmount: vatOf(amount - taxFreeAmount),
      reason: request.reason,
      cancelledAt: now,
      requestedAt: now,
      receiptUrl: `https://sim.portone.local/receipts/${payment.transactionId}/cancel`,
      trigger: request.trigger,
    };
    payment.amount.cancelled += amount;
    payment.amount.cancelledTaxFree += taxFreeAmount;
    payment.cancellations = [...(payment.cancellations ?? []), cancellation];
    payment.cancelledAt = now;
    this.setStatus(
      payment,
      payment.amount.cancelled === payment.amount.total ? 'CANCELLED' : 'PARTIAL_CANCELLED',
    );
    return { ok: true, payment, cancellation };
  }

  private refusedByPreRegistration(payment: V2Payment): string | null {
    const { total, taxFree } = payment.amount;
    return this.preRegistrationMismatch(payment.id, total, taxFree, payment.currency)
      ? MSG_PRE_REGISTER_MISMATCH
      : null;
  }

  /** True when the id was pre-registered with other terms (PortOne then refuses the payment). */
  preRegistrationMismatch(
    paymentId: string,
    total: number,
    taxFree: number,
    currency: string,
  ): boolean {
    const entry = this.preRegistered.get(paymentId);
    if (entry === undefined) return false;
    return (
      entry.totalAmount !== total || entry.taxFreeAmount !== taxFree || entry.currency !== currency
    );
  }

  /** True when money was taken under this id: it can never be paid again. */
  isPaid(paymentId: string): boolean {
    const payment = this.get(paymentId);
    return payment !== undefined && PAID_STATUSES.includes(payment.status);
  }

  private markPaid(payment: V2Payment): void {
    this.setStatus(payment, 'PAID');
    payment.paidAt = payment.statusChangedAt;
    payment.amount.paid = payment.amount.total;
    payment.pgTxId ??= pgTxId();
    payment.receiptUrl = `https://sim.portone.local/receipts/${payment.transactionId}`;
    payment.disputes = [];
  }

  private fail(payment: V2Payment, reason: string): void {
    this.setStatus(payment, 'FAILED');
    payment.failedAt = payment.statusChangedAt;
    payment.failure = { reason, pgCode: 'F113', pgMessage: reason };
  }

  private setStatus(payment: V2Payment, status: V2Status): void {
    const now = this.iso();
    if (payment.status !== status) payment.statusChangedAt = now;
    payment.status = status;
    payment.updatedAt = now;
  }

  private iso(): string {
    return isoOf(this.clock.now());
  }
}

export function isoOf(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

/** 10% VAT included in the taxable part, as Korean receipts round it. */
function vatOf(taxable: number): number {
  return Math.round(taxable / 11);
}

function amountOf(total: number, taxFree: number): V2Amount {
  const vat = vatOf(total - taxFree);
  return {
    total,
    taxFree,
    vat,
    supply: total - vat,
    discount: 0,
    paid: 0,
    cancelled: 0,
    cancelledTaxFree: 0,
  };
}

function pgTxId(): string {
  return `StdpayCARDINIpayTest${randomDigits(14)}`;
}

function channelOf(type: V2Channel['type'], pgProvider: string): V2Channel {
  const test = type === 'TEST';
  return {
    type,
    id: test ? 'channel-id-sim-test' : 'channel-id-sim-live',
    key: test ? 'channel-key-sim-test' : 'channel-key-sim-live',
    name: test ? 'KG이니시스 (테스트)' : 'KG이니시스',
    pgProvider,
    pgMerchantId: test ? 'INIpayTest' : 'MOIsim0001',
  };
}

function methodOf(payMethod: string, now: number): V2Method {
  if (payMethod === 'VIRTUAL_ACCOUNT') {
    return {
      type: 'PaymentMethodVirtualAccount',
      bank: 'SHINHAN',
      accountNumber: `56211${randomDigits(9)}`,
      accountType: 'NORMAL',
      remitteeName: '(주)포트원심',
      expiredAt: isoOf(now + VBANK_VALIDITY_SECONDS),
      issuedAt: isoOf(now),
    };
  }
  if (payMethod === 'TRANSFER') return { type: 'PaymentMethodTransfer', bank: 'KOOKMIN' };
  return {
    type: 'PaymentMethodCard',
    card: { publisher: 'SHINHAN', issuer: 'SHINHAN', name: '신한카드', number: '53275010****123*' },
    approvalNumber: randomDigits(8),
    installment: { month: 0, isInterestFree: false },
  };
}

/**
 * The payment as `GET /payments/{paymentId}` answers it: the common fields
 * plus only those its status carries (a CANCELLED payment keeps paidAt, a
 * FAILED one has no receipt). Typed as the SDK's union so that a field the
 * real API would not send at that status fails to compile.
 */
export function renderV2Payment(p: V2Payment): SdkPayment {
  const common = {
    id: p.id,
    transactionId: p.transactionId,
    merchantId: p.merchantId,
    storeId: p.storeId,
    method: p.method,
    channel: p.channel,
    version: p.version,
    requestedAt: p.requestedAt,
    updatedAt: p.updatedAt,
    statusChangedAt: p.statusChangedAt,
    orderName: p.orderName,
    amount: { ...p.amount },
    currency: p.currency as 'KRW',
    customer: { ...p.customer },
    ...(p.customData === undefined ? {} : { customData: p.customData }),
  };
  const paid = {
    paidAt: p.paidAt ?? p.statusChangedAt,
    ...(p.pgTxId === undefined ? {} : { pgTxId: p.pgTxId }),
    ...(p.receiptUrl === undefined ? {} : { receiptUrl: p.receiptUrl }),
  };
  const cancellations = (p.cancellations ?? []).map((c) => ({ ...c }));
  switch (p.status) {
    case 'READY':
    case 'PAY_PENDING':
      return { status: p.status, ...common };
    case 'VIRTUAL_ACCOUNT_ISSUED':
      return { status: p.status, ...common, ...(p.pgTxId ? { pgTxId: p.pgTxId } : {}) };
    case 'PAID':
      return {
        status: p.status,
        ...common,
        ...paid,
        disputes: [],
        ...(cancellations.length > 0 ? { cancellations } : {}),
      };
    case 'FAILED':
      return {
        status: p.status,
        ...common,
        failedAt: p.failedAt ?? p.statusChangedAt,
        failure: { ...(p.failure ?? { reason: 'failed' }) },
      };
    case 'PARTIAL_CANCELLED':
    case 'CANCELLED':
      return {
        status: p.status,
        ...common,
        ...paid,
        cancellations,
        cancelledAt: p.cancelledAt ?? p.statusChangedAt,
      };
  }
}
