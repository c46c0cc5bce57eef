import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../local/shop/catalog';
import { launchBrowser, screenshot } from './support/browser';
import { type RunningStack, startStack } from './support/local-stack';
import { expectStatus, toResult } from './support/shop';

const HANGUL = /[\uAC00-\uD7A3]/;
/** The shop's own Korean product names: the order's registered name, allowed in any language. */
const KOREAN_PRODUCT_NAMES = CATALOG.map((product) => product.name.ko);

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/**
 * The lines of `root`'s visible text (and the options of its drop-downs) that
 * hold Hangul once the Korean product names are taken out.
 */
const koreanLines = async (page: Page, root = 'body'): Promise<string[]> => {
  const text = await page.$eval(root, (node) => {
    const options = Array.from(node.querySelectorAll('option'), (option) => option.textContent);
    return [(node as HTMLElement).innerText, ...options].join('\n');
  });
  return text
    .split('\n')
    .filter((line) => {
      const rest = KOREAN_PRODUCT_NAMES.reduce((left, name) => left.split(name).join(''), line);
      return HANGUL.test(rest);
    })
    .map((line) => line.trim());
};

/** The visible links back to the shop. */
const backLinks = (page: Page) =>
  page.$$eval('a', (links) =>
    links
      .filter((link) => link.checkVisibility() && /back to the shop/i.test(link.textContent ?? ''))
      .map((link) => link.textContent?.trim()),
  );

/** Opens the English shop on `api`, pays by `method`, and waits for the window. */
const openWindow = async (
  page: Page,
  stack: RunningStack,
  api: 'v1' | 'v2',
  method: 'card' | 'vbank',
): Promise<string> => {
  await page.goto(`${stack.url}/?lang=en`);
  await page.click(`[data-testid="api-${api}"]`);
  await page.selectOption('[data-testid="pay-method"]', method);
  expect.soft(await koreanLines(page), 'the shop').toEqual([]);
  await page.click('[data-testid="pay"]');
  const window = api === 'v1' ? '#imp-checkout' : '#portone-checkout';
  await page.waitForSelector(window);
  await screenshot(page, `english-window-${api}-${method}`);
  expect.soft(await koreanLines(page, window), 'the payment window').toEqual([]);
  return window;
};

/** The result page in English: no Hangul but the product names, one way back. */
const expectEnglishResult = async (page: Page, name: string) => {
  await screenshot(page, `english-${name}`);
  expect.soft(await koreanLines(page), `the ${name} result page`).toEqual([]);
  expect.soft(await backLinks(page), 'back links').toHaveLength(1);
};

describe('the shop in English, on npm start', () => {
  let stack: RunningStack;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());
  beforeEach(async () => {
    context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
  });
  afterEach(() => context?.close());

  it.each(['v1', 'v2'] as const)('pays by card on %s with English text only', async (api) => {
    const window = await openWindow(page, stack, api, 'card');
    expect
      .soft(
        await page.textContent(
          `${window} [data-${api === 'v1' ? 'imp' : 'portone'}-field="amount"]`,
        ),
      )
      .toMatch(/^(₩|KRW ?)15,000$/);
    await page.click(`[data-${api === 'v1' ? 'imp' : 'portone'}-action="card"]`);
    await toResult(page);
    await expectStatus(page, 'paid');
    await expectEnglishResult(page, `${api}-card`);
  });

  it('says a closed V1 window and a declined V2 card in English', async () => {
    await openWindow(page, stack, 'v1', 'card');
    await page.click('[data-imp-action="close"]');
    await toResult(page);
    await expectStatus(page, 'failed');
    await page.waitForSelector('#sdk-message:not([hidden])');
    await expectEnglishResult(page, 'v1-closed');

    await openWindow(page, stack, 'v2', 'card');
    await page.click('[data-portone-action="decline"]');
    await toResult(page);
    await expectStatus(page, 'failed');
    await page.waitForSelector('#sdk-message:not([hidden])');
    await expectEnglishResult(page, 'v2-declined');
  });

  it.each(['v1', 'v2'] as const)('issues a virtual account on %s in English', async (api) => {
    await openWindow(page, stack, api, 'vbank');
    await page.click(`[data-${api === 'v1' ? 'imp' : 'portone'}-action="vbank"]`);
    await toResult(page);
    await expectStatus(page, 'vbank_issued');
    await page.waitForSelector('[data-testid="vbank-bank"]');
    await expectEnglishResult(page, `${api}-vbank`);
  });

  it('shows the not-found page with one way back', async () => {
    await page.goto(`${stack.url}/result?lang=en&merchant_uid=nope&status=paid`);
    await page.waitForSelector('[data-testid="not-found"]:not([hidden])');
    await expectEnglishResult(page, 'not-found');
  });
});

describe('a forgery in English, without amount pre-registration (PORTONE_PREPARE=false)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ PORTONE_PREPARE: 'false' });
  });
  afterAll(() => stack?.stop());

  it('says the money was refunded once the page shows the refund', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      await openWindow(page, stack, 'v1', 'card');
      await page.fill('[data-imp-field="tamper-amount"]', '100');
      await page.click('[data-imp-action="tamper"]');
      await toResult(page);
      await expectStatus(page, 'forgery');
      await page.waitForSelector('[data-testid="poll-state"][data-state="settled"]', {
        timeout: 15_000,
      });

      const facts = await page.textContent('#facts');
      const note = await page.textContent('#status-note');
      expect(facts).toContain('Refunded₩100');
      expect(note).toMatch(/was refunded in full/);
      expect(note).not.toMatch(/will be|being refunded/);
      await expectEnglishResult(page, 'forgery');
    } finally {
      await context.close();
    }
  });
});
