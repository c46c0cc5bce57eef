import type {
  CheckoutAnswer,
  CheckoutCompleteInput,
  CheckoutOpenAnswer,
  CheckoutOpenInput,
  DepositWebhook,
} from './checkout/types';
import { controlCall } from './control-http';
import type {
  BehaviorPatch,
  CallRecord,
  CreatePaymentInput,
  DeliveryOutcome,
  Fault,
  FaultInput,
  PaymentBehavior,
  PendingCancel,
  SendWebhookInput,
  SettleOutcome,
  SimPayment,
  SimulatorConfig,
  WebhookLogEntry,
} from './types';
import { V2SimulatorControl } from './v2/control-client';

export { SimulatorControlError } from './control-http';

/**
 * Typed client for the simulator's /__sim/ endpoints. It speaks HTTP only, so
 * it works against a simulator in another process (e.g. the dev stack's).
 */
export class SimulatorControl {
  private readonly baseUrl: string;
  /** The PortOne V2 side: /__sim/v2/ endpoints. */
  readonly v2: V2SimulatorControl;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.v2 = new V2SimulatorControl(this.baseUrl);
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  getConfig(): Promise<SimulatorConfig> {
    return this.call('GET', '/config');
  }

  configure(config: Partial<SimulatorConfig>): Promise<SimulatorConfig> {
    return this.call('POST', '/config', config);
  }

  /** The delay added before every PortOne API answer, in milliseconds. */
  async latency(): Promise<number> {
    return (await this.call<{ latencyMs: number }>('GET', '/latency')).latencyMs;
  }

  async setLatency(latencyMs: number): Promise<number> {
    return (await this.call<{ latencyMs: number }>('POST', '/latency', { latencyMs })).latencyMs;
  }

  async now(): Promise<number> {
    return (await this.call<{ now: number }>('GET', '/clock')).now;
  }

  /** Moves the simulator clock forward; answers the new now (unix seconds). */
  async advanceClock(seconds: number): Promise<number> {
    return (await this.call<{ now: number }>('POST', '/clock', { advanceSeconds: seconds })).now;
  }

  async setClock(unixSeconds: number): Promise<number> {
    return (await this.call<{ now: number }>('POST', '/clock', { set: unixSeconds })).now;
  }

  /** `input.behavior` sets how the PG treats the payment later (cancels, late approval). */
  createPayment(input: CreatePaymentInput): Promise<SimPayment> {
    return this.call('POST', '/payments', input);
  }

  async getBehavior(impUid: string): Promise<PaymentBehavior> {
    const path = `/payments/${encodeURIComponent(impUid)}/behavior`;
    return (await this.call<{ behavior: PaymentBehavior }>('GET', path)).behavior;
  }

  /** Merges into the payment's behaviour (null removes a key); answers the new one. */
  async setBehavior(impUid: string, behavior: BehaviorPatch): Promise<PaymentBehavior> {
    const path = `/payments/${encodeURIComponent(impUid)}/behavior`;
    return (await this.call<{ behavior: PaymentBehavior }>('POST', path, behavior)).behavior;
  }

  /**
   * The PG answers the payment's pending cancels: approve (default) carries
   * them out (and sends the webhooks they asked for), reject drops them.
   */
  settleCancels(impUid: string, outcome?: SettleOutcome): Promise<SimPayment> {
    return this.call('POST', `/payments/${encodeURIComponent(impUid)}/settle-cancels`, {
      ...(outcome !== undefined ? { outcome } : {}),
    });
  }

  /** Cancels PortOne accepted that the PG has not carried out yet, oldest first. */
  async pendingCancels(impUid: string): Promise<PendingCancel[]> {
    const path = `/payments/${encodeURIComponent(impUid)}/pending-cancels`;
    return (await this.call<{ pending: PendingCancel[] }>('GET', path)).pending;
  }

  /** Virtual-account deposit: ready (vbank) → paid. */
  deposit(impUid: string): Promise<SimPayment> {
    return this.call('POST', `/payments/${encodeURIComponent(impUid)}/deposit`);
  }

  /** Late approval of a ready or failed payment (any method) → paid. */
  pay(impUid: string): Promise<SimPayment> {
    return this.call('POST', `/payments/${encodeURIComponent(impUid)}/pay`);
  }

  /** Cancellation from the PortOne console (no checksum; sends no webhook by itself). */
  consoleCancel(
    impUid: string,
    options: { amount?: number; reason?: string } = {},
  ): Promise<SimPayment> {
    return this.call('POST', `/payments/${encodeURIComponent(impUid)}/cancel`, options);
  }

  fail(impUid: string, reason?: string): Promise<SimPayment> {
    return this.call('POST', `/payments/${encodeURIComponent(impUid)}/fail`, { reason });
  }

  getPayment(impUid: string): Promise<SimPayment> {
    return this.call('GET', `/payments/${encodeURIComponent(impUid)}`);
  }

  async listPayments(merchantUid?: string): Promise<SimPayment[]> {
    const query =
      merchantUid === undefined ? '' : `?merchant_uid=${encodeURIComponent(merchantUid)}`;
    return (await this.call<{ payments: SimPayment[] }>('GET', `/payments${query}`)).payments;
  }

  /** Answers once every copy has been delivered (or has failed). */
  sendWebhook(input: SendWebhookInput): Promise<{ deliveries: DeliveryOutcome[] }> {
    return this.call('POST', '/webhooks', input);
  }

  async webhookLog(): Promise<WebhookLogEntry[]> {
    return (await this.call<{ webhooks: WebhookLogEntry[] }>('GET', '/webhooks')).webhooks;
  }

  async clearWebhookLog(): Promise<void> {
    await this.call('DELETE', '/webhooks');
  }

  injectFault(fault: FaultInput): Promise<Fault> {
    return this.call('POST', '/faults', fault);
  }

  async faults(): Promise<Fault[]> {
    return (await this.call<{ faults: Fault[] }>('GET', '/faults')).faults;
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  async calls(): Promise<CallRecord[]> {
    return (await this.call<{ calls: CallRecord[] }>('GET', '/calls')).calls;
  }

  async clearCalls(): Promise<void> {
    await this.call('DELETE', '/calls');
  }

  /** Expires every issued token now; answers how many there were. */
  async expireTokens(): Promise<number> {
    return (await this.call<{ expired: number }>('POST', '/tokens/expire')).expired;
  }

  /** What the checkout SDK asks before showing its window: blocked or not. */
  checkoutOpen(input: CheckoutOpenInput): Promise<CheckoutOpenAnswer> {
    return this.call('POST', '/checkout/open', input);
  }

  /** A button pressed in the checkout window; answers what the browser would get. */
  checkoutComplete(input: CheckoutCompleteInput): Promise<CheckoutAnswer> {
    return this.call('POST', '/checkout/complete', input);
  }

  /** Deposit into a virtual account issued by the checkout; sends the paid webhook. */
  checkoutDeposit(impUid: string, webhook?: DepositWebhook): Promise<SimPayment> {
    return this.call('POST', '/checkout/deposit', {
      imp_uid: impUid,
      ...(webhook !== undefined ? { webhook } : {}),
    });
  }

  /** Late approval of a checkout's pending (ready) or failed payment; sends the paid webhook. */
  checkoutApprove(impUid: string, webhook?: DepositWebhook): Promise<SimPayment> {
    return this.call('POST', '/checkout/approve', {
      imp_uid: impUid,
      ...(webhook !== undefined ? { webhook } : {}),
    });
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return controlCall(this.baseUrl, method, path, body);
  }
}
