import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  CheckoutAnswer,
  CheckoutCompleteInput,
  CheckoutParams,
  RunningSimulator,
  SimPayment,
} from '../../../../simulator/portone';
import { VBANK_VALIDITY_SECONDS } from '../../../../simulator/portone/payment-factory';
import { type FakeElement, runScript } from './fake-dom';
import { Api, type Receiver, startReceiver, startSim } from './support';

let sim: RunningSimulator;
let api: Api;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startSim({ webhookUrl: receiver.url });
  api = new Api(sim.url);
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(async () => {
  await sim.control.reset();
  receiver.requests.length = 0;
});

const params = (overrides: Partial<CheckoutParams> = {}): CheckoutParams => ({
  pg: 'html5_inicis.INIpayTest',
  pay_method: 'card',
  merchant_uid: 'order-c1',
  name: '노르웨이 회전 의자',
  amount: 64900,
  buyer_email: 'buyer@example.com',
  buyer_name: '홍길동',
  buyer_tel: '010-4242-4242',
  ...overrides,
});

const complete = (
  action: CheckoutCompleteInput['action'],
  extra: Partial<CheckoutCompleteInput> & { p?: Partial<CheckoutParams> } = {},
): Promise<CheckoutAnswer> => {
  const { p, ...rest } = extra;
  return sim.control.checkoutComplete({ params: params(p), action, ...rest });
};

const prepare = async (merchantUid: string, amount: number) => {
  const token = await api.getToken();
  const answer = await api.call('POST', '/payments/prepare', {
    token,
    body: { merchant_uid: merchantUid, amount },
  });
  expect(answer.body.code).toBe(0);
};

const post = (path: string, body: unknown) =>
  fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const bodies = (r: Receiver) => r.requests.map((q) => JSON.parse(q.body) as Record<string, string>);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('POST /__sim/checkout/open', () => {
  it('lets the window open for a fresh merchant_uid and a matching prepared amount', async () => {
    expect(
      await sim.control.checkoutOpen({ merchant_uid: 'order-c1', amount: 64900, currency: 'KRW' }),
    ).toEqual({ blocked: false });
    await prepare('order-c2', 1000);
    expect(await sim.control.checkoutOpen({ merchant_uid: 'order-c2', amount: 1000 })).toEqual({
      blocked: false,
    });
  });

  it('blocks an amount that differs from the prepared one', async () => {
    await prepare('order-c1', 64900);
    const answer = await sim.control.checkoutOpen({
      merchant_uid: 'order-c1',
      amount: 100,
      currency: 'KRW',
      params: params({ amount: 100 }),
    });
    expect(answer).toMatchObject({
      blocked: true,
      report: {
        imp_success: false,
        imp_uid: null,
        merchant_uid: 'order-c1',
        pay_method: 'card',
        paid_amount: 0,
        name: '노르웨이 회전 의자',
        pg_provider: 'html5_inicis',
        error_code: 'F1001',
      },
    });
    expect(answer.blocked && answer.report.error_msg).toMatch(/사전등록된 금액과 다릅니다/);
    expect(await sim.control.listPayments()).toEqual([]);
  });

  it('blocks a merchant_uid that already has a paid payment', async () => {
    await complete('card');
    const answer = await sim.control.checkoutOpen({ merchant_uid: 'order-c1', amount: 64900 });
    expect(answer).toMatchObject({
      blocked: true,
      report: {
        imp_uid: null,
        error_code: 'F1002',
        error_msg: '이미 결제가 이루어진 거래건입니다.',
      },
    });
  });

  it('does not block a merchant_uid whose earlier attempt failed', async () => {
    await complete('decline');
    expect(await sim.control.checkoutOpen({ merchant_uid: 'order-c1', amount: 64900 })).toEqual({
      blocked: false,
    });
  });

  it('answers the redirect target of a blocked window without an imp_uid', async () => {
    await prepare('order-c1', 64900);
    const answer = await sim.control.checkoutOpen({
      merchant_uid: 'order-c1',
      amount: 1,
      params: params({ amount: 1, m_redirect_url: 'http://shop.test/result?from=pay' }),
    });
    const target = new URL((answer as CheckoutAnswer).redirect ?? '');
    expect(target.pathname).toBe('/result');
    expect(target.searchParams.get('from')).toBe('pay');
    expect(target.searchParams.has('imp_uid')).toBe(false);
    expect(target.searchParams.get('merchant_uid')).toBe('order-c1');
    expect(target.searchParams.get('imp_success')).toBe('false');
    expect(target.searchParams.get('error_code')).toBe('F1001');
  });

  it('answers 400 without merchant_uid or amount', async () => {
    expect((await post('/__sim/checkout/open', { amount: 1 })).status).toBe(400);
    expect((await post('/__sim/checkout/open', { merchant_uid: 'x', amount: -1 })).status).toBe(
      400,
    );
  });
});

