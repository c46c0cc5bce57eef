// The result page (RESULT_PAGE_URL): shows what the browser was told (?status=)
// next to what the server says (the shop's backend, GET /shop/orders/{merchant_uid},
// which reads the trusted GET /orders/{merchant_uid}), polling every second until final.
// Loaded after common.ts.
import type { OrderView } from '../../../functions/http/order-view';
import { byId, find } from './dom';
import { sdkMessageFor } from './last-payment';
import {
  type Deposit,
  renderAttempts,
  renderFacts,
  renderHistory,
  renderVbank,
  statusLabel,
  wordLabel,
} from './result-parts';
import { finalHintKey, isMerchantUid, noteKey, toldOtherwise } from './result-rules';

const { t, el, onLangChange } = window.Shop;
const config = window.SHOP;
const query = new URLSearchParams(window.location.search);
const merchantUid = query.get('merchant_uid');
const told = query.get('status');
const orderPath = `/shop/orders/${encodeURIComponent(merchantUid ?? '')}`;

const POLL_EVERY_MS = 1000;
const POLL_FOR_MS = 5 * 60 * 1000;

const statusEl = find('[data-testid="order-status"]');

let order: OrderView | null = null;
let notFound = false;
let networkError = false;
let polling = false;
/** Set when five minutes passed without a final state. */
let stoppedAt: number | null = null;
let deadline = 0;
let timer: number | undefined;
const deposit: Deposit = { sending: false, sent: false, error: null };

const sdkMessage = sdkMessageFor(merchantUid);

function startPolling(): void {
  deadline = Date.now() + POLL_FOR_MS;
  stoppedAt = null;
  if (polling) return;
  polling = true;
  window.clearTimeout(timer);
  void poll();
}

async function poll(): Promise<void> {
  timer = undefined;
  try {
    const response = await fetch(orderPath, {
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
    if (response.status === 404 || response.status === 400) {
      notFound = true;
    } else if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    } else {
      order = (await response.json()) as OrderView;
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
  if (polling) timer = window.setTimeout(poll, POLL_EVERY_MS);
}

/** After a deposit, a confirmed vbank_issued is about to become paid: keep polling for it. */
function awaitingDeposit(): boolean {
  return deposit.sent && order?.status === 'vbank_issued';
}

async function sendDeposit(): Promise<void> {
  const id = order?.imp_uid ?? order?.payment_id;
  if (!id || !config.simulatorUrl || deposit.sending) return;
  // The simulator's console deposits into V1's and V2's virtual accounts at different paths.
  const path = order?.payment_id
    ? `/__sim/v2/payments/${encodeURIComponent(id)}/deposit`
    : '/__sim/checkout/deposit';
  deposit.sending = true;
  deposit.error = null;
  render();
  try {
    const response = await fetch(`${config.simulatorUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(order?.payment_id ? {} : { imp_uid: id }),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { message?: string };
      throw new Error(body.message || `HTTP ${response.status}`);
    }
    deposit.sent = true;
  } catch (error) {
    deposit.error = (error as Error).message;
  }
  deposit.sending = false;
  render();
  if (deposit.sent) startPolling();
}

function renderNotFound(): void {
  const toldBox = byId('not-found-told');
  toldBox.hidden = !told;
  toldBox.textContent = told ? `${t('result.browser')}: ${wordLabel(told)}` : '';
  byId('order-card').hidden = true;
  byId('history-card').hidden = true;
  byId('attempts-card').hidden = true;
  byId('raw-card').hidden = true;
  byId('not-found').hidden = false;
}

function renderPollState(): void {
  const box = byId('poll-state');
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

function render(): void {
  const browserStatus = byId('browser-status');
  browserStatus.textContent = wordLabel(told);
  browserStatus.dataset.word = told || '';
  const sdk = byId('sdk-message');
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
  byId('server-status').textContent = statusLabel(order.status);

  const badge = byId('final-badge');
  // Nothing to confirm before PortOne has shown us any payment for the order.
  badge.hidden = !(order.imp_uid ?? order.payment_id);
  badge.className = `final-badge ${order.final ? 'is-final' : 'is-provisional'}`;
  badge.replaceChildren(
    el('span', { className: 'badge' }, t(order.final ? 'result.final' : 'result.provisional')),
    ' ',
    t(finalHintKey(order)),
  );
  const note = byId('status-note');
  note.removeAttribute('data-i18n');
  note.textContent = t(noteKey(order));
  byId('mismatch').hidden = !toldOtherwise(told, order.status);

  renderFacts(byId('facts'), order);
  renderVbank(byId('vbank-slot'), order, deposit, sendDeposit);
  renderHistory(byId('history'), order);
  renderAttempts(byId('attempts-card'), byId('attempts'), order);
  byId('raw-card').hidden = false;
  byId('raw').textContent = JSON.stringify(order, null, 2);
}

onLangChange(render);
if (!isMerchantUid(merchantUid)) {
  notFound = true;
  render();
} else {
  render();
  startPolling();
}
