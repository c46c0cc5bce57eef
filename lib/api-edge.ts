/**
 * The API's edge, written once: its routes, who may call each, whose
 * throttle budget each spends, and its CORS rules. The CDK construct
 * (lib/payments-api.ts) configures API Gateway from it, and the local stack
 * (local/api-server.ts) emulates API Gateway from it, so the rules under test
 * are the rules that run. No imports, so that both can read it.
 */

export type RouteFunction = 'complete' | 'redirect' | 'webhook' | 'orders';

/**
 * Each route spends one budget, its own token bucket at API Gateway:
 * - `webhook`: PortOne's notifications. Browser traffic never spends it, so
 *   a flood on the payment pages cannot turn a real webhook into a 429.
 * - `browser`: the checkout page's callback and the mobile return.
 * - `trusted`: the merchant's backend (IAM).
 */
export type ThrottleBudget = 'webhook' | 'browser' | 'trusted';

export interface EdgeRoute {
  readonly method: 'GET' | 'POST';
  /** API Gateway's path syntax: `{name}` is one path segment. */
  readonly path: string;
  readonly function: RouteFunction;
  /** `public`: no credential is possible (a browser, PortOne's unsigned V1 webhook); `iam`: SigV4. */
  readonly access: 'public' | 'iam';
  readonly budget: ThrottleBudget;
}

/** The routes of docs/design.md §4, each to its function. */
export const ROUTES: readonly EdgeRoute[] = [
  {
    method: 'POST',
    path: '/payments/complete',
    function: 'complete',
    access: 'public',
    budget: 'browser',
  },
  {
    method: 'GET',
    path: '/payments/complete',
    function: 'redirect',
    access: 'public',
    budget: 'browser',
  },
  {
    method: 'POST',
    path: '/payments/webhook',
    function: 'webhook',
    access: 'public',
    budget: 'webhook',
  },
  // PortOne V2: the same three directions, in the same functions (a version is an adapter).
  {
    method: 'POST',
    path: '/v2/payments/complete',
    function: 'complete',
    access: 'public',
    budget: 'browser',
  },
  {
    method: 'GET',
    path: '/v2/payments/complete',
    function: 'redirect',
    access: 'public',
    budget: 'browser',
  },
  {
    method: 'POST',
    path: '/v2/payments/webhook',
    function: 'webhook',
    access: 'public',
    budget: 'webhook',
  },
  { method: 'POST', path: '/orders', function: 'orders', access: 'iam', budget: 'trusted' },
  {
    method: 'GET',
    path: '/orders/{merchant_uid}',
    function: 'orders',
    access: 'iam',
    budget: 'trusted',
  },
  {
    method: 'POST',
    path: '/orders/{merchant_uid}/payments',
    function: 'orders',
    access: 'iam',
    budget: 'trusted',
  },
  {
    method: 'POST',
    path: '/orders/{merchant_uid}/cancel',
    function: 'orders',
    access: 'iam',
    budget: 'trusted',
  },
];

export const routeKeyOf = (route: EdgeRoute): string => `${route.method} ${route.path}`;

/**
 * CORS lets the configured origins' pages read complete's answer; only the
 * checkout callback is ever called from a page's script (the redirect is a
 * navigation, the rest are server to server). API Gateway answers every
 * preflight itself and ignores CORS headers from the functions, so the
 * functions set none.
 */
export const CORS = {
  allowMethods: ['POST', 'OPTIONS'],
  allowHeaders: ['content-type'],
  // Chromium's cap (Firefox allows a day): a browser asks again at most every two hours.
  maxAgeSeconds: 7200,
} as const;

/**
 * What API Gateway answers for CORS, for the local stack's emulation:
 * - `preflight`: an OPTIONS request with an Origin, answered 204 by the edge
 *   (with CORS headers only for an allowed origin and method); the function
 *   never sees it.
 * - otherwise the headers to add to the function's answer (none for an
 *   origin not allowed: the browser then refuses the page the answer).
 * Without configured origins CORS is off and OPTIONS reaches the routes
 * like any method (and finds none).
 */
export const corsAtEdge = (
  allowedOrigins: readonly string[],
  request: { method: string; origin?: string; requestMethod?: string },
): { preflight: boolean; headers: Record<string, string> } => {
  if (allowedOrigins.length === 0) return { preflight: false, headers: {} };
  const preflight = request.method === 'OPTIONS' && request.origin !== undefined;
  const allowed = request.origin !== undefined && allowedOrigins.includes(request.origin);
  if (!allowed) return { preflight, headers: {} };
  if (!preflight)
    return { preflight, headers: { 'access-control-allow-origin': request.origin as string } };
  const method = (request.requestMethod ?? '').toUpperCase();
  if (!(CORS.allowMethods as readonly string[]).includes(method)) return { preflight, headers: {} };
  return {
    preflight,
    headers: {
      'access-control-allow-origin': request.origin as string,
      'access-control-allow-methods': CORS.allowMethods.join(','),
      'access-control-allow-headers': CORS.allowHeaders.join(','),
      'access-control-max-age': String(CORS.maxAgeSeconds),
    },
  };
};
