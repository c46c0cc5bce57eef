import { verify } from '@portone/server-sdk/webhook';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_V2_WEBHOOK_SECRET, type RunningSimulator } from '../../simulator/portone';
import { startReceiver } from '../component/simulator/portone/support';
import { launchBrowser, screenshot } from './support/browser';
import { startV2Shop } from './support/v2-shop';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

describe('the V2 browser SDK stand-in in Chromium', () => {
  let browser: Browser;
  let sim: RunningSimulator;
  let receiver: Receiver;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
    receiver = await startReceiver();
    sim = await startV2Shop();
  });
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    await sim.control.reset();
    await sim.control.v2.configure({ webhookUrl: receiver.url });
    receiver.requests.length = 0;
  });
  afterEach(() => context?.close());

  it('pays in the window on a PC: the promise resolves, the payment is PAID, the webhook is signed', async () => {
    context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(`${sim.url}/shop/v2?paymentId=pay-pc-1`);
    await page.click('[data-testid="pay"]');
    await page.waitForSelector('#portone-checkout');
    expect(await page.textContent('[data-portone-field="amount"]')).toBe('64,900원');
    await page.selectOption('[data-portone-field="webhook-mode"]', 'duplicate');
    await screenshot(page, 'v2-checkout-window');
    await page.click('[data-portone-action="card"]');
    await page.waitForSelector('[data-testid="result"][data-done="true"]');
    const response = JSON.parse((await page.textContent('[data-testid="result"]')) ?? '');
    const payment = await sim.control.v2.getPayment('pay-pc-1');
    expect(response).toEqual({
      transactionType: 'PAYMENT',
      paymentId: 'pay-pc-1',
      txId: payment.transactionId,
    });
    expect(payment).toMatchObject({ status: 'PAID', amount: { total: 64900 }, currency: 'KRW' });
    expect(await page.$('#portone-checkout')).toBeNull();
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((w) => [w.trigger, w.type, w.mode])).toEqual([
      ['checkout', 'Transaction.Paid', 'duplicate'],
      ['checkout', 'Transaction.Paid', 'duplicate'],
    ]);
    expect(receiver.requests).toHaveLength(2);
    const [first] = receiver.requests;
    expect(
      await verify(DEFAULT_V2_WEBHOOK_SECRET, first?.body ?? '', first?.headers ?? {}),
    ).toEqual({
      type: 'Transaction.Paid',
      timestamp: expect.any(String),
      data: {
        paymentId: 'pay-pc-1',
        storeId: payment.storeId,
        transactionId: payment.transactionId,
      },
    });
  });

  it('resolves a closed window with FAILURE_TYPE_PG', async () => {
    context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(`${sim.url}/shop/v2?paymentId=pay-pc-2`);
    await page.click('[data-testid="pay"]');
    await page.click('#portone-checkout [data-portone-action="close"]');
    await page.waitForSelector('[data-testid="result"][data-done="true"]');
    const response = JSON.parse((await page.textContent('[data-testid="result"]')) ?? '');
    expect(response).toMatchObject({
      paymentId: 'pay-pc-2',
      code: 'FAILURE_TYPE_PG',
      message: '사용자가 결제를 취소하였습니다.',
    });
    expect((await sim.control.v2.getPayment('pay-pc-2')).status).toBe('FAILED');
  });

  it('redirects a phone back to redirectUrl with the tampered payment’s ids', async () => {
    context = await browser.newContext({
      locale: 'ko-KR',
      userAgent: IPHONE,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${sim.url}/shop/v2?paymentId=pay-m-1&amount=100`);
    await page.click('[data-testid="pay"]');
    await page.waitForSelector('#portone-checkout');
    await screenshot(page, 'v2-checkout-mobile-window');
    await page.click('[data-portone-action="card"]');
    await page.waitForURL(/\/shop\/v2\/complete\?/);
    const payment = await sim.control.v2.getPayment('pay-m-1');
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
      paymentId: 'pay-m-1',
      transactionType: 'PAYMENT',
      txId: payment.transactionId,
    });
    // The page asked for 100 instead of the shop's 64900: the REST API shows what was paid.
    expect(payment).toMatchObject({ status: 'PAID', amount: { total: 100 } });
  });
});