describe('POST /__sim/checkout/complete', () => {
  const viaApi = async (impUid: string) => {
    const token = await api.getToken();
    const answer = await api.call<SimPayment>('GET', `/payments/${impUid}`, { token });
    expect(answer.status).toBe(200);
    return answer.body.response;
  };

  it('approves a card payment that the API then serves', async () => {
    const { blocked, report } = await complete('card', { p: { custom_data: { cart: 7 } } });
    expect(blocked).toBe(false);
    expect(report).toEqual({
      imp_success: true,
      imp_uid: expect.stringMatching(/^imp_\d{12}$/),
      merchant_uid: 'order-c1',
      pay_method: 'card',
      paid_amount: 64900,
      status: 'paid',
      name: '노르웨이 회전 의자',
      pg_provider: 'html5_inicis',
    });
    const impUid = report.imp_uid ?? '';
    const payment = await sim.control.getPayment(impUid);
    expect(payment).toMatchObject({
      status: 'paid',
      pay_method: 'card',
      amount: 64900,
      currency: 'KRW',
      channel: 'pc',
      pg_provider: 'html5_inicis',
      pg_id: 'INIpayTest',
      buyer_name: '홍길동',
      buyer_email: 'buyer@example.com',
      buyer_tel: '010-4242-4242',
      custom_data: '{"cart":7}',
    });
    // Approved as the window opened, on the sim clock (real time in whole seconds: it may tick meanwhile).
    expect(payment.paid_at).toBeGreaterThanOrEqual(payment.started_at);
    expect(payment.paid_at).toBeLessThanOrEqual(await sim.control.now());
    expect(await viaApi(impUid)).toEqual(payment);
  });

  it('records a mobile channel when m_redirect_url is given', async () => {
    const { report } = await complete('card', { p: { m_redirect_url: 'http://shop.test/r' } });
    expect((await sim.control.getPayment(report.imp_uid ?? '')).channel).toBe('mobile');
  });

  it('issues a virtual account as a ready vbank payment', async () => {
    const { report } = await complete('vbank', { p: { pay_method: 'vbank' } });
    const payment = await viaApi(report.imp_uid ?? '');
    expect(payment).toMatchObject({ status: 'ready', pay_method: 'vbank', paid_at: 0 });
    expect(payment.vbank_num).toMatch(/^\d+$/);
    expect(payment.vbank_date).toBe(payment.vbank_issued_at + VBANK_VALIDITY_SECONDS);
    expect(report).toMatchObject({
      imp_success: true,
      status: 'ready',
      pay_method: 'vbank',
      paid_amount: 64900,
      vbank_num: payment.vbank_num,
      vbank_name: payment.vbank_name,
      vbank_holder: payment.vbank_holder,
      vbank_date: payment.vbank_date,
    });
    expect(report.error_code).toBeUndefined();
  });

  it('fails a declined card with its reason', async () => {
    const { report } = await complete('decline');
    expect(report).toMatchObject({
      imp_success: false,
      status: 'failed',
      paid_amount: 0,
      error_code: 'F0004',
      error_msg: '카드 승인이 거절되었습니다.',
    });
    expect(await viaApi(report.imp_uid ?? '')).toMatchObject({
      status: 'failed',
      fail_reason: '카드 승인이 거절되었습니다.',
    });
  });

  it('fails a closed window as cancelled by the user', async () => {
    const { report } = await complete('close', { p: { pay_method: 'trans' } });
    expect(report).toMatchObject({
      imp_success: false,
      status: 'failed',
      pay_method: 'trans',
      error_code: 'F400',
      error_msg: '사용자가 결제를 취소하셨습니다',
    });
    expect(await sim.control.getPayment(report.imp_uid ?? '')).toMatchObject({
      status: 'failed',
      fail_reason: '사용자가 결제를 취소하셨습니다',
    });
  });

  it('pays a tampered amount when nothing was prepared', async () => {
    const { blocked, report } = await complete('tamper', { tamperAmount: 500 });
    expect(blocked).toBe(false);
    expect(report).toMatchObject({ imp_success: true, status: 'paid', paid_amount: 500 });
    expect(await viaApi(report.imp_uid ?? '')).toMatchObject({ status: 'paid', amount: 500 });
    const { report: byDefault } = await complete('tamper', { p: { merchant_uid: 'order-c9' } });
    expect(byDefault.paid_amount).toBe(100);
  });

  it('blocks a tampered amount when the merchant_uid was prepared', async () => {
    await prepare('order-c1', 64900);
    const answer = await complete('tamper', { tamperAmount: 500 });
    expect(answer).toMatchObject({
      blocked: true,
      report: { imp_uid: null, error_code: 'F1001', imp_success: false },
    });
    expect(await sim.control.listPayments()).toEqual([]);
    expect((await complete('card')).report.status).toBe('paid');
  });

  it('blocks any action on a merchant_uid that is already paid', async () => {
    await complete('card');
    const answer = await complete('card');
    expect(answer).toMatchObject({ blocked: true, report: { error_code: 'F1002' } });
    expect(await sim.control.listPayments('order-c1')).toHaveLength(1);
  });

  it('answers 400 for an unknown action or a missing param', async () => {
    expect((await post('/__sim/checkout/complete', { params: params(), action: 'x' })).status).toBe(
      400,
    );
    expect((await post('/__sim/checkout/complete', { action: 'card' })).status).toBe(400);
    const noUid = { ...params(), merchant_uid: undefined };
    expect((await post('/__sim/checkout/complete', { params: noUid, action: 'card' })).status).toBe(
      400,
    );
    const bad = { params: params(), action: 'card', webhook: 'sometimes' };
    expect((await post('/__sim/checkout/complete', bad)).status).toBe(400);
  });
});

