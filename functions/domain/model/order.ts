import type { PortOneApi } from './portone-payment';

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
  /**
   * True when a registration need not ask PortOne (PORTONE_PREPARE off, or a
   * repeat registration saw PortOne hold the amount). The first registration
   * leaves it false to write the order once (use-cases/register-order.ts).
   */
  prepared: boolean;
  created_at: string;
  updated_at: string;
  /** The current attempt's PortOne id (V1 imp_uid or V2 paymentId): the one that decides the order's status (I4). */
  imp_uid: string | null;
  /**
   * The V2 payment ids issued for this order, each with when it was issued.
   * A V2 payment counts for the order only when its id is here (docs/design.md
   * §2 step 2), and the reconciler looks each one up.
   */
  payment_ids: Record<string, string>;
  /** The current attempt's precedence key (see rules/ranking.ts); kept so a write can compare without a read. */
  rank: string | null;
  /** Denormalised from the current attempt so that indexes and queries can use them. */
  status: OrderStatus;
  final: boolean;
  /** When the reconciler should look again (rules/recheck.ts); null once settled. Indexed. */
  check_at: string | null;
  /**
   * Some cancellation is owed or under way (a forged or duplicate payment to
   * cancel, a merchant refund not ended): the single-write fast path never
   * applies then, so every such order goes through `decide`.
   */
  owes_cancellation: boolean;
  /** When the order first became final with each outcome; the table's stream announces each once (rules/settlement.ts). */
  settled: Settlements;
  attempts: Record<string, Attempt>;
  /** Attempts dropped to keep the item bounded (I9): old failed or abandoned windows that decided nothing. */
  dropped_attempts: number;
  /** The merchant's refunds (`POST /orders/{merchant_uid}/cancel`), oldest first; never dropped (idempotency). */
  refunds: Refund[];
  history: HistoryEntry[];
  /** Reconciler runs in a row that failed on this order; spaces out its next look (use-cases/reconcile.ts). */
  recheck_failures: number;
  /** Bumped by every write; the optimistic-concurrency token of the slow path. */
  rev: number;
}

/** Every status an order can have; the shop's pages and the HTTP answers read these words from here. */
export const ORDER_STATUSES = [
  'pending',
  'vbank_issued',
  'paid',
  'partially_cancelled',
  'cancelled',
  'failed',
  'forgery',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The final outcomes an order announces ("payment settled", docs/design.md): each at most once. */
export const SETTLED_STATUSES = [
  'paid',
  'partially_cancelled',
  'cancelled',
  'failed',
  'forgery',
] as const satisfies readonly OrderStatus[];

export type SettledStatus = (typeof SETTLED_STATUSES)[number];

/** When the order first settled with each outcome (ISO 8601). */
export type Settlements = Partial<Record<SettledStatus, string>>;

/** What one PortOne payment (one imp_uid) amounts to for the order. */
export type AttemptStatus = Exclude<OrderStatus, 'forgery'>;

/** `duplicate`: a second paid attempt on an already-paid order (I4). */
export type Verdict = 'ok' | 'forgery' | 'duplicate';

export type ForgeryReason = 'amount_mismatch' | 'currency_mismatch' | 'sandbox_in_live_mode';

export interface Attempt {
  /** Which PortOne API holds the payment. */
  api: PortOneApi;
  /** PortOne's id of the payment: V1 imp_uid or V2 paymentId. */
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
  /** Orders observations of this payment (I2); see rules/ranking.ts. */
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
