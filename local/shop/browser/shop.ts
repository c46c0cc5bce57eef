// The product page: pick a product, create the order on the shop's backend,
// open the PortOne payment window, and hand the result to our API.
// Loaded after common.ts and the PortOne SDK (window.IMP).
import type { ShopOrder } from '../orders';
import { byId, find } from './dom';
import { rememberLastPayment } from './last-payment';
import type { PaymentRequest, PaymentResponse } from './window';

const { t, onLangChange } = window.Shop;
const config = window.SHOP;
const products = new Map(config.products.map((product) => [product.id, product]));

const cards = Array.from(document.querySelectorAll<HTMLElement>('[data-product]'));
const payButton = find<HTMLButtonElement>('[data-testid="pay"]');
const payMobileButton = find<HTMLButtonElement>('[data-testid="pay-mobile"]');
const methodSelect = find<HTMLSelectElement>('[data-testid="pay-method"]');
const progress = byId('progress');
const progressText = byId('progress-text');
const errorBox = byId('error');
const summaryName = byId('summary-name');
const summaryPrice = byId('summary-price');
const summaryTotal = byId('summary-total');

let selected = cards[0]?.dataset.product ?? config.products[0]?.id;
/** The message key shown while busy. */
let busy: string | null = null;

const select = (id: string | undefined): void => {
  const product = id === undefined ? undefined : products.get(id);
  if (!product || busy) return;
  selected = id;
  for (const card of cards) {
    const on = card.dataset.product === id;
    card.classList.toggle('selected', on);
    card.setAttribute('aria-pressed', String(on));
  }
  const key = `product.${id}.name`;
  summaryName.dataset.i18n = key;
  summaryName.textContent = t(key);
  for (const node of [summaryPrice, summaryTotal]) {
    node.dataset.krw = String(product.price);
    node.textContent = window.Shop.formatKRW(product.price);
  }
};

const setBusy = (key: string | null): void => {
  busy = key;
  for (const button of [payButton, payMobileButton]) button.disabled = Boolean(key);
  methodSelect.disabled = Boolean(key);
  document.body.classList.toggle('is-busy', Boolean(key));
  progress.hidden = !key;
  progressText.textContent = key ? t(key) : '';
};

const showError = (message: string): void => {
  errorBox.textContent = message;
  errorBox.hidden = !message;
};

const createOrder = async (productId: string | undefined): Promise<ShopOrder> => {
  let response: Response;
  try {
    response = await fetch('/shop/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ product_id: productId }),
    });
  } catch {
    throw new Error(t('error.network'));
  }
  const body = (await response.json().catch(() => ({}))) as ShopOrder & { message?: string };
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  return body;
};

/** Asks our API to verify the payment; the answer's `status` word is all the page trusts. */
const verify = async (impUid: string, merchantUid: string): Promise<string> => {
  try {
    const response = await fetch(`${config.apiBase}/payments/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ imp_uid: impUid, merchant_uid: merchantUid }),
    });
    const body = (await response.json().catch(() => ({}))) as { status?: unknown };
    return typeof body.status === 'string' && body.status ? body.status : 'pending';
  } catch {
    // No answer: the webhook will settle the order; the result page shows what it becomes.
    return 'pending';
  }
};

const goToResult = (merchantUid: string, status: string): void => {
  const query = new URLSearchParams({ merchant_uid: merchantUid, status });
  window.location.href = `/result?${query}`;
};

const onPaymentWindowClosed = async (
  order: ShopOrder,
  rsp: PaymentResponse | undefined,
): Promise<void> => {
  // Never trust rsp.success / rsp.imp_success: only the server's re-query decides.
  const impUid = rsp?.imp_uid;
  let status = 'failed'; // no imp_uid: the window was blocked or never opened
  if (impUid) {
    setBusy('busy.verify');
    status = await verify(impUid, order.merchant_uid);
  }
  rememberLastPayment({ merchant_uid: order.merchant_uid, error_msg: rsp?.error_msg || null });
  goToResult(order.merchant_uid, status);
};

const pay = async (mobile: boolean): Promise<void> => {
  if (busy) return;
  showError('');
  setBusy('busy.order');
  let order: ShopOrder;
  try {
    order = await createOrder(selected);
  } catch (error) {
    setBusy(null);
    showError(`${t('error.order')}: ${(error as Error).message}`);
    return;
  }
  const IMP = window.IMP;
  if (!IMP || typeof IMP.request_pay !== 'function') {
    setBusy(null);
    showError(t('error.sdk'));
    return;
  }
  setBusy(mobile ? 'busy.redirect' : 'busy.window');
  const params: PaymentRequest = {
    pg: 'html5_inicis',
    pay_method: methodSelect.value,
    merchant_uid: order.merchant_uid,
    name: order.name,
    amount: order.amount,
    buyer_email: 'buyer@example.com',
    buyer_name: '홍길동',
    buyer_tel: '010-0000-0000',
    ...(mobile ? { m_redirect_url: `${config.apiBase}/payments/complete` } : {}),
  };
  try {
    IMP.init(config.impCode);
    // With m_redirect_url the SDK navigates away itself on mobile; on PC the real SDK
    // ignores it and calls back, so the callback serves both flows.
    IMP.request_pay(params, (rsp) => {
      void onPaymentWindowClosed(order, rsp);
    });
  } catch (error) {
    setBusy(null);
    showError(`${t('error.sdk')} (${(error as Error).message})`);
  }
};

for (const card of cards) card.addEventListener('click', () => select(card.dataset.product));
payButton.addEventListener('click', () => void pay(false));
payMobileButton.addEventListener('click', () => void pay(true));
onLangChange(() => {
  if (busy) progressText.textContent = t(busy);
});
// Back from the payment page (bfcache): the page must be usable again.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) setBusy(null);
});
