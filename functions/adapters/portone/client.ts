import * as z from 'zod/mini';
import {
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnauthorizedError,
} from '../../domain/model/errors';
import type { PortOnePayment } from '../../domain/model/portone-payment';
import type {
  CallOptions,
  CancelRequest,
  PaymentGateway,
  PrepareRequest,
} from '../../domain/ports/payment-gateway';
import { paymentPageSchema, paymentSchema, preparedSchema } from './schemas';
import type { TokenCache } from './token-cache';
import { type CallSpec, type Deadline, segment, type Transport } from './transport';

// Prepare/update answers echo what we sent; nothing in them is decided on.
const ignoredResponse = z.unknown();

const PAGE_SIZE = 1000;
/** A runaway `next` (or an order with 10,000 payments) stops here. */
const MAX_PAGES = 10;

/** The PortOne V1 implementation of the PaymentGateway port. */
export function createGateway(options: {
  transport: Transport;
  tokens: TokenCache;
  now: () => number;
  budgetMs: number;
}): PaymentGateway {
  const { transport, tokens } = options;

  /**
   * Runs one authenticated call within the method's budget. A 401 means the
   * request was refused before PortOne acted on it, so one repeat with a
   * fresh token is safe even for cancel; a second 401 is final.
   */
  async function authorized<T>(spec: CallSpec<T>, call: CallOptions = {}): Promise<T> {
    // The caller's own deadline (its request's budget) may be shorter than ours.
    const deadline: Deadline =
      options.now() + Math.min(options.budgetMs, call.timeLimitMs ?? Number.POSITIVE_INFINITY);
    const token = await tokens.get(deadline);
    try {
      return await transport({ ...spec, authorization: `Bearer ${token}` }, deadline);
    } catch (error) {
      if (!(error instanceof UpstreamUnauthorizedError)) throw error;
    }
    tokens.invalidate(token);
    const fresh = await tokens.get(deadline);
    try {
      return await transport({ ...spec, authorization: `Bearer ${fresh}` }, deadline);
    } catch (error) {
      if (error instanceof UpstreamUnauthorizedError) {
        throw new UpstreamUnauthorizedError(`PortOne ${spec.route}: a fresh token was refused too`);
      }
      throw error;
    }
  }

  return {
    async getPayment(impUid, call) {
      return authorized<PortOnePayment>(
        {
          route: 'GET /payments/{imp_uid}',
          method: 'GET',
          // Without include_sandbox a test-channel payment looks unknown; we
          // want to see it, and reject it ourselves by its `sandbox` flag.
          path: `/payments/${segment(impUid, 'imp_uid')}?include_sandbox=true`,
          idempotent: true,
          schema: paymentSchema,
        },
        call,
      );
    },

    async findPayment(merchantUid, call) {
      return authorized<PortOnePayment>(
        {
          route: 'GET /payments/find/{merchant_uid}',
          method: 'GET',
          path: `/payments/find/${segment(merchantUid, 'merchant_uid')}?include_sandbox=true`,
          idempotent: true,
          schema: paymentSchema,
        },
        call,
      );
    },

    async findPayments(merchantUid, status, call) {
      // Pages of PortOne's maximum size: one call for any realistic order.
      const payments: PortOnePayment[] = [];
      for (let page = 1; page > 0 && page <= MAX_PAGES; ) {
        try {
          const answer = await authorized(
            {
              route: 'GET /payments/findAll/{merchant_uid}/{status}',
              method: 'GET',
              path: `/payments/findAll/${segment(merchantUid, 'merchant_uid')}/${status}?page=${page}&limit=${PAGE_SIZE}&sorting=-started`,
              idempotent: true,
              schema: paymentPageSchema,
            },
            call,
          );
          payments.push(...answer.list);
          page = answer.next > page ? answer.next : 0;
        } catch (error) {
          // PortOne answers 404 for a merchant_uid without payments of that status.
          if (error instanceof NotFoundError) break;
          throw error;
        }
      }
      return payments;
    },

    async revokeVbank(impUid, call) {
      return authorized<PortOnePayment>(
        {
          route: 'DELETE /vbanks/{imp_uid}',
          method: 'DELETE',
          path: `/vbanks/${segment(impUid, 'imp_uid')}`,
          idempotent: false,
          schema: paymentSchema,
        },
        call,
      );
    },

    async cancelPayment(request: CancelRequest, call) {
      // PortOne reads a missing or zero amount as "cancel everything"; a bug
      // upstream of us must not turn into a full refund.
      if (!(Number.isFinite(request.amount) && request.amount > 0)) {
        throw new UpstreamRejectedError('refusing to send a cancel without a positive amount', -1);
      }
      const account = request.refundAccount;
      return authorized<PortOnePayment>(
        {
          route: 'POST /payments/cancel',
          method: 'POST',
          path: '/payments/cancel',
          body: {
            imp_uid: request.impUid,
            amount: request.amount,
            checksum: request.checksum,
            reason: request.reason,
            enable_webhook: request.enableWebhook ?? false,
            ...(account
              ? {
                  refund_holder: account.holder,
                  refund_bank: account.bank,
                  refund_account: account.account,
                  ...(account.tel ? { refund_tel: account.tel } : {}),
                }
              : {}),
          },
          idempotent: false,
          schema: paymentSchema,
        },
        call,
      );
    },

    async preparePayment(request: PrepareRequest) {
      await authorized({
        route: 'POST /payments/prepare',
        method: 'POST',
        path: '/payments/prepare',
        body: prepareBody(request),
        idempotent: false,
        schema: ignoredResponse,
      });
    },

    async getPrepared(merchantUid) {
      const prepared = await authorized({
        route: 'GET /payments/prepare/{merchant_uid}',
        method: 'GET',
        path: `/payments/prepare/${segment(merchantUid, 'merchant_uid')}`,
        idempotent: true,
        schema: preparedSchema,
      });
      const result: PrepareRequest = {
        merchantUid: prepared.merchant_uid,
        amount: prepared.amount,
      };
      if (prepared.currency !== null) result.currency = prepared.currency;
      return result;
    },

    async updatePrepared(request: PrepareRequest) {
      await authorized({
        route: 'PUT /payments/prepare',
        method: 'PUT',
        path: '/payments/prepare',
        body: prepareBody(request),
        idempotent: false,
        schema: ignoredResponse,
      });
    },
  };
}

function prepareBody(request: PrepareRequest) {
  return {
    merchant_uid: request.merchantUid,
    amount: request.amount,
    ...(request.currency === undefined ? {} : { currency: request.currency }),
  };
}
