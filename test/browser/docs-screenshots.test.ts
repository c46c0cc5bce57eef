import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREENSHOTS } from './support/browser';
import { type RunningStack, startStack } from './support/local-stack';
import { expectStatus, toResult } from './support/shop';

// The README's two pictures, taken from the running demo. `npm test` takes them into
// test-output/browser/ and checks that they show what the README says; `npm run screenshots`
// (DOCS_SCREENSHOTS=1) also copies them over docs/demo.png and docs/result.png.
const DOCS = join(__dirname, '../../docs');
const WINDOW = { width: 1280, height: 900 };

let browser: Browser;
let stack: RunningStack;
beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
});
afterAll(async () => {
  await stack?.stop();
  await browser?.close();
});

const capture = async (page: Page, name: 'demo' | 'result') => {
  const path = join(SCREENSHOTS, `docs-${name}.png`);
  await page.screenshot({ path, fullPage: name === 'result' });
  if (process.env.DOCS_SCREENSHOTS === '1') copyFileSync(path, join(DOCS, `${name}.png`));
};

describe('the README’s pictures', () => {
  it('show the shop with PortOne’s payment window open, then the result after a deposit', async () => {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: WINDOW });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.url}/`);
      await page.selectOption('[data-testid="pay-method"]', 'vbank');
      await page.click('[data-testid="pay"]');
      await page.waitForSelector('#portone-checkout [data-portone-action="vbank"]');
      // What demo.png must show: the V2 window (the default API) with its delivery modes.
      await expect(page.isVisible('#portone-checkout select')).resolves.toBe(true);
      await capture(page, 'demo');

      await page.click('#portone-checkout [data-portone-action="vbank"]');
      await toResult(page);
      await expectStatus(page, 'vbank_issued', true);
      await page.click('[data-testid="deposit"]');
      await expectStatus(page, 'paid', true);
      await capture(page, 'result');
    } finally {
      await context.close();
    }
  });
});
