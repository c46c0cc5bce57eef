// The product page: pick a product, create the order on the shop's backend,
// open the PortOne payment window, and hand the result to our API.
// Plain ES2020, classic script; needs common.js and the PortOne SDK (window.IMP).
(() => {
  'use strict';
  const { t, onLangChange } = window.Shop;
  const config = window.SHOP;
  const products = new Map(config.products.map((product) => [product.id, product]));

  const cards = Array.from(document.querySelectorAll('[data-product]'));
  const payButton = document.querySelector('[data-testid="pay"]');
  const payMobileButton = document.querySelector('[data-testid="pay-mobile"]');
  const methodSelect = document.querySelector('[data-testid="pay-method"]');
  const progress = document.getElementById('progress');
  const progressText = document.getElementById('progress-text');
  const errorBox = document.getElementById('error');
  const summaryName = document.getElementById('summary-name');
  const summaryPrice = document.getElementById('summary-price');
  const summaryTotal = document.getElementById('summary-total');

  let selected = cards[0]?.dataset.product ?? config.products[0]?.id;
  let busy = null; // the message key shown while busy

  function select(id) {
    if (!products.has(id) || busy) return;
    selected = id;
    for (const card of cards) {
      const on = card.dataset.product === id;
      card.classList.toggle('selected', on);
      card.setAttribute('aria-pressed', String(on));
    }
    const product = products.get(id);
    summaryName.dataset.i18n = `product.${id}.name`;
    summaryName.textContent = t(summaryName.dataset.i18n);
    for (const el of [summaryPrice, summaryTotal]) {
      el.dataset.krw = String(product.price);
      el.textContent = window.Shop.formatKRW(product.price);
    }
  }

  function setBusy(key) {
    busy = key;
    for (const button of [payButton, payMobileButton]) button.disabled = Boolean(key);
    methodSelect.disabled = Boolean(key);
    document.body.classList.toggle('is-busy', Boolean(key));
    progress.hidden = !key;
    progressText.textContent = key ? t(key) : '';
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  async function createOrder(productId) {
    let response;
    try {
      response = await fetch('/shop/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ product_id: productId }),
      });
    } catch {
      throw new Error(t('error.network'));
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
    return body;
  }

  /** Asks our API to verify the payment; the answer's `status` word is all the page trusts. */
  async function verify(impUid, merchantUid) {
    try {
      const response = await fetch(`${config.apiBase}/payments/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ imp_uid: impUid, merchant_uid: merchantUid }),
      });
      const body = await response.json().catch(() => ({}));
      return typeof body.status === 'string' && body.status ? body.status : 'pending';
    } catch {
      // No answer: the webhook will settle the order; the result page shows what it becomes.
      return 'pending';
    }
  }

  function goToResult(merchantUid, status) {
    const query = new URLSearchParams({ merchant_uid: merchantUid, status });
    window.location.href = `/result?${query}`;
  }

  async function onPaymentWindowClosed(order, rsp) {
    // Never trust rsp.success / rsp.imp_success: only the server's re-query decides.
    const impUid = rsp?.imp_uid;
    let status = 'failed'; // no imp_uid: the window was blocked or never opened
    if (impUid) {
      setBusy('busy.verify');
      status = await verify(impUid, order.merchant_uid);
    }
    try {
      const note = { merchant_uid: order.merchant_uid, error_msg: rsp?.error_msg || null };
      window.sessionStorage.setItem('shop.lastPayment', JSON.stringify(note));
    } catch {
      // storage disabled: the result page simply shows no SDK message
    }
    goToResult(order.merchant_uid, status);
  }

  async function pay(mobile) {
    if (busy) return;
    showError('');
    setBusy('busy.order');
    let order;
    try {
      order = await createOrder(selected);
    } catch (error) {
      setBusy(null);
      showError(`${t('error.order')}: ${error.message}`);
      return;
    }
    const IMP = window.IMP;
    if (!IMP || typeof IMP.request_pay !== 'function') {
      setBusy(null);
      showError(t('error.sdk'));
      return;
    }
    setBusy(mobile ? 'busy.redirect' : 'busy.window');
    const params = {
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
        onPaymentWindowClosed(order, rsp);
      });
    } catch (error) {
      setBusy(null);
      showError(`${t('error.sdk')} (${error.message})`);
    }
  }

  for (const card of cards) card.addEventListener('click', () => select(card.dataset.product));
  payButton.addEventListener('click', () => pay(false));
  payMobileButton.addEventListener('click', () => pay(true));
  onLangChange(() => {
    if (busy) progressText.textContent = t(busy);
  });
  // Back from the payment page (bfcache): the page must be usable again.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) setBusy(null);
  });
})();
