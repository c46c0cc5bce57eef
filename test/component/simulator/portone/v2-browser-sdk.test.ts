import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_V2_STORE_ID,
  type RunningSimulator,
  type V2PaymentResponse,
} from '../../../../simulator/portone';
import { type FakeElement, type FakeScriptPage, runScript } from './fake-dom';
import { type Receiver, startReceiver, startSim } from './support';
import { callV2 } from './v2-support';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

let sim: RunningSimulator;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startSim({ v2WebhookUrl: receiver.url });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(async () => {
  await sim.control.reset();
  await sim.control.v2.configure({ webhookUrl: receiver.url });
  receiver.requests.length = 0;
});

const request = (overrides: Record<string, unknown> = {}) => ({
  storeId: DEFAULT_V2_STORE_ID,
  channelKey: 'channel-key-shop-live',
  paymentId: 'pay-b1',
  orderName: '노르웨이 회전 의자',
  totalAmount: 64900,
  currency: 'CURRENCY_KRW',
  payMethod: 'CARD',
  redirectUrl: 'http://shop.test/v2/payments/complete',
  ...overrides,
});

interface V2Page extends FakeScriptPage {
  requestPayment(request: unknown): Promise<V2PaymentResponse>;
  overlay(): FakeElement | undefined;
}

const scriptUrl = () => `${sim.url}/v2-browser-sdk.js`;

async function open(options: { userAgent?: string } = {}): Promise<V2Page> {
  const page = await runScript(scriptUrl(), options);
  const portOne = page.global.PortOne as { requestPayment(r: unknown): Promise<V2PaymentResponse> };
  return {
    ...page,
    requestPayment: (r) => portOne.requestPayment(r),
    overlay: () => page.body.find('id', 'portone-checkout'),
  };
}

const shownOverlay = async (page: V2Page) => {
  await vi.waitFor(() => expect(page.overlay()?.tagName).toBe('div'));
  return page.overlay() as FakeElement;
};

