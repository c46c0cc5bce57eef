import { CallLog } from './call-log';
import { SimClock } from './clock';
import { DEFAULT_API_KEY, DEFAULT_API_SECRET } from './defaults';
import { FaultQueue } from './faults';
import { type CompletedCancel, PaymentStore } from './store';
import { TokenStore } from './tokens';
import type { SimPayment, SimulatorConfig, WebhookFormat } from './types';
import { V2State, type V2StateOptions } from './v2/state';
import { WebhookSender } from './webhooks';

export { DEFAULT_API_KEY, DEFAULT_API_SECRET } from './defaults';

export interface StateOptions extends V2StateOptions {
  apiKey?: string;
  apiSecret?: string;
  webhookUrl?: string;
  webhookFormat?: WebhookFormat;
  quiet?: boolean;
  latencyMs?: number;
}

/** Everything one simulator instance knows; routes read and change it. */
export class SimulatorState {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly quiet: boolean;
  readonly clock = new SimClock();
  readonly tokens = new TokenStore(this.clock);
  readonly faults = new FaultQueue();
  readonly calls = new CallLog();
  readonly webhooks = new WebhookSender(this.clock);
  readonly store: PaymentStore;
  /** PortOne V2, side by side with V1: its own payments, secrets and webhooks; the clock, faults and call log are shared. */
  readonly v2: V2State;
  /** Aborted on close so that pending 'slow' faults stop waiting. */
  private readonly closing = new AbortController();
  config: SimulatorConfig;
  /**
   * Added before every PortOne API answer (never to /__sim/ routes): the
   * round trip to api.iamport.kr that a loopback simulator lacks.
   */
  latencyMs: number;

  constructor(private readonly options: StateOptions = {}) {
    this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
    this.apiSecret = options.apiSecret ?? DEFAULT_API_SECRET;
    this.quiet = options.quiet ?? false;
    this.config = this.initialConfig();
    this.latencyMs = options.latencyMs ?? 0;
    this.v2 = new V2State(this.clock, options);
    this.store = new PaymentStore(
      this.clock,
      () => this.config,
      (done) => this.cancelCompleted(done),
    );
  }

  get closingSignal(): AbortSignal {
    return this.closing.signal;
  }

  private initialConfig(): SimulatorConfig {
    return {
      webhookUrl: this.options.webhookUrl ?? null,
      webhookFormat: this.options.webhookFormat ?? 'json',
      statusAfterPartialCancel: 'cancelled',
    };
  }

  /** Back to a fresh start; credentials and startup options stay. */
  reset(): void {
    this.store.clear();
    this.tokens.clear();
    this.faults.clear();
    this.calls.clear();
    this.webhooks.clear();
    this.v2.reset();
    this.clock.reset();
    this.config = this.initialConfig();
    this.latencyMs = this.options.latencyMs ?? 0;
  }

  /**
   * The `cancelled` notification a REST cancel asked for (enable_webhook),
   * sent in the background: it never holds up an answer.
   */
  notifyCancelled(payment: SimPayment, cancellationId: string): void {
    const url = this.config.webhookUrl;
    if (url === null) return;
    void this.webhooks.deliver({
      url,
      format: this.config.webhookFormat,
      trigger: 'cancel',
      fields: {
        imp_uid: payment.imp_uid,
        merchant_uid: payment.merchant_uid,
        status: 'cancelled',
        cancellation_id: cancellationId,
      },
    });
  }

  /** A pending cancel went through: it notifies now if its request asked for that. */
  private cancelCompleted({ payment, entry, pending }: CompletedCancel): void {
    if (pending.enable_webhook) this.notifyCancelled(payment, entry.cancellation_id);
  }

  log(message: string): void {
    if (!this.quiet) console.log(`[portone-sim] ${message}`);
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.webhooks.close();
    await this.v2.webhooks.close();
  }
}
