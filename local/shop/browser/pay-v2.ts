// The V2 flow: PortOne.requestPayment with the payment id the shop's backend
// obtained, then POST /v2/payments/complete with {paymentId} (PC), or the
// SDK's navigation to redirectUrl, GET /v2/payments/complete (mobile).
import { type Checkout, goToResult, verify } from './checkout-steps';
import type { V2PaymentRequest, V2PaymentResponse } from './window';

const PAY_METHODS: Record<string, string> = { card: 'CARD', vbank: 'VIRTUAL_ACCOUNT' };

export const payWithV2 = async (checkout: Checkout): Promise<void> => {
  const { order, mobile, setBusy, showError } = checkout;
  const { t } = window.Shop;
  const config = window.SHOP;
  const PortOne = window.PortOne;
  if (!config.v2 || !order.payment_id || !PortOne || typeof PortOne.requestPayment !== 'function') {
    setBusy(null);
    showError(t('error.sdk'));
    return;
  }
  setBusy(mobile ? 'busy.redirect' : 'busy.window');
  const request: V2PaymentRequest = {
    storeId: config.v2.storeId,
    channelKey: config.v2.channelKey,
    paymentId: order.payment_id,
    orderName: order.name,
    totalAmount: order.amount,
    currency: 'CURRENCY_KRW',
    // PortOne's window speaks the shop's language; its messages stay Korean.
    locale: window.Shop.lang === 'en' ? 'EN_US' : 'KO_KR',
    payMethod: PAY_METHODS[checkout.method] ?? 'CARD',
    ...(checkout.method === 'vbank'
      ? { virtualAccount: { accountExpiry: { validHours: 24 } } }
      : {}),
    customer: { fullName: '홍길동', email: 'buyer@example.com', phoneNumber: '010-0000-0000' },
    // The SDK redirects on a phone by itself; "Pay on mobile" asks for it on a PC too.
    redirectUrl: `${config.apiBase}/v2/payments/complete`,
    ...(mobile ? { windowType: { pc: 'REDIRECTION', mobile: 'REDIRECTION' } } : {}),
  };
  let response: V2PaymentResponse | undefined;
  try {
    // After a redirect this never settles: the page is gone, as with the real SDK.
    response = await PortOne.requestPayment(request);
  } catch (error) {
    setBusy(null);
    showError(`${t('error.sdk')} (${(error as Error).message})`);
    return;
  }
  // Never trust response.code: only the server's re-query decides. Without a
  // txId PortOne refused before any attempt existed, so there is nothing to verify.
  let status = 'failed';
  let callback: { at: string; word: string } | null = null;
  if (response?.txId) {
    setBusy('busy.verify');
    const at = new Date().toISOString();
    status = await verify('/v2/payments/complete', { paymentId: order.payment_id });
    callback = { at, word: status };
  }
  goToResult(order, status, response?.message ?? null, {
    error_code: response?.code ?? null,
    callback,
  });
};
