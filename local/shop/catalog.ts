import type { ArtKind } from './art';

/** Text in both of the shop's languages. */
export interface Localized {
  ko: string;
  en: string;
}

export interface Product {
  /** Stable id the browser sends; never a price. */
  id: string;
  name: Localized;
  description: Localized;
  /** What the order costs, in KRW. The only price the shop ever charges. */
  price: number;
  art: ArtKind;
  /** Background of the product art. */
  tint: string;
}

/**
 * The shop's server-side catalog. The browser only names a product; the
 * amount registered with the payments API always comes from here.
 */
export const CATALOG: readonly Product[] = [
  {
    id: 'yirgacheffe-200g',
    name: { ko: '에티오피아 예가체프 원두 200g', en: 'Ethiopia Yirgacheffe beans, 200 g' },
    description: {
      ko: '자스민, 레몬 제스트, 홍차의 여운. 라이트 로스팅.',
      en: 'Jasmine, lemon zest and a black-tea finish. Light roast.',
    },
    price: 15_000,
    art: { kind: 'bag', bag: '#c9a27a', seal: '#a9825c', label: '#e9b949' },
    tint: '#f6ead8',
  },
  {
    id: 'house-blend-500g',
    name: { ko: '소담 하우스 블렌드 원두 500g', en: 'Sodam house blend beans, 500 g' },
    description: {
      ko: '다크 초콜릿과 구운 견과. 라테에 잘 어울리는 미디엄 다크.',
      en: 'Dark chocolate and toasted nuts. A medium-dark roast made for lattes.',
    },
    price: 28_000,
    art: { kind: 'bag', bag: '#3d2b23', seal: '#2a1d17', label: '#c8553d' },
    tint: '#efe3d6',
  },
  {
    id: 'drip-bag-10',
    name: { ko: '싱글 오리진 드립백 10개입', en: 'Single-origin drip bags, pack of 10' },
    description: {
      ko: '뜨거운 물만 있으면 어디서나 핸드드립 한 잔.',
      en: 'A pour-over anywhere: just add hot water.',
    },
    price: 12_000,
    art: { kind: 'dripbags', paper: '#fbf7f0', accent: '#7d9a6b' },
    tint: '#e8efe2',
  },
  {
    id: 'ceramic-dripper',
    name: { ko: '세라믹 핸드드립 드리퍼', en: 'Ceramic pour-over dripper' },
    description: {
      ko: '열을 오래 머금는 두꺼운 도자기. 1~2인용.',
      en: 'Thick stoneware that holds its heat. Brews 1–2 cups.',
    },
    price: 32_000,
    art: { kind: 'dripper', glaze: '#e7ecef', accent: '#5b7f95' },
    tint: '#e3ebf0',
  },
];

export const findProduct = (id: unknown): Product | undefined =>
  typeof id === 'string' ? CATALOG.find((product) => product.id === id) : undefined;
