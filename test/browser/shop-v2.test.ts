import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser';
import { type RunningStack, startStack } from './support/local-stack';
import { expectStatus, orderOf, toldStatus, toResult } from './support/shop';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

/** The V2 payment as the simulator's console shows it. */
const simPayment = async (stack: RunningStack, paymentId: string) => {
  const response = await fetch(
    `${stack.simulatorUrl}/__sim/v2/payments/${encodeURIComponent(paymentId)}`,
  );
  return (await response.json()) as { status: string; amount: { total: number } };
};

/** Opens the shop (V2 by default), pays with the button, and waits for the V2 window. */
const startV2Checkout = async (
  page: Page,
  stack: RunningStack,
  button: 'pay' | 'pay-mobile' = 'pay',
  method = 'card',
): Promise<string> => {
  await page.goto(`${stack.url}/`);
  await page.selectOption('[data-testid="pay-method"]', method);
  await page.click(`[data-testid="${button}"]`);
  const overlay = await page.waitForSelector('#portone-checkout');
  return (await overlay.getAttribute('data-payment-id')) ?? '';
};

/** Every request the page makes, as `METHOD path`. */
const recordRequests = (page: Page): string[] => {
  const seen: string[] = [];
  page.on('request', (request) => {
    seen.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  return seen;
};

describe('the demo shop on npm start, with V2', () => {
  let stack: RunningStack;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());
  afterEach(() => context?.close());

  describe('on a PC', () => {
    let page: Page;
    beforeEach(async () => {
      context = await browser.newContext({ locale: 'ko-KR' });
      page = await context.newPage();
    });

    it('pays by card through the callback and settles paid and final', async () => {
      const seen = recordRequests(page);
      await page.goto(`${stack.url}/`);
      expect(await page.getAttribute('[data-testid="api-v2"]', 'aria-pressed')).toBe('true');
      const total = await page.textContent('[data-testid="total"]');
      const paymentId = await startV2Checkout(page, stack);
      expect(await page.textContent('[data-portone-field="amount"]')).toBe(total);
      await screenshot(page, 'v2-shop-window');
      await page.click('[data-portone-action="card"]');
      await toResult(page);
      expect(toldStatus(page)).toBe('success');
      await expectStatus(page, 'paid', true);
      await screenshot(page, 'v2-shop-paid');
      const order = await orderOf(stack, page);
      // The id came from the shop's backend: issued for this order, not made up by the page.
      expect(paymentId).toMatch(new RegExp(`^${order.merchant_uid}\\.[a-z0-9]{16}$`));
      expect(order).toMatchObject({
        status: 'paid',
        final: true,
        payment_id: paymentId,
        imp_uid: null,
      });
      expect(await simPayment(stack, paymentId)).toMatchObject({
        status: 'PAID',
        amount: { total: order.amount },
      });
      expect(seen).toContain('POST /v2/payments/complete');
      expect(seen).not.toContain('POST /payments/complete');
      expect(seen.filter((line) => / \/orders/.test(line))).toEqual([]);
    });

    it('shows a closed V2 window as failed, with the SDK’s message', async () => {
      const paymentId = await startV2Checkout(page, stack);
      await page.click('#portone-checkout [data-portone-action="close"]');
      await toResult(page);
      expect(toldStatus(page)).toBe('failed');
      await expectStatus(page, 'failed');
      await expect(page.textContent('#sdk-message')).resolves.toContain(
        '사용자가 결제를 취소하였습니다.',
      );
      await screenshot(page, 'v2-shop-closed');
      expect(await orderOf(stack, page)).toMatchObject({ status: 'failed' });
      expect((await simPayment(stack, paymentId)).status).toBe('FAILED');
    });

    it('refuses a tampered amount because the payment id was pre-registered with the price', async () => {
      const paymentId = await startV2Checkout(page, stack);
      await page.fill('[data-portone-field="tamper-amount"]', '100');
      await page.click('[data-portone-action="tamper"]');
      await toResult(page);
      await expect(page.textContent('#sdk-message')).resolves.toContain('사전 등록');
      // PortOne refused it (a FAILED attempt for 100): nothing was paid. The
      // service still sees an attempt for another amount and calls it forgery.
      expect(toldStatus(page)).toBe('forgery');
      await expectStatus(page, 'forgery');
      await screenshot(page, 'v2-shop-tamper-refused');
      const order = await orderOf(stack, page);
      expect(order.attempts).toMatchObject([{ payment_id: paymentId, verdict: 'forgery' }]);
      expect(await simPayment(stack, paymentId)).toMatchObject({
        status: 'FAILED',
        amount: { total: 100 },
      });
    });

    it('issues a virtual account, then settles paid when the deposit arrives', async () => {
      await startV2Checkout(page, stack, 'pay', 'vbank');
      await page.click('[data-portone-action="vbank"]');
      await toResult(page);
      await expectStatus(page, 'vbank_issued', true);
      await page.click('[data-testid="deposit"]');
      await expectStatus(page, 'paid', true);
      await screenshot(page, 'v2-shop-vbank-deposited');
    });

    it('redirects a PC too with Pay on mobile, through GET /v2/payments/complete', async () => {
      const seen = recordRequests(page);
      await startV2Checkout(page, stack, 'pay-mobile');
      await page.click('[data-portone-action="card"]');
      await toResult(page);
      expect(toldStatus(page)).toBe('success');
      await expectStatus(page, 'paid', true);
      expect(seen).toContain('GET /v2/payments/complete');
      expect(seen).not.toContain('POST /v2/payments/complete');
    });

    it('keeps the chosen API for the session and pays with V1 when switched', async () => {
      await page.goto(`${stack.url}/`);
      await page.click('[data-testid="api-v1"]');
      await page.reload();
      expect(await page.getAttribute('[data-testid="api-v1"]', 'aria-pressed')).toBe('true');
      await page.click('[data-testid="pay"]');
      await page.waitForSelector('#imp-checkout');
      expect(await page.$('#portone-checkout')).toBeNull();
      await page.click('[data-imp-action="card"]');
      await toResult(page);
      await expectStatus(page, 'paid', true);
      expect(await orderOf(stack, page)).toMatchObject({ payment_id: null, imp_uid: /^imp_/ });
      // A new session starts on V2 again.
      const other = await context?.browser()?.newContext();
      const fresh = await other?.newPage();
      await fresh?.goto(`${stack.url}/`);
      expect(await fresh?.getAttribute('[data-testid="api-v2"]', 'aria-pressed')).toBe('true');
      await other?.close();
    });
  });

  it.each([
    ['ko-KR', 'ko', 'card', '결제수단: 카드'],
    ['ko-KR', 'ko', 'vbank', '결제수단: 가상계좌'],
    ['en-US', 'en', 'card', 'Payment method: Card'],
    ['en-US', 'en', 'vbank', 'Payment method: Virtual account'],
  ])(
    'names the payment method in the shopper’s words (%s, %s, %s)',
    async (locale, lang, method, says) => {
      context = await browser.newContext({ locale });
      const page = await context.newPage();
      await page.goto(`${stack.url}/?lang=${lang}`);
      await page.selectOption('[data-testid="pay-method"]', method);
      await page.click('[data-testid="pay"]');
      const shown = await page.waitForSelector(
        '#portone-checkout [data-portone-field="pay-method"]',
      );
      expect(await shown.textContent()).toBe(says);
      expect(await shown.getAttribute('data-method')).toBe(
        method === 'card' ? 'CARD' : 'VIRTUAL_ACCOUNT',
      );
    },
  );

  it('pays on a phone through the redirect and settles paid and final', async () => {
    context = await browser.newContext({
      locale: 'en-US',
      userAgent: IPHONE,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const seen = recordRequests(page);
    const paymentId = await startV2Checkout(page, stack);
    await screenshot(page, 'v2-shop-phone-window');
    await page.click('[data-portone-action="card"]');
    await toResult(page);
    expect(toldStatus(page)).toBe('success');
    await expectStatus(page, 'paid', true);
    await screenshot(page, 'v2-shop-phone-paid');
    expect(seen).toContain('GET /v2/payments/complete');
    expect(seen).not.toContain('POST /v2/payments/complete');
    expect(await orderOf(stack, page)).toMatchObject({ status: 'paid', payment_id: paymentId });
  });
});

describe('the demo shop with V2 and without amount pre-registration (PORTONE_PREPARE=false)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startStack({ PORTONE_PREPARE: 'false' });
  });
  afterAll(() => stack?.stop());

  it('shows a tampered V2 amount as forgery and cancels the payment', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      const paymentId = await startV2Checkout(page, stack);
      await page.fill('[data-portone-field="tamper-amount"]', '100');
      await page.click('[data-portone-action="tamper"]');
      await toResult(page);
      expect(toldStatus(page)).toBe('forgery');
      await expectStatus(page, 'forgery');
      await screenshot(page, 'v2-shop-forgery');
      const order = await orderOf(stack, page);
      expect(order.attempts[0]).toMatchObject({
        payment_id: paymentId,
        verdict: 'forgery',
        cancellation: { state: 'done' },
      });
      expect((await simPayment(stack, paymentId)).status).toBe('CANCELLED');
    } finally {
      await context.close();
    }
  });
});
