/**
 * Shapes shared by the simulator's pieces and its control client. The payment
 * type mirrors PortOne V1's `PaymentAnnotation` (reference §1.3) key for key:
 * real responses always carry every key, with null strings and 0 timestamps
 * for things that have not happened, so clients must be tested against that.
 */

export type SimStatus = 'ready' | 'paid' | 'failed' | 'cancelled';

export interface SimCancelHistoryEntry {
  pg_tid: string;
  amount: number;
  cancelled_at: number;
  reason: string | null;
  receipt_url: string | null;
  cancellation_id: string;
}

export interface SimDepositHistoryEntry {
  pg_tid: string;
  amount: number;
  depositor_name: string | null;
  deposited_at: number;
  reason: string | null;
}

/** Keys are declared in alphabetical order, the order PortOne emits them. */
export interface SimPayment {
  amount: number;
  apply_num: string | null;
  bank_code: string | null;
  bank_name: string | null;
  buyer_addr: string | null;
  buyer_email: string | null;
  buyer_name: string | null;
  buyer_postcode: string | null;
  buyer_tel: string | null;
  cancel_amount: number;
  cancel_history: SimCancelHistoryEntry[];
  cancel_reason: string | null;
  cancel_receipt_urls: string[];
  cancelled_at: number;
  card_code: string | null;
  card_issuer_code: string | null;
  card_issuer_name: string | null;
  card_name: string | null;
  card_number: string | null;
  card_publisher_code: string | null;
  card_publisher_name: string | null;
  card_quota: number;
  card_type: number | null;
  cash_receipt_issued: boolean;
  channel: string;
  currency: string;
  custom_data: string | null;
  customer_uid: string | null;
  customer_uid_usage: string | null;
  deposit_history: SimDepositHistoryEntry[];
  emb_pg_provider: string | null;
  escrow: boolean;
  fail_reason: string | null;
  failed_at: number;
  imp_uid: string;
  merchant_uid: string;
  name: string | null;
  paid_at: number;
  pay_method: string;
  pg_id: string;
  pg_provider: string;
  pg_tid: string | null;
  promotion: { id: string; discount: number } | null;
  receipt_url: string | null;
  sandbox: boolean;
  started_at: number;
  status: SimStatus;
  user_agent: string | null;
  vbank_code: string | null;
  vbank_date: number;
  vbank_holder: string | null;
  vbank_issued_at: number;
  vbank_name: string | null;
  vbank_num: string | null;
}

export type WebhookFormat = 'json' | 'form';
export type StatusAfterPartialCancel = 'cancelled' | 'paid';

export interface SimulatorConfig {
  webhookUrl: string | null;
  webhookFormat: WebhookFormat;
  statusAfterPartialCancel: StatusAfterPartialCancel;
}

export type ControlState =
  | 'paid'
  | 'failed'
  | 'ready'
  | 'vbank_issued'
  | 'cancelled'
  | 'partially_cancelled';

export interface CreatePaymentInput {
  merchant_uid: string;
  amount: number;
  state: ControlState;
  currency?: string;
  name?: string;
  pay_method?: string;
  pg_provider?: string;
  cancel_amount?: number;
  cancel_reason?: string;
  sandbox?: boolean;
  fail_reason?: string;
  imp_uid?: string;
  buyer_name?: string;
  buyer_email?: string;
  buyer_tel?: string;
  custom_data?: string;
  channel?: string;
  started_at?: number;
  /** How PortOne and the PG treat this payment later on; absent: today's behaviour. */
  behavior?: PaymentBehavior;
}

/** How POST /payments/cancel treats a payment: at once, accepted but done later, or never. */
export type CancelBehavior = 'immediate' | 'pending' | 'refuse';

/**
 * Per-payment behaviour of the PG behind PortOne, kept beside the payment
 * (never inside the payment object PortOne returns). Lazy transitions are
 * applied on the next read of the payment once the simulator clock allows.
 */
