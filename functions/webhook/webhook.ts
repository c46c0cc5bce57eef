import { NotConfiguredError } from '../domain/model/errors';
import { LOG_LINES } from '../domain/model/log-lines';
import type { Log } from '../domain/ports/log';
import type { SignedWebhooks } from '../domain/ports/signed-webhooks';
import { budgetOf } from '../domain/rules/budget';
import {
  type PaymentClaim,
  type VerificationDeps,
  verifyPayment,
} from '../domain/use-cases/verify-payment';
import { MESSAGES } from '../http/messages';
import { webhookAnswer } from '../http/presenters/verification';
import { apiOfRoute, readBody } from '../http/request';
import { errorResponse, json } from '../http/responses';
import { claimFields, readPaymentClaim } from '../http/schemas';
import type { HttpEvent, HttpResult } from '../http/types';
import { readV2Delivery } from './v2-delivery';

/**
 * PortOne gives a re-delivery 15 s in all, and the first one 30 s to read:
 * answer within 10 s, planning PortOne calls inside 9 s; a slow cancellation
 * that does not fit is finished by the next delivery or the reconciler.
 */
export const WEBHOOK_BUDGET_MS = 9_000;

export interface WebhookDeps {
  verification: VerificationDeps;
  log: Log;
  /** Optional allow-list of PortOne's V1 source addresses; empty lets everyone in (see the README). */
  allowedIps?: readonly string[];
  /** PortOne V2's signed webhooks; null when V2 is not configured (its route answers 503). */
  v2: SignedWebhooks | null;
}

/**
 * `POST /payments/webhook`: PortOne's server-to-server notice, the
 * authoritative word. Only the two ids of the body are used; the rest
 * (`status`, `cancellation_id`) is PortOne's hint, and the truth is looked up.
 * 200 tells PortOne to stop; 5xx makes it retry (I6).
 *
 * `POST /v2/payments/webhook`: V2's notice, signed (v2-delivery.ts). A
 * delivery that is not signed with our secrets is refused with 401 and has
 * no other effect; the signature, not the source address, says it is
 * PortOne's, so V1's address allow-list does not apply to it.
 */
export const createWebhookHandler =
  (deps: WebhookDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    const requestId = event.requestContext.requestId;
    const api = apiOfRoute(event);
    let log = deps.log.with({ route: 'webhook', api, api_request_id: requestId });
    const source = event.requestContext.http.sourceIp;
    if (api === 'v1' && deps.allowedIps?.length && !deps.allowedIps.includes(source)) {
      log.warn('webhook from an address not on the allow-list', { source_ip: source });
      return json(403, { status: 'forbidden', message: MESSAGES.addressNotAllowed });
    }
    try {
      const read =
        api === 'v1' ? readPaymentClaim(readBody(event)) : await v2Claim(event, deps, log);
      if ('statusCode' in read) return read;
      const claim = read;
      log = log.with(claimFields(claim));
      const result = await verifyPayment(
        { ...deps.verification, log, budget: budgetOf(WEBHOOK_BUDGET_MS) },
        claim,
        'webhook',
      );
      const response = webhookAnswer(result);
      log.info(LOG_LINES.webhookAnswered, {
        result: result.kind,
        outcome: result.kind === 'recorded' ? result.outcome : undefined,
        order_status: result.kind === 'recorded' ? result.order.status : undefined,
        http_status: response.statusCode,
      });
      return response;
    } catch (error) {
      const response = errorResponse(error, log, { kind: 'public', requestId });
      log.info(LOG_LINES.webhookAnswered, { http_status: response.statusCode });
      return response;
    }
  };

/** V2: the claim of a signed Transaction.* delivery, or the answer when there is nothing to verify. */
const v2Claim = async (
  event: HttpEvent,
  deps: WebhookDeps,
  log: Log,
): Promise<PaymentClaim | HttpResult> => {
  if (!deps.v2) throw new NotConfiguredError(MESSAGES.v2NotConfigured);
  const delivery = await readV2Delivery(event, deps.v2);
  switch (delivery.kind) {
    case 'refused':
      log.warn(LOG_LINES.webhookSignatureRefused, {
        reason: delivery.reason,
        source_ip: event.requestContext.http.sourceIp,
      });
      return json(401, { status: 'invalid_signature', message: MESSAGES.invalidSignature });
    case 'ignored':
      log.info(LOG_LINES.webhookAnswered, {
        result: 'ignored',
        webhook_type: delivery.type,
        reason: delivery.reason,
        http_status: 200,
      });
      return json(200, { status: 'ignored' });
    case 'payment':
      return delivery.claim;
  }
};
