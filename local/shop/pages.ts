import { FAVICON, LOGO_SVG, productArt } from './art';
import { CATALOG, type Product } from './catalog';
import {
  DICTIONARY,
  type Dictionary,
  formatKrw,
  LANGS,
  type Lang,
  type MessageKey,
  t,
} from './i18n';

/** What a page is rendered with; the page scripts get it (and more) as `window.SHOP`. */
export interface PageConfig {
  page: 'shop' | 'result';
  lang: Lang;
  apiBase: string;
  impCode: string;
  /** What `PortOne.requestPayment` needs besides the order; null when V2 is off (V1 only). */
  v2: { storeId: string; channelKey: string } | null;
  simulatorUrl: string | null;
}

/** What the page scripts (browser/) get as `window.SHOP`. */
export interface ShopConfig extends PageConfig {
  i18n: Record<Lang, Dictionary>;
  products: BrowserProduct[];
}

/** A product as the browser knows it: no art, no description (those are in the HTML and i18n). */
export type BrowserProduct = Pick<Product, 'id' | 'price' | 'name'>;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value for HTML. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/**
 * JSON for an inline `<script>`: `<`, `>` and `&` become \u escapes, so no
 * value can close the script element or open a comment; U+2028/2029 too, for
 * older parsers. The result is still valid JSON and a valid JS expression.
 */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** An element whose text the page scripts re-translate on a language switch. */
const text = (lang: Lang, key: MessageKey | string, tag = 'span', attrs = ''): string =>
  `<${tag} data-i18n="${escapeHtml(key)}"${attrs ? ` ${attrs}` : ''}>${escapeHtml(t(lang, key))}</${tag}>`;

const krw = (lang: Lang, amount: number, attrs = ''): string =>
  `<span data-krw="${amount}"${attrs ? ` ${attrs}` : ''}>${escapeHtml(formatKrw(lang, amount))}</span>`;

interface Layout {
  config: PageConfig;
  titleKey: MessageKey;
  head?: string;
  main: string;
  scripts: string[];
}

const layout = ({ config, titleKey, head = '', main, scripts }: Layout): string => {
  const { lang } = config;
  const shopConfig: ShopConfig = { ...config, i18n: DICTIONARY, products: productsForBrowser() };
  const toggle = LANGS.map(
    (l) =>
      `<button type="button" data-lang="${l}" data-testid="lang-${l}" aria-pressed="${l === lang}">${l.toUpperCase()}</button>`,
  ).join('');
  const env = config.simulatorUrl
    ? `<span class="env-badge" title="${escapeHtml(config.simulatorUrl)}">${text(lang, 'env.simulator')}</span>`
    : `<span class="env-badge">${text(lang, 'env.portone')}</span>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
${text(lang, titleKey, 'title')}
<link rel="icon" href="${escapeHtml(FAVICON)}">
<link rel="stylesheet" href="/shop/app.css">
<script>window.SHOP = ${scriptJson(shopConfig)};</script>
${head}
</head>
<body class="page-${config.page}">
<header class="site-header">
  <div class="wrap header-inner">
    <a class="brand" href="/">${LOGO_SVG}<span class="brand-text">${text(lang, 'brand', 'strong')}${text(lang, 'brand.tagline', 'small')}</span></a>
    <div class="header-tools">
      ${env}
      <div class="lang-toggle" role="group" aria-label="${escapeHtml(t(lang, 'lang.label'))}" data-testid="lang-toggle">${toggle}</div>
    </div>
  </div>
</header>
${main}
<footer class="site-footer"><div class="wrap">${text(lang, 'footer', 'p')}</div></footer>
${scripts.map((src) => `<script src="${escapeHtml(src)}"></script>`).join('\n')}
</body>
</html>
`;
};

const productsForBrowser = (): BrowserProduct[] =>
  CATALOG.map(({ id, price, name }) => ({ id, price, name }));

/** The V1/V2 switch; the page script (api-choice.ts) restores the session's choice. */
const apiSwitch = (config: PageConfig): string => {
  const { lang } = config;
  const chosen = config.v2 ? 'v2' : 'v1';
  const button = (api: 'v1' | 'v2') =>
    `<button type="button" data-api="${api}" data-testid="api-${api}" aria-pressed="${api === chosen}"${
      api === 'v2' && !config.v2 ? ' disabled' : ''
    }>${text(lang, `api.${api}`)}</button>`;
  return `<span class="field-label" id="api-label">${text(lang, 'checkout.api')}</span>
      <div class="api-switch" role="group" aria-labelledby="api-label" data-testid="api-switch" data-api="${chosen}">${button('v2')}${button('v1')}</div>
      <p class="muted small" id="api-note" data-testid="api-note">${text(lang, `api.${chosen}.note`, 'span', 'id="api-note-text"')}</p>`;
};

