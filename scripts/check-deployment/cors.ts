import { send } from './http';
import type { CheckResult, Target } from './types';

/**
 * The checkout page's preflight for `POST {api}/payments/complete`: each
 * allowed origin gets `access-control-allow-origin` equal to itself (and
 * POST among the allowed methods); the disallowed origin gets no
 * allow-origin at all. One result per origin, so each failure is one line.
 */
export const corsCheck = async (target: Target): Promise<CheckResult[]> => {
  const allowed = target.allowedOrigins ?? [];
  const results: CheckResult[] = [];
  if (target.allowedOrigins === null) {
    results.push({
      name: 'cors',
      ok: false,
      message: `the allowed origins are unknown: ${target.originsHint}`,
    });
  }
  for (const origin of allowed) results.push(await allowedCheck(target, origin));
  results.push(await refusedCheck(target, allowed));
  return results;
};

const preflight = (target: Target, origin: string) =>
  send(`${target.apiUrl}/payments/complete`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });

const call = (target: Target, origin: string) =>
  `OPTIONS ${target.apiUrl}/payments/complete from ${origin}`;

const fix = (target: Target) =>
  target.stackName
    ? 'the allowedOrigins context (comma-separated), then deploy'
    : "the deployment's allowedOrigins context (ALLOWED_ORIGINS for npm start)";

const allowedCheck = async (target: Target, origin: string): Promise<CheckResult> => {
  const fail = (message: string): CheckResult => ({ name: 'cors', ok: false, message });
  const exchange = await preflight(target, origin);
  if (!exchange.ok) {
    return fail(
      `${call(target, origin)} failed (${exchange.reason}): pass the API's base URL (the stack's ApiUrl output)`,
    );
  }
  const allowOrigin = exchange.headers.get('access-control-allow-origin');
  const answered = `${call(target, origin)} answered ${exchange.status}`;
  if (allowOrigin === null) {
    return fail(
      `${answered} without access-control-allow-origin, so the checkout page on ${origin} cannot read complete's answer: add ${origin} to ${fix(target)}`,
    );
  }
  if (allowOrigin !== origin) {
    return fail(
      `${answered} with access-control-allow-origin ${allowOrigin}, not ${origin}: list the checkout origins exactly in ${fix(target)}`,
    );
  }
  const methods = exchange.headers.get('access-control-allow-methods');
  if (methods !== null && !methods.split(',').some((m) => m.trim().toUpperCase() === 'POST')) {
    return fail(
      `${answered} allowing methods ${methods}, without POST, so the checkout page's POST is refused: deploy the current version of this service (lib/api-edge.ts allows POST)`,
    );
  }
  return { name: 'cors', ok: true, message: `${answered} allowing ${origin}` };
};

const refusedCheck = async (target: Target, allowed: readonly string[]): Promise<CheckResult> => {
  const origin = target.disallowedOrigin;
  const exchange = await preflight(target, origin);
  if (!exchange.ok) {
    return {
      name: 'cors',
      ok: false,
      message: `${call(target, origin)} failed (${exchange.reason}): pass the API's base URL (the stack's ApiUrl output)`,
    };
  }
  const allowOrigin = exchange.headers.get('access-control-allow-origin');
  const answered = `${call(target, origin)} answered ${exchange.status}`;
  if (allowOrigin === '*') {
    return {
      name: 'cors',
      ok: false,
      message: `${answered} with access-control-allow-origin *, so any site's script can call complete: list only the checkout origins in ${fix(target)}`,
    };
  }
  if (allowOrigin !== null) {
    return {
      name: 'cors',
      ok: false,
      message: `${answered} with access-control-allow-origin ${allowOrigin}, though ${origin} is not a checkout origin: list only the checkout origins in ${fix(target)}`,
    };
  }
  return {
    name: 'cors',
    ok: true,
    message: `${answered} without access-control-allow-origin, ${
      allowed.length
        ? 'as for any origin not allowed'
        : `and no origin is to be allowed (${target.stackName ? 'AllowedOrigins is empty' : 'no --origin given'})`
    }`,
  };
};
