/**
 * Shapes of the simulator's PortOne V2 side (reference §3). The payment is
 * kept in the shape `GET /payments/{paymentId}` answers, with times already
 * written as RFC 3339, so that what a test creates is what a client reads;
 * the renderer (store.ts) checks it against the official SDK's `Payment`
 * union at compile time.
 */
import type { DeliveryOutcome } from '../types';

export type V2Status =
  | 'READY'
  | 'PAY_PENDING'
  | 'VIRTUAL_ACCOUNT_ISSUED'
  | 'PAID'
  | 'FAILED'
  | 'PARTIAL_CANCELLED'
  | 'CANCELLED';

export type V2ChannelType = 'LIVE' | 'TEST';
export type V2PayMethod = 'CARD' | 'VIRTUAL_ACCOUNT' | 'TRANSFER';

export interface V2Channel {
  type: V2ChannelType;
  id: string;
  key: string;
  name: string;
  pgProvider: string;
  pgMerchantId: string;
}

export interface V2Amount {
  total: number;
  taxFree: number;
  vat: number;
  supply: number;
  discount: number;
  paid: number;
  cancelled: number;
  cancelledTaxFree: number;
}

export type V2Method =
  | {
      type: 'PaymentMethodCard';
      card: { publisher: string; issuer: string; name: string; number: string };
      approvalNumber: string;
      installment: { month: number; isInterestFree: boolean };
    }
  | {
      type: 'PaymentMethodVirtualAccount';
      bank: string;
      accountNumber: string;
      accountType: 'NORMAL';
      remitteeName: string;
      expiredAt: string;
      issuedAt: string;
    }
  | { type: 'PaymentMethodTransfer'; bank: string };

/** A cancellation as `cancellations[]` and the cancel answer show it. */
export interface V2Cancellation {
  status: 'SUCCEEDED';
  id: string;
  pgCancellationId: string;
  totalAmount: number;
  taxFreeAmount: number;
  vatAmount: number;
  reason: string;
  cancelledAt: string;
  requestedAt: string;
  receiptUrl: string;
  /** API: `POST /payments/{id}/cancel`; CONSOLE: the control endpoint's console cancel. */
  trigger: 'API' | 'CONSOLE';
}

/** Every key a V2 payment of any status may carry; which ones appear depends on `status`. */
export interface V2Payment {
  status: V2Status;
  id: string;
  transactionId: string;
  merchantId: string;
  storeId: string;
  method: V2Method;
  channel: V2Channel;
  version: 'V2';
  requestedAt: string;
  updatedAt: string;
  statusChangedAt: string;
  orderName: string;
  amount: V2Amount;
  currency: string;
  customer: { id?: string; name?: string; email?: string; phoneNumber?: string };
  customData?: string;
  paidAt?: string;
  pgTxId?: string;
  receiptUrl?: string;
  disputes?: [];
  failedAt?: string;
  failure?: { reason: string; pgCode: string; pgMessage: string };
  cancellations?: V2Cancellation[];
  cancelledAt?: string;
}

/** The states a control call can put a new V2 payment in. */
export type V2ControlState =
  | 'ready'
  | 'virtual_account_issued'
  | 'paid'
  | 'failed'
  | 'partially_cancelled'
  | 'cancelled';

/**
 * How a V2 webhook is delivered: signed correctly (normal), signed with
 * another key, with a webhook-timestamp 10 minutes old, twice with the same
 * webhook-id, after a wait, or not at all (logged, never sent).
 */
export type V2WebhookMode =
  | 'normal'
  | 'wrong_signature'
  | 'stale_timestamp'
  | 'duplicate'
  | 'delayed'
  | 'none';
export const V2_WEBHOOK_MODES: readonly V2WebhookMode[] = [
  'normal',
  'wrong_signature',
  'stale_timestamp',
  'duplicate',
  'delayed',
  'none',
];

export interface V2CreatePaymentInput {
  paymentId: string;
  amount: number;
  state: V2ControlState;
  /** Default LIVE. A TEST channel payment is one nobody paid for. */
  channel?: V2ChannelType;
  /** Default CARD; virtual_account_issued always means VIRTUAL_ACCOUNT. */
  payMethod?: V2PayMethod;
  orderName?: string;
  taxFree?: number;
  currency?: string;
  pgProvider?: string;
  /** Default: the configured store id. */
  storeId?: string;
  customerId?: string;
  customData?: string;
  failureReason?: string;
  /** For partially_cancelled (default half the amount, rounded down). */
  cancelledAmount?: number;
  /** How this payment's own webhooks (API cancels, deposit, console cancel) are delivered. */
  webhookMode?: V2WebhookMode;
}

export interface V2Config {
  /** Where V2 webhooks go unless a call names another URL. */
  webhookUrl: string | null;
  /** `whsec_` + base64 key, as the PortOne console shows it. */
  webhookSecret: string;
  /** The store id new payments get. */
  storeId: string;
  merchantId: string;
  /** Wait of the `delayed` mode, in milliseconds. */
  delayedWebhookMs: number;
  /**
   * Re-sends of a webhook the merchant did not answer with a 2xx: up to
   * webhookMaxRetries (default 5; 0: none), the n-th after
   * webhookRetryBaseMs × 4^(n-1) (default 60000: 1, 4, 16, 64, 256 minutes),
   * times random[0,1) while webhookRetryJitter (default true).
   */
  webhookMaxRetries: number;
  webhookRetryBaseMs: number;
  webhookRetryJitter: boolean;
}

export interface V2PreRegistration {
  paymentId: string;
  totalAmount: number;
  taxFreeAmount: number;
  currency: string;
  storeId: string;
}

export interface V2SendWebhookInput {
  paymentId: string;
  /** Default: the type the payment's status implies (Transaction.Paid for PAID, …). */
  type?: string;
  /** Default: the latest cancellation's id for the cancel types. */
  cancellationId?: string;
  /** Replaces the whole `data` object (for billing-key or unknown types). */
  data?: Record<string, unknown>;
  url?: string;
  mode?: V2WebhookMode;
  /** Wait before delivering (on top of what the mode asks). */
  delayMs?: number;
}

export type V2DeliveryOutcome = DeliveryOutcome | { skipped: true };

export interface V2WebhookLogEntry {
  /** Simulator clock, unix seconds, when the delivery started. */
  at: number;
  /**
   * control: sent on request; cancel: after an API cancel; deposit / console: control
   * transitions; checkout: the outcome of the browser SDK stand-in's window.
   */
  trigger: 'control' | 'cancel' | 'deposit' | 'console' | 'resend' | 'checkout';
  mode: V2WebhookMode;
  url: string;
  webhookId: string;
  /** 1 for the first delivery (both copies of `duplicate`), 2 to 6 for PortOne's automatic re-sends. */
  attempt: number;
  /** The headers exactly as sent. */
  headers: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string };
  body: string;
  type: string;
  outcome: V2DeliveryOutcome;
}
