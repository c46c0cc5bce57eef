import type { Log } from '../domain/ports/log';
import { BROWSER_BUDGET_MS, budgetOf } from '../domain/rules/budget';
import {
  type VerificationDeps,
  type VerificationResult,
  verifyBrowserReport,
} from '../domain/use-cases/verify-payment';
import { resultWordOf, toPublicView } from '../http/order-view';
import { readBody } from '../http/request';
import { errorResponse, json } from '../http/responses';
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
      const response = completeResponse(result);
      log.info('complete answered', { result: result.kind, answer: statusOf(response) });
      return response;
    } catch (error) {
      const response = errorResponse(error, log, { kind: 'public', requestId });
      log.info('complete answered', { answer: statusOf(response) });
      return response;
    }
  };

export const completeResponse = (result: VerificationResult): HttpResult => {
  switch (result.kind) {
    case 'unknown_payment':
      return json(404, { status: 'not_found', message: 'PortOne does not know this imp_uid' });
    case 'unregistered':
    case 'orphan':
      return json(404, { status: 'not_found', message: 'no such order is registered' });
    case 'merchant_mismatch':
      return json(400, { status: 'forgery', message: 'the payment belongs to another order' });
    case 'recorded': {
      const { order, attempt } = result;
      if (attempt.verdict === 'forgery' || order.status === 'forgery') {
        return json(400, { status: 'forgery', message: forgeryMessage(attempt.forgery_reason) });
      }
      const status = resultWordOf(order.status);
      const current = order.imp_uid ? order.attempts[order.imp_uid] : undefined;
      const message =
        status === 'failed'
          ? (current?.fail_reason ?? 'the payment failed')
          : status === 'pending'
            ? 'the payment is not complete yet'
            : undefined;
      return json(200, { status, ...(message ? { message } : {}), order: toPublicView(order) });
    }
  }
};

const FORGERY_MESSAGES: Record<string, string> = {
  amount_mismatch: 'the paid amount differs from the order amount',
  currency_mismatch: 'the paid currency differs from the order currency',
  sandbox_in_live_mode: 'the payment was made on a PortOne test channel',
};

export const forgeryMessage = (reason: string | null): string =>
  (reason && FORGERY_MESSAGES[reason]) ?? 'the payment does not match the order';

const statusOf = (response: HttpResult): string => {
  try {
    return `${response.statusCode} ${(JSON.parse(String(response.body)) as { status?: string }).status}`;
  } catch {
    return String(response.statusCode);
  }
};
