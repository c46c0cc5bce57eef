import { verify, WebhookVerificationError } from '@portone/server-sdk/webhook';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_V2_WEBHOOK_SECRET,
  type RunningSimulator,
  retryDelayMs,
  type V2WebhookLogEntry,
} from '../../../../simulator/portone';
import { type ReceivedRequest, type Receiver, startReceiver, startSim } from './support';
import { callV2 } from './v2-support';

const reasonOf = async (request: ReceivedRequest | undefined) => {
  try {
    await verify(DEFAULT_V2_WEBHOOK_SECRET, request?.body ?? '', request?.headers ?? {});
    return 'verified';
  } catch (error) {
    return error instanceof WebhookVerificationError ? error.reason : String(error);
  }
};

const statusOf = (entry: V2WebhookLogEntry) =>
  'status' in entry.outcome ? entry.outcome.status : 'error' in entry.outcome ? 'error' : 'skipped';

describe('retryDelayMs', () => {
  const policy = { maxRetries: 5, baseMs: 60_000, jitter: false };

  it('follows PortOne’s 1, 4, 16, 64, 256 minutes without jitter', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(policy, n) / 60_000)).toEqual([
      1, 4, 16, 64, 256,
    ]);
  });

  it('scales each delay by random[0,1) with full jitter', () => {
    const jittered = { ...policy, jitter: true };
    expect([1, 2, 3].map((n) => retryDelayMs(jittered, n, () => 0.5))).toEqual([
      30_000, 120_000, 480_000,
    ]);
    expect(retryDelayMs(jittered, 5, () => 0)).toBe(0);
    expect(retryDelayMs(jittered, 1, () => 0.999_999)).toBe(59_999);
  });

  it('scales with the configured base', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs({ ...policy, baseMs: 2 }, n))).toEqual([
      2, 8, 32, 128, 512,
    ]);
  });
});

