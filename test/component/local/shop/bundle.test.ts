import { describe, expect, it } from 'vitest';
import { MERCHANT_UID_PATTERN } from '../../../../functions/domain/model/ids';
import { ORDER_STATUSES } from '../../../../functions/domain/model/order';
import { resultWordOf } from '../../../../functions/http/order-view';
import {
  bundleShopScripts,
  bundleShopScriptsSync,
  SCRIPTS,
  type ScriptUrl,
  type ShopScripts,
} from '../../../../local/shop/bundle';

const bundled: ShopScripts = bundleShopScriptsSync();

const scriptOf = (url: ScriptUrl): string => bundled.scripts.get(url) ?? '';

/** The repository files esbuild put into the bundle served at this URL. */
const inputsOf = (url: ScriptUrl): string[] => {
  const output = bundled.metafile.outputs[`shop${url.slice('/shop'.length)}`];
  return Object.keys(output?.inputs ?? {}).sort();
};

/** The bundle's text by the module it comes from (esbuild heads each with `// path`). */
const sectionsOf = (script: string): Map<string, string> => {
  const sections = new Map<string, string>();
  const parts = script.split(/^ {2}\/\/ (\S+\.ts)$/m);
  for (let i = 1; i < parts.length; i += 2) sections.set(parts[i] ?? '', parts[i + 1] ?? '');
  return sections;
};

/** The modules of the bundle whose code has this string literal. */
const sectionsWith = (script: string, literal: string): string[] =>
  [...sectionsOf(script)]
    .filter(([, code]) => code.includes(JSON.stringify(literal)))
    .map(([path]) => path)
    .sort();

describe('the shop page scripts', () => {
  it('are the three the pages load, each a strict classic script that parses', () => {
    expect([...bundled.scripts.keys()]).toEqual([
      '/shop/common.js',
      '/shop/shop.js',
      '/shop/result.js',
    ]);
    expect(Object.keys(SCRIPTS)).toEqual([...bundled.scripts.keys()]);
    for (const script of bundled.scripts.values()) {
      expect(script.startsWith('"use strict";\n(() => {\n')).toBe(true);
      expect(script.trimEnd().endsWith('})();')).toBe(true);
      expect(() => new Function(script)).not.toThrow();
      expect(script).not.toMatch(/\b(require|import|export)\b\s*[({]/);
    }
  });

  it('are small: no package, no Node code, only the shop and the words it reads', () => {
    for (const [url, script] of bundled.scripts) {
      expect(Buffer.byteLength(script), url).toBeLessThan(24 * 1024);
      for (const input of inputsOf(url)) expect(input).toMatch(/^(local\/shop|functions)\//);
    }
    expect(inputsOf('/shop/common.js')).toEqual([
      'local/shop/browser/common.ts',
      'local/shop/browser/el.ts',
      'local/shop/browser/storage.ts',
      'local/shop/locale.ts',
    ]);
    expect(inputsOf('/shop/shop.js')).toEqual([
      'local/shop/browser/api-choice.ts',
      'local/shop/browser/checkout-steps.ts',
      'local/shop/browser/dom.ts',
      'local/shop/browser/last-payment.ts',
      'local/shop/browser/pay-v1.ts',
      'local/shop/browser/pay-v2.ts',
      'local/shop/browser/shop.ts',
      'local/shop/browser/storage.ts',
      'local/shop/browser/verify-request.ts',
    ]);
    // If order-view.ts ever imports code, move resultWordOf to a file with no imports.
    expect(inputsOf('/shop/result.js').filter((input) => input.startsWith('functions/'))).toEqual([
      'functions/domain/model/ids.ts',
      'functions/domain/model/order.ts',
      'functions/http/order-view.ts',
    ]);
    for (const script of bundled.scripts.values()) {
      expect(script).not.toMatch(/zod|@aws-sdk|aws-lambda|node:|process\.env/);
    }
  });

  it('take only the result-word mapping from order-view.ts, not the views', () => {
    const orderView = sectionsOf(scriptOf('/shop/result.js')).get('functions/http/order-view.ts');
    expect(orderView).toContain('resultWordOf');
    expect(orderView).not.toMatch(/toOrderView|toPublicView|toAttemptView/);
  });
});

describe('the result script reads the rules from their owners', () => {
  const script = scriptOf('/shop/result.js');

  it('has one list of the order statuses, the domain’s', () => {
    const listing = (path: string) =>
      ORDER_STATUSES.every((status) => sectionsOf(script).get(path)?.includes(`"${status}"`));
    expect([...sectionsOf(script).keys()].filter(listing).sort()).toEqual([
      'functions/domain/model/order.ts',
      'functions/http/order-view.ts',
    ]);
  });

  it.each([...new Set(ORDER_STATUSES.map(resultWordOf))].filter((w) => !isStatus(w)))(
    'has the result word "%s" only from order-view.ts',
    (word) => {
      expect(sectionsWith(script, word)).toEqual(['functions/http/order-view.ts']);
    },
  );

  it('has the merchant_uid pattern only from ids.ts', () => {
    const holders = [...sectionsOf(script)]
      .filter(([, code]) => code.includes(MERCHANT_UID_PATTERN.source))
      .map(([path]) => path);
    expect(holders).toEqual(['functions/domain/model/ids.ts']);
  });

  it('is split into the modules esbuild says it holds', () => {
    expect([...sectionsOf(script).keys()].sort()).toEqual(inputsOf('/shop/result.js'));
  });
});

describe('bundling in the background (the local stack)', () => {
  it('makes the same scripts as the blocking build', async () => {
    const background = await bundleShopScripts();
    expect(background.scripts).toEqual(bundled.scripts);
  });
});

function isStatus(word: string): boolean {
  return (ORDER_STATUSES as readonly string[]).includes(word);
}
