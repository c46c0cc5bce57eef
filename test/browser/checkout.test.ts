import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser';
import { type RunningStack, startStack } from './support/local-stack';
import { expectStatus, orderOf, toResult } from './support/shop';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const startCheckout = async (
  page: Page,
  stack: RunningStack,
  button: 'pay' | 'pay-mobile',
  method = 'card',
) => {
  await page.goto(`${stack.url}/`);
  // V2 is the shop's default: these are the V1 flows, chosen with the switch.
  await page.click('[data-testid="api-v1"]');
  await page.selectOption('[data-testid="pay-method"]', method);
  await page.click(`[data-testid="${button}"]`);
  await page.waitForSelector('#imp-checkout');
};

describe('the demo shop on npm start, switched to V1', () => {
  let stack: RunningStack;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    stack = await startStack();
    console.log(`npm start reached ready in ${stack.readyMs} ms`);
  });
  afterAll(() => stack?.stop());
  beforeEach(async () => {
    context = await browser.newContext({ locale: 'ko-KR' });
    page = await context.newPage();
  });
  afterEach(() => context?.close());

  it('pays by card through the callback and settles paid and final', async () => {
    const called: string[] = [];
    page.on('request', (request) => called.push(new URL(request.url()).pathname));
    await startCheckout(page, stack, 'pay');
    await page.click('[data-imp-action="card"]');
    await toResult(page);
    await expectStatus(page, 'paid', true);
    await screenshot(page, 'card-callback');
    expect(await orderOf(stack, page)).toMatchObject({ status: 'paid', final: true });
    // The pages read the full order through the shop's own backend, never the trusted route.
    expect(called).toContain('/payments/complete');
    expect(called.some((path) => path.startsWith('/shop/orders/'))).toBe(true);
    expect(called.filter((path) => path.startsWith('/orders'))).toEqual([]);
  });

  it('pays by card through the mobile redirect, even with no success flag', async () => {
    await startCheckout(page, stack, 'pay-mobile');
    await page.selectOption('[data-imp-field="flag"]', 'none');
    await page.selectOption('[data-imp-field="webhook"]', 'after_redirect');
    await page.click('[data-imp-action="card"]');
    await toResult(page);
    expect(new URL(page.url()).searchParams.get('status')).toBe('success');
    await expectStatus(page, 'paid', true);
    await screenshot(page, 'card-redirect');
  });

  it('issues a virtual account, then settles paid when the deposit arrives', async () => {
    await startCheckout(page, stack, 'pay', 'vbank');
    await page.click('[data-imp-action="vbank"]');
    await toResult(page);
    await expectStatus(page, 'vbank_issued', true);
    await expect(page.textContent('[data-testid="vbank"]')).resolves.toMatch(/\d/);
    await screenshot(page, 'vbank-issued');
    await page.click('[data-testid="deposit"]');
    await expectStatus(page, 'paid', true);
    await screenshot(page, 'vbank-deposited');
  });

  it('offers only what the chosen method can do, with drop-downs that look like drop-downs', async () => {
    const actionsOf = () =>
      page.$$eval('#imp-checkout [data-imp-action]', (nodes) =>
        nodes.map((node) => node.getAttribute('data-imp-action')),
      );
    await startCheckout(page, stack, 'pay', 'vbank');
    const vbankActions = await actionsOf();
    // The shop's own CSS says select { appearance: none }; the window's selects must not inherit it.
    const appearances = await page.$$eval('#imp-checkout select', (nodes) =>
      nodes.map((node) => getComputedStyle(node).appearance),
    );
    await page.click('#imp-checkout [data-imp-action="close"]');
    await toResult(page);
    await startCheckout(page, stack, 'pay', 'card');
    const cardActions = await actionsOf();

    expect(vbankActions).toEqual(['close', 'vbank', 'tamper']);
    expect(cardActions).toEqual(expect.arrayContaining(['close', 'card', 'decline', 'tamper']));
    expect(cardActions).not.toContain('vbank');
    expect(appearances).toHaveLength(2);
    for (const appearance of appearances) expect(appearance).not.toBe('none');
  });

  it('shows a declined card as failed', async () => {
    await startCheckout(page, stack, 'pay');
    await page.click('[data-imp-action="decline"]');
    await toResult(page);
    await expectStatus(page, 'failed');
    await screenshot(page, 'declined');
    expect(await orderOf(stack, page)).toMatchObject({ status: 'failed' });
  });

  it('shows a closed payment window as failed', async () => {
    await startCheckout(page, stack, 'pay-mobile');
    await page.click('[data-imp-action="close"]');
    await toResult(page);
    await expectStatus(page, 'failed');
    await screenshot(page, 'closed-window');
  });

  it('refuses a tampered amount in the window when the amount was pre-registered', async () => {
    await startCheckout(page, stack, 'pay');
    await page.fill('[data-imp-field="tamper-amount"]', '100');
    await page.click('[data-imp-action="tamper"]');
    await toResult(page);
    await expectStatus(page, 'pending');
    const order = await orderOf(stack, page);
    expect(order.attempts).toEqual([]);
    await screenshot(page, 'tamper-blocked');
  });
});

describe('the demo shop without amount pre-registration (PORTONE_PREPARE=false)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ PORTONE_PREPARE: 'false' });
  });
  afterAll(() => stack?.stop());

  it('shows a tampered amount as forgery and cancels the payment', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      await startCheckout(page, stack, 'pay');
      await page.fill('[data-imp-field="tamper-amount"]', '100');
      await page.click('[data-imp-action="tamper"]');
      await toResult(page);
      expect(new URL(page.url()).searchParams.get('status')).toBe('forgery');
      await expectStatus(page, 'forgery');
      await screenshot(page, 'forgery');
      const order = await orderOf(stack, page);
      expect(order.attempts[0]).toMatchObject({
        verdict: 'forgery',
        cancellation: { state: 'done' },
      });
      const payment = await (
        await fetch(`${stack.simulatorUrl}/__sim/payments/${order.attempts[0]?.imp_uid}`)
      ).json();
      expect(payment).toMatchObject({ status: 'cancelled', cancel_amount: 100 });
    } finally {
      await context.close();
    }
  });
});
