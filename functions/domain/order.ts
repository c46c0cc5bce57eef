import { RECHECK_AFTER_MS } from './recheck';
import type { Settlements } from './settlement';

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
  /** Some attempt is a forged or duplicate payment we still have to cancel. */
  owes_cancellation: boolean;
  /** When the order first became final with each outcome; the table's stream announces each once (settlement.ts). */
  settled: Settlements;
  attempts: Record<string, Attempt>;
  history: HistoryEntry[];
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
  sandbox: boolean;
  started_at: number;
  paid_at: number;
  fail_reason: string | null;
  vbank: Vbank | null;
  /** Orders observations of this payment (I2); see ranking.ts. */
  version: string;
  /** True once the webhook (or the reconciler) confirmed exactly this observation (I3). */
  final: boolean;
  /** Our automatic cancellation of a forged or duplicate paid attempt. */
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

export interface Cancellation {
  state: 'requested' | 'done' | 'failed' | 'rejected';
  at: string;
  /** The refundable balance we asked PortOne to cancel. */
  amount: number;
  message: string | null;
}

/** Who observed a payment. `webhook` and `reconcile` confirm; the others are provisional (I3). */
export type Source = 'complete' | 'redirect' | 'webhook' | 'reconcile' | 'cancel';

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
  history: [],
  rev: 0,
});