describe('checkout reports', () => {
  const query = (answer: CheckoutAnswer) => new URL(answer.redirect ?? '').searchParams;
  const redirect = { m_redirect_url: 'http://shop.test/payments/result' };

  it('redirects with imp_success by default', async () => {
    const answer = await complete('card', { p: redirect });
    expect(answer.redirect).toBe(
      `http://shop.test/payments/result?imp_uid=${answer.report.imp_uid}&merchant_uid=order-c1&imp_success=true`,
    );
  });

  it('redirects with success=false and the error on failure', async () => {
    const answer = await complete('decline', { p: redirect, flag: 'success' });
    const q = query(answer);
    expect(q.get('imp_uid')).toBe(answer.report.imp_uid);
    expect(q.get('success')).toBe('false');
    expect(q.has('imp_success')).toBe(false);
    expect(q.get('error_code')).toBe('F0004');
    expect(q.get('error_msg')).toBe('카드 승인이 거절되었습니다.');
  });

  it('redirects without any flag for none', async () => {
    const answer = await complete('close', {
      p: { m_redirect_url: 'http://shop.test/r?lang=ko' },
      flag: 'none',
    });
    expect(answer.redirect).toMatch(/^http:\/\/shop\.test\/r\?lang=ko&imp_uid=imp_\d+&/);
    const q = query(answer);
    expect(q.has('imp_success')).toBe(false);
    expect(q.has('success')).toBe(false);
    expect(q.get('error_code')).toBe('F400');
  });

  it('reports imp_success=true for an issued virtual account', async () => {
    expect(query(await complete('vbank', { p: redirect })).get('imp_success')).toBe('true');
  });

  it('shapes the callback object per flag', async () => {
    const a = await complete('card', { flag: 'success', p: { merchant_uid: 'f-1' } });
    expect(a.report.success).toBe(true);
    expect('imp_success' in a.report).toBe(false);
    expect(a.redirect).toBeUndefined();
    const b = await complete('card', { flag: 'none', p: { merchant_uid: 'f-2' } });
    expect('imp_success' in b.report || 'success' in b.report).toBe(false);
    expect(b.report).toMatchObject({ status: 'paid', merchant_uid: 'f-2' });
  });
});