describe('GET /v2-browser-sdk.js', () => {
  it('serves parseable JavaScript that calls no real PortOne host', async () => {
    const response = await fetch(scriptUrl());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const source = await response.text();
    expect(() => new Function(source)).not.toThrow();
    expect(source).not.toMatch(/portone\.io|https:\/\//);
  });

  it('defines the global PortOne with requestPayment, found at the simulator that served it', async () => {
    const page = await open();
    const portOne = page.global.PortOne as Record<string, unknown>;
    expect(typeof portOne.requestPayment).toBe('function');
    expect(portOne.simulator).toBe(true);
    expect(portOne.simulatorUrl).toBe(sim.url);
  });

  it('opens the window on a PC and resolves the approval without a code', async () => {
    const page = await open();
    const result = page.requestPayment(request());
    const overlay = await shownOverlay(page);
    expect(['role', 'aria-modal', 'data-payment-id'].map((a) => overlay.getAttribute(a))).toEqual([
      'dialog',
      'true',
      'pay-b1',
    ]);
    expect(overlay.allText).toContain('노르웨이 회전 의자');
    expect(overlay.allText).toContain('64,900원');
    for (const action of ['card', 'decline', 'tamper', 'close']) {
      expect(overlay.find('data-portone-action', action)?.tagName).toBe('button');
    }
    // A card payment's window cannot issue a virtual account.
    expect(overlay.find('data-portone-action', 'vbank')).toBeUndefined();
    const mode = overlay.find('data-portone-field', 'webhook-mode') as FakeElement;
    expect(mode.value).toBe('normal');
    expect(mode.children.map((o) => o.getAttribute('value'))).toEqual([
      'normal',
      'delayed',
      'duplicate',
      'wrong_signature',
      'stale_timestamp',
      'none',
    ]);

    overlay.find('data-portone-action', 'card')?.click();
    const response = await result;
    const payment = await sim.control.v2.getPayment('pay-b1');
    expect(response).toEqual({
      transactionType: 'PAYMENT',
      paymentId: 'pay-b1',
      txId: payment.transactionId,
    });
    expect(payment).toMatchObject({ status: 'PAID', amount: { total: 64900 }, currency: 'KRW' });
    expect(page.overlay()).toBeUndefined();
    expect(page.location.href).toBe('http://shop.test/checkout');
    expect((await sim.control.v2.settleWebhooks()).map((w) => [w.type, w.mode])).toEqual([
      ['Transaction.Paid', 'normal'],
    ]);
  });

  it('speaks English only when asked for locale EN_US, the order name as given', async () => {
    const page = await open();
    void page.requestPayment(request({ locale: 'EN_US', payMethod: 'VIRTUAL_ACCOUNT' }));
    const overlay = await shownOverlay(page);
    const text = overlay.allText.replace('노르웨이 회전 의자', '');

    expect(overlay.getAttribute('lang')).toBe('en');
    expect(text).toContain('₩64,900');
    expect(overlay.find('data-portone-action', 'vbank')?.textContent).toBe('Issue virtual account');
    expect(text).not.toMatch(/[\uAC00-\uD7A3]/);
    expect(overlay.allText).toContain('노르웨이 회전 의자');
    overlay.find('data-portone-action', 'close')?.click();
  });

  it('resolves a declined card and a closed window with FAILURE_TYPE_PG', async () => {
    const page = await open();
    const declined = page.requestPayment(request());
    (await shownOverlay(page)).find('data-portone-action', 'decline')?.click();
    expect(await declined).toMatchObject({
      paymentId: 'pay-b1',
      code: 'FAILURE_TYPE_PG',
      message: '카드 승인이 거절되었습니다.',
    });
    const closed = page.requestPayment(request({ paymentId: 'pay-b2' }));
    (await shownOverlay(page)).find('data-portone-action', 'close')?.click();
    expect(await closed).toMatchObject({
      paymentId: 'pay-b2',
      code: 'FAILURE_TYPE_PG',
      message: '사용자가 결제를 취소하였습니다.',
    });
  });

  it('pays the tampered amount and sends the webhook in the chosen mode', async () => {
    const page = await open();
    const result = page.requestPayment(request());
    const overlay = await shownOverlay(page);
    (overlay.find('data-portone-field', 'tamper-amount') as FakeElement).value = '700';
    (overlay.find('data-portone-field', 'webhook-mode') as FakeElement).value = 'stale_timestamp';
    overlay.find('data-portone-action', 'tamper')?.click();
    expect((await result).code).toBeUndefined();
    expect((await sim.control.v2.getPayment('pay-b1')).amount.total).toBe(700);
    expect((await sim.control.v2.settleWebhooks()).map((w) => w.mode)).toEqual(['stale_timestamp']);
  });

  it('redirects a mobile browser to redirectUrl with paymentId, transactionType and txId', async () => {
    const page = await open({ userAgent: IPHONE });
    let settled = false;
    void page.requestPayment(request()).finally(() => {
      settled = true;
    });
    (await shownOverlay(page)).find('data-portone-action', 'card')?.click();
    await vi.waitFor(() =>
      expect(page.location.href).toMatch(/^http:\/\/shop\.test\/v2\/payments\/complete\?/),
    );
    const payment = await sim.control.v2.getPayment('pay-b1');
    expect(Object.fromEntries(new URL(page.location.href).searchParams)).toEqual({
      paymentId: 'pay-b1',
      transactionType: 'PAYMENT',
      txId: payment.transactionId,
    });
    expect(payment.status).toBe('PAID');
    // Like the real SDK: the page is leaving, the promise never settles.
    expect(settled).toBe(false);
  });

  it('redirects a failure with code and message', async () => {
    const page = await open({ userAgent: IPHONE });
    void page.requestPayment(request());
    (await shownOverlay(page)).find('data-portone-action', 'close')?.click();
    await vi.waitFor(() => expect(page.location.href).toMatch(/\?paymentId=/));
    expect(Object.fromEntries(new URL(page.location.href).searchParams)).toMatchObject({
      paymentId: 'pay-b1',
      code: 'FAILURE_TYPE_PG',
      message: '사용자가 결제를 취소하였습니다.',
    });
  });

  it('redirects a PC too when windowType.pc is REDIRECTION, and not a phone asking for IFRAME', async () => {
    const pc = await open();
    void pc.requestPayment(request({ windowType: { pc: 'REDIRECTION' } }));
    (await shownOverlay(pc)).find('data-portone-action', 'card')?.click();
    await vi.waitFor(() => expect(pc.location.href).toMatch(/\?paymentId=pay-b1&/));

    const phone = await open({ userAgent: IPHONE });
    const result = phone.requestPayment(
      request({ paymentId: 'pay-b2', windowType: { mobile: 'IFRAME' } }),
    );
    (await shownOverlay(phone)).find('data-portone-action', 'card')?.click();
    expect((await result).paymentId).toBe('pay-b2');
    expect(phone.location.href).toBe('http://shop.test/checkout');
  });

  it('refuses a redirect without redirectUrl before asking the simulator', async () => {
    const page = await open({ userAgent: IPHONE });
    const response = await page.requestPayment(request({ redirectUrl: undefined }));
    expect(response).toEqual({
      transactionType: 'PAYMENT',
      paymentId: 'pay-b1',
      txId: '',
      code: 'PORTONE_ERROR',
      message: 'REDIRECTION 방식에는 redirectUrl이 필요합니다.',
    });
    expect(page.overlay()).toBeUndefined();
    expect(await sim.control.v2.listPayments()).toEqual([]);
  });

  it('resolves a pre-registration mismatch with PORTONE_ERROR without showing the window', async () => {
    await callV2(sim.v2Url, 'POST', '/payments/pay-b1/pre-register', {
      body: { totalAmount: 64900 },
    });
    const page = await open();
    const response = await page.requestPayment(request({ totalAmount: 100 }));
    expect(response).toMatchObject({ paymentId: 'pay-b1', code: 'PORTONE_ERROR' });
    expect(response.message).toContain('사전 등록된 결제 정보와 일치하지 않습니다.');
    expect(page.overlay()).toBeUndefined();
    expect((await sim.control.v2.getPayment('pay-b1')).status).toBe('FAILED');
  });

  it('resolves a malformed request with the simulator’s reason', async () => {
    const page = await open();
    const response = await page.requestPayment(request({ orderName: undefined }));
    expect(response).toMatchObject({ code: 'PORTONE_ERROR' });
    expect(response.message).toContain('orderName is required');
    expect(page.overlay()).toBeUndefined();
  });
});