export interface PaymentBehavior {
  /** How POST /payments/cancel (the REST API, not the console) treats this payment. Default 'immediate'. */
  cancel?: CancelBehavior;
  /** With cancel 'pending': the sim clock seconds after which a pending cancel completes by itself (checked lazily on every read of the payment). Absent: it stays pending until the settle-cancels control endpoint is called. */
  cancelDelaySeconds?: number;
  /** Cancels are refused with a TEMPORARY refusal while the sim clock is before this unix time (like ksnet, which refuses virtual-account refunds at night). */
  refuseCancelUntil?: number;
  /** Answers showing this payment omit the `sandbox` key entirely (answers from before PortOne added it). */
  omitSandbox?: boolean;
  /** A ready or failed payment becomes paid by itself once the sim clock reaches this unix time (checked lazily on every read): a bank transfer approved some time after the browser's callback, a PayPal/Paymentwall payment approved later. No webhook is sent for it (tests send webhooks explicitly). */
  payAt?: number;
}

/** A change to a payment's behaviour: given keys replace, null removes, absent keys stay. */
export type BehaviorPatch = { [K in keyof PaymentBehavior]?: PaymentBehavior[K] | null };

/** A REST cancel PortOne accepted (`code: 0`) that the PG has not carried out yet. */
export interface PendingCancel {
  amount: number;
  reason: string | null;
  /** Simulator clock, unix seconds. */
  requested_at: number;
  enable_webhook: boolean;
  /** Becomes the cancel_history entry's cancellation_id when the cancel completes. */
  cancellation_id: string;
}

/** How the PG ends pending cancels: the money goes back, or it never does. */
export type SettleOutcome = 'approve' | 'reject';

/** Names used both by the fault queue and the call log. */
export type ApiRoute =
  | 'getToken'
  | 'getPayment'
  | 'findPayment'
  | 'cancel'
  | 'prepare'
  | 'revokeVbank'
  | 'unknown'
  // PortOne V2 (served under RunningSimulator.v2Url); '*' faults match them too.
  | 'v2.getPayment'
  | 'v2.cancel'
  | 'v2.preRegister'
  | 'v2.unknown';
export type FaultRoute = Exclude<ApiRoute, 'unknown' | 'v2.unknown'> | '*';
export type FaultKind = 'status' | 'slow' | 'unauthorized' | 'malformed' | 'reset';

export interface FaultInput {
  route: FaultRoute;
  kind: FaultKind;
  /** HTTP status for kind 'status' (default 500). */
  status?: number;
  /** Wait before answering normally, for kind 'slow' (default 10000). */
  delayMs?: number;
  /** How many matching calls consume this fault (default 1). */
  times?: number;
  /**
   * Raw body for kind 'malformed' (default: an envelope with a numeric imp_uid);
   * on V2 routes also the body of kind 'status' (default `{type, message}`).
   */
  body?: string;
}

export interface Fault extends Required<Omit<FaultInput, 'body'>> {
  id: number;
  body: string | null;
}

/** `portone`: V2's `Authorization: PortOne <secret>`. */
export type AuthForm = 'bearer' | 'raw' | 'x-imp' | 'portone' | 'none';

export interface CallRecord {
  /** Simulator clock, unix seconds. */
  at: number;
  method: string;
  path: string;
  query: string;
  route: ApiRoute;
  /** HTTP status answered; 0 when the socket was destroyed. */
  status: number;
  authForm: AuthForm;
  fault?: FaultKind;
}

export type DeliveryOutcome = { status: number; body: string; ms: number } | { error: string };

export interface SendWebhookInput {
  imp_uid: string;
  merchant_uid?: string;
  status?: string;
  cancellation_id?: string;
  url?: string;
  format?: WebhookFormat;
  /** Overrides the Content-Type header only (the body keeps `format`). */
  contentType?: string;
  copies?: number;
  concurrent?: boolean;
  /** Wait before each delivery (concurrent: before all of them). */
  delayMs?: number;
}

export interface WebhookLogEntry {
  /** Simulator clock, unix seconds, when the delivery started. */
  at: number;
  /** checkout: the checkout simulator's approval, vbank issue or deposit notifications. */
  trigger: 'control' | 'cancel' | 'checkout';
  url: string;
  contentType: string;
  body: string;
  fields: Record<string, string>;
  outcome: DeliveryOutcome;
}
