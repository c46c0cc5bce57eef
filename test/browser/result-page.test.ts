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

/** Opens the shop in English switched to V1, pays by `method` with `button`, and waits for the window. */
const startCheckout = async (
  page: Page,
  stack: RunningStack,
  button: 'pay' | 'pay-mobile',
  method = 'card',
) => {
  await page.goto(`${stack.url}/?lang=en`);
  await page.click('[data-testid="api-v1"]');
  await page.selectOption('[data-testid="pay-method"]', method);
  await page.click(`[data-testid="${button}"]`);
  await page.waitForSelector('#imp-checkout');
};

/** Counts the page's reads of its order (GET /shop/orders/{merchant_uid}). */
const countOrderReads = (page: Page): { count: number } => {
  const reads = { count: 0 };
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/shop/orders/')) reads.count++;
  });
  return reads;
};

const post = async (url: string, body: unknown) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok, `${url}: ${await response.clone().text()}`).toBe(true);
  return response.json();
};

const pollState = (page: Page) =>
  page.$eval('[data-testid="poll-state"]', (node) => ({
    state: (node as HTMLElement).dataset.state,
    pending: (node as HTMLElement).dataset.pending,
    text: node.textContent ?? '',
  }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the result page on npm start, with the reconciler every second', () => {
  let stack: RunningStack;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    // An unconfirmed order is looked up 4 s after its last write, so the test
    // sees it provisional first, then settled by the scheduled run.
    stack = await startStack({ LOCAL_RECONCILE_EVERY: '1', LOCAL_RECONCILE_AFTER: '4' });
  });
  afterAll(() => stack?.stop());
  beforeEach(async () => {
    context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
  });
  afterEach(() => context?.close());

  it('keeps checking a virtual account with backoff, and settles paid on a deposit made outside the page', async () => {
    // Prepare
    await startCheckout(page, stack, 'pay', 'vbank');
    await page.click('[data-imp-action="vbank"]');
    await toResult(page);
    await expectStatus(page, 'vbank_issued', true);
    const reads = countOrderReads(page);

    // Act: 20 s of an order final in the API's sense that still awaits its deposit
    await sleep(20_000);
    const readsWhileWaiting = reads.count;
    const waiting = await pollState(page);

    // Assess: still checking (a stopped page would read 0 times), backing off
    // (1 s, 2, 4, 8, 15: about 5 reads, where every second would be 20)
    expect(readsWhileWaiting).toBeGreaterThanOrEqual(3);
    expect(readsWhileWaiting).toBeLessThanOrEqual(7);
    expect(waiting).toMatchObject({ state: 'live', pending: 'pending.deposit' });
    expect(waiting.text).toContain('Waiting for your deposit');

    // Act: the buyer's bank deposits; PortOne records it and sends its webhook
    const { imp_uid } = await orderOf(stack, page);
    await post(`${stack.simulatorUrl}/__sim/payments/${imp_uid}/deposit`, {});
    await post(`${stack.simulatorUrl}/__sim/webhooks`, { imp_uid });

    // Assess: paid within the longest wait, with no click, and no look after that
    await page.waitForSelector(
      '[data-testid="order-status"][data-status="paid"][data-final="true"]',
      {
        timeout: 20_000,
      },
    );
    expect(await pollState(page)).toMatchObject({ state: 'settled', pending: '' });
    await screenshot(page, 'vbank-deposited-outside');
    const readsWhenSettled = reads.count;
    await sleep(3_000);
    expect(reads.count).toBe(readsWhenSettled);
  }, 90_000);

  it('settles a V2 virtual account paid on a deposit from PortOne’s console, without a click', async () => {
    // Prepare: V2 is the shop's default
    await page.goto(`${stack.url}/?lang=en`);
    await page.selectOption('[data-testid="pay-method"]', 'vbank');
    await page.click('[data-testid="pay"]');
    await page.waitForSelector('#portone-checkout');
    await page.click('[data-portone-action="vbank"]');
    await toResult(page);
    await expectStatus(page, 'vbank_issued', true);
    await sleep(5_000); // the page has backed off by now

    // Act: the deposit, and its signed webhook, come from the simulator's console
    const { payment_id } = await orderOf(stack, page);
    await post(`${stack.simulatorUrl}/__sim/v2/payments/${payment_id}/deposit`, {});

    // Assess
    await page.waitForSelector(
      '[data-testid="order-status"][data-status="paid"][data-final="true"]',
      {
        timeout: 20_000,
      },
    );
    expect(await pollState(page)).toMatchObject({ state: 'settled' });
  }, 60_000);

  it('settles a closed window as failed through the scheduled reconciler, saying what it waits for', async () => {
    // Prepare
    await startCheckout(page, stack, 'pay-mobile');

    // Act
    await page.click('[data-imp-action="close"]');
    await toResult(page);

    // Assess: provisional first, in a shopper's words, then confirmed by the schedule
    await expectStatus(page, 'failed', false);
    const provisional = await pollState(page);
    expect(provisional).toMatchObject({ state: 'live', pending: 'pending.confirmFailed' });
    expect(provisional.text).toContain('Checking once more with PortOne');
    await screenshot(page, 'closed-window-provisional');
    await page.waitForSelector(
      '[data-testid="order-status"][data-status="failed"][data-final="true"]',
      {
        timeout: 30_000,
      },
    );
    expect(await pollState(page)).toMatchObject({ state: 'settled' });
    expect(await page.$$('#history [data-source="reconcile"][data-final="true"]')).toHaveLength(1);
    // What the shopper reads (the raw order view below is the API's data, for developers).
    for (const card of ['#order-card', '#history-card']) {
      expect(await page.innerText(card)).not.toMatch(/reconcil/i);
    }
    expect(await orderOf(stack, page)).toMatchObject({ status: 'failed', final: true });
    await screenshot(page, 'closed-window-settled');
  }, 60_000);

  it('settles a declined card as failed through the scheduled reconciler', async () => {
    await startCheckout(page, stack, 'pay');
    await page.click('[data-imp-action="decline"]');
    await toResult(page);
    await page.waitForSelector(
      '[data-testid="order-status"][data-status="failed"][data-final="true"]',
      {
        timeout: 30_000,
      },
    );
    expect(await orderOf(stack, page)).toMatchObject({ status: 'failed', final: true });
  }, 60_000);

  it('settles a closed V2 window as failed and stops checking (V2 sends a webhook for it)', async () => {
    await page.goto(`${stack.url}/?lang=en`);
    await page.click('[data-testid="pay"]');
    await page.waitForSelector('#portone-checkout');
    await page.click('#portone-checkout [data-portone-action="close"]');
    await toResult(page);
    await page.waitForSelector(
      '[data-testid="order-status"][data-status="failed"][data-final="true"]',
      {
        timeout: 30_000,
      },
    );
    expect(await pollState(page)).toMatchObject({ state: 'settled' });
    expect(await page.$$('#history [data-source="webhook"][data-final="true"]')).toHaveLength(1);
  }, 60_000);
});
