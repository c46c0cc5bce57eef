import { controlCall } from '../control-http';
import type { V2CheckoutAction, V2CheckoutAnswer, V2CheckoutOpenAnswer } from './checkout-types';
import type {
  V2Config,
  V2CreatePaymentInput,
  V2Payment,
  V2PreRegistration,
  V2SendWebhookInput,
  V2WebhookLogEntry,
  V2WebhookMode,
} from './types';

/** A control transition's answer: the payment after it, and the webhooks it sent (awaited). */
export interface V2Transition {
  payment: V2Payment;
  webhooks: V2WebhookLogEntry[];
}

/**
 * Typed client for the simulator's /__sim/v2/ endpoints (`control.v2`),
 * over HTTP like the V1 one. Payments come back as `GET /payments/{id}`
 * shows them.
 */
export class V2SimulatorControl {
  constructor(private readonly baseUrl: string) {}

  getConfig(): Promise<V2Config> {
    return this.call('GET', '/config');
  }

  /** Webhook URL and secret, store id, the wait of the `delayed` mode. */
  configure(config: Partial<V2Config>): Promise<V2Config> {
    return this.call('POST', '/config', config);
  }

  /** A payment in a state (a pre-registered id with another amount ends FAILED). */
  createPayment(input: V2CreatePaymentInput): Promise<V2Payment> {
    return this.call('POST', '/payments', input);
  }

  getPayment(paymentId: string): Promise<V2Payment> {
    return this.call('GET', `/payments/${encodeURIComponent(paymentId)}`);
  }

  async listPayments(): Promise<V2Payment[]> {
    return (await this.call<{ payments: V2Payment[] }>('GET', '/payments')).payments;
  }

  /** What `POST /payments/{id}/pre-register` recorded for the id. */
  getPreRegistration(paymentId: string): Promise<V2PreRegistration> {
    return this.call('GET', `/payments/${encodeURIComponent(paymentId)}/pre-register`);
  }

  /** Deposit into an issued virtual account: → PAID, and Transaction.Paid is sent. */
  deposit(paymentId: string, options: { webhookMode?: V2WebhookMode } = {}): Promise<V2Transition> {
    return this.call('POST', `/payments/${encodeURIComponent(paymentId)}/deposit`, options);
  }

  /** Cancellation from the console (no balance guard); sends Transaction.(Partial)Cancelled. */
  consoleCancel(
    paymentId: string,
    options: { amount?: number; reason?: string; webhookMode?: V2WebhookMode } = {},
  ): Promise<V2Transition> {
    return this.call('POST', `/payments/${encodeURIComponent(paymentId)}/cancel`, options);
  }

  /** Answers the log entries once delivered (two for `duplicate`, one skipped for `none`). */
  async sendWebhook(input: V2SendWebhookInput): Promise<V2WebhookLogEntry[]> {
    return (await this.call<{ webhooks: V2WebhookLogEntry[] }>('POST', '/webhooks', input))
      .webhooks;
  }

  /** Sends a logged webhook again: same webhook-id and body, signed anew. */
  async resendWebhook(
    webhookId: string,
    options: { mode?: V2WebhookMode; url?: string } = {},
  ): Promise<V2WebhookLogEntry[]> {
    const path = `/webhooks/${encodeURIComponent(webhookId)}/resend`;
    return (await this.call<{ webhooks: V2WebhookLogEntry[] }>('POST', path, options)).webhooks;
  }

  async webhookLog(): Promise<V2WebhookLogEntry[]> {
    return (await this.call<{ webhooks: V2WebhookLogEntry[] }>('GET', '/webhooks')).webhooks;
  }

  /** Waits for webhooks still in flight (after API cancels), then answers the log. */
  async settleWebhooks(): Promise<V2WebhookLogEntry[]> {
    return (await this.call<{ webhooks: V2WebhookLogEntry[] }>('POST', '/webhooks/settle'))
      .webhooks;
  }

  /** What the V2 SDK stand-in asks before showing its window: refused, or may open. */
  checkoutOpen(request: Record<string, unknown>): Promise<V2CheckoutOpenAnswer> {
    return this.call('POST', '/checkout/open', { request });
  }

  /** A button of the V2 window pressed: the response requestPayment resolves to, and the redirect. */
  checkoutComplete(
    request: Record<string, unknown>,
    options: { action: V2CheckoutAction; tamperAmount?: number; webhookMode?: V2WebhookMode },
  ): Promise<V2CheckoutAnswer> {
    return this.call('POST', '/checkout/complete', { request, ...options });
  }

  async clearWebhookLog(): Promise<void> {
    await this.call('DELETE', '/webhooks');
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return controlCall(this.baseUrl, method, `/v2${path}`, body);
  }
}
