// The result page (RESULT_PAGE_URL): shows what the browser was told (?status=)
// next to what the server says (the shop's backend, GET /shop/orders/{merchant_uid},
// which reads the trusted GET /orders/{merchant_uid}), polling with backoff (1 s
// doubling to 15 s) until nothing more is to come: final, and no deposit,
// outcome or refund still awaited (result-rules.ts, pendingKey).
// Loaded after common.ts.
import type { OrderView } from '../../../functions/http/order-view';
import { portoneMessage } from '../portone-text';
import { byId, find } from './dom';
import { lastPaymentFor } from './last-payment';
import {
  type Deposit,
  renderAttempts,
  renderFacts,
  renderHistory,
  renderVbank,
  statusLabel,
  wordLabel,
} from './result-parts';
import {
  finalHintKey,
  flagNoteKey,
  headingKey,
  isMerchantUid,
  noteKey,
  pendingKey,
  pollDelay,
  toldOtherwise,
  webhooksText,
} from './result-rules';

const { t, el, onLangChange } = window.Shop;
const config = window.SHOP;
const query = new URLSearchParams(window.location.search);
const merchantUid = query.get('merchant_uid');
const told = query.get('status');
const orderPath = `/shop/orders/${encodeURIComponent(merchantUid ?? '')}`;

/** The page gives up after this long without news, except on a virtual account awaiting its deposit. */
const POLL_FOR_MS = 5 * 60 * 1000;

const statusEl = find('[data-testid="order-status"]');

let order: OrderView | null = null;
let notFound = false;
let networkError = false;
let polling = false;
/** Set when five minutes passed without news and without a final state. */
let stoppedAt: number | null = null;
let deadline = 0;
/** Looks in a row that showed nothing new: the wait before the next one doubles with them. */
let unchanged = 0;
let timer: number | undefined;
const deposit: Deposit = { sending: false, sent: false, error: null };

const last = lastPaymentFor(merchantUid);
/**
 * V1's mobile redirect, as the page knows it: the word our API answered
 * (?status=) and when the browser set off to it (the navigation's start,
 * which the API's 302 kept), for the history line when it changed nothing.
 */
const redirected =
  last?.redirect && told
    ? {
        at: new Date(performance.timeOrigin).toISOString(),
        word: told,
        source: 'redirect' as const,
      }
    : null;
const sdkMessage = last?.error_msg ?? null;
/** The simulator's webhook deliveries for this order (shop backend); null when unknown. */
let deliveries: { at: string; status: number | null }[] | null = null;

/**
 * PortOne refused in the window before any payment existed (V1 with a
 * pre-registered amount): the SDK said why, no attempt reached the server,
 * and nothing more is to come from this checkout.
 */
const refusedBeforeAttempt = (o: OrderView | null): boolean =>
  Boolean(last?.error_code) &&
  !last?.callback &&
  o !== null &&
  o.status === 'pending' &&
  (o.attempts ?? []).length === 0;

/** What is still to come; nothing after a refusal in the window. */
const stillPending = (o: OrderView | null): string | null =>
  refusedBeforeAttempt(o) ? null : pendingKey(o);

async function readDeliveries(): Promise<void> {
  if (!config.simulatorUrl) return;
  try {
    const response = await fetch(`/shop/webhooks/${encodeURIComponent(merchantUid ?? '')}`, {
      cache: 'no-store',
    });
    if (response.ok)
      deliveries = ((await response.json()) as { deliveries: typeof deliveries }).deliveries;
  } catch {
    // the note stays as it was
  }
}

/** Looks now, then with backoff (result-rules.ts, pollDelay). */
function startPolling(): void {
  deadline = Date.now() + POLL_FOR_MS;
  stoppedAt = null;
  unchanged = 0;
  if (polling && timer === undefined) return; // a look is under way; it schedules the next
  window.clearTimeout(timer);
  polling = true;
  void poll();
}

/** What a look may change on the page. */
const versionOf = (o: OrderView | null): string =>
  o ? `${o.updated_at} ${o.status} ${o.final}` : '';

