// The result page says what really happened in each demo flow: a refused
// tampered amount, a forgery refunded, a closed window against a declined
// card, the webhook deliveries, the result flag the server ignores, the
// browser's callback that changed nothing (issue 14, items 2, 4 and 5).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser';
import { type RunningStack, startStack } from './support/local-stack';
import { expectStatus, orderOf, toldStatus, toResult } from './support/shop';

let browser: Browser;
let stack: RunningStack;
let context: BrowserContext | undefined;
beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), startStack()]);
});
afterAll(async () => {
  await stack?.stop();
  await browser?.close();
});
afterEach(() => context?.close());

interface Checkout {
  api: 'v1' | 'v2';
  locale?: 'en-US' | 'ko-KR';
  method?: string;
  /** The shop's demo control: no amount pre-registration for this order. */
  skipPrepare?: boolean;
  /** "Pay on mobile": the redirect flow. */
  mobile?: boolean;
}

/** Opens the shop with the API chosen, pays, and waits for the payment window. */
const open = async ({ api, locale = 'en-US', method = 'card', skipPrepare, mobile }: Checkout) => {
  context = await browser.newContext({ locale });
  const page = await context.newPage();
  await page.goto(`${stack.url}/?api=${api}&lang=${locale === 'en-US' ? 'en' : 'ko'}`);
  await page.selectOption('[data-testid="pay-method"]', method);
  if (skipPrepare) {
    await page.check('[data-testid="skip-prepare"]');
    await screenshot(page, `demo-${api}-skip-prepare-control`);
  }
  await page.click(mobile ? '[data-testid="pay-mobile"]' : '[data-testid="pay"]');
  await page.waitForSelector(api === 'v1' ? '#imp-checkout' : '#portone-checkout');
  return page;
};

/** The window's control for `name` in either API's window. */
const field = (api: 'v1' | 'v2', name: string) =>
  api === 'v1' ? `[data-imp-field="${name}"]` : `[data-portone-field="${name}"]`;
const action = (api: 'v1' | 'v2', name: string) =>
  api === 'v1' ? `#imp-checkout [data-imp-action="${name}"]` : `[data-portone-action="${name}"]`;

const tamper = async (page: Page, api: 'v1' | 'v2') => {
  await page.fill(field(api, 'tamper-amount'), '100');
  await page.click(action(api, 'tamper'));
  await toResult(page);
};

const noteOf = (page: Page) => page.getAttribute('#status-note', 'data-key');
const textOf = async (page: Page, selector: string) => (await page.textContent(selector)) ?? '';

describe('a tampered amount', () => {
  it('with V1 and the amount pre-registered: PortOne refused it, the order is safe, the page stops', async () => {
    const page = await open({ api: 'v1' });
    await tamper(page, 'v1');
    await page.waitForSelector('[data-testid="poll-state"][data-state="settled"]');
    expect(await noteOf(page)).toBe('note.refused');
    expect(await textOf(page, '[data-testid="order-status"]')).toBe('Refused by PortOne');
    expect(await page.isHidden('#mismatch')).toBe(true);
    expect(await textOf(page, '#status-note')).toContain('PortOne refused the payment');
    expect(await textOf(page, '#sdk-message')).toContain('not the one the shop registered');
    expect((await orderOf(stack, page)).attempts).toEqual([]);
    await screenshot(page, 'demo-v1-tamper-refused');
  });

  it('with V2 and the amount pre-registered: refused, and nothing was charged', async () => {
    const page = await open({ api: 'v2' });
    await tamper(page, 'v2');
    await expectStatus(page, 'forgery');
    await page.waitForSelector('#status-note[data-key="note.forgery.refused"]');
    const note = await textOf(page, '#status-note');
    expect(note).toContain('nothing was charged');
    expect(note).not.toMatch(/refund/i);
    // Until PortOne confirms it, the page checks that no money moved; it waits for no payment.
    const state = await page.getAttribute('[data-testid="poll-state"]', 'data-pending');
    expect(['pending.confirmFailed', '']).toContain(state);
    await screenshot(page, 'demo-v2-tamper-refused');
  });

  it.each(['v1', 'v2'] as const)(
    'with %s and the demo control that skips pre-registration: detected and refunded',
    async (api) => {
      const page = await open({ api, skipPrepare: true });
      await tamper(page, api);
      expect(toldStatus(page)).toBe('forgery');
      await expectStatus(page, 'forgery', true);
      await page.waitForSelector('#status-note[data-key="note.forgery.refunded"]');
      expect(await textOf(page, '#status-note')).toContain(
        'detected the forgery and cancelled the payment, which was refunded in full',
      );
      expect((await orderOf(stack, page)).attempts[0]).toMatchObject({
        verdict: 'forgery',
        cancellation: { state: 'done' },
      });
      await screenshot(page, `demo-${api}-forgery-refunded`);
    },
  );
});

