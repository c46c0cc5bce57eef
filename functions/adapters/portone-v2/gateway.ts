import { UpstreamRejectedError, UpstreamUnavailableError } from '../../domain/model/errors';
import { orderOfPaymentId } from '../../domain/model/ids';
import type { PortOnePayment } from '../../domain/model/portone-payment';
import type {
  CallOptions,
  CancelRequest,
  PaymentGateway,
} from '../../domain/ports/payment-gateway';
import type { PortOneV2Client } from './client';
import { fromV2Payment } from './payment';

/**
 * One gateway for both APIs: a payment id we issued for V2 (ids.ts) goes to
 * V2, every other id to V1. The domain never asks which API a payment
 * lives in; an order's attempts may mix both. `v2` is null when V2 is not
 * configured: a V2 payment already stored then waits, as in an outage,
 * until it is (nothing is lost).
 */
export const withV2 = (v1: PaymentGateway, v2: PortOneV2Client | null): PaymentGateway => {
  const client = (): PortOneV2Client => {
    if (v2) return v2;
    throw new UpstreamUnavailableError(
      'PortOne V2 is not configured (PORTONE_V2_API_SECRET, PORTONE_V2_WEBHOOK_SECRET)',
    );
  };

  const getV2 = async (
    paymentId: string,
    merchantUid: string,
    call?: CallOptions,
  ): Promise<PortOnePayment> => {
    const payment = await client().getPayment(paymentId, call);
    if (payment.id !== paymentId) {
      throw new UpstreamUnavailableError(
        `PortOne V2 answered payment ${payment.id} when asked for ${paymentId}`,
      );
    }
    return fromV2Payment(payment, merchantUid);
  };

  return {
    // V1's own lookups by merchant_uid and its pre-registration.
    findPayment: (merchantUid, call) => v1.findPayment(merchantUid, call),
    findPayments: (merchantUid, status, call) => v1.findPayments(merchantUid, status, call),
    preparePayment: (request) => v1.preparePayment(request),
    getPrepared: (merchantUid) => v1.getPrepared(merchantUid),
    updatePrepared: (request) => v1.updatePrepared(request),

    getPayment(id, call) {
      const merchantUid = orderOfPaymentId(id);
      return merchantUid === null ? v1.getPayment(id, call) : getV2(id, merchantUid, call);
    },

    async cancelPayment(request: CancelRequest, call) {
      const merchantUid = orderOfPaymentId(request.impUid);
      if (merchantUid === null) return v1.cancelPayment(request, call);
      // V2 answers the cancellation, not the payment: the payment is looked up
      // after it, because only the payment shows whether the money returned
      // (docs/design.md §2.1). If that lookup fails, the cancel may have taken
      // effect: the error says "unreachable", and the next step looks first.
      await client().cancelPayment(
        {
          paymentId: request.impUid,
          amount: request.amount,
          currentCancellableAmount: request.checksum,
          reason: request.reason,
          ...(request.refundAccount ? { refundAccount: request.refundAccount } : {}),
        },
        call,
      );
      return getV2(request.impUid, merchantUid, call);
    },

    async revokeVbank(id, call) {
      if (orderOfPaymentId(id) === null) return v1.revokeVbank(id, call);
      // V2 has no call that closes an issued virtual account before a deposit
      // (V1's DELETE /vbanks): the refusal is looked into like any other, and
      // ends rejected, with the alarm, while the account is still open.
      throw new UpstreamRejectedError(
        'PortOne V2 cannot close an issued virtual account through its API; close it in the PortOne console',
        'V2_VIRTUAL_ACCOUNT_CLOSE_UNSUPPORTED',
      );
    },
  };
};
