import { NotConfiguredError } from '../domain/model/errors';
import { orderOfPaymentId } from '../domain/model/ids';
import type { Log } from '../domain/ports/log';
import { BROWSER_BUDGET_MS, budgetOf } from '../domain/rules/budget';
import { type VerificationDeps, verifyBrowserReport } from '../domain/use-cases/verify-payment';
import { MESSAGES } from '../http/messages';
import { redirectWord, redirectWordOfError } from '../http/presenters/verification';
import { apiOfRoute, readQuery } from '../http/request';
import { redirect } from '../http/responses';
import { claimFields, impUid, merchantUid, parseWith, readV2PaymentClaim } from '../http/schemas';
import type { HttpEvent, HttpResult } from '../http/types';
import type { RedirectWord } from '../http/words';

export interface RedirectDeps {
  verification: VerificationDeps;
  resultPageUrl: string;
  log: Log;
  /** PortOne V2 is configured; without it the V2 route sends the browser to `pending`. */
  v2: boolean;
}

/**
 * `GET /payments/complete`: PortOne sends the mobile browser back here
 * (`m_redirect_url`). Verifies exactly like complete; the `imp_success` /
 * `success` flag is never read (PGs omit it or say false for a paid payment).
 * Always answers 302 to RESULT_PAGE_URL, the only destination there is.
 * `GET /v2/payments/complete?paymentId=…` is V2's `redirectUrl` return, the
 * same in every way; its `code` and `message` are never read either.
 */
export const createRedirectHandler =
  (deps: RedirectDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    const query = readQuery(event);
    const api = apiOfRoute(event);
    const echo = echoedOrder(query, api);
    let log = deps.log.with({
      route: 'redirect',
      api,
      api_request_id: event.requestContext.requestId,
      merchant_uid: echo,
    });
    let status: RedirectWord;
    try {
      const claimed = api === 'v1' ? query.imp_uid : (query.paymentId ?? query.payment_id);
      if (claimed === undefined || claimed === '') {
        // The payment window never opened (or PortOne refused it before a payment existed).
        status = 'failed';
      } else {
        if (api === 'v2' && !deps.v2) throw new NotConfiguredError(MESSAGES.v2NotConfigured);
        const claim =
          api === 'v1'
            ? {
                impUid: parseWith(impUid, query.imp_uid),
                merchantUid: parseWith(merchantUid, query.merchant_uid),
              }
            : readV2PaymentClaim(query);
        log = log.with(claimFields(claim));
        status = redirectWord(
          await verifyBrowserReport(
            { ...deps.verification, log, budget: budgetOf(BROWSER_BUDGET_MS) },
            claim,
            'redirect',
          ),
        );
      }
    } catch (error) {
      status = redirectWordOfError(error);
      if (status === 'pending') {
        log.warn('redirect could not verify; answering pending', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    log.info('redirect answered', { answer: status });
    return redirect(resultLocation(deps.resultPageUrl, echo, status));
  };

/** The order to name on the result page, only when well-formed: V1's query says it, V2's id does. */
const echoedOrder = (query: Record<string, string>, api: 'v1' | 'v2'): string | undefined => {
  if (api === 'v2') return orderOfPaymentId(query.paymentId ?? query.payment_id ?? '') ?? undefined;
  const order = merchantUid.safeParse(query.merchant_uid);
  return order.success ? order.data : undefined;
};

/** Built with URL so that nothing from the request can change the destination, only add two parameters. */
export const resultLocation = (
  resultPageUrl: string,
  merchantUidValue: string | undefined,
  status: RedirectWord,
): string => {
  const url = new URL(resultPageUrl);
  if (merchantUidValue) url.searchParams.set('merchant_uid', merchantUidValue);
  url.searchParams.set('status', status);
  return url.toString();
};
