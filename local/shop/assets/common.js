// Shared by the shop pages: language (KO/EN toggle, ?lang=, localStorage), formatting.
// Plain ES2020, loaded as a classic script; exposes window.Shop.
(() => {
  'use strict';
  const config = window.SHOP;
  const LANGS = ['ko', 'en'];
  const STORAGE_KEY = 'shop.lang';
  const listeners = [];

  const storage = {
    get(key) {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch {
        // private mode or storage disabled: the choice lasts for this page only
      }
    },
  };

  const fromQuery = new URLSearchParams(window.location.search).get('lang');
  if (LANGS.includes(fromQuery)) storage.set(STORAGE_KEY, fromQuery);
  const stored = storage.get(STORAGE_KEY);
  let lang = LANGS.includes(fromQuery) ? fromQuery : LANGS.includes(stored) ? stored : 'ko';

  function t(key, vars) {
    const text = config.i18n[lang]?.[key] ?? config.i18n.ko[key] ?? key;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
  }

  function formatKRW(amount) {
    const n = Number(amount) || 0;
    return lang === 'ko' ? `${n.toLocaleString('ko-KR')}원` : `₩${n.toLocaleString('en-US')}`;
  }

  function formatDateTime(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'medium',
    }).format(date);
  }

  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).format(date);
  }

  /** Re-translates every [data-i18n] and [data-krw] element, then tells the page. */
  function apply() {
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll('[data-krw]'))
      el.textContent = formatKRW(el.dataset.krw);
    for (const button of document.querySelectorAll('[data-lang]')) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
    }
    for (const listener of listeners) listener(lang);
  }

  function setLang(next) {
    if (!LANGS.includes(next) || next === lang) return;
    lang = next;
    storage.set(STORAGE_KEY, next);
    const url = new URL(window.location.href);
    if (url.searchParams.has('lang')) {
      url.searchParams.set('lang', next);
      window.history.replaceState(window.history.state, '', url);
    }
    apply();
  }

  document.addEventListener('click', (event) => {
    const button = event.target.closest?.('[data-lang]');
    if (button) setLang(button.dataset.lang);
  });

  /** Builds an element: el('li', {className: 'x', dataset: {a: '1'}}, 'text', child). Text is never parsed as HTML. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'dataset') Object.assign(node.dataset, value);
      else if (
        key === 'className' ||
        key === 'textContent' ||
        key === 'hidden' ||
        key === 'disabled'
      )
        node[key] = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  window.Shop = {
    get lang() {
      return lang;
    },
    t,
    formatKRW,
    formatDateTime,
    formatTime,
    el,
    setLang,
    onLangChange(listener) {
      listeners.push(listener);
    },
  };

  if (lang !== config.lang) apply();
})();
