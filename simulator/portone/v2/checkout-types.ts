/**
 * Shapes of the V2 checkout: the stand-in for `@portone/browser-sdk/v2`'s
 * `PortOne.requestPayment` and the /__sim/v2/checkout/ endpoints behind its
 * overlay. Field names are the browser SDK's, not the REST API's.
 */
import type { V2WebhookMode } from './types';

/** A `requestPayment` argument as the simulator reads it (extra keys are ignored). */
export interface V2PaymentRequest {
  storeId: string;
  channelKey: string;
  paymentId: string;
  orderName: string;
  totalAmount: number;
  taxFreeAmount?: number;
  /** The REST form ('KRW'); the browser sends 'CURRENCY_KRW' (or 'KRW', which newer SDKs accept). */
  currency: string;
  /** 'CARD', 'VIRTUAL_ACCOUNT', 'TRANSFER'; any other method is paid as a card. */
  payMethod: string;
  redirectUrl?: string;
  /** Webhook targets for this payment instead of the configured one (PortOne's noticeUrls). */
  noticeUrls?: string[];
  /** Stored as the payment's customData string (an object is JSON-encoded). */
  customData?: string;
  customer?: { customerId?: string; fullName?: string; email?: string; phoneNumber?: string };
}

/** What the promise of `requestPayment` resolves to (and the redirect query carries). */
export interface V2PaymentResponse {
  transactionType: 'PAYMENT';
  paymentId: string;
  /** The attempt's transactionId; '' when PortOne refused before any attempt existed. */
  txId: string;
  code?: string;
  message?: string;
  pgCode?: string;
  pgMessage?: string;
}

/**
 * Buttons of the V2 overlay (`data-portone-action`): approve by card, issue
 * a virtual account, the card declined, pay another amount than the page
 * asked (tamper), the shopper closes the window.
 */
export type V2CheckoutAction = 'card' | 'vbank' | 'decline' | 'tamper' | 'close';
export const V2_CHECKOUT_ACTIONS: readonly V2CheckoutAction[] = [
  'card',
  'vbank',
  'decline',
  'tamper',
  'close',
];

export interface V2CheckoutAnswer {
  /** True when PortOne refused to open the window (nothing was asked of the shopper). */
  blocked: boolean;
  response: V2PaymentResponse;
  /** redirectUrl plus the response as a query, when the request gave a redirectUrl. */
  redirect?: string;
}

export type V2CheckoutOpenAnswer = { blocked: false } | (V2CheckoutAnswer & { blocked: true });

export interface V2CheckoutCompleteInput {
  request: V2PaymentRequest;
  action: V2CheckoutAction;
  /** For `tamper` (default 100). */
  tamperAmount?: number;
  /** How the webhook of the outcome is delivered; default the configured normal delivery. */
  webhookMode?: V2WebhookMode;
}
