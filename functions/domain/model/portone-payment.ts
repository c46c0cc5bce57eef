/**
 * A payment as PortOne V1 reports it (`GET /payments/{imp_uid}`), reduced to
 * the fields this service decides on. PortOne is the only source of these
 * values: nothing here is ever filled from a request body (invariant I1).
 *
 * Timestamps are unix seconds; PortOne reports "has not happened" as 0.
 */
export interface PortOnePayment {
  imp_uid: string;
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
}

export type PortOneStatus = 'ready' | 'paid' | 'failed' | 'cancelled';
