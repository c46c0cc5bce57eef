import * as z from 'zod/mini';
import { UpstreamUnauthorizedError } from '../../domain/model/errors';
import type { CallOptions } from '../../domain/ports/payment-gateway';
import { type ConnectionOptions, connect } from '../portone/connection';
import { type Deadline, segment } from '../portone/transport';
import { readV2Answer } from './answers';
import { type V2Payment, v2CancelAnswerSchema, v2PaymentSchema } from './schemas';

/**
 * PortOne V2's REST API (`https://api.portone.io`), over the same transport
 * as V1: the same per-call timeout, retries of idempotent calls only, the
 * caller's deadline, typed errors and validated answers.
 *
 * Why not the official `@portone/server-sdk` client: it calls the global
 * `fetch` with no timeout, abort signal or retry, reads every non-2xx body
 * as JSON (a gateway's HTML 502 becomes a SyntaxError, not a retryable
 * outage) and returns answers unvalidated. Its types and its webhook
 * verification are used (./schemas.ts, ./webhook-signature.ts).
 */
export interface PortOneV2Client {
  /** `GET /payments/{paymentId}`. NotFoundError for `PAYMENT_NOT_FOUND`. */
  getPayment(paymentId: string, call?: CallOptions): Promise<V2Payment>;
  /**
   * `POST /payments/{paymentId}/cancel`, not retried. `currentCancellableAmount`
   * is the balance we believe PortOne holds (V1's checksum): PortOne refuses
   * with 409 `CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN` when it differs.
   * UpstreamRejectedError (with the error type) for every 409.
   */
  cancelPayment(request: V2CancelRequest, call?: CallOptions): Promise<V2Cancellation>;
  /** `POST /payments/{paymentId}/pre-register`: PortOne refuses any other amount for this id. */
  preRegister(request: V2PreRegisterRequest, call?: CallOptions): Promise<void>;
}

export interface V2CancelRequest {
  paymentId: string;
  amount: number;
  currentCancellableAmount: number;
  reason: string;
  /** The buyer's account, for refunding a paid virtual account. */
  refundAccount?: { holder: string; bank: string; account: string; tel: string | null };
}

export type V2Cancellation = z.output<typeof v2CancelAnswerSchema>['cancellation'];

export interface V2PreRegisterRequest {
  paymentId: string;
  totalAmount: number;
  currency: string;
}

export interface PortOneV2ClientOptions extends ConnectionOptions {
  /**
   * The V2 API secret, or where to read it (Secrets Manager in AWS);
   * `invalidate` (if any) is called when PortOne V2 refuses it (HTTP 401/403),
   * so that the next call reads it again: it may have been rotated.
   */
  secret: string | ((() => Promise<string>) & { invalidate?: () => void });
  /** Sub-store id, sent with every call when set. */
  storeId?: string | null;
}

const ignored = z.unknown();

export function createPortOneV2Client(options: PortOneV2ClientOptions): PortOneV2Client {
  const secrets: string[] = [];
  const readSecret = async () => {
    const secret = typeof options.secret === 'string' ? options.secret : await options.secret();
    if (!secrets.includes(secret)) secrets.push(secret);
    return secret;
  };
  const connection = connect(options, secrets, readV2Answer);
  const { now, budgetMs } = connection;
  const transport: typeof connection.transport = async (spec, deadline) => {
    try {
      return await connection.transport(spec, deadline);
    } catch (error) {
      if (error instanceof UpstreamUnauthorizedError && typeof options.secret !== 'string') {
        options.secret.invalidate?.();
      }
      throw error;
    }
  };
  const storeId = options.storeId ?? undefined;
  const deadlineOf = (call: CallOptions = {}): Deadline =>
    now() + Math.min(budgetMs, call.timeLimitMs ?? Number.POSITIVE_INFINITY);

  return {
    async getPayment(paymentId, call) {
      const deadline = deadlineOf(call);
      const query = storeId === undefined ? '' : `?storeId=${encodeURIComponent(storeId)}`;
      return transport(
        {
          route: 'GET /payments/{paymentId}',
          method: 'GET',
          path: `/payments/${segment(paymentId, 'paymentId')}${query}`,
          authorization: `PortOne ${await readSecret()}`,
          idempotent: true,
          schema: v2PaymentSchema,
        },
        deadline,
      );
    },

    async cancelPayment(request, call) {
      const deadline = deadlineOf(call);
      const answer = await transport(
        {
          route: 'POST /payments/{paymentId}/cancel',
          method: 'POST',
          path: `/payments/${segment(request.paymentId, 'paymentId')}/cancel`,
          body: {
            amount: request.amount,
            currentCancellableAmount: request.currentCancellableAmount,
            reason: request.reason,
            ...(request.refundAccount
              ? { refundAccount: refundAccountOf(request.refundAccount) }
              : {}),
            ...(storeId === undefined ? {} : { storeId }),
          },
          authorization: `PortOne ${await readSecret()}`,
          idempotent: false,
          schema: v2CancelAnswerSchema,
        },
        deadline,
      );
      return answer.cancellation;
    },

    async preRegister(request, call) {
      const deadline = deadlineOf(call);
      await transport(
        {
          route: 'POST /payments/{paymentId}/pre-register',
          method: 'POST',
          path: `/payments/${segment(request.paymentId, 'paymentId')}/pre-register`,
          body: {
            totalAmount: request.totalAmount,
            currency: request.currency,
            ...(storeId === undefined ? {} : { storeId }),
          },
          authorization: `PortOne ${await readSecret()}`,
          // Pre-registering the same id with the same amount again is harmless.
          idempotent: true,
          schema: ignored,
        },
        deadline,
      );
    },
  };
}

/** V2's names for the buyer's account (`CancelPaymentBodyRefundAccount`). */
const refundAccountOf = (account: NonNullable<V2CancelRequest['refundAccount']>) => ({
  bank: account.bank,
  number: account.account,
  holderName: account.holder,
  ...(account.tel ? { holderPhoneNumber: account.tel } : {}),
});
