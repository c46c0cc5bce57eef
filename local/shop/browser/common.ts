// Shared by the shop pages, loaded first: the language (KO/EN toggle, ?lang=,
// localStorage) and formatting. Exposes window.Shop to the page scripts.
import { DEFAULT_LANG, formatKrw, isLang, type Lang } from '../locale';
import { el } from './el';
import { local, readStorage, rememberChoice, writeStorage } from './storage';
import type { ShopApi } from './window';

const config = window.SHOP;
const STORAGE_KEY = 'shop.lang';
const listeners: ((lang: Lang) => void)[] = [];

const fromQuery = new URLSearchParams(window.location.search).get('lang');
if (isLang(fromQuery)) writeStorage(local, STORAGE_KEY, fromQuery);
const stored = readStorage(local, STORAGE_KEY);
let lang: Lang = isLang(fromQuery) ? fromQuery : isLang(stored) ? stored : DEFAULT_LANG;

const t: ShopApi['t'] = (key, vars) => {
  const text = config.i18n[lang]?.[key] ?? config.i18n[DEFAULT_LANG][key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in vars ? String(vars[name]) : match,
  );
};

const formatKRW: ShopApi['formatKRW'] = (amount) => formatKrw(lang, Number(amount) || 0);

const dateLocale = (): string => (lang === 'ko' ? 'ko-KR' : 'en-GB');

const formatDateTime: ShopApi['formatDateTime'] = (iso) => {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(dateLocale(), { dateStyle: 'medium', timeStyle: 'medium' }).format(
    date,
  );
};

const formatTime: ShopApi['formatTime'] = (iso) => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(dateLocale(), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(date);
};

/** Re-translates every [data-i18n] and [data-krw] element, then tells the page. */
const apply = (): void => {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n ?? '');
  }
  for (const node of document.querySelectorAll<HTMLElement>('[data-krw]')) {
    node.textContent = formatKRW(node.dataset.krw);
  }
  for (const button of document.querySelectorAll<HTMLElement>('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  for (const listener of listeners) listener(lang);
};

const setLang: ShopApi['setLang'] = (next) => {
  if (!isLang(next) || next === lang) return;
  lang = next;
  rememberChoice(local, STORAGE_KEY, 'lang', next);
  apply();
};

document.addEventListener('click', (event) => {
  const target = event.target as Partial<Pick<Element, 'closest'>> | null;
  const button = target?.closest?.<HTMLElement>('[data-lang]');
  if (button) setLang(button.dataset.lang);
});

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
