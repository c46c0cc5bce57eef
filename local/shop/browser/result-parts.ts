// The result page's sections, each built from the order as GET /orders shows it.
import type { AttemptView, OrderView } from '../../../functions/http/order-view';
import { bankName, holderName, portoneMessage, type Rendered } from '../portone-text';
import type { Child } from './el';
import { statusKey } from './result-rules';

const shop = () => window.Shop;

/** The message for this key, or `fallback` when there is none. */
export const labelOr = (key: string, fallback: string): string => {
  const label = shop().t(key);
  return label === key ? fallback : label;
};

/** The label of a `status` word the browser was told. */
export const wordLabel = (word: string | null): string =>
  word ? labelOr(`word.${word}`, word) : shop().t('word.none');

export const statusLabel = (status: string | null | undefined): string =>
  shop().t(statusKey(status));

const methodLabel = (method: string | null): string =>
  method ? labelOr(`method.${method}`, method) : shop().t('result.none');

/** The order's name is the catalog's Korean name: show the product in the page's language. */
const productName = (name: string | null): string => {
  const product = window.SHOP.products.find((p) => p.name.ko === name);
  return product ? product.name[shop().lang] : name || '—';
};

export const renderFacts = (list: HTMLElement, o: OrderView): void => {
  const { t, el, formatKRW } = shop();
  const rows: [string, string][] = [
    ['result.product', productName(o.name)],
    ['result.amount', formatKRW(o.amount)],
    ['result.payMethod', methodLabel(o.pay_method)],
  ];
  if (o.paid_amount > 0) rows.push(['result.paid', formatKRW(o.paid_amount)]);
  if (o.cancel_amount > 0) rows.push(['result.refunded', formatKRW(o.cancel_amount)]);
  list.replaceChildren(
    ...rows.flatMap(([key, value]) => [el('dt', {}, t(key)), el('dd', {}, value)]),
  );
};

/** Where the simulator's deposit button stands. */
export interface Deposit {
  sending: boolean;
  sent: boolean;
  error: string | null;
}

/** The virtual account, and (on the simulator) a button that deposits into it. */
export const renderVbank = (
  slot: HTMLElement,
  o: OrderView,
  deposit: Deposit,
  onDeposit: () => void,
): void => {
  const { t, el, formatDateTime } = shop();
  if (!o.vbank) {
    slot.replaceChildren();
    return;
  }
  const v = o.vbank;
  const field = (key: string, value: string | Rendered | null, testid: string) =>
    el(
      'div',
      { className: 'vbank-field' },
      el('dt', {}, t(key)),
      typeof value === 'string' || value === null
        ? el('dd', { 'data-testid': testid }, value || '—')
        : el('dd', { 'data-testid': testid, title: value.original }, value.text || '—'),
    );
  const lang = shop().lang;
  const children: Child[] = [
    el('h2', {}, t(o.status === 'vbank_issued' ? 'vbank.title' : 'vbank.account')),
    el(
      'dl',
      { className: 'vbank-grid' },
      field('vbank.bank', v.bank && bankName(lang, v.bank), 'vbank-bank'),
      field('vbank.number', v.number, 'vbank-number'),
      field('vbank.holder', v.holder && holderName(lang, v.holder), 'vbank-holder'),
      field('vbank.due', formatDateTime(v.due), 'vbank-due'),
    ),
  ];
  if (o.status === 'vbank_issued' && window.SHOP.simulatorUrl) {
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
    button.addEventListener('click', onDeposit);
    children.push(el('div', { className: 'deposit-row' }, button));
    if (deposit.sending) children.push(el('p', { className: 'muted small' }, t('deposit.busy')));
    else if (deposit.sent) children.push(el('p', { className: 'muted small' }, t('deposit.sent')));
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
};

/**
 * Every change of the order, oldest first, and the browser's report (the
 * callback the page posted, or V1's mobile redirect: `callback`, its
 * `source`) in its place even when it changed nothing: the order's history
 * records changes only.
 */
export const renderHistory = (
  list: HTMLElement,
  o: OrderView,
  callback: { at: string; word: string; source?: 'complete' | 'redirect' } | null = null,
): void => {
  const { t, el, formatDateTime, formatTime } = shop();
  const entries = o.history || [];
  const source = callback?.source ?? 'complete';
  const unchanged =
    callback && !entries.some((entry) => entry.source === source)
      ? el(
          'li',
          { className: 'event is-unchanged', dataset: { source, unchanged: 'true' } },
          el(
            'time',
            { datetime: callback.at, title: formatDateTime(callback.at) },
            formatTime(callback.at),
          ),
          el('span', { className: `source source-${source}` }, t(`source.${source}`)),
          el(
            'span',
            { className: 'transition' },
            t('history.unchanged').replace('{word}', wordLabel(callback.word)),
          ),
        )
      : null;
  if (entries.length === 0 && !unchanged) {
    list.replaceChildren(el('li', { className: 'timeline-empty muted' }, t('result.historyEmpty')));
    return;
  }
  const items = entries.map((entry) =>
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
        labelOr(`source.${entry.source}`, entry.source),
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
  );
  if (unchanged) {
    const after = entries.findIndex((entry) => entry.at > (callback?.at ?? ''));
    items.splice(after === -1 ? items.length : after, 0, unchanged);
  }
  list.replaceChildren(...items);
};

/** PortOne's reason, in the page's language; PortOne's own words on hover. */
const failReason = (reason: string): HTMLSpanElement => {
  const said = portoneMessage(shop().lang, reason);
  return shop().el('span', { className: 'muted', title: said.original }, said.text);
};

const attemptItem = (a: AttemptView): HTMLLIElement => {
  const { t, el, formatKRW } = shop();
  return el(
    'li',
    { className: `attempt${a.current ? ' is-current' : ''}` },
    el('code', {}, a.imp_uid ?? a.payment_id),
    el('span', { className: `pill pill-${a.status}` }, statusLabel(a.status)),
    a.verdict && a.verdict !== 'ok'
      ? el('span', { className: 'badge badge-warn' }, labelOr(`verdict.${a.verdict}`, a.verdict))
      : null,
    el('span', { className: 'muted' }, `${formatKRW(a.amount)} · ${methodLabel(a.pay_method)}`),
    a.fail_reason ? failReason(a.fail_reason) : null,
    a.current ? el('span', { className: 'badge' }, t('result.current')) : null,
  );
};

/** The order's payment attempts; the card stays hidden while there are none. */
export const renderAttempts = (card: HTMLElement, list: HTMLElement, o: OrderView): void => {
  const attempts = o.attempts || [];
  card.hidden = attempts.length === 0;
  list.replaceChildren(...attempts.map(attemptItem));
};
