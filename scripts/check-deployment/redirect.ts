import { send, statusOf } from './http';
import { type CheckResult, type Target, TEST_CALL } from './types';

/**
 * `GET {api}/payments/complete?imp_uid&merchant_uid&imp_success=true`, as
 * PortOne sends the mobile browser back: it must answer 302 (or 303) to the
 * result page, whatever it found (an order never registered answers
 * `not_found` without asking PortOne), and the result page must answer.
 */
export const redirectCheck = async (target: Target): Promise<CheckResult> => {
  const query = new URLSearchParams({
    imp_uid: TEST_CALL.imp_uid,
    merchant_uid: TEST_CALL.merchant_uid,
    imp_success: 'true',
  });
  const url = `${target.apiUrl}/payments/complete?${query}`;
  const call = `GET ${target.apiUrl}/payments/complete`;
  const fail = (message: string): CheckResult => ({ name: 'redirect', ok: false, message });
  const exchange = await send(url);
  if (!exchange.ok) {
    return fail(
      `${call} failed (${exchange.reason}); the buyer's browser cannot reach it either: pass the API's base URL (the stack's ApiUrl output)`,
    );
  }
  const location = exchange.headers.get('location');
  if (exchange.status !== 302 && exchange.status !== 303) {
    const { status } = statusOf(exchange.json);
    const answered = `${call} answered ${exchange.status}${status ? ` ${status}` : ''}`;
    if (exchange.status === 404) {
      return fail(
        `${answered}, not a redirect: there is no redirect route there; pass the API's base URL (the stack's ApiUrl output, without a path)`,
      );
    }
    if (exchange.status >= 500) {
      return fail(
        `${answered}, not a redirect: the redirect function failed (it stops at cold start without RESULT_PAGE_URL, context resultPageUrl); its log group says why`,
      );
    }
    return fail(
      `${answered}, not a 302 to the result page: pass the API's base URL (the stack's ApiUrl output)`,
    );
  }
  const landed = location ? parseUrl(location, url) : null;
  if (!landed) {
    return fail(
      `${call} answered ${exchange.status} without a usable Location (${JSON.stringify(location)}): deploy the current version of this service`,
    );
  }
  const expected = target.resultPageUrl;
  if (expected === null) {
    return fail(
      `${call} sent the browser to ${landed.href}, but the result page to compare it with is unknown: ${target.resultPageHint}`,
    );
  }
  if (!sameDestination(landed, new URL(expected))) {
    return fail(
      `${call} sent the browser to ${landed.href}, not to the result page ${expected}: ${
        target.stackName
          ? 'deploy with the resultPageUrl context set to the result page'
          : "set the deployment's resultPageUrl context (RESULT_PAGE_URL for npm start) to the result page"
      }, or pass the right --result-page-url`,
    );
  }
  const page = await send(landed.href, { follow: true, headers: { accept: 'text/html' } });
  if (!page.ok || page.status >= 400) {
    return fail(
      `${call} sent the browser to ${landed.href}, which ${page.ok ? `answered ${page.status}` : `failed (${page.reason})`}: publish the result page at ${expected}, or deploy with resultPageUrl set to where it is`,
    );
  }
  return {
    name: 'redirect',
    ok: true,
    message: `${call} answered ${exchange.status} to ${landed.href}, the result page (which answered ${page.status})`,
  };
};

/**
 * The redirect builds its Location with URL from RESULT_PAGE_URL and adds
 * merchant_uid and status: the same origin and path, and every parameter of
 * the configured URL kept.
 */
const sameDestination = (landed: URL, expected: URL): boolean =>
  landed.origin === expected.origin &&
  landed.pathname === expected.pathname &&
  [...expected.searchParams].every(
    ([name, value]) =>
      name === 'status' ||
      name === 'merchant_uid' ||
      landed.searchParams.getAll(name).includes(value),
  );

const parseUrl = (value: string, base: string): URL | null => {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
};
