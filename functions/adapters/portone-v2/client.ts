import * as z from 'zod/mini';
import type { CallOptions } from '../../domain/ports/payment-gateway';
import { createTransport, type Deadline, segment } from '../portone/transport';
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
}

export type V2Cancellation = z.output<typeof v2CancelAnswerSchema>['cancellation'];

export interface V2PreRegisterRequest {
  paymentId: string;
  totalAmount: number;
  currency: string;
}

export interface PortOneV2ClientOptions {
  baseUrl: string;
  /** The V2 API secret, or where to read it (Secrets Manager in AWS). */
  secret: string | (() => Promise<string>);
  /** Sub-store id, sent with every call when set. */
  storeId?: string | null;
  timeoutMs?: number;
  /** Total per method call incl. retries; default 2.5 × timeoutMs. */
  budgetMs?: number;
  maxAttempts?: number;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onCall?: (event: { route: string; status: number | 'error'; ms: number }) => void;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_ATTEMPTS = 2;
const ignored = z.unknown();

export function createPortOneV2Client(options: PortOneV2ClientOptions): PortOneV2Client {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const budgetMs = options.budgetMs ?? timeoutMs * 2.5;
  const now = options.now ?? (() => performance.now());
  const secrets: string[] = [];
  const readSecret = async () => {
    const secret = typeof options.secret === 'string' ? options.secret : await options.secret();
    if (!secrets.includes(secret)) secrets.push(secret);
    return secret;
  };
  const transport = createTransport({
    baseUrl: options.baseUrl,
    timeoutMs,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    onCall: options.onCall,
    secrets,
    readAnswer: readV2Answer,
  });
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
