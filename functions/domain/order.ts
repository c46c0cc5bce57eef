import type { Settlements } from './settlement';
import { RECHECK_AFTER_MS } from './timing';

/**
 * The order as stored: the merchant's terms plus every payment attempt
 * PortOne has shown us for it. Everything the API reports about an order
 * (status, final, amounts, vbank) is derived from its current attempt, so
 * there is one source of truth per attempt and nothing to keep in sync.
 */
export interface Order {
  merchant_uid: string;
  amount: number;
  currency: string;
  name: string | null;
  /** False until PortOne accepted the pre-registered amount (when PORTONE_PREPARE is on). */
  prepared: boolean;
  created_at: string;
  updated_at: string;
  /** The current attempt: the one that decides the order's status (I4). */
  imp_uid: string | null;
  /** The current attempt's precedence key (see ranking.ts); kept so a write can compare without a read. */
  rank: string | null;
  /** Denormalised from the current attempt so that indexes and queries can use them. */
  status: OrderStatus;
  final: boolean;
  /** When the reconciler should look again (recheck.ts); null once settled. Indexed. */
  check_at: string | null;
  /**
   * Some cancellation is owed or under way (a forged or duplicate payment to
   * cancel, a merchant refund not ended): the single-write fast path never
   * applies then, so every such order goes through `decide`.
   */
  owes_cancellation: boolean;
  /** When the order first became final with each outcome; the table's stream announces each once (settlement.ts). */
  settled: Settlements;
  attempts: Record<string, Attempt>;
  /** Attempts dropped to keep the item bounded (I9): old failed or abandoned windows that decided nothing. */
  dropped_attempts: number;
  /** The merchant's refunds (`POST /orders/{merchant_uid}/cancel`), oldest first; never dropped (idempotency). */
  refunds: Refund[];
  history: HistoryEntry[];
  /** Reconciler runs in a row that failed on this order; spaces out its next look (reconcile.ts). */
  recheck_failures: number;
  /** Bumped by every write; the optimistic-concurrency token of the slow path. */
  rev: number;
}

export type OrderStatus =
  | 'pending'
  | 'vbank_issued'
  | 'paid'
  | 'partially_cancelled'
  | 'cancelled'
  | 'failed'
  | 'forgery';

/** What one PortOne payment (one imp_uid) amounts to for the order. */
export type AttemptStatus = Exclude<OrderStatus, 'forgery'>;

/** `duplicate`: a second paid attempt on an already-paid order (I4). */
export type Verdict = 'ok' | 'forgery' | 'duplicate';

export type ForgeryReason = 'amount_mismatch' | 'currency_mismatch' | 'sandbox_in_live_mode';

export interface Attempt {
  imp_uid: string;
  status: AttemptStatus;
  verdict: Verdict;
  forgery_reason: ForgeryReason | null;
  /** PortOne's own word, kept for support. */
  portone_status: 'ready' | 'paid' | 'failed' | 'cancelled';
  amount: number;
  cancel_amount: number;
  currency: string;
  pay_method: string | null;
  /** Made on a test channel (true only when PortOne said so; live mode never stores an answer that did not say). */
  sandbox: boolean;
  started_at: number;
  paid_at: number;
  fail_reason: string | null;
  vbank: Vbank | null;
  /** Orders observations of this payment (I2); see ranking.ts. */
  version: string;
  /** True once the webhook (or the reconciler) confirmed exactly this observation (I3). */
  final: boolean;
  /** Our automatic cancellation of a forged or duplicate paid attempt (or revocation of a forged virtual account). */
  cancellation: Cancellation | null;
  observed_at: string;
}

export interface Vbank {
  bank: string | null;
  number: string | null;
  holder: string | null;
  /** Deposit deadline, ISO 8601. */
  due: string | null;
}

export type CancellationState = 'requested' | 'done' | 'failed' | 'rejected';

