import { NotConfiguredError } from '../domain/model/errors';
import type { Log } from '../domain/ports/log';
import { BROWSER_BUDGET_MS, budgetOf } from '../domain/rules/budget';
import { type VerificationDeps, verifyBrowserReport } from '../domain/use-cases/verify-payment';
import { MESSAGES } from '../http/messages';
import { completeAnswer } from '../http/presenters/verification';
import { apiOfRoute, readBody } from '../http/request';
import { errorResponse } from '../http/responses';
import { claimFields, readPaymentClaim, readV2PaymentClaim } from '../http/schemas';
import type { HttpEvent, HttpResult } from '../http/types';

export interface CompleteDeps {
  verification: VerificationDeps;
  log: Log;
  /** PortOne V2 is configured; without it the V2 route answers 503 not_configured. */
  v2: boolean;
}

/**
 * `POST /payments/complete`: the checkout page's callback reports
 * `{imp_uid, merchant_uid}`; `POST /v2/payments/complete` reports
 * `{paymentId}` (PortOne V2). The answer describes the order after the write,
 * in the status words that iamport's example checkout page expects, with the public view
 * only: anyone holding the two ids may call. CORS is API Gateway's
 * (lib/api-edge.ts), not this function's.
 */
export const createCompleteHandler =
  (deps: CompleteDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    const requestId = event.requestContext.requestId;
    const api = apiOfRoute(event);
    let log = deps.log.with({ route: 'complete', api, api_request_id: requestId });
    try {
      const claim = readClaim(event, api, deps.v2);
      log = log.with(claimFields(claim));
      const result = await verifyBrowserReport(
        { ...deps.verification, log, budget: budgetOf(BROWSER_BUDGET_MS) },
        claim,
        'complete',
      );
      const response = completeAnswer(result);
      log.info('complete answered', { result: result.kind, answer: statusOf(response) });
      return response;
    } catch (error) {
      const response = errorResponse(error, log, { kind: 'public', requestId });
      log.info('complete answered', { answer: statusOf(response) });
      return response;
    }
  };

/** The ids the page claims, in its API's shape; a V2 claim needs V2 configured. */
export const readClaim = (event: HttpEvent, api: 'v1' | 'v2', v2: boolean) => {
  if (api === 'v1') return readPaymentClaim(readBody(event));
  if (!v2) throw new NotConfiguredError(MESSAGES.v2NotConfigured);
  return readV2PaymentClaim(readBody(event));
};

const statusOf = (response: HttpResult): string => {
  try {
    return `${response.statusCode} ${(JSON.parse(String(response.body)) as { status?: string }).status}`;
  } catch {
    return String(response.statusCode);
  }
};
