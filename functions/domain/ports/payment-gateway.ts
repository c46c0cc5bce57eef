import type { PortOnePayment } from '../model/portone-payment';

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
  getPayment(impUid: string, options?: CallOptions): Promise<PortOnePayment>;
  /** `GET /payments/find/{merchant_uid}` (latest attempt). NotFoundError on 404. */
  findPayment(merchantUid: string, options?: CallOptions): Promise<PortOnePayment>;
  /**
   * `GET /payments/findAll/{merchant_uid}/{status}`, every page: all of the
   * order's payments with that status (an empty list when there are none).
   */
  findPayments(
    merchantUid: string,
    status: 'paid' | 'cancelled',
    options?: CallOptions,
  ): Promise<PortOnePayment[]>;
  /**
   * `POST /payments/cancel`. Not retried (not idempotent); the `checksum`
   * makes a repeated call harmless anyway. UpstreamRejectedError when PortOne
   * answers HTTP 200 with `code != 0`. A `code: 0` answer is not proof that
   * the money returned (docs/design.md §2.1): some PGs approve later.
   */
  cancelPayment(request: CancelRequest, options?: CallOptions): Promise<PortOnePayment>;
  /**
   * `DELETE /vbanks/{imp_uid}`: closes an issued virtual account before any
   * deposit. UpstreamRejectedError when PortOne refuses (not a waiting
   * virtual account, a PG without the API).
   */
  revokeVbank(impUid: string, options?: CallOptions): Promise<PortOnePayment>;
  /** `POST /payments/prepare`. UpstreamRejectedError when PortOne refuses (e.g. already prepared). */
  preparePayment(request: PrepareRequest): Promise<void>;
  /** `GET /payments/prepare/{merchant_uid}`. NotFoundError when nothing is prepared. */
  getPrepared(merchantUid: string): Promise<PrepareRequest>;
  /** `PUT /payments/prepare`: changes a prepared amount. */
  updatePrepared(request: PrepareRequest): Promise<void>;
}

/** Per call: how long the caller can still wait (its request's budget), on top of the client's own limits. */
export interface CallOptions {
  timeLimitMs?: number;
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
  /** The buyer's account, for refunding a paid virtual account. */
  refundAccount?: { holder: string; bank: string; account: string; tel: string | null };
}

export interface PrepareRequest {
  merchantUid: string;
  amount: number;
  currency?: string;
}
