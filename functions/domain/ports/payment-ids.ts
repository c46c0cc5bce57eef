import type { CallOptions } from './payment-gateway';

/** What PortOne must accept for one V2 payment id: any other amount or currency is refused. */
export interface PreRegistration {
  paymentId: string;
  totalAmount: number;
  currency: string;
}

/**
 * The one thing the domain asks of PortOne V2 when it issues a payment id:
 * `POST /payments/{paymentId}/pre-register`. The adapter is the V2 client
 * (functions/adapters/portone-v2/client.ts). Throws only the errors of
 * ../model/errors.ts (UpstreamUnavailableError, UpstreamRejectedError, ...).
 */
export interface PaymentIdRegistry {
  preRegister(request: PreRegistration, options?: CallOptions): Promise<void>;
}