async function poll(): Promise<void> {
  timer = undefined;
  const before = versionOf(order);
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
  await readDeliveries();
  if (versionOf(order) === before) {
    unchanged++;
  } else {
    unchanged = 0;
    deadline = Date.now() + POLL_FOR_MS;
  }
  if (notFound || (order && stillPending(order) === null)) {
    polling = false;
  } else if (Date.now() >= deadline && order?.status !== 'vbank_issued') {
    // A virtual account page keeps its promise to update by itself; any other gives up and says so.
    polling = false;
    stoppedAt = Date.now();
  }
  render();
  if (polling) timer = window.setTimeout(poll, pollDelay(unchanged));
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
  // The webhook follows within a second or two: look again soon rather than after the backoff.
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
  const pending = stillPending(order);
  if (order && pending === null) {
    box.dataset.state = 'settled';
    box.replaceChildren(el('span', { className: 'dot dot-done' }), t('result.settled'));
  } else if (stoppedAt) {
    box.dataset.state = 'stopped';
    const retry = el('button', { type: 'button', className: 'btn btn-link' }, t('result.retry'));
    retry.addEventListener('click', startPolling);
    box.replaceChildren(t(pending ?? 'pending.loading'), ' ', t('result.stopped'), ' ', retry);
  } else if (networkError) {
    box.dataset.state = 'error';
    box.replaceChildren(el('span', { className: 'dot dot-warn' }), t('result.networkError'));
  } else {
    box.dataset.state = 'live';
    box.replaceChildren(
      el('span', { className: 'dot dot-live' }),
      t(pending ?? 'pending.loading'),
      ' ',
      t('result.polling'),
    );
  }
  box.dataset.pending = pending ?? '';
}

/** V1's result flag, and that the server ignores it on purpose (result-rules.ts, flagNoteKey). */
function renderFlagNote(o: OrderView): void {
  const box = byId('flag-note');
  const key = flagNoteKey(last, Boolean(o.imp_uid) || (o.attempts ?? []).length > 0);
  box.hidden = key === null;
  box.dataset.flag = key === 'result.flagRedirect' ? 'redirect' : (last?.flag ?? '');
  box.textContent = key ? t(key).replace('{flag}', last?.flag ?? '') : '';
}

/** How many webhook deliveries arrived, and how many of them changed the order. */
function renderWebhooksNote(o: OrderView): void {
  const box = byId('webhooks-note');
  box.hidden = deliveries === null;
  if (deliveries === null) return;
  const changed = (o.history ?? []).filter((entry) => entry.source === 'webhook').length;
  box.dataset.count = String(deliveries.length);
  box.dataset.changed = String(changed);
  // Not 2xx, or no answer: the server did not take the delivery in (e.g. a bad V2 signature).
  const refused = deliveries.filter((d) => d.status === null || d.status < 200 || d.status > 299);
  box.dataset.refused = String(refused.length);
  box.textContent = webhooksText(t, deliveries.length, changed, refused.length);
}

function render(): void {
  const browserStatus = byId('browser-status');
  browserStatus.textContent = wordLabel(told);
  browserStatus.dataset.word = told || '';
  const sdk = byId('sdk-message');
  sdk.hidden = !sdkMessage;
  const said = sdkMessage ? portoneMessage(window.Shop.lang, sdkMessage) : null;
  sdk.textContent = said ? `${t('result.sdkMessage')}: ${said.text}` : '';
  sdk.title = said?.original ?? '';

  if (notFound) {
    renderNotFound();
    return;
  }
  renderPollState();
  if (!order) {
    statusEl.textContent = statusLabel(null);
    return;
  }

  const refused = refusedBeforeAttempt(order);
  statusEl.textContent = t(refused ? 'status.refused' : headingKey(order));
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
  const noteIs = refused ? 'note.refused' : noteKey(order);
  note.textContent = t(noteIs);
  note.dataset.key = noteIs;
  const passed = (order.history ?? []).map((entry) => entry.to);
  // After a refusal in the window the browser's "failed" and the open order agree: nothing was paid.
  byId('mismatch').hidden = refused || !toldOtherwise(told, order.status, passed);
  renderFlagNote(order);
  renderWebhooksNote(order);

  renderFacts(byId('facts'), order);
  renderVbank(byId('vbank-slot'), order, deposit, sendDeposit);
  renderHistory(byId('history'), order, last?.callback ?? redirected);
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
