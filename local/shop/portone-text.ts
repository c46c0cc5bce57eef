/**
 * What PortOne says in Korean, in the shop's languages: its failure messages
 * (PortOne answers in Korean whatever the window's language), the banks of
 * its virtual accounts and the simulator's account holders. No imports but
 * types: the result page's scripts (browser/) bundle it.
 */
import type { Localized } from './catalog';
import type { Lang } from './locale';

/** A PortOne message the shop recognizes, by a phrase in it, and the shopper's words for it. */
export interface KnownMessage {
  phrase: RegExp;
  en: string;
}

/** The messages PortOne (and the simulator, which copies them) answers most. */
export const KNOWN_MESSAGES: readonly KnownMessage[] = [
  {
    phrase: /사용자가 결제를 취소/,
    en: 'The payment window was closed before paying.',
  },
  { phrase: /카드 승인이 거절/, en: 'The card was declined.' },
  { phrase: /카드 한도 초과/, en: 'The card limit was exceeded.' },
  {
    phrase: /이미 결제가 (이루어진|완료된)/,
    en: 'This order is already paid.',
  },
  {
    phrase: /사전\s?등록된 (금액|결제 정보)/,
    en: 'PortOne refused the amount: it is not the one the shop registered for this order.',
  },
  { phrase: /결제창을 열 수 없습니다/, en: 'The payment window did not open.' },
  {
    phrase: /결제 시뮬레이터와 통신하지 못했습니다/,
    en: 'The payment window could not reach PortOne.',
  },
];

/** Said instead of a Korean message the shop does not know. */
const UNKNOWN_KOREAN = 'PortOne answered in Korean (hover to read it).';

/**
 * Banks as PortOne names them: V1 by Korean name (`vbank_name`), V2 by code
 * (`bank`). The codes are PortOne V2's `Bank` enum.
 */
export const BANKS: Readonly<Record<string, Localized>> = {
  신한: { ko: '신한은행', en: 'Shinhan Bank' },
  신한은행: { ko: '신한은행', en: 'Shinhan Bank' },
  SHINHAN: { ko: '신한은행', en: 'Shinhan Bank' },
  국민: { ko: 'KB국민은행', en: 'KB Kookmin Bank' },
  KB국민은행: { ko: 'KB국민은행', en: 'KB Kookmin Bank' },
  KOOKMIN: { ko: 'KB국민은행', en: 'KB Kookmin Bank' },
  우리: { ko: '우리은행', en: 'Woori Bank' },
  우리은행: { ko: '우리은행', en: 'Woori Bank' },
  WOORI: { ko: '우리은행', en: 'Woori Bank' },
  하나: { ko: '하나은행', en: 'Hana Bank' },
  하나은행: { ko: '하나은행', en: 'Hana Bank' },
  HANA: { ko: '하나은행', en: 'Hana Bank' },
  농협: { ko: 'NH농협은행', en: 'NongHyup Bank' },
  NH농협은행: { ko: 'NH농협은행', en: 'NongHyup Bank' },
  NONGHYUP: { ko: 'NH농협은행', en: 'NongHyup Bank' },
  기업: { ko: 'IBK기업은행', en: 'IBK Industrial Bank of Korea' },
  IBK기업은행: { ko: 'IBK기업은행', en: 'IBK Industrial Bank of Korea' },
  INDUSTRIAL: { ko: 'IBK기업은행', en: 'IBK Industrial Bank of Korea' },
};

/**
 * The simulator's account holders (the merchant's registered names). A real
 * holder is shown as PortOne gives it: it is the name the buyer's bank shows
 * when they deposit, so a made-up rendering would only mislead.
 */
export const HOLDERS: Readonly<Record<string, Localized>> = {
  포트원: { ko: '포트원', en: 'PortOne' },
  '(주)포트원심': { ko: '(주)포트원심', en: 'PortOne Sim Co., Ltd.' },
};

const HANGUL = /[\uAC00-\uD7A3]/;

/** A PortOne text in the page's language; `original` is PortOne's own when they differ. */
export interface Rendered {
  text: string;
  original: string | null;
}

/**
 * PortOne's message for the shopper: as is in Korean, in English for a
 * message the shop knows, and a notice in English for a Korean one it does not.
 */
export const portoneMessage = (lang: Lang, message: string): Rendered => {
  if (lang === 'ko' || !HANGUL.test(message)) return { text: message, original: null };
  const known = KNOWN_MESSAGES.find(({ phrase }) => phrase.test(message));
  return { text: known ? known.en : UNKNOWN_KOREAN, original: message };
};

const fromTable =
  (table: Readonly<Record<string, Localized>>) =>
  (lang: Lang, name: string): Rendered => {
    const rendering = table[name.trim()]?.[lang];
    return rendering && rendering !== name
      ? { text: rendering, original: name }
      : { text: name, original: null };
  };

/** A bank's name in the page's language (PortOne's name or code when the shop does not know it). */
export const bankName = fromTable(BANKS);

/** An account holder's name in the page's language (as PortOne gives it, but for the simulator's). */
export const holderName = fromTable(HOLDERS);
