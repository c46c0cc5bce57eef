// The V1 flow: IMP.request_pay, then POST /payments/complete with imp_uid
// (PC callback), or the SDK's own navigation to m_redirect_url (mobile).
import { type Checkout, goToResult, verify } from './checkout-steps';
import { rememberLastPayment } from './last-payment';
import type { PaymentRequest } from './window';

export const payWithV1 = (checkout: Checkout): void => {
  const { order, mobile, setBusy, showError } = checkout;
  const { t } = window.Shop;
  const config = window.SHOP;
  const IMP = window.IMP;
  if (!IMP || typeof IMP.request_pay !== 'function') {
    setBusy(null);
    showError(t('error.sdk'));
    return;
  }
  setBusy(mobile ? 'busy.redirect' : 'busy.window');
  const params: PaymentRequest = {
    pg: 'html5_inicis',
    pay_method: checkout.method,
    merchant_uid: order.merchant_uid,
    name: order.name,
    amount: order.amount,
    buyer_email: 'buyer@example.com',
    buyer_name: '홍길동',
    buyer_tel: '010-0000-0000',
    // PortOne's window speaks the shop's language; its messages (error_msg) stay Korean.
    language: window.Shop.lang === 'en' ? 'en' : 'ko',
    ...(mobile ? { m_redirect_url: `${config.apiBase}/payments/complete` } : {}),
  };
  // On mobile the SDK navigates away and never calls back: the result page is only
  // told that this order went through the redirect (for its result-flag note).
  if (mobile)
    rememberLastPayment({ merchant_uid: order.merchant_uid, error_msg: null, redirect: true });
  try {
    IMP.init(config.impCode);
    // With m_redirect_url the SDK navigates away itself on mobile; on PC the real SDK
    // ignores it and calls back, so the callback serves both flows.
    IMP.request_pay(params, (rsp) => {
      void (async () => {
        // Never trust rsp.success / rsp.imp_success: only the server's re-query decides.
        const impUid = rsp?.imp_uid;
        let status = 'failed'; // no imp_uid: the window was blocked or never opened
        let callback: { at: string; word: string } | null = null;
        if (impUid) {
          setBusy('busy.verify');
          const at = new Date().toISOString();
          status = await verify('/payments/complete', {
            imp_uid: impUid,
            merchant_uid: order.merchant_uid,
          });
          callback = { at, word: status };
        }
        const flag =
          typeof rsp?.imp_success === 'boolean'
            ? `imp_success=${rsp.imp_success}`
            : typeof rsp?.success === 'boolean'
              ? `success=${rsp.success}`
              : 'none';
        goToResult(order, status, rsp?.error_msg ?? null, {
          error_code: rsp?.error_code ?? null,
          flag,
          callback,
        });
      })();
    });
  } catch (error) {
    setBusy(null);
    showError(`${t('error.sdk')} (${(error as Error).message})`);
  }
};
