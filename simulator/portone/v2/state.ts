import type { SimClock } from '../clock';
import {
  DEFAULT_V2_API_SECRET,
  DEFAULT_V2_MERCHANT_ID,
  DEFAULT_V2_STORE_ID,
  DEFAULT_V2_WEBHOOK_SECRET,
} from '../defaults';
import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BASE_MS } from './retry-schedule';
import { isoOf, V2PaymentStore } from './store';
import type { V2Config, V2Payment, V2Status, V2WebhookLogEntry, V2WebhookMode } from './types';
import { V2WebhookSender } from './webhooks';

export {
  DEFAULT_V2_API_SECRET,
  DEFAULT_V2_MERCHANT_ID,
  DEFAULT_V2_STORE_ID,
  DEFAULT_V2_WEBHOOK_SECRET,
};

const DEFAULT_DELAYED_MS = 1000;

export interface V2StateOptions {
  v2ApiSecret?: string;
  v2WebhookSecret?: string;
  v2WebhookUrl?: string;
  v2StoreId?: string;
  v2WebhookRetryBaseMs?: number;
}

/** The webhook type a payment's status stands for. */
const TYPE_OF_STATUS: Record<V2Status, string> = {
  READY: 'Transaction.Ready',
  PAY_PENDING: 'Transaction.PayPending',
  VIRTUAL_ACCOUNT_ISSUED: 'Transaction.VirtualAccountIssued',
  PAID: 'Transaction.Paid',
  FAILED: 'Transaction.Failed',
  PARTIAL_CANCELLED: 'Transaction.PartialCancelled',
  CANCELLED: 'Transaction.Cancelled',
};

export function webhookTypeOf(status: V2Status): string {
  return TYPE_OF_STATUS[status];
}

/** Everything the simulator knows about V2: its payments, secrets and webhooks. */
export class V2State {
  readonly apiSecret: string;
  readonly store: V2PaymentStore;
  readonly webhooks: V2WebhookSender;
  config: V2Config;
  /** The noticeUrls a checkout gave, by paymentId: PortOne notifies that payment there from then on. */
  readonly noticeUrls = new Map<string, string[]>();

  constructor(
    private readonly clock: SimClock,
    private readonly options: V2StateOptions = {},
  ) {
    this.apiSecret = options.v2ApiSecret ?? DEFAULT_V2_API_SECRET;
    this.config = this.initialConfig();
    this.store = new V2PaymentStore(clock, () => this.config);
    this.webhooks = new V2WebhookSender(
      clock,
      () => this.config.webhookSecret,
      () => this.config.delayedWebhookMs,
      () => ({
        maxRetries: this.config.webhookMaxRetries,
        baseMs: this.config.webhookRetryBaseMs,
        jitter: this.config.webhookRetryJitter,
      }),
    );
  }

  private initialConfig(): V2Config {
    return {
      webhookUrl: this.options.v2WebhookUrl ?? null,
      webhookSecret: this.options.v2WebhookSecret ?? DEFAULT_V2_WEBHOOK_SECRET,
      storeId: this.options.v2StoreId ?? DEFAULT_V2_STORE_ID,
      merchantId: DEFAULT_V2_MERCHANT_ID,
      delayedWebhookMs: DEFAULT_DELAYED_MS,
      webhookMaxRetries: DEFAULT_MAX_RETRIES,
      webhookRetryBaseMs: this.options.v2WebhookRetryBaseMs ?? DEFAULT_RETRY_BASE_MS,
      webhookRetryJitter: true,
    };
  }

  reset(): void {
    this.store.clear();
    this.noticeUrls.clear();
    this.webhooks.reset();
    this.config = this.initialConfig();
  }

  /** The 2024-04-25 body: `data` keys in the order of the reference's example. */
  webhookBody(type: string, data: Record<string, unknown>): string {
    return JSON.stringify({ type, timestamp: isoOf(this.clock.now()), data });
  }

  transactionData(payment: V2Payment, cancellationId?: string): Record<string, unknown> {
    return {
      paymentId: payment.id,
      storeId: payment.storeId,
      transactionId: payment.transactionId,
      ...(cancellationId === undefined ? {} : { cancellationId }),
    };
  }

  /**
   * The webhook PortOne sends after a change to a payment, in the payment's
   * own mode unless one is given, to the payment's noticeUrls or else the
   * configured URL. Nothing (and no log entry) without a URL.
   */
  async notify(
    payment: V2Payment,
    trigger: V2WebhookLogEntry['trigger'],
    options: { cancellationId?: string; mode?: V2WebhookMode } = {},
  ): Promise<V2WebhookLogEntry[]> {
    const configured = this.config.webhookUrl;
    const urls = this.noticeUrls.get(payment.id) ?? (configured === null ? [] : [configured]);
    const type = webhookTypeOf(payment.status);
    // One body for every target: the same message, whoever receives it.
    const body = this.webhookBody(type, this.transactionData(payment, options.cancellationId));
    const mode = options.mode ?? this.store.webhookMode(payment.id) ?? 'normal';
    const sent = await Promise.all(
      urls.map((url) => this.webhooks.deliver({ url, type, body, mode, trigger })),
    );
    return sent.flat();
  }
}
