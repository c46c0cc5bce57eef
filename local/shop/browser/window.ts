// What the page scripts share through `window`: the page's configuration
// (window.SHOP, written inline by pages.ts), common.ts's helpers (window.Shop)
// and the PortOne SDKs (window.IMP for V1 and window.PortOne for V2, the
// product page only). Types only.
import type { Lang } from '../locale';
import type { ShopConfig } from '../pages';
import type { El } from './el';

/** What common.ts offers the page scripts as `window.Shop`. */
export interface ShopApi {
  readonly lang: Lang;
  /** The text of a message key in the current language (then Korean, then the key itself). */
  t(key: string, vars?: Record<string, unknown>): string;
  formatKRW(amount: number | string | undefined): string;
  formatDateTime(iso: string | null | undefined): string;
  formatTime(iso: string): string;
  el: El;
  setLang(next: string | undefined): void;
  onLangChange(listener: (lang: Lang) => void): void;
}

/** What `IMP.request_pay` is given (the fields this shop sends). */
export interface PaymentRequest {
  pg: string;
  pay_method: string;
  merchant_uid: string;
  name: string;
  amount: number;
  buyer_email: string;
  buyer_name: string;
  buyer_tel: string;
  m_redirect_url?: string;
  /** The window's language: 'ko' or 'en'. */
  language: string;
}

/** What the SDK's callback gets; the page reads only these, and trusts none of them. */
export interface PaymentResponse {
  imp_success?: boolean;
  success?: boolean;
  error_code?: string | null;
  imp_uid?: string | null;
  error_msg?: string | null;
}

/** The PortOne V1 JS SDK, as far as the shop uses it. */
export interface Iamport {
  init(impCode: string): void;
  request_pay(params: PaymentRequest, callback: (rsp: PaymentResponse | undefined) => void): void;
}

/** What `PortOne.requestPayment` (the V2 browser SDK) is given (the fields this shop sends). */
export interface V2PaymentRequest {
  storeId: string;
  channelKey: string;
  paymentId: string;
  orderName: string;
  totalAmount: number;
  currency: string;
  payMethod: string;
  virtualAccount?: { accountExpiry: { validHours: number } };
  customer?: { fullName?: string; email?: string; phoneNumber?: string };
  redirectUrl: string;
  windowType?: { pc?: string; mobile?: string };
  /** The window's language: 'KO_KR' or 'EN_US'. */
  locale: string;
}

/** What its promise resolves to; the page reads only these, and trusts none of them. */
export interface V2PaymentResponse {
  paymentId?: string;
  txId?: string;
  code?: string;
  message?: string;
}

/** The PortOne V2 browser SDK, as far as the shop uses it. */
export interface PortOneV2 {
  requestPayment(request: V2PaymentRequest): Promise<V2PaymentResponse | undefined>;
}

declare global {
  interface Window {
    SHOP: ShopConfig;
    Shop: ShopApi;
    IMP?: Iamport;
    PortOne?: PortOneV2;
  }
}
