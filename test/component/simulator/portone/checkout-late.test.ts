import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  CheckoutAnswer,
  CheckoutCompleteInput,
  CheckoutParams,
  RunningSimulator,
  SimPayment,
} from '../../../../simulator/portone';
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
  pg: 'html5_inicis',
  pay_method: 'card',
  merchant_uid: 'order-late',
  name: '지연 승인 상품',
  amount: 12_000,
  ...overrides,
});

const complete = (
  action: CheckoutCompleteInput['action'],
  extra: Partial<CheckoutCompleteInput> & { p?: Partial<CheckoutParams> } = {},
): Promise<CheckoutAnswer> => {
  const { p, ...rest } = extra;
  return sim.control.checkoutComplete({ params: params(p), action, ...rest });
};

const bodies = (r: Receiver) => r.requests.map((q) => JSON.parse(q.body) as Record<string, string>);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const viaApi = async (impUid: string) => {
  const token = await api.getToken();
  return (await api.call<SimPayment>('GET', `/payments/${impUid}`, { token })).body.response;
};

describe('checkout action transfer_later', () => {
  it('reports ready, turns paid about 3 s later, then sends the paid webhook', async () => {
    const started = Date.now();
    const { blocked, report, redirect } = await complete('transfer_later', {
      p: { m_redirect_url: 'http://shop.test/r' },
    });
    expect(blocked).toBe(false);
    expect(report).toMatchObject({
      imp_success: true,
      status: 'ready',
      pay_method: 'trans',
      paid_amount: 12_000,
    });
    expect(report.error_code).toBeUndefined();
    expect(new URL(redirect ?? '').searchParams.get('imp_success')).toBe('true');
    const impUid = report.imp_uid ?? '';
    expect(await viaApi(impUid)).toMatchObject({ status: 'ready', paid_at: 0 });
    await pause(1000);
    expect(receiver.requests).toHaveLength(0);
    expect((await sim.control.getPayment(impUid)).status).toBe('ready');

    await receiver.waitFor(1, 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(bodies(receiver)).toEqual([
      { imp_uid: impUid, merchant_uid: 'order-late', status: 'paid' },
    ]);
    expect(await viaApi(impUid)).toMatchObject({ status: 'paid', bank_name: 'KB국민은행' });
  });

  it('is already paid on a read after the sim clock moved past payAt', async () => {
    const { report } = await complete('transfer_later', { webhook: 'never', flag: 'success' });
    expect(report).toMatchObject({ success: true, status: 'ready' });
    const impUid = report.imp_uid ?? '';
    const behavior = await sim.control.getBehavior(impUid);
    const now = await sim.control.now();
    expect(behavior.payAt).toBeGreaterThanOrEqual(now + 2);
    expect(behavior.payAt).toBeLessThanOrEqual(now + 3);
    await sim.control.advanceClock(10);
    expect((await viaApi(impUid)).status).toBe('paid');
  });

  it('sends nothing with webhook never', async () => {
    const { report } = await complete('transfer_later', { webhook: 'never' });
    await pause(3600);
    expect((await sim.control.getPayment(report.imp_uid ?? '')).status).toBe('paid');
    expect(receiver.requests).toHaveLength(0);
    expect(await sim.control.webhookLog()).toEqual([]);
  });
});

describe('checkout action pending', () => {
  it('reports ready and is paid only on /__sim/checkout/approve', async () => {
    const { report } = await complete('pending', { p: { pg: 'paypal_v2', pay_method: 'paypal' } });
    expect(report).toMatchObject({
      imp_success: true,
      status: 'ready',
      pay_method: 'paypal',
      pg_provider: 'paypal_v2',
    });
    const impUid = report.imp_uid ?? '';
    await pause(300);
    expect(receiver.requests).toHaveLength(0);
    expect((await viaApi(impUid)).status).toBe('ready');

    const before = await sim.control.now();
    const approved = await sim.control.checkoutApprove(impUid);
    const after = await sim.control.now();
    expect(approved).toMatchObject({ imp_uid: impUid, status: 'paid' });
    // Paid at the approval, on the sim clock (real time in whole seconds: it may tick meanwhile).
    expect(approved.paid_at).toBeGreaterThanOrEqual(before);
    expect(approved.paid_at).toBeLessThanOrEqual(after);
    await receiver.waitFor(1);
    expect(bodies(receiver)).toEqual([
      { imp_uid: impUid, merchant_uid: 'order-late', status: 'paid' },
    ]);
    await expect(sim.control.checkoutApprove(impUid)).rejects.toMatchObject({ status: 409 });
  });

  it('delivers the approval webhook per mode', async () => {
    const { report } = await complete('pending');
    await sim.control.checkoutApprove(report.imp_uid ?? '', 'duplicated');
    await receiver.waitFor(3);
    expect(bodies(receiver).map((b) => b.status)).toEqual(['paid', 'paid', 'paid']);
  });
});

describe('checkout action fail_then_pay', () => {
  it('reports failed like a decline, then is approved later with a webhook', async () => {
    const { report } = await complete('fail_then_pay', { p: { pg: 'paymentwall' } });
    expect(report).toMatchObject({
      imp_success: false,
      status: 'failed',
      paid_amount: 0,
      error_code: 'F0004',
      error_msg: '카드 승인이 거절되었습니다.',
      pg_provider: 'paymentwall',
    });
    const impUid = report.imp_uid ?? '';
    const failed = await viaApi(impUid);
    expect(failed).toMatchObject({ status: 'failed', fail_reason: '카드 승인이 거절되었습니다.' });
    await pause(200);
    expect(receiver.requests).toHaveLength(0);

    const approved = await sim.control.checkoutApprove(impUid, 'immediate');
    expect(approved).toMatchObject({
      status: 'paid',
      failed_at: failed.failed_at,
      fail_reason: '카드 승인이 거절되었습니다.',
    });
    await receiver.waitFor(1);
    expect(bodies(receiver)).toEqual([
      { imp_uid: impUid, merchant_uid: 'order-late', status: 'paid' },
    ]);
  });
});

describe('POST /__sim/checkout/approve', () => {
  const post = (body: unknown) =>
    fetch(`${sim.url}/__sim/checkout/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers 409 for a paid or unknown payment and 400 for a bad body', async () => {
    const { report } = await complete('card', { webhook: 'never' });
    for (const impUid of [report.imp_uid ?? '', 'imp_000000000000']) {
      await expect(sim.control.checkoutApprove(impUid)).rejects.toMatchObject({ status: 409 });
    }
    expect((await post({})).status).toBe(400);
    const { report: pending } = await complete('pending', { p: { merchant_uid: 'order-l2' } });
    const badMode = await post({ imp_uid: pending.imp_uid, webhook: 'after_redirect' });
    expect(badMode.status).toBe(400);
    expect((await sim.control.getPayment(pending.imp_uid ?? '')).status).toBe('ready');
  });
});
