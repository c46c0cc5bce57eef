/**
 * The shop's languages and its one money format. No imports: the server-side
 * pages (pages.ts, via i18n.ts) and the browser scripts (browser/) both read
 * them from here.
 */

export type Lang = 'ko' | 'en';
export const LANGS: readonly Lang[] = ['ko', 'en'];
export const DEFAULT_LANG: Lang = 'ko';

export const isLang = (value: unknown): value is Lang => LANGS.includes(value as Lang);

export const langOf = (value: string | null | undefined): Lang =>
  LANGS.find((lang) => lang === value) ?? DEFAULT_LANG;

export const formatKrw = (lang: Lang, amount: number): string =>
  lang === 'ko' ? `${amount.toLocaleString('ko-KR')}원` : `₩${amount.toLocaleString('en-US')}`;
