import { InvalidRequestError } from '../../domain/model/errors';
import type { VerificationResult } from '../../domain/use-cases/verify-payment';
import { forgeryMessage, MESSAGES } from '../messages';
import { resultWordOf, toPublicView } from '../order-view';
import { json } from '../responses';
import type { HttpResult } from '../types';
import type { BrowserWord, RedirectWord, WebhookWord } from '../words';

/**
 * The three answers one verification can give: to the checkout page's
 * callback (complete), to the mobile browser (redirect) and to PortOne
 * (webhook). The same result reads the same way in each; only the
 * audience's vocabulary and the HTTP status differ.
 */

/** complete: the order after the write, public view only (anyone holding the two ids may call). */
export const completeAnswer = (result: VerificationResult): HttpResult => {
  switch (result.kind) {
    case 'unknown_payment':
      return json(404, { status: 'not_found', message: MESSAGES.unknownPayment });
    case 'unregistered':
    case 'orphan':
      return json(404, { status: 'not_found', message: MESSAGES.unregistered });
    case 'merchant_mismatch':
      return json(400, { status: 'forgery', message: MESSAGES.merchantMismatch });
    case 'recorded': {
      const { order, attempt } = result;
      if (attempt.verdict === 'forgery' || order.status === 'forgery') {
        return json(400, { status: 'forgery', message: forgeryMessage(attempt.forgery_reason) });
      }
      const status: BrowserWord = resultWordOf(order.status);
      const current = order.imp_uid ? order.attempts[order.imp_uid] : undefined;
      const message =
        status === 'failed'
          ? (current?.fail_reason ?? MESSAGES.paymentFailed)
          : status === 'pending'
            ? MESSAGES.notComplete
            : undefined;
      return json(200, { status, ...(message ? { message } : {}), order: toPublicView(order) });
    }
  }
};

/** redirect: one word for the result page's `status` parameter. */
export const redirectWord = (result: VerificationResult): RedirectWord => {
  switch (result.kind) {
    case 'unknown_payment':
    case 'unregistered':
    case 'orphan':
      return 'not_found';
    case 'merchant_mismatch':
      return 'forgery';
    case 'recorded':
      return result.attempt.verdict === 'forgery' ? 'forgery' : resultWordOf(result.order.status);
  }
};

/**
 * redirect, when verification could not finish: a malformed request says so;
 * anything else (PortOne or storage unreachable) is `pending`, because the
 * webhook will settle the order and the page polls.
 */
export const redirectWordOfError = (error: unknown): RedirectWord =>
  error instanceof InvalidRequestError ? 'invalid_request' : 'pending';

/**
 * webhook: 200 tells PortOne to stop, 5xx makes it retry (I6). Only an owed
 * cancellation that could not be sent asks for a retry; everything else,
 * even a payment we do not know, is an answer PortOne should not repeat.
 */
export const webhookAnswer = (result: VerificationResult): HttpResult => {
  const answer = (status: WebhookWord, message?: string) =>
    json(200, message ? { status, message } : { status });
  switch (result.kind) {
    case 'unknown_payment':
      return answer('ignored', MESSAGES.unknownPayment);
    case 'merchant_mismatch':
      return answer('forgery', MESSAGES.merchantMismatch);
    case 'unregistered':
    case 'orphan':
      return answer('not_found', MESSAGES.unregistered);
    case 'recorded':
      if (result.cancellationUnreachable) {
        return json(502, { status: 'upstream_error', message: MESSAGES.cancellationUnreachable });
      }
      return answer(result.attempt.verdict === 'forgery' ? 'forgery' : result.outcome);
  }
};
