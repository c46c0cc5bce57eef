// The product page: pick a product and an API (V1 or V2), create the order
// on the shop's backend, open the PortOne payment window (pay-v1.ts,
// pay-v2.ts), and hand the result to our API.
// Loaded after common.ts and the PortOne SDKs (window.IMP, window.PortOne).
import type { ShopOrder } from '../orders';
import { type Api, chosenApi, lockApiSwitch } from './api-choice';
import { byId, find } from './dom';
import { payWithV1 } from './pay-v1';
import { payWithV2 } from './pay-v2';

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
  const skip = document.querySelector<HTMLInputElement>('#skip-prepare');
  if (skip) skip.disabled = Boolean(key);
  lockApiSwitch(Boolean(key));
  document.body.classList.toggle('is-busy', Boolean(key));
  progress.hidden = !key;
  progressText.textContent = key ? t(key) : '';
};

const showError = (message: string): void => {
  errorBox.textContent = message;
  errorBox.hidden = !message;
};

/** The shop's backend registers the order (and for V2 obtains its payment id). */
const createOrder = async (
  productId: string | undefined,
  api: Api,
  prepare: boolean,
): Promise<ShopOrder> => {
  let response: Response;
  try {
    response = await fetch('/shop/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ product_id: productId, api, ...(prepare ? {} : { prepare: false }) }),
    });
  } catch {
    throw new Error(t('error.network'));
  }
  const body = (await response.json().catch(() => ({}))) as ShopOrder & { message?: string };
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  return body;
};

const pay = async (mobile: boolean): Promise<void> => {
  if (busy) return;
  showError('');
  setBusy('busy.order');
  const api = chosenApi();
  let order: ShopOrder;
  try {
    // The demo control (simulator only): no pre-registration, so a tampered amount is a forgery.
    const skip = document.querySelector<HTMLInputElement>('#skip-prepare')?.checked ?? false;
    order = await createOrder(selected, api, !skip);
  } catch (error) {
    setBusy(null);
    showError(`${t('error.order')}: ${(error as Error).message}`);
    return;
  }
  const checkout = { order, mobile, method: methodSelect.value, setBusy, showError };
  if (api === 'v2') await payWithV2(checkout);
  else payWithV1(checkout);
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
