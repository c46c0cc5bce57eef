import type { Log } from '../domain/ports/log';
import { BROWSER_BUDGET_MS, budgetOf } from '../domain/rules/budget';
import { type VerificationDeps, verifyBrowserReport } from '../domain/use-cases/verify-payment';
import { redirectWord, redirectWordOfError } from '../http/presenters/verification';
import { readQuery } from '../http/request';
import { redirect } from '../http/responses';
import { impUid, merchantUid, parseWith } from '../http/schemas';
import type { HttpEvent, HttpResult } from '../http/types';
import type { RedirectWord } from '../http/words';

export interface RedirectDeps {
  verification: VerificationDeps;
  resultPageUrl: string;
  log: Log;
}

/**
 * `GET /payments/complete`: PortOne sends the mobile browser back here
 * (`m_redirect_url`). Verifies exactly like complete; the `imp_success` /
 * `success` flag is never read (PGs omit it or say false for a paid payment).
 * Always answers 302 to RESULT_PAGE_URL, the only destination there is.
 */
export const createRedirectHandler =
  (deps: RedirectDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    const query = readQuery(event);
    const order = merchantUid.safeParse(query.merchant_uid);
    const echo = order.success ? order.data : undefined;
    let log = deps.log.with({
      route: 'redirect',
      api_request_id: event.requestContext.requestId,
      merchant_uid: echo,
    });
    let status: RedirectWord;
    try {
      if (query.imp_uid === undefined || query.imp_uid === '') {
        // The payment window never opened (or PortOne refused it before a payment existed).
        status = 'failed';
      } else {
        const claim = {
          impUid: parseWith(impUid, query.imp_uid),
          merchantUid: parseWith(merchantUid, query.merchant_uid),
        };
        log = log.with({ imp_uid: claim.impUid });
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
