// The result page (RESULT_PAGE_URL): shows what the browser was told (?status=) next to
// what the server says (the shop's backend, GET /shop/orders/{merchant_uid},
// which reads the trusted GET /orders/{merchant_uid}), polling every second until final.
// Plain ES2020, classic script; needs common.js.
(() => {
  'use strict';
  const { t, el, formatKRW, formatDateTime, formatTime, onLangChange } = window.Shop;
  const config = window.SHOP;
  const query = new URLSearchParams(window.location.search);
  const merchantUid = query.get('merchant_uid');
  const told = query.get('status');

  const MERCHANT_UID = /^[A-Za-z0-9_-]{1,40}$/;
  const POLL_EVERY_MS = 1000;
  const POLL_FOR_MS = 5 * 60 * 1000;
  const WORD_OF_STATUS = {
    paid: 'success',
    vbank_issued: 'vbankIssued',
    pending: 'pending',
    failed: 'failed',
    cancelled: 'cancelled',
    partially_cancelled: 'cancelled',
    forgery: 'forgery',
  };

  const $ = (id) => document.getElementById(id);
  const statusEl = document.querySelector('[data-testid="order-status"]');

  let order = null;
  let notFound = false;
  let networkError = false;
  let polling = false;
  let stoppedAt = null; // set when five minutes passed without a final state
  let deadline = 0;
  let timer = null;
  const deposit = { sending: false, sent: false, error: null };

  const sdkMessage = (() => {
    try {
      const note = JSON.parse(window.sessionStorage.getItem('shop.lastPayment') || 'null');
      return note && note.merchant_uid === merchantUid ? note.error_msg : null;
    } catch {
      return null;
    }
  })();

  function startPolling() {
    deadline = Date.now() + POLL_FOR_MS;
    stoppedAt = null;
    if (polling) return;
    polling = true;
    clearTimeout(timer);
    poll();
  }

  async function poll() {
    timer = null;
    try {
      const response = await fetch(`/shop/orders/${encodeURIComponent(merchantUid)}`, {
        headers: { accept: 'application/json' },
        cache: 'no-store',
      });
      if (response.status === 404 || response.status === 400) {
        notFound = true;
      } else if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      } else {
        order = await response.json();
        networkError = false;
      }
    } catch {
      networkError = true;
    }
    if (notFound || (order?.final && !awaitingDeposit())) {
      polling = false;
    } else if (Date.now() >= deadline) {
      polling = false;
      stoppedAt = Date.now();
    }
    render();
    if (polling) timer = setTimeout(poll, POLL_EVERY_MS);
  }

  /** After a deposit, a confirmed vbank_issued is about to become paid: keep polling for it. */
  function awaitingDeposit() {
    return deposit.sent && order?.status === 'vbank_issued';
  }

  async function sendDeposit() {
    if (!order?.imp_uid || !config.simulatorUrl || deposit.sending) return;
    deposit.sending = true;
    deposit.error = null;
    render();
    try {
      const response = await fetch(`${config.simulatorUrl}/__sim/checkout/deposit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ imp_uid: order.imp_uid }),
      });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw new Error(body.message || `HTTP ${response.status}`);
      }
      deposit.sent = true;
    } catch (error) {
      deposit.error = error.message;
    }
    deposit.sending = false;
    render();
    if (deposit.sent) startPolling();
  }

  function wordLabel(word) {
    if (!word) return t('word.none');
    const key = `word.${word}`;
    const label = t(key);
    return label === key ? word : label;
  }

  function statusLabel(status) {
    return status ? t(`status.${status}`) : t('status.loading');
  }

  function noteKey(o) {
    if ((o.status === 'paid' || o.status === 'failed') && !o.final)
      return `note.${o.status}.provisional`;
    return `note.${o.status}`;
  }

  function methodLabel(method) {
    if (!method) return t('result.none');
    const key = `method.${method}`;
    const label = t(key);
    return label === key ? method : label;
  }

  function renderNotFound() {
    const toldBox = $('not-found-told');
    toldBox.hidden = !told;
    toldBox.textContent = told ? `${t('result.browser')}: ${wordLabel(told)}` : '';
    $('order-card').hidden = true;
    $('history-card').hidden = true;
    $('attempts-card').hidden = true;
    $('raw-card').hidden = true;
    $('not-found').hidden = false;
  }

  /** The order's name is the catalog's Korean name: show the product in the page's language. */
  function productName(name) {
    const product = config.products.find((p) => p.name.ko === name);
    return product ? product.name[window.Shop.lang] : name || '—';
  }

  function renderFacts(o) {
    const rows = [
      ['result.product', productName(o.name)],
      ['result.amount', formatKRW(o.amount)],
      ['result.payMethod', methodLabel(o.pay_method)],
    ];
    if (o.paid_amount > 0) rows.push(['result.paid', formatKRW(o.paid_amount)]);
    if (o.cancel_amount > 0) rows.push(['result.refunded', formatKRW(o.cancel_amount)]);
    $('facts').replaceChildren(
      ...rows.flatMap(([key, value]) => [el('dt', {}, t(key)), el('dd', {}, value)]),
    );
  }

  function renderVbank(o) {
    const slot = $('vbank-slot');
    if (!o.vbank) {
      slot.replaceChildren();
      return;
    }
    const v = o.vbank;
    const field = (key, value, testid) =>
      el(
        'div',
        { className: 'vbank-field' },
        el('dt', {}, t(key)),
        el('dd', { 'data-testid': testid }, value || '—'),
      );
    const children = [
      el('h2', {}, t(o.status === 'vbank_issued' ? 'vbank.title' : 'vbank.account')),
      el(
        'dl',
        { className: 'vbank-grid' },
        field('vbank.bank', v.bank, 'vbank-bank'),
        field('vbank.number', v.number, 'vbank-number'),
        field('vbank.holder', v.holder, 'vbank-holder'),
        field('vbank.due', formatDateTime(v.due), 'vbank-due'),
      ),
    ];
    if (o.status === 'vbank_issued' && config.simulatorUrl) {
      const button = el(
        'button',
        {
          type: 'button',
          className: 'btn btn-primary',
          'data-testid': 'deposit',
          disabled: deposit.sending || deposit.sent,
        },
        t('deposit'),
      );
      button.addEventListener('click', sendDeposit);
      children.push(el('div', { className: 'deposit-row' }, button));
      if (deposit.sending) children.push(el('p', { className: 'muted small' }, t('deposit.busy')));
      else if (deposit.sent)
        children.push(el('p', { className: 'muted small' }, t('deposit.sent')));
      if (deposit.error) {
        children.push(
          el('p', { className: 'alert', role: 'alert' }, `${t('deposit.error')}: ${deposit.error}`),
        );
      }
    }
    slot.replaceChildren(
      el(
        'section',
        { className: 'vbank', 'data-testid': 'vbank', dataset: { status: o.status } },
        ...children,
      ),
    );
  }

  function renderHistory(o) {
    const list = $('history');
    const entries = o.history || [];
    if (entries.length === 0) {
      list.replaceChildren(
        el('li', { className: 'timeline-empty muted' }, t('result.historyEmpty')),
      );
      return;
    }
    list.replaceChildren(
      ...entries.map((entry) =>
        el(
          'li',
          {
            className: `event${entry.final ? ' is-final' : ''}`,
            dataset: { source: entry.source, to: entry.to, final: String(Boolean(entry.final)) },
          },
          el('time', { datetime: entry.at, title: formatDateTime(entry.at) }, formatTime(entry.at)),
          el(
            'span',
            { className: `source source-${entry.source}` },
            wordOr(`source.${entry.source}`, entry.source),
          ),
          el(
            'span',
            { className: 'transition' },
            entry.from === entry.to
              ? statusLabel(entry.to)
              : `${statusLabel(entry.from)} → ${statusLabel(entry.to)}`,
          ),
          entry.final ? el('span', { className: 'badge badge-final' }, t('result.final')) : null,
        ),
      ),
    );
  }

  function renderAttempts(o) {
    const attempts = o.attempts || [];
    $('attempts-card').hidden = attempts.length === 0;
    $('attempts').replaceChildren(
      ...attempts.map((a) =>
        el(
          'li',
          { className: `attempt${a.current ? ' is-current' : ''}` },
          el('code', {}, a.imp_uid),
          el('span', { className: `pill pill-${a.status}` }, statusLabel(a.status)),
          a.verdict && a.verdict !== 'ok'
            ? el(
                'span',
                { className: 'badge badge-warn' },
                wordOr(`verdict.${a.verdict}`, a.verdict),
              )
            : null,
          el(
            'span',
            { className: 'muted' },
            `${formatKRW(a.amount)} · ${methodLabel(a.pay_method)}`,
          ),
          a.fail_reason ? el('span', { className: 'muted' }, a.fail_reason) : null,
          a.current ? el('span', { className: 'badge' }, t('result.current')) : null,
        ),
      ),
    );
  }

  function wordOr(key, fallback) {
    const label = t(key);
    return label === key ? fallback : label;
  }

  function renderPollState() {
    const box = $('poll-state');
    if (order?.final && !awaitingDeposit()) {
      box.replaceChildren(el('span', { className: 'dot dot-done' }), t('result.settled'));
    } else if (stoppedAt) {
      const retry = el('button', { type: 'button', className: 'btn btn-link' }, t('result.retry'));
      retry.addEventListener('click', startPolling);
      box.replaceChildren(t('result.stopped'), ' ', retry);
    } else if (networkError) {
      box.replaceChildren(el('span', { className: 'dot dot-warn' }), t('result.networkError'));
    } else {
      box.replaceChildren(el('span', { className: 'dot dot-live' }), t('result.polling'));
    }
  }

  function render() {
    $('browser-status').textContent = wordLabel(told);
    $('browser-status').dataset.word = told || '';
    const sdk = $('sdk-message');
    sdk.hidden = !sdkMessage;
    sdk.textContent = sdkMessage ? `${t('result.sdkMessage')}: ${sdkMessage}` : '';

    if (notFound) {
      renderNotFound();
      return;
    }
    renderPollState();
    if (!order) {
      statusEl.textContent = statusLabel(null);
      return;
    }

    statusEl.textContent = statusLabel(order.status);
    statusEl.dataset.status = order.status;
    statusEl.dataset.final = String(Boolean(order.final));
    statusEl.className = `status-pill pill-${order.status}`;
    $('server-status').textContent = statusLabel(order.status);

    const badge = $('final-badge');
    // Nothing to confirm before PortOne has shown us any payment for the order.
    badge.hidden = !order.imp_uid;
    badge.className = `final-badge ${order.final ? 'is-final' : 'is-provisional'}`;
    badge.replaceChildren(
      el('span', { className: 'badge' }, t(order.final ? 'result.final' : 'result.provisional')),
      ' ',
      t(
        order.final
          ? 'result.finalHint'
          : order.status === 'failed'
            ? 'result.provisionalHintFailed'
            : 'result.provisionalHint',
      ),
    );
    const note = $('status-note');
    delete note.dataset.i18n;
    note.textContent = t(noteKey(order));
    $('mismatch').hidden = !told || WORD_OF_STATUS[order.status] === told;

    renderFacts(order);
    renderVbank(order);
    renderHistory(order);
    renderAttempts(order);
    $('raw-card').hidden = false;
    $('raw').textContent = JSON.stringify(order, null, 2);
  }

  onLangChange(render);
  if (!merchantUid || !MERCHANT_UID.test(merchantUid)) {
    notFound = true;
    render();
  } else {
    render();
    startPolling();
  }
})();
