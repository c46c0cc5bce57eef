import type { AttemptStatus, Source, Vbank } from '../model/order';
import type { PortOnePayment, PortOneStatus } from '../model/portone-payment';

/**
 * docs/design.md §2 step 5: what a PortOne payment means for the order.
 * A cancellation is partial while a refundable balance remains; the status
 * word alone never tells a full refund (PortOne reports both as `cancelled`).
 */
export const attemptStatusOf = (payment: PortOnePayment): AttemptStatus => {
  switch (payment.status) {
    case 'paid':
      return payment.cancel_amount > 0 ? partialOrFull(payment) : 'paid';
    case 'ready':
      return hasVirtualAccount(payment) ? 'vbank_issued' : 'pending';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return partialOrFull(payment);
  }
};

const partialOrFull = (payment: PortOnePayment): AttemptStatus =>
  payment.cancel_amount > 0 && payment.cancel_amount < payment.amount
    ? 'partially_cancelled'
    : 'cancelled';

const hasVirtualAccount = (payment: PortOnePayment): boolean =>
  Boolean(payment.vbank_num) || payment.vbank_issued_at > 0;

export const refundableBalance = (payment: { amount: number; cancel_amount: number }): number =>
  Math.max(0, roundMoney(payment.amount - payment.cancel_amount));

// Amounts may be fractional (USD); subtracting floats must not leave 0.000001.
export const roundMoney = (value: number): number => Math.round(value * 10_000) / 10_000;

export const vbankOf = (payment: PortOnePayment): Vbank | null =>
  hasVirtualAccount(payment)
    ? {
        bank: payment.vbank_name,
        number: payment.vbank_num,
        holder: payment.vbank_holder,
        due: payment.vbank_date > 0 ? isoFromUnix(payment.vbank_date) : null,
      }
    : null;

export const isoFromUnix = (seconds: number): string => new Date(seconds * 1000).toISOString();

const STATUS_RANK: Record<PortOneStatus, number> = { ready: 0, failed: 1, paid: 2, cancelled: 3 };

/**
 * Invariant I2: a key that orders observations of one payment by PortOne's
 * own data: the latest of its timestamps (V2's change times included), then the cancelled amount, then the
 * status rank (ties inside one second). Fixed-width so that the same string
 * compares correctly in JavaScript and in a DynamoDB condition.
 */
export const observationVersion = (payment: PortOnePayment): string => {
  const latest = Math.max(
    payment.started_at,
    payment.vbank_issued_at,
    payment.paid_at,
    payment.failed_at,
    payment.cancelled_at,
    payment.changed_at,
  );
  return [
    pad(latest, 12),
    fixedPoint(payment.cancel_amount),
    String(STATUS_RANK[payment.status]),
  ].join('.');
};

const pad = (value: number, width: number): string =>
  String(Math.max(0, Math.trunc(value))).padStart(width, '0');

/** 16 integer digits and 4 decimals: enough for any currency PortOne settles. */
const fixedPoint = (amount: number): string => {
  const scaled = Math.round(Math.max(0, amount) * 10_000);
  return String(scaled).padStart(20, '0');
};

/** `webhook` and `reconcile` confirm what they observe; the browser's reports are provisional (I3). */
export const isConfirmingSource = (source: Source): boolean =>
  source === 'webhook' || source === 'reconcile';