/**
 * One cancellation we ask of PortOne and where it stands (docs/design.md §2.1):
 * - `requested`: claimed and sent, or accepted by PortOne but not yet visible
 *   in the payment (`accepted`); looked at again with backoff;
 * - `done`: PortOne's payment shows the money returned, never earlier;
 * - `failed`: PortOne unreachable, a temporary refusal or a balance that
 *   moved; tried again with the balance PortOne shows then, with backoff;
 * - `rejected`: retrying cannot fix it (or it did not for the reconcile
 *   horizon); a person must act, and an alarm says so.
 */
export interface Cancellation {
  state: CancellationState;
  /** `revoke`: a forged virtual account closed before any deposit (`DELETE /vbanks`). */
  kind: 'cancel' | 'revoke';
  /** When the state last changed. */
  at: string;
  /** The amount we ask PortOne to return. */
  amount: number;
  /** PortOne's refundable balance when we asked (the checksum); done once the balance is at most `balance - amount`. */
  balance: number;
  message: string | null;
  /** When it was first asked for; the reconcile horizon counts from here. */
  since: string;
  /** Calls made to PortOne's cancel. */
  tries: number;
  /** PortOne answered `code: 0`: it is never asked again, only looked at. */
  accepted: boolean;
  /** When to look or try again; null once ended. */
  next_at: string | null;
}

/** The buyer's account a paid virtual account is refunded to (PortOne's `refund_*` fields). */
export interface RefundAccount {
  holder: string;
  bank: string;
  account: string;
  tel: string | null;
}

/** A merchant's refund: a cancellation of the order's paying attempt, named by the merchant's `request_id`. */
export interface Refund extends Cancellation {
  request_id: string;
  imp_uid: string;
  reason: string;
  /** What the merchant asked for: an amount, or null for the whole balance (the terms a repeat must match). */
  requested_amount: number | null;
  /** Kept only while the refund may still be sent again; cleared once it ends. */
  refund_account: RefundAccount | null;
}

/** Who observed a payment. `webhook` and `reconcile` confirm; the others are provisional (I3). */
export type Source = 'complete' | 'redirect' | 'webhook' | 'reconcile' | 'cancel' | 'merchant';

export const isConfirmingSource = (source: Source): boolean =>
  source === 'webhook' || source === 'reconcile';

export interface HistoryEntry {
  at: string;
  source: Source;
  imp_uid: string;
  /** The attempt's status after this observation. */
  attempt_status: AttemptStatus;
  verdict: Verdict;
  /** The order's status and finality after this observation. */
  status: OrderStatus;
  final: boolean;
}

/** Support needs the recent story, not all of it; the item must stay small (cost and the 400 KB limit). */
export const HISTORY_LIMIT = 30;

/**
 * I9: attempts kept per order beyond which the oldest that decide nothing
 * (failed or abandoned, not current, owing nothing) are dropped. About 460
 * bytes each, so an order stays near 10 KB however often its window is
 * closed; paid, cancelled and virtual-account attempts are always kept.
 */
export const ATTEMPT_LIMIT = 20;

/** Refunds kept per order: all of them (a dropped request_id could be refunded again), so a cap. */
export const REFUND_LIMIT = 100;

/** A freshly registered order. */
export const newOrder = (input: {
  merchant_uid: string;
  amount: number;
  currency: string;
  name: string | null;
  prepared: boolean;
  now: string;
}): Order => ({
  merchant_uid: input.merchant_uid,
  amount: input.amount,
  currency: input.currency,
  name: input.name,
  prepared: input.prepared,
  created_at: input.now,
  updated_at: input.now,
  imp_uid: null,
  rank: null,
  status: 'pending',
  final: false,
  check_at: new Date(Date.parse(input.now) + RECHECK_AFTER_MS).toISOString(),
  owes_cancellation: false,
  settled: {},
  attempts: {},
  dropped_attempts: 0,
  refunds: [],
  history: [],
  recheck_failures: 0,
  rev: 0,
});