describe('checkout webhooks', () => {
  it('sends the paid notification immediately to the configured URL', async () => {
    const { report } = await complete('card');
    await receiver.waitFor(1);
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/json');
    expect(bodies(receiver)).toEqual([
      { imp_uid: report.imp_uid, merchant_uid: 'order-c1', status: 'paid' },
    ]);
    const log = await sim.control.webhookLog();
    expect(log[0]).toMatchObject({ trigger: 'checkout', outcome: { status: 200 } });
  });

  it('sends a ready notification for an issued virtual account', async () => {
    const { report } = await complete('vbank');
    await receiver.waitFor(1);
    expect(bodies(receiver)).toEqual([
      { imp_uid: report.imp_uid, merchant_uid: 'order-c1', status: 'ready' },
    ]);
  });

  it('sends three copies when duplicated', async () => {
    await complete('card', { webhook: 'duplicated' });
    await receiver.waitFor(3);
    await pause(150);
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
  });

  it('sends nothing for never and for failed payments', async () => {
    await complete('card', { webhook: 'never' });
    await complete('decline', { p: { merchant_uid: 'order-c2' } });
    await complete('close', { p: { merchant_uid: 'order-c3' } });
    await pause(250);
    expect(receiver.requests).toHaveLength(0);
    expect(await sim.control.webhookLog()).toEqual([]);
  });

  it('sends to notice_url instead of the configured URL', async () => {
    const own = await startReceiver();
    try {
      await complete('card', { p: { notice_url: own.url } });
      await own.waitFor(1);
      await pause(100);
      expect(own.requests).toHaveLength(1);
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await own.close();
    }
  });

  it('answers even when the webhook target is down, logging the failure', async () => {
    const gone = await startReceiver();
    await gone.close();
    const { report } = await complete('card', { p: { notice_url: gone.url } });
    expect(report.status).toBe('paid');
    await vi.waitFor(async () => expect(await sim.control.webhookLog()).toHaveLength(1));
    const [entry] = await sim.control.webhookLog();
    expect(entry?.outcome).toHaveProperty('error');
  });

  it('delays delayed by 2 s and after_redirect by 1.5 s after the answer', async () => {
    const delayed = await startReceiver();
    const late = await startReceiver();
    try {
      const started = Date.now();
      await Promise.all([
        complete('card', { webhook: 'delayed', p: { notice_url: delayed.url } }),
        complete('card', {
          webhook: 'after_redirect',
          p: { notice_url: late.url, merchant_uid: 'order-c2' },
        }),
      ]);
      const answered = Date.now() - started;
      // A timing: the answer does not wait for either webhook, which come 1.5 s and 2 s later.
      expect(answered).toBeLessThan(1000);
      await pause(1000);
      expect(delayed.requests).toHaveLength(0);
      expect(late.requests).toHaveLength(0);
      await late.waitFor(1, 2000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      await delayed.waitFor(1, 2000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    } finally {
      await delayed.close();
      await late.close();
    }
  });
});

describe('POST /__sim/checkout/deposit', () => {
  it('pays an issued virtual account and notifies its notice_url', async () => {
    const own = await startReceiver();
    try {
      const { report } = await complete('vbank', { p: { notice_url: own.url } });
      await own.waitFor(1);
      const before = await sim.control.now();
      const paid = await sim.control.checkoutDeposit(report.imp_uid ?? '');
      const after = await sim.control.now();
      expect(paid).toMatchObject({ imp_uid: report.imp_uid, status: 'paid', pay_method: 'vbank' });
      // Paid at the deposit, on the sim clock (real time in whole seconds: it may tick meanwhile).
      expect(paid.paid_at).toBeGreaterThanOrEqual(before);
      expect(paid.paid_at).toBeLessThanOrEqual(after);
      await own.waitFor(2);
      expect(bodies(own).map((b) => b.status)).toEqual(['ready', 'paid']);
      expect((await sim.control.getPayment(report.imp_uid ?? '')).status).toBe('paid');
    } finally {
      await own.close();
    }
  });

  it('sends the deposit notification per delivery option', async () => {
    const { report } = await complete('vbank', { webhook: 'never' });
    await sim.control.checkoutDeposit(report.imp_uid ?? '', 'duplicated');
    await receiver.waitFor(3);
    expect(bodies(receiver).map((b) => b.status)).toEqual(['paid', 'paid', 'paid']);
  });

  it('answers 409 when there is nothing to deposit into', async () => {
    const { report: vbank } = await complete('vbank', { webhook: 'never' });
    await sim.control.checkoutDeposit(vbank.imp_uid ?? '', 'never');
    const { report: card } = await complete('card', { p: { merchant_uid: 'order-c2' } });
    for (const impUid of [vbank.imp_uid, card.imp_uid, 'imp_000000000000']) {
      await expect(sim.control.checkoutDeposit(impUid ?? '')).rejects.toMatchObject({
        status: 409,
      });
    }
    const missing = await post('/__sim/checkout/deposit', {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toHaveProperty('message');
  });
});

describe('checkout CORS', () => {
  it('answers a preflight from any origin', async () => {
    const response = await fetch(`${sim.url}/__sim/checkout/complete`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/);
  });

  it('allows any origin on the answers', async () => {
    const response = await post('/__sim/checkout/open', { merchant_uid: 'o', amount: 1 });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

// --- the browser script, run in a node:vm context with a tiny fake DOM (fake-dom.ts) ---

interface FakePage {
  IMP: {
    init(code: string): void;
    request_pay(params: unknown, callback?: (report: unknown) => void): void;
  };
  body: FakeElement;
  location: { href: string };
  warnings: unknown[][];
  overlay(): FakeElement | undefined;
}

async function loadPage(scriptUrl: string): Promise<FakePage> {
  const page = await runScript(scriptUrl);
  return {
    IMP: page.global.IMP as FakePage['IMP'],
    body: page.body,
    location: page.location,
    warnings: page.warnings,
    overlay: () => page.body.find('id', 'imp-checkout'),
  };
}

describe('GET /v1/iamport.js', () => {
  const scriptUrl = () => `${sim.url}/v1/iamport.js`;

  it('serves parseable JavaScript', async () => {
    const response = await fetch(scriptUrl());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
    const source = await response.text();
    expect(() => new Function(source)).not.toThrow();
    expect(source).not.toMatch(/cdn\.iamport\.kr\/|https:\/\//);
  });

  it('defines IMP.init and IMP.request_pay', async () => {
    const page = await loadPage(scriptUrl());
    expect(typeof page.IMP.init).toBe('function');
    expect(typeof page.IMP.request_pay).toBe('function');
  });

  it('opens the overlay and calls back after approval', async () => {
    const page = await loadPage(scriptUrl());
    page.IMP.init('imp00000000');
    const result = new Promise<Record<string, unknown>>((resolve) =>
      page.IMP.request_pay(params(), (r) => resolve(r as Record<string, unknown>)),
    );
    await vi.waitFor(() => expect(page.overlay()?.tagName).toBe('div'));
    const overlay = page.overlay() as FakeElement;
    expect(['role', 'aria-modal', 'data-merchant-uid'].map((a) => overlay.getAttribute(a))).toEqual(
      ['dialog', 'true', 'order-c1'],
    );
    expect(overlay.style.cssText).toMatch(/position:fixed/);
    expect(overlay.allText).toContain('PortOne 결제 시뮬레이터 · Payment simulator');
    expect(overlay.allText).toContain('노르웨이 회전 의자');
    expect(overlay.allText).toContain('64,900원');
    for (const action of ['card', 'decline', 'close', 'tamper']) {
      expect(overlay.find('data-imp-action', action)?.tagName).toBe('button');
    }
    // A card payment's window cannot issue a virtual account (a vbank order's offers only that).
    expect(overlay.find('data-imp-action', 'vbank')).toBeUndefined();
    expect(overlay.find('data-imp-field', 'tamper-amount')?.value).toBe('100');
    const webhook = overlay.find('data-imp-field', 'webhook') as FakeElement;
    expect(webhook.value).toBe('immediate');
    expect(webhook.children.map((o) => o.getAttribute('value'))).toEqual([
      'immediate',
      'delayed',
      'duplicated',
      'after_redirect',
      'never',
    ]);
    const flag = overlay.find('data-imp-field', 'flag') as FakeElement;
    expect(flag.children.map((o) => o.getAttribute('value'))).toEqual([
      'imp_success',
      'success',
      'none',
    ]);
    expect(page.warnings).toEqual([]);

    overlay.find('data-imp-action', 'card')?.click();
    const report = await result;
    expect(report).toMatchObject({ imp_success: true, status: 'paid', merchant_uid: 'order-c1' });
    expect(page.overlay()).toBeUndefined();
    expect((await sim.control.getPayment(String(report.imp_uid))).status).toBe('paid');
  });

  it('speaks English only when asked for language en, the order name as given', async () => {
    const page = await loadPage(scriptUrl());
    page.IMP.init('imp00000000');
    page.IMP.request_pay(params({ language: 'en' }));
    await vi.waitFor(() => expect(page.overlay()?.tagName).toBe('div'));
    const overlay = page.overlay() as FakeElement;
    const text = overlay.allText.replace('노르웨이 회전 의자', '');

    expect(overlay.getAttribute('lang')).toBe('en');
    expect(text).toContain('₩64,900');
    expect(text).toContain('Payment method: Credit card (card)');
    expect(overlay.find('data-imp-action', 'card')?.textContent).toBe('Approve (card)');
    expect(text).not.toMatch(/[\uAC00-\uD7A3]/);
    expect(overlay.allText).toContain('노르웨이 회전 의자');
  });

  it('offers the late outcomes as buttons; pending reports ready until approved', async () => {
    const page = await loadPage(scriptUrl());
    page.IMP.init('imp00000000');
    const result = new Promise<Record<string, unknown>>((resolve) =>
      page.IMP.request_pay(params(), (r) => resolve(r as Record<string, unknown>)),
    );
    await vi.waitFor(() => expect(page.overlay()?.tagName).toBe('div'));
    const overlay = page.overlay() as FakeElement;
    expect(['role', 'aria-modal', 'data-merchant-uid'].map((a) => overlay.getAttribute(a))).toEqual(
      ['dialog', 'true', 'order-c1'],
    );
    const labels: Record<string, string> = {
      transfer_later: '계좌이체 (승인 지연)',
      pending: 'PayPal 대기 (나중에 승인)',
      fail_then_pay: '실패 후 승인 (Paymentwall)',
    };
    for (const [action, label] of Object.entries(labels)) {
      const node = overlay.find('data-imp-action', action);
      expect(node?.tagName).toBe('button');
      expect(node?.textContent).toContain(label);
    }
    overlay.find('data-imp-action', 'pending')?.click();
    const report = await result;
    expect(report).toMatchObject({ imp_success: true, status: 'ready', merchant_uid: 'order-c1' });
    const impUid = String(report.imp_uid);
    expect((await sim.control.getPayment(impUid)).status).toBe('ready');
    expect((await sim.control.checkoutApprove(impUid, 'never')).status).toBe('paid');
  });

  it('redirects to m_redirect_url with the chosen flag and tampered amount', async () => {
    const page = await loadPage(scriptUrl());
    page.IMP.request_pay(params({ m_redirect_url: 'http://shop.test/result' }), () => {
      throw new Error('the callback must not be called');
    });
    expect(page.warnings[0]?.join(' ')).toMatch(/before IMP\.init/);
    await vi.waitFor(() => expect(page.overlay()?.tagName).toBe('div'));
    const overlay = page.overlay() as FakeElement;
    expect(['role', 'aria-modal', 'data-merchant-uid'].map((a) => overlay.getAttribute(a))).toEqual(
      ['dialog', 'true', 'order-c1'],
    );
    (overlay.find('data-imp-field', 'flag') as FakeElement).value = 'success';
    (overlay.find('data-imp-field', 'tamper-amount') as FakeElement).value = '700';
    overlay.find('data-imp-action', 'tamper')?.click();
    await vi.waitFor(() => expect(page.location.href).toMatch(/^http:\/\/shop\.test\/result\?/));
    const q = new URL(page.location.href).searchParams;
    expect(q.get('success')).toBe('true');
    const payment = await sim.control.getPayment(q.get('imp_uid') ?? '');
    expect(payment).toMatchObject({ amount: 700, status: 'paid', channel: 'mobile' });
  });

  it('reports a blocked window without showing the overlay', async () => {
    await prepare('order-c1', 64900);
    const page = await loadPage(scriptUrl());
    page.IMP.init('imp00000000');
    const report = await new Promise<Record<string, unknown>>((resolve) =>
      page.IMP.request_pay(params({ amount: 100 }), (r) => resolve(r as Record<string, unknown>)),
    );
    expect(report).toMatchObject({ imp_success: false, imp_uid: null, error_code: 'F1001' });
    expect(page.overlay()).toBeUndefined();
  });
});
