import { ROUTES, routeKeyOf, type ThrottleBudget } from './api-edge';
import { THROTTLE_KEYS } from './config';

/**
 * Why each public route of lib/api-edge.ts needs no authorizer (cdk-nag
 * AwsSolutions-APIG4), by route key. Reviewed one by one: a route that
 * api-edge.ts makes public without a reason here fails synth (lib/payments-api.ts).
 */

const VERIFIED_AGAINST_PORTONE_V2 =
  'only the paymentId is read from the request; it must be an id this service issued for a registered order, and the payment is re-fetched from PortOne V2 with the stack-held API secret and compared with that order (docs/design.md §2, I1), so an unauthenticated caller can learn or change nothing a genuine PortOne lookup would not';

const VERIFIED_AGAINST_PORTONE =
  'only two ids are read from the request, the payment is re-fetched from PortOne by imp_uid with the stack-held API key and compared with the registered order (docs/design.md §2, I1), so an unauthenticated caller can learn or change nothing a genuine PortOne lookup would not';

/** How each budget of lib/api-edge.ts bounds abuse of a public route, for its APIG4 reason. */
const THROTTLED_BY: Readonly<Record<ThrottleBudget, string>> = {
  webhook: `Its own per-route throttle (the webhook budget, ${THROTTLE_KEYS.webhook.rate}/${THROTTLE_KEYS.webhook.burst}) bounds abuse; browser traffic has separate buckets and cannot spend it.`,
  browser: `Its own per-route throttle (the browser budget, ${THROTTLE_KEYS.browser.rate}/${THROTTLE_KEYS.browser.burst}, one bucket per browser route) bounds abuse and cannot spend the webhook's budget.`,
  trusted: `Its own per-route throttle (the trusted budget, ${THROTTLE_KEYS.trusted.rate}/${THROTTLE_KEYS.trusted.burst}) bounds abuse.`,
};

const budgetOf = (routeKey: string): ThrottleBudget => {
  const route = ROUTES.find((r) => routeKeyOf(r) === routeKey);
  if (route === undefined) throw new Error(`${routeKey} is not a route of lib/api-edge.ts`);
  return route.budget;
};

export const PUBLIC_BECAUSE: Readonly<Record<string, string>> = {
  'POST /payments/complete': `Public by design: the shopper's browser posts the IMP.request_pay callback result here and holds no AWS credentials; ${VERIFIED_AGAINST_PORTONE}. ${THROTTLED_BY[budgetOf('POST /payments/complete')]}`,
  'GET /payments/complete': `Public by design: this is the m_redirect_url PortOne sends the mobile browser to, which holds no AWS credentials; ${VERIFIED_AGAINST_PORTONE}; the 302 only ever goes to the configured result page. ${THROTTLED_BY[budgetOf('GET /payments/complete')]}`,
  'POST /payments/webhook': `Public by design: PortOne's V1 webhook is an unsigned server-to-server POST that cannot carry SigV4 or any other credential; ${VERIFIED_AGAINST_PORTONE}. ${THROTTLED_BY[budgetOf('POST /payments/webhook')]}`,
  'POST /v2/payments/complete': `Public by design: the shopper's browser posts the PortOne.requestPayment result here and holds no AWS credentials; ${VERIFIED_AGAINST_PORTONE_V2}. ${THROTTLED_BY[budgetOf('POST /v2/payments/complete')]}`,
  'GET /v2/payments/complete': `Public by design: this is the redirectUrl PortOne V2 sends the mobile browser to, which holds no AWS credentials; ${VERIFIED_AGAINST_PORTONE_V2}; the 302 only ever goes to the configured result page. ${THROTTLED_BY[budgetOf('GET /v2/payments/complete')]}`,
  'POST /v2/payments/webhook': `Public by design: PortOne V2's webhook is a server-to-server POST that cannot carry SigV4; it is authenticated by its Standard Webhooks signature (HMAC-SHA256 with the stack-held webhook secret, 5-minute window), refused with 401 otherwise, and ${VERIFIED_AGAINST_PORTONE_V2}. ${THROTTLED_BY[budgetOf('POST /v2/payments/webhook')]}`,
};
