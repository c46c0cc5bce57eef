// What the page scripts share through `window`: the page's configuration
// (window.SHOP, written inline by pages.ts), common.ts's helpers (window.Shop)
// and the PortOne SDK (window.IMP, the product page only). Types only.
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
}

/** What the SDK's callback gets; the page reads only these, and trusts none of them. */
export interface PaymentResponse {
  imp_uid?: string | null;
  error_msg?: string | null;
}

/** The PortOne V1 JS SDK, as far as the shop uses it. */
export interface Iamport {
  init(impCode: string): void;
  request_pay(params: PaymentRequest, callback: (rsp: PaymentResponse | undefined) => void): void;
}

declare global {
  interface Window {
    SHOP: ShopConfig;
    Shop: ShopApi;
    IMP?: Iamport;
  }
}
