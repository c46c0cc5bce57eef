import type { Log } from '../domain/ports/log';
import { BROWSER_BUDGET_MS, budgetOf } from '../domain/rules/budget';
import { type VerificationDeps, verifyBrowserReport } from '../domain/use-cases/verify-payment';
import { completeAnswer } from '../http/presenters/verification';
import { readBody } from '../http/request';
import { errorResponse } from '../http/responses';
import { claimFields, readPaymentClaim } from '../http/schemas';
import type { HttpEvent, HttpResult } from '../http/types';

export interface CompleteDeps {
  verification: VerificationDeps;
  log: Log;
}

/**
 * `POST /payments/complete`: the checkout page's callback reports
 * `{imp_uid, merchant_uid}`. The answer describes the order after the write,
 * in the status words that iamport's example checkout page expects, with the public view
 * only: anyone holding the two ids may call. CORS is API Gateway's
 * (lib/api-edge.ts), not this function's.
 */
export const createCompleteHandler =
  (deps: CompleteDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    const requestId = event.requestContext.requestId;
    let log = deps.log.with({ route: 'complete', api_request_id: requestId });
    try {
      const claim = readPaymentClaim(readBody(event));
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

const statusOf = (response: HttpResult): string => {
  try {
    return `${response.statusCode} ${(JSON.parse(String(response.body)) as { status?: string }).status}`;
  } catch {
    return String(response.statusCode);
  }
};
