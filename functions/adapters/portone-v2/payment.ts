import type { PortOnePayment, PortOneStatus } from '../../domain/model/portone-payment';
import type { V2Payment, V2Status } from './schemas';

/**
 * A V2 payment in the domain's words (docs/design.md §2 step 5), so that one
 * verification module decides both APIs:
 * - `READY`, `PAY_PENDING` → ready (not paid yet); `VIRTUAL_ACCOUNT_ISSUED` →
 *   ready with the account's details (vbank issued); `PAID` → paid; `FAILED`
 *   → failed; `PARTIAL_CANCELLED` and `CANCELLED` → cancelled, the balance
 *   being `amount.total - amount.cancelled` as for V1;
 * - the amount is `amount.total`, the currency the REST API's (`KRW`);
 * - a `TEST` channel is a sandbox payment; an answer without a channel says
 *   nothing (null), which live mode never verifies;
 * - the order is the one the id was issued for (`merchantUid`, read from
 *   the id by ids.ts), never a field of the answer;
 * - `changed_at` is the latest of `statusChangedAt` and `updatedAt`, so that
 *   observations are ordered by PortOne's own clock (I2).
 * Times become unix seconds, like V1's.
 */
export const fromV2Payment = (payment: V2Payment, merchantUid: string): PortOnePayment => {
  const method = payment.method;
  const account = method && 'accountNumber' in method ? method : null;
  return {
    api: 'v2',
    imp_uid: payment.id,
    merchant_uid: merchantUid,
    status: STATUS[payment.status],
    amount: payment.amount.total,
    cancel_amount: payment.amount.cancelled,
    currency: payment.currency,
    sandbox: payment.channel ? payment.channel.type === 'TEST' : null,
    pay_method: payment.method ? (METHOD[payment.method.type] ?? payment.method.type) : null,
    name: payment.orderName ?? null,
    started_at: seconds(payment.requestedAt),
    paid_at: seconds(payment.paidAt),
    failed_at: seconds(payment.failedAt),
    cancelled_at: seconds(payment.cancelledAt),
    fail_reason: payment.status === 'FAILED' ? (payment.failure?.reason ?? null) : null,
    cancel_reason: null,
    vbank_code: null,
    vbank_name: account?.bank ?? null,
    vbank_num: account?.accountNumber ?? null,
    vbank_holder: account?.remitteeName ?? null,
    vbank_date: seconds(account?.expiredAt),
    vbank_issued_at: seconds(account?.issuedAt),
    changed_at: Math.max(seconds(payment.statusChangedAt), seconds(payment.updatedAt)),
  };
};

const STATUS: Record<V2Status, PortOneStatus> = {
  READY: 'ready',
  PAY_PENDING: 'ready',
  VIRTUAL_ACCOUNT_ISSUED: 'ready',
  PAID: 'paid',
  FAILED: 'failed',
  PARTIAL_CANCELLED: 'cancelled',
  CANCELLED: 'cancelled',
};

/** V2's method types in V1's `pay_method` words, which the order view and the shop show. */
const METHOD: Record<string, string> = {
  PaymentMethodCard: 'card',
  PaymentMethodVirtualAccount: 'vbank',
  PaymentMethodTransfer: 'trans',
  PaymentMethodMobile: 'phone',
  PaymentMethodEasyPay: 'easypay',
  PaymentMethodGiftCertificate: 'giftcard',
};

const seconds = (instant: string | undefined): number =>
  instant === undefined ? 0 : Math.floor(Date.parse(instant) / 1000);