export const renderShopPage = (config: PageConfig, sdkScriptUrls: string[]): string => {
  const { lang } = config;
  const first = CATALOG[0];
  if (!first) throw new Error('the catalog is empty');
  const cards = CATALOG.map((product, index) => {
    const selected = index === 0;
    return `<button type="button" class="product${selected ? ' selected' : ''}" data-product="${escapeHtml(product.id)}" aria-pressed="${selected}" style="--tint:${escapeHtml(product.tint)}">
      <span class="product-art">${productArt(product.art)}</span>
      <span class="product-body">
        ${text(lang, `product.${product.id}.name`, 'span', 'class="product-name"')}
        ${text(lang, `product.${product.id}.desc`, 'span', 'class="product-desc"')}
        ${krw(lang, product.price, 'class="product-price"')}
      </span>
      <span class="product-check" aria-hidden="true"><svg viewBox="0 0 16 16"><path d="M3.5 8.5l3 3 6-7" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg></span>
    </button>`;
  }).join('\n');
  const main = `<main class="wrap shop">
  <section class="intro">
    ${text(lang, 'shop.heading', 'h1')}
    ${text(lang, 'shop.lede', 'p', 'class="lede"')}
  </section>
  <div class="shop-layout">
    <section class="products" aria-label="${escapeHtml(t(lang, 'shop.products'))}">
      ${cards}
    </section>
    <aside class="checkout card" aria-labelledby="checkout-title">
      ${text(lang, 'checkout.title', 'h2', 'id="checkout-title"')}
      <div class="summary-line">
        ${text(lang, `product.${first.id}.name`, 'span', 'id="summary-name" class="summary-name" data-testid="summary-name"')}
        ${krw(lang, first.price, 'id="summary-price"')}
      </div>
      ${text(lang, 'checkout.quantity', 'p', 'class="muted small"')}
      <div class="summary-line muted">${text(lang, 'checkout.shipping')}${text(lang, 'checkout.shippingFree')}</div>
      <div class="summary-total">${text(lang, 'checkout.total')}${krw(lang, first.price, 'id="summary-total" data-testid="total"')}</div>
      ${apiSwitch(config)}
      <label class="field-label" for="pay-method">${text(lang, 'checkout.method')}</label>
      <div class="select-wrap">
        <select id="pay-method" data-testid="pay-method">
          ${text(lang, 'method.card', 'option', 'value="card" selected')}
          ${text(lang, 'method.vbank', 'option', 'value="vbank"')}
        </select>
      </div>
      ${
        config.simulatorUrl
          ? `<label class="demo-control small" data-testid="skip-prepare-label"><input type="checkbox" id="skip-prepare" data-testid="skip-prepare"> ${text(lang, 'demo.skipPrepare')}</label>`
          : ''
      }
      <div class="actions">
        ${text(lang, 'pay', 'button', 'type="button" class="btn btn-primary" data-testid="pay"')}
        ${text(lang, 'pay.mobile', 'button', 'type="button" class="btn btn-secondary" data-testid="pay-mobile"')}
      </div>
      <p class="progress" id="progress" role="status" aria-live="polite" hidden><span class="spinner" aria-hidden="true"></span><span id="progress-text"></span></p>
      <p class="alert" id="error" role="alert" data-testid="error" hidden></p>
      ${text(lang, config.v2 ? 'pay.hint.v2' : 'pay.hint', 'p', 'class="hint" id="pay-hint"')}
    </aside>
  </div>
</main>`;
  return layout({
    config,
    titleKey: 'shop.title',
    head: sdkScriptUrls.map((src) => `<script src="${escapeHtml(src)}"></script>`).join('\n'),
    main,
    scripts: ['/shop/common.js', '/shop/shop.js'],
  });
};

/** The result page; its one way back to the shop is the link at its top, the not-found card's too. */
export const renderResultPage = (config: PageConfig, merchantUid: string | null): string => {
  const { lang } = config;
  const main = `<main class="wrap result">
  <a class="back-link" href="/" data-testid="back">${text(lang, 'result.back')}</a>
  <section class="card status-card" id="order-card">
    <p class="eyebrow">${text(lang, 'result.order')} <code id="merchant-uid">${escapeHtml(merchantUid ?? '')}</code></p>
    <h1 class="status-heading"><span class="status-pill" data-testid="order-status" data-status="" data-final="false">${escapeHtml(t(lang, 'status.loading'))}</span></h1>
    <p class="final-badge" id="final-badge" hidden></p>
    <p class="note" id="status-note">${text(lang, 'result.loading')}</p>
    <div class="compare">
      <div class="compare-cell">${text(lang, 'result.browser', 'span', 'class="compare-label"')}<strong id="browser-status" data-testid="browser-status"></strong><small id="sdk-message" class="muted" hidden></small></div>
      <div class="compare-cell">${text(lang, 'result.server', 'span', 'class="compare-label"')}<strong id="server-status" data-testid="server-status">…</strong></div>
    </div>
    <p class="mismatch" id="mismatch" hidden>${text(lang, 'result.mismatch')}</p>
    <p class="muted small" id="flag-note" data-testid="flag-note" hidden></p>
    <p class="muted small" id="webhooks-note" data-testid="webhooks-note" hidden></p>
    <dl class="facts" id="facts"></dl>
    <div id="vbank-slot"></div>
    <p class="poll-state" id="poll-state" data-testid="poll-state"></p>
  </section>
  <section class="card" id="history-card">
    ${text(lang, 'result.history', 'h2')}
    <ol class="timeline" data-testid="history" id="history"></ol>
  </section>
  <section class="card" id="attempts-card" hidden>
    ${text(lang, 'result.attempts', 'h2')}
    <ul class="attempts" id="attempts" data-testid="attempts"></ul>
  </section>
  <details class="raw" id="raw-card" hidden><summary>${text(lang, 'result.raw')}</summary><pre id="raw"></pre></details>
  <section class="card not-found" id="not-found" data-testid="not-found" hidden>
    <div class="not-found-art">${productArt({ kind: 'dripper', glaze: '#eef1f3', accent: '#c9b8a6' })}</div>
    ${text(lang, 'notFound.title', 'h1')}
    ${text(lang, 'notFound.text', 'p')}
    <p class="not-found-told" id="not-found-told" hidden></p>
  </section>
</main>`;
  return layout({
    config,
    titleKey: 'result.title',
    main,
    scripts: ['/shop/common.js', '/shop/result.js'],
  });
};
