/**
 * Shapes of the checkout simulator: the stand-in for PortOne's V1 browser SDK
 * (`IMP.request_pay`) and the /__sim/checkout/ endpoints behind its overlay.
 */

/** What a page passes to `IMP.request_pay` (PortOne V1 parameters; extra keys are ignored). */
export interface CheckoutParams {
  pg?: string;
  pay_method?: string;
  merchant_uid: string;
  name?: string;
  amount: number;
  currency?: string;
  buyer_email?: string;
  buyer_name?: string;
  buyer_tel?: string;
  m_redirect_url?: string;
  notice_url?: string;
  custom_data?: unknown;
  [key: string]: unknown;
}

/**
 * Buttons of the overlay (`data-imp-action`). The late outcomes:
 * `transfer_later` a bank transfer reported ready and paid about 3 s later;
 * `pending` PayPal's pending, paid on POST /__sim/checkout/approve;
 * `fail_then_pay` Paymentwall's failed, paid on POST /__sim/checkout/approve.
 */
export type CheckoutAction =
  | 'card'
  | 'vbank'
  | 'decline'
  | 'close'
  | 'tamper'
  | 'transfer_later'
  | 'pending'
  | 'fail_then_pay';
export const CHECKOUT_ACTIONS: readonly CheckoutAction[] = [
  'card',
  'vbank',
  'decline',
  'close',
  'tamper',
  'transfer_later',
  'pending',
  'fail_then_pay',
];

/**
 * How the notification of a paid or vbank-issued payment is delivered:
 * immediate, 2 s later, 3 copies, 1.5 s after the browser report, or not at all.
 * For `transfer_later` it applies from the late approval (after_redirect: at once,
 * the browser report came long before).
 */
export type CheckoutWebhook = 'immediate' | 'delayed' | 'duplicated' | 'after_redirect' | 'never';
export const CHECKOUT_WEBHOOKS: readonly CheckoutWebhook[] = [
  'immediate',
  'delayed',
  'duplicated',
  'after_redirect',
  'never',
];
export type DepositWebhook = Exclude<CheckoutWebhook, 'after_redirect'>;
export const DEPOSIT_WEBHOOKS: readonly DepositWebhook[] = [
  'immediate',
  'delayed',
  'duplicated',
  'never',
];

/** Which success flag the report carries (`none`: neither, like KG Inicis real-time transfer). */
export type CheckoutFlag = 'imp_success' | 'success' | 'none';
export const CHECKOUT_FLAGS: readonly CheckoutFlag[] = ['imp_success', 'success', 'none'];

/** What the browser gets: the callback's argument, or the source of the redirect query. */
export interface CheckoutReport {
  imp_success?: boolean;
  success?: boolean;
  /** null when the window was blocked (no payment was created). */
  imp_uid: string | null;
  merchant_uid: string;
  pay_method: string;
  paid_amount: number;
  status: string;
  name: string | null;
  pg_provider: string;
  error_code?: string;
  error_msg?: string;
  vbank_num?: string | null;
  vbank_name?: string | null;
  vbank_holder?: string | null;
  vbank_date?: number;
}

export interface CheckoutAnswer {
  blocked: boolean;
  report: CheckoutReport;
  /** The full `m_redirect_url` target when the page gave one (the callback is not called then). */
  redirect?: string;
}

export interface CheckoutOpenInput {
  merchant_uid: string;
  amount: number;
  currency?: string;
  /** The full request_pay params, used for the report when the window is blocked. */
  params?: Partial<CheckoutParams>;
  flag?: CheckoutFlag;
}

export type CheckoutOpenAnswer = { blocked: false } | (CheckoutAnswer & { blocked: true });

export interface CheckoutCompleteInput {
  params: CheckoutParams;
  action: CheckoutAction;
  /** For `tamper` (default 100). */
  tamperAmount?: number;
  webhook?: CheckoutWebhook;
  flag?: CheckoutFlag;
}
