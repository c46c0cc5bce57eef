import { LOG_LINES } from '../domain/model/log-lines';
import type { Log } from '../domain/ports/log';
import { budgetOf } from '../domain/rules/budget';
import { type VerificationDeps, verifyPayment } from '../domain/use-cases/verify-payment';
import { MESSAGES } from '../http/messages';
import { webhookAnswer } from '../http/presenters/verification';
import { readBody } from '../http/request';
import { errorResponse, json } from '../http/responses';
import { claimFields, readPaymentClaim } from '../http/schemas';
import type { HttpEvent, HttpResult } from '../http/types';

/**
 * PortOne gives a re-delivery 15 s in all, and the first one 30 s to read:
 * answer within 10 s, planning PortOne calls inside 9 s; a slow cancellation
 * that does not fit is finished by the next delivery or the reconciler.
 */
export const WEBHOOK_BUDGET_MS = 9_000;

export interface WebhookDeps {
  verification: VerificationDeps;
  log: Log;
  /** Optional allow-list of PortOne's source addresses; empty lets everyone in (see the README). */
  allowedIps?: readonly string[];
}

/**
 * `POST /payments/webhook`: PortOne's server-to-server notice, the
 * authoritative word. Only the two ids of the body are used; the rest
 * (`status`, `cancellation_id`) is PortOne's hint, and the truth is looked up.
 * 200 tells PortOne to stop; 5xx makes it retry (I6).
 */
export const createWebhookHandler =
  (deps: WebhookDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    const requestId = event.requestContext.requestId;
    let log = deps.log.with({ route: 'webhook', api_request_id: requestId });
    const source = event.requestContext.http.sourceIp;
    if (deps.allowedIps?.length && !deps.allowedIps.includes(source)) {
      log.warn('webhook from an address not on the allow-list', { source_ip: source });
      return json(403, { status: 'forbidden', message: MESSAGES.addressNotAllowed });
    }
    try {
      const claim = readPaymentClaim(readBody(event));
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
