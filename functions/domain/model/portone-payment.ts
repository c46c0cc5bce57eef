/**
 * A payment as PortOne reports it, reduced to the fields this service
 * decides on, in V1's vocabulary whichever API it came from: V1's answer
 * (`GET /payments/{imp_uid}`) as it is, V2's (`GET /payments/{paymentId}`)
 * translated by functions/adapters/portone-v2/payment.ts. PortOne is the
 * only source of these values: nothing here is ever filled from a request
 * body (invariant I1).
 *
 * Timestamps are unix seconds; "has not happened" is 0.
 */
export interface PortOnePayment {
  /** Which API holds the payment; a V2 payment is cancelled and looked up through V2. */
  api: PortOneApi;
  /**
   * PortOne's id of the payment: V1's `imp_uid`, or V2's `paymentId` (one this
   * service issued, ids.ts). The two shapes never collide, so one map of
   * attempts per order holds both.
   */
  imp_uid: string;
  /** V1: PortOne's `merchant_uid`. V2: the order the payment id was issued for. */
  merchant_uid: string;
  status: PortOneStatus;
  amount: number;
  /** Cumulative cancelled amount; the refundable balance is `amount - cancel_amount`. */
  cancel_amount: number;
  currency: string;
  /**
   * Made on a PortOne test channel (returned only with `include_sandbox=true`).
   * null: the answer did not say (answers from before PortOne added the
   * field); in live mode such a payment cannot be verified (docs/design.md §2 step 4).
   */
  sandbox: boolean | null;
  pay_method: string | null;
  name: string | null;
  started_at: number;
  paid_at: number;
  failed_at: number;
  cancelled_at: number;
  fail_reason: string | null;
  cancel_reason: string | null;
  vbank_code: string | null;
  vbank_name: string | null;
  vbank_num: string | null;
  vbank_holder: string | null;
  /** Deposit deadline. */
  vbank_date: number;
  vbank_issued_at: number;
  /** V2's `statusChangedAt`/`updatedAt`, the latest (I2); 0 for V1, whose answers carry none. */
  changed_at: number;
}

export type PortOneApi = 'v1' | 'v2';

export type PortOneStatus = 'ready' | 'paid' | 'failed' | 'cancelled';
