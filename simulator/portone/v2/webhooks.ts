import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import type { SimClock } from '../clock';
import { sleep } from '../http-util';
import { needsRetry, retryDelayMs, type V2RetryPolicy } from './retry-schedule';
import { signV2Webhook } from './signature';
import type { V2DeliveryOutcome, V2WebhookLogEntry, V2WebhookMode } from './types';

/** PortOne V2's connect and read timeouts (reference §3.4). */
const TIMEOUT_MS = 30_000;
/** Standard Webhooks receivers refuse timestamps more than 5 minutes off; this is twice that. */
const STALE_SECONDS = 10 * 60;

export { signV2Webhook } from './signature';

export interface V2Delivery {
  url: string;
  /** The webhook body's object; serialised once, so retries and duplicates send the same bytes. */
  body: string;
  type: string;
  mode: V2WebhookMode;
  trigger: V2WebhookLogEntry['trigger'];
  /** Given on a resend: the same message keeps its webhook-id. */
  webhookId?: string;
  delayMs?: number;
  /** Re-send on failure per the retry policy; default true (a console resend is sent once). */
  retry?: boolean;
}

/**
 * Sends V2 webhooks (version 2024-04-25) in one of the delivery modes and
 * logs each attempt. webhook-timestamp is the real clock, not the simulator
 * clock: receivers compare it with their own, and a test moving the
 * simulator clock (deadlines) must not make every signature stale.
 *
 * A delivery that the merchant does not answer with a 2xx is re-sent in the
 * background per the retry policy, like PortOne: the same webhook-id and
 * body, signed anew in the same mode (a wrong key stays wrong, a stale
 * timestamp stays stale), one copy per re-send.
 */
export class V2WebhookSender {
  private readonly agent = new Agent({
    connect: { timeout: TIMEOUT_MS },
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
  });
  private readonly closing = new AbortController();
  /** Aborted by reset(): re-sends scheduled before it must not reach the next test. */
  private generation = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private log: V2WebhookLogEntry[] = [];

  constructor(
    private readonly clock: SimClock,
    private readonly secret: () => string,
    private readonly delayedMs: () => number,
    private readonly retryPolicy: () => V2RetryPolicy,
  ) {}

  /**
   * Answers the log entries of this delivery's first attempt (two for
   * `duplicate`) once they are done; re-sends follow in the background.
   */
  deliver(delivery: V2Delivery): Promise<V2WebhookLogEntry[]> {
    const signal = AbortSignal.any([this.closing.signal, this.generation.signal]);
    const first = this.send(delivery, signal);
    this.track(first);
    if (delivery.retry !== false) {
      this.track(first.then((entries) => this.retry(delivery, entries, signal)));
    }
    return first;
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async send(delivery: V2Delivery, signal: AbortSignal): Promise<V2WebhookLogEntry[]> {
    const wait = (delivery.delayMs ?? 0) + (delivery.mode === 'delayed' ? this.delayedMs() : 0);
    await sleep(wait, signal);
    const webhookId = delivery.webhookId ?? randomUUID();
    const copies = delivery.mode === 'duplicate' ? 2 : 1;
    const headers = this.sign(delivery, webhookId);
    const entries: V2WebhookLogEntry[] = [];
    for (let i = 0; i < copies && !signal.aborted; i += 1) {
      const entry = await this.attempt(delivery, headers, 1, signal);
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }

  /** Re-sends while the latest attempt failed, up to the policy's count; stops on reset or close. */
  private async retry(
    delivery: V2Delivery,
    entries: V2WebhookLogEntry[],
    signal: AbortSignal,
  ): Promise<void> {
    const webhookId = entries[0]?.webhookId;
    if (webhookId === undefined || !entries.every((e) => needsRetry(e.outcome))) return;
    const policy = this.retryPolicy();
    for (let n = 1; n <= policy.maxRetries; n += 1) {
      await sleep(retryDelayMs(policy, n), signal);
      if (signal.aborted) return;
      const entry = await this.attempt(delivery, this.sign(delivery, webhookId), n + 1, signal);
      if (entry === undefined || !needsRetry(entry.outcome)) return;
    }
  }

  private sign(delivery: V2Delivery, webhookId: string): V2WebhookLogEntry['headers'] {
    const realNow = Math.floor(Date.now() / 1000);
    const timestamp = String(
      delivery.mode === 'stale_timestamp' ? realNow - STALE_SECONDS : realNow,
    );
    // Another key of the same shape: the signature is well-formed, it just matches nothing.
    const secret =
      delivery.mode === 'wrong_signature'
        ? `whsec_${Buffer.from(`wrong-${this.secret()}`).toString('base64')}`
        : this.secret();
    return {
      'webhook-id': webhookId,
      'webhook-timestamp': timestamp,
      'webhook-signature': signV2Webhook(secret, webhookId, timestamp, delivery.body),
    };
  }

  private async attempt(
    delivery: V2Delivery,
    headers: V2WebhookLogEntry['headers'],
    attempt: number,
    signal: AbortSignal,
  ): Promise<V2WebhookLogEntry | undefined> {
    const at = this.clock.now();
    const outcome: V2DeliveryOutcome =
      delivery.mode === 'none' ? { skipped: true } : await this.post(delivery, headers, signal);
    // Started before a reset (or close): it belongs to a test that is over, not to this log.
    if (signal.aborted) return undefined;
    const entry: V2WebhookLogEntry = {
      at,
      trigger: delivery.trigger,
      mode: delivery.mode,
      url: delivery.url,
      webhookId: headers['webhook-id'],
      attempt,
      headers,
      body: delivery.body,
      type: delivery.type,
      outcome,
    };
    this.log.push(entry);
    return entry;
  }

  private async post(delivery: V2Delivery, headers: Record<string, string>, signal: AbortSignal) {
    const started = performance.now();
    try {
      const response = await request(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: delivery.body,
        dispatcher: this.agent,
        signal: AbortSignal.any([AbortSignal.timeout(TIMEOUT_MS), signal]),
      });
      const text = await response.body.text();
      return {
        status: response.statusCode,
        body: text,
        ms: Math.round(performance.now() - started),
      };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  list(): V2WebhookLogEntry[] {
    return this.log.map((entry) => ({ ...entry, headers: { ...entry.headers } }));
  }

  find(webhookId: string): V2WebhookLogEntry | undefined {
    return this.log.find((entry) => entry.webhookId === webhookId);
  }

  clear(): void {
    this.log = [];
  }

  /** Forgets the log and drops every re-send still waiting. */
  reset(): void {
    this.generation.abort();
    this.generation = new AbortController();
    this.clear();
  }

  /**
   * Waits for deliveries still in flight (those after API cancels, for
   * instance) and for their re-sends: with PortOne's own schedule that can
   * be hours, so tests that settle failing deliveries set a small
   * webhookRetryBaseMs.
   */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.settle();
    await this.agent.close();
  }
}
