import { Agent, request } from 'undici';
import type { SimClock } from './clock';
import type { DeliveryOutcome, WebhookFormat, WebhookLogEntry } from './types';

/** PortOne V1's first-delivery timeouts (reference §2.3). */
const CONNECT_TIMEOUT_MS = 10_000;
const TOTAL_TIMEOUT_MS = 30_000;

export interface Delivery {
  url: string;
  fields: Record<string, string>;
  format: WebhookFormat;
  contentType?: string;
  trigger: WebhookLogEntry['trigger'];
}

/**
 * Sends V1 notifications the way PortOne does: a bare POST of
 * `{imp_uid, merchant_uid, status[, cancellation_id]}`, JSON or form, no
 * signature. Every delivery and its outcome is logged for tests to inspect.
 */
export class WebhookSender {
  private readonly agent = new Agent({
    connect: { timeout: CONNECT_TIMEOUT_MS },
    headersTimeout: TOTAL_TIMEOUT_MS,
    bodyTimeout: TOTAL_TIMEOUT_MS,
  });
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<DeliveryOutcome>>();
  private log: WebhookLogEntry[] = [];

  constructor(private readonly clock: SimClock) {}

  deliver(delivery: Delivery): Promise<DeliveryOutcome> {
    const promise = this.send(delivery);
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
    return promise;
  }

  private async send(delivery: Delivery): Promise<DeliveryOutcome> {
    const body =
      delivery.format === 'form'
        ? new URLSearchParams(delivery.fields).toString()
        : JSON.stringify(delivery.fields);
    const contentType =
      delivery.contentType ??
      (delivery.format === 'form' ? 'application/x-www-form-urlencoded' : 'application/json');
    const at = this.clock.now();
    const started = performance.now();
    let outcome: DeliveryOutcome;
    try {
      const response = await request(delivery.url, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
        dispatcher: this.agent,
        signal: AbortSignal.any([AbortSignal.timeout(TOTAL_TIMEOUT_MS), this.closing.signal]),
      });
      const text = await response.body.text();
      outcome = {
        status: response.statusCode,
        body: text,
        ms: Math.round(performance.now() - started),
      };
    } catch (error) {
      outcome = { error: describe(error) };
    }
    this.log.push({
      at,
      trigger: delivery.trigger,
      url: delivery.url,
      contentType,
      body,
      fields: delivery.fields,
      outcome,
    });
    return outcome;
  }

  list(): WebhookLogEntry[] {
    return this.log.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.log = [];
  }

  /** Waits for deliveries still in flight (e.g. enable_webhook ones). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.settle();
    await this.agent.close();
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const prefix = typeof code === 'string' && !error.message.includes(code) ? `${code} ` : '';
  return `${prefix}${error.message}${cause}`;
}
