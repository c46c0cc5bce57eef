import type { PortOnePayment } from './portone-payment';

/**
 * The port through which the domain talks to PortOne. The adapter is
 * functions/adapters/portone/; tests point it at the simulator.
 *
 * Every method throws only the errors of ./errors.ts:
 * NotFoundError, UpstreamRejectedError, UpstreamUnauthorizedError,
 * UpstreamUnavailableError.
 */
export interface PaymentGateway {
  /** `GET /payments/{imp_uid}?include_sandbox=true`. NotFoundError on 404. */
  getPayment(impUid: string): Promise<PortOnePayment>;
  /** `GET /payments/find/{merchant_uid}` (latest attempt). NotFoundError on 404. */
  findPayment(merchantUid: string): Promise<PortOnePayment>;
  /**
   * `POST /payments/cancel`. Not retried (not idempotent); the `checksum`
   * makes a repeated call harmless anyway. UpstreamRejectedError when PortOne
   * answers HTTP 200 with `code != 0`.
   */
  cancelPayment(request: CancelRequest): Promise<PortOnePayment>;
  /** `POST /payments/prepare`. UpstreamRejectedError when PortOne refuses (e.g. already prepared). */
  preparePayment(request: PrepareRequest): Promise<void>;
  /** `GET /payments/prepare/{merchant_uid}`. NotFoundError when nothing is prepared. */
  getPrepared(merchantUid: string): Promise<PrepareRequest>;
  /** `PUT /payments/prepare`: changes a prepared amount. */
  updatePrepared(request: PrepareRequest): Promise<void>;
}

export interface CancelRequest {
  impUid: string;
  /** Amount to cancel; the whole refundable balance for a forgery. */
  amount: number;
  /** The refundable balance we believe PortOne holds before this cancel. */
  checksum: number;
  reason: string;
  /** Ask PortOne to send a `cancelled` webhook, so that the cancellation is confirmed through the webhook. */
  enableWebhook?: boolean;
}

export interface PrepareRequest {
  merchantUid: string;
  amount: number;
  currency?: string;
}