describe('automatic V2 webhook re-sends', () => {
  let sim: RunningSimulator;
  const receivers: Receiver[] = [];

  const receiver = async (statuses: number[]) => {
    const started = await startReceiver({ statuses });
    receivers.push(started);
    return started;
  };

  beforeAll(async () => {
    // A 2 ms base keeps the whole schedule (at most 2+8+32+128+512 ms) inside a test.
    sim = await startSim({ v2WebhookRetryBaseMs: 2 });
  });
  afterAll(async () => {
    await sim.close();
    await Promise.all(receivers.map((r) => r.close()));
  });
  beforeEach(async () => {
    await sim.control.reset();
    await sim.control.v2.createPayment({ paymentId: 'p-r', amount: 1000, state: 'paid' });
  });

  it('takes the base delay given at startup', async () => {
    expect(await sim.control.v2.getConfig()).toMatchObject({
      webhookMaxRetries: 5,
      webhookRetryBaseMs: 2,
      webhookRetryJitter: true,
    });
  });

  it('delivers once to a merchant answering 2xx', async () => {
    const ok = await receiver([204]);
    await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: ok.url });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.attempt, statusOf(e)])).toEqual([[1, 204]]);
    expect(ok.requests).toHaveLength(1);
  });

  it('re-sends once after a 500, then stops at the 200: two deliveries', async () => {
    const flaky = await receiver([500, 200]);
    const [first] = await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: flaky.url });
    expect(first && statusOf(first)).toBe(500);
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.attempt, statusOf(e), e.webhookId, e.trigger])).toEqual([
      [1, 500, first?.webhookId, 'control'],
      [2, 200, first?.webhookId, 'control'],
    ]);
    expect(flaky.requests.map((r) => r.headers['webhook-id'])).toEqual([
      first?.webhookId,
      first?.webhookId,
    ]);
    expect(flaky.requests[1]?.body).toBe(flaky.requests[0]?.body);
    expect(await reasonOf(flaky.requests[1])).toBe('verified');
  });

  it('re-sends 5 times to a merchant that always answers 500: 1 + 5 deliveries', async () => {
    const broken = await receiver([500]);
    await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: broken.url });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.attempt, statusOf(e)])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 500],
      [5, 500],
      [6, 500],
    ]);
    expect(broken.requests).toHaveLength(6);
    expect(new Set(broken.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('re-sends to an unreachable merchant 5 times', async () => {
    await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: 'http://127.0.0.1:1/hook' });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.attempt, statusOf(e)])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [n, 'error']),
    );
  });

  it('re-sends a 4xx too, in the same mode: a wrong signature stays wrong', async () => {
    const refusing = await receiver([401, 401, 200]);
    await sim.control.v2.sendWebhook({
      paymentId: 'p-r',
      url: refusing.url,
      mode: 'wrong_signature',
    });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.attempt, e.mode, statusOf(e)])).toEqual([
      [1, 'wrong_signature', 401],
      [2, 'wrong_signature', 401],
      [3, 'wrong_signature', 200],
    ]);
    expect(await reasonOf(refusing.requests[2])).toBe('NO_MATCHING_SIGNATURE');
  });

  it('re-sends a failed duplicate as one copy each time', async () => {
    const flaky = await receiver([500, 500, 200]);
    await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: flaky.url, mode: 'duplicate' });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.attempt, statusOf(e)])).toEqual([
      [1, 500],
      [1, 500],
      [2, 200],
    ]);
  });

  it('does not re-send a duplicate one copy of which was delivered', async () => {
    const flaky = await receiver([500, 200]);
    await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: flaky.url, mode: 'duplicate' });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.attempt, statusOf(e)])).toEqual([
      [1, 500],
      [1, 200],
    ]);
  });

  it('re-sends the webhooks of API cancels, deposits and console cancels', async () => {
    const flaky = await receiver([503, 200]);
    await sim.control.v2.configure({ webhookUrl: flaky.url });
    await callV2(sim.v2Url, 'POST', '/payments/p-r/cancel', { body: { reason: 'r', amount: 1 } });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.trigger, e.type, e.attempt, statusOf(e)])).toEqual([
      ['cancel', 'Transaction.PartialCancelled', 1, 503],
      ['cancel', 'Transaction.PartialCancelled', 2, 200],
    ]);
  });

  it('sends a console resend once, whatever the merchant answers', async () => {
    const broken = await receiver([500]);
    const ok = await receiver([200]);
    const [first] = await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: ok.url });
    await sim.control.v2.resendWebhook(first?.webhookId ?? '', { url: broken.url });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.trigger, e.attempt, statusOf(e)])).toEqual([
      ['control', 1, 200],
      ['resend', 1, 500],
    ]);
    expect(broken.requests).toHaveLength(1);
  });

  it('sends no re-sends with webhookMaxRetries 0, and none for a skipped delivery', async () => {
    const broken = await receiver([500]);
    await sim.control.v2.configure({ webhookMaxRetries: 0 });
    await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: broken.url });
    await sim.control.v2.configure({ webhookMaxRetries: 5 });
    await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: broken.url, mode: 'none' });
    const log = await sim.control.v2.settleWebhooks();
    expect(log.map((e) => [e.mode, e.attempt, statusOf(e)])).toEqual([
      ['normal', 1, 500],
      ['none', 1, 'skipped'],
    ]);
  });

  it('waits the nominal schedule without jitter', async () => {
    const broken = await receiver([500]);
    await sim.control.v2.configure({
      webhookRetryBaseMs: 15,
      webhookRetryJitter: false,
      webhookMaxRetries: 3,
    });
    await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: broken.url });
    await sim.control.v2.settleWebhooks();
    const times = broken.requests.map((r) => r.receivedAt);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(gaps).toHaveLength(3);
    [15, 60, 240].forEach((nominal, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(nominal - 2);
      expect(gaps[i]).toBeLessThan(nominal + 200);
    });
  });

  it('drops re-sends still waiting when the simulator is reset', async () => {
    const broken = await receiver([500]);
    await sim.control.v2.configure({ webhookRetryBaseMs: 150, webhookRetryJitter: false });
    await sim.control.v2.sendWebhook({ paymentId: 'p-r', url: broken.url });
    await sim.control.reset();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(broken.requests).toHaveLength(1);
    expect(await sim.control.v2.webhookLog()).toEqual([]);
  });

  it('keeps a delivery still in flight at a reset out of the new log', async () => {
    const slow = await startReceiver({ delayMs: 200 });
    receivers.push(slow);
    const sending = sim.control.v2.sendWebhook({ paymentId: 'p-r', url: slow.url });
    await slow.waitFor(1);
    await sim.control.reset();
    expect(await sending).toEqual([]);
    expect(await sim.control.v2.settleWebhooks()).toEqual([]);
    expect(slow.requests).toHaveLength(1);
  });

  it('refuses retry settings that are not numbers or booleans with 400', async () => {
    await expect(
      sim.control.v2.configure({ webhookRetryJitter: 'yes' as unknown as boolean }),
    ).rejects.toMatchObject({ status: 400, message: 'webhookRetryJitter must be a boolean' });
    await expect(sim.control.v2.configure({ webhookMaxRetries: 11 })).rejects.toMatchObject({
      status: 400,
      message: 'webhookMaxRetries must be at most 10',
    });
    await expect(sim.control.v2.configure({ webhookRetryBaseMs: -1 })).rejects.toMatchObject({
      status: 400,
      message: 'webhookRetryBaseMs must be a non-negative integer',
    });
    expect((await sim.control.v2.getConfig()).webhookRetryBaseMs).toBe(2);
  });
});