describe('a closed window and a declined card', () => {
  it.each([
    ['en-US', 'v1', 'Window closed', 'Declined by the card company'],
    ['ko-KR', 'v1', '결제창 닫힘', '카드 승인 거절'],
    ['en-US', 'v2', 'Window closed', 'Declined by the card company'],
  ] as const)('read differently (%s, %s)', async (locale, api, closed, declined) => {
    const seen: Record<string, string> = {};
    for (const [what, expected] of [
      ['close', closed],
      ['decline', declined],
    ] as const) {
      const page = await open({ api, locale });
      await page.click(action(api, what));
      await toResult(page);
      await expectStatus(page, 'failed');
      await page.waitForFunction(
        (text) => document.querySelector('[data-testid="order-status"]')?.textContent === text,
        expected,
      );
      seen[what] = await textOf(page, '#status-note');
      await context?.close();
    }
    expect(seen.close).not.toBe(seen.decline);
  });
});

describe('what each demo option changes on the page', () => {
  it('counts the duplicated webhook deliveries and says the extra ones changed nothing', async () => {
    const page = await open({ api: 'v1' });
    await page.selectOption(field('v1', 'webhook'), 'duplicated');
    await page.click(action('v1', 'card'));
    await toResult(page);
    await expectStatus(page, 'paid', true);
    await page.waitForSelector('[data-testid="webhooks-note"][data-count="3"]');
    expect(await textOf(page, '[data-testid="webhooks-note"]')).toMatch(/arrived 3 times/);
    await screenshot(page, 'demo-duplicated');
  });

  it('counts a V2 delivery with a wrong signature as refused by the server, not as nothing new', async () => {
    const page = await open({ api: 'v2' });
    await page.selectOption(field('v2', 'webhook-mode'), 'wrong_signature');
    await page.click(action('v2', 'card'));
    await toResult(page);
    await expectStatus(page, 'paid', false);
    const note = await page.waitForSelector('[data-testid="webhooks-note"][data-refused="1"]');
    expect(await note.textContent()).toMatch(
      /^PortOne’s webhook arrived once and the server did not accept it/,
    );
  });

  it('says which result flag the callback carried, and that the server ignores it', async () => {
    const notes: string[] = [];
    for (const flag of ['imp_success', 'success', 'none']) {
      const page = await open({ api: 'v1' });
      await page.selectOption(field('v1', 'flag'), flag);
      await page.click(action('v1', 'card'));
      await toResult(page);
      await expectStatus(page, 'paid');
      const note = await page.waitForSelector('[data-testid="flag-note"]:not([hidden])');
      expect(await note.getAttribute('data-flag')).toBe(flag === 'none' ? 'none' : `${flag}=true`);
      const text = (await note.textContent()) ?? '';
      expect(text).toMatch(/server (ignores|never reads)/);
      notes.push(text);
      await context?.close();
    }
    expect(new Set(notes).size).toBe(3);
  });

  it('says the server ignores the flag on the mobile redirect too', async () => {
    const page = await open({ api: 'v1', mobile: true });
    await page.selectOption(field('v1', 'flag'), 'success');
    await page.click(action('v1', 'card'));
    await toResult(page);
    await expectStatus(page, 'paid');
    const note = await page.waitForSelector('[data-testid="flag-note"]:not([hidden])');
    expect(await note.getAttribute('data-flag')).toBe('redirect');
    expect(await note.textContent()).toMatch(
      /sent the browser back .* ignores that flag on purpose/,
    );
  });

  it.each([
    ['V1 refused before any payment, on mobile', { api: 'v1', mobile: true }, 'tamper'],
    ['V2 by callback (it has no flag)', { api: 'v2' }, 'card'],
    ['V2 on mobile (it has no flag)', { api: 'v2', mobile: true }, 'card'],
  ] as const)('shows no flag note for %s', async (_, checkout, act) => {
    const page = await open(checkout);
    if (act === 'tamper') await tamper(page, checkout.api);
    else {
      await page.click(action(checkout.api, 'card'));
      await toResult(page);
    }
    await page.waitForSelector(`[data-testid="order-status"][data-status]`);
    await expectStatus(page, act === 'tamper' ? 'pending' : 'paid');
    expect(await page.isHidden('[data-testid="flag-note"]')).toBe(true);
  });

  it('lists the browser callback even when an immediate webhook settled the order first', async () => {
    const page = await open({ api: 'v1' });
    await page.selectOption(field('v1', 'webhook'), 'immediate');
    await page.click(action('v1', 'card'));
    await toResult(page);
    await expectStatus(page, 'paid', true);
    await page.waitForSelector('[data-testid="history"] [data-source="complete"]');
    await screenshot(page, 'demo-immediate-webhook');
  });

  it('lists the mobile redirect even when an immediate webhook settled the order first', async () => {
    const page = await open({ api: 'v1', mobile: true });
    await page.selectOption(field('v1', 'webhook'), 'immediate');
    await page.click(action('v1', 'card'));
    await toResult(page);
    await expectStatus(page, 'paid', true);
    const line = await page.waitForSelector('[data-testid="history"] [data-source="redirect"]');
    expect(await line.textContent()).toMatch(
      /Mobile redirect.*server answered “Success”, nothing changed/,
    );
  });

  it('shows no disagreement after an ordinary deposit', async () => {
    const page = await open({ api: 'v1', method: 'vbank' });
    await page.click(action('v1', 'vbank'));
    await toResult(page);
    await expectStatus(page, 'vbank_issued', true);
    await page.click('[data-testid="deposit"]');
    await expectStatus(page, 'paid', true);
    await page.waitForSelector('[data-testid="poll-state"][data-state="settled"]');
    expect(await page.isHidden('#mismatch')).toBe(true);
  });
});
