import { isIP } from 'node:net';

/**
 * The rules for the settings a deployment gives both the stack (CDK context,
 * lib/config.ts) and the functions (environment, ./config.ts): one owner, so
 * that a value the stack accepts is a value the functions accept. Each rule
 * answers the normalized value or the problem in words; the caller names the
 * context key or the variable it read. Nothing but Node is imported, so the
 * stack can read this file without reaching into code that runs in a function.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const problem = <T>(words: string): Checked<T> => ({ ok: false, problem: words });

/** This machine: http is allowed only to it (the local stack, a test stage's laptop). */
export const isLoopback = (url: URL): boolean =>
  url.hostname === 'localhost' ||
  url.hostname === '[::1]' ||
  /^127(\.\d{1,3}){3}$/.test(url.hostname);

const parse = (value: string): URL | undefined => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

const secure = (url: URL): boolean =>
  url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));

/**
 * A URL the service sends money answers or browsers to (PortOne's API, the
 * result page): https, or http only to this machine.
 */
export const secureUrl = (value: string): Checked<string> => {
  const url = parse(value);
  if (url === undefined) return problem(`must be an absolute https URL, got "${value}"`);
  if (!secure(url)) {
    return problem(`must be an https URL (http only to localhost), got "${value}"`);
  }
  return ok(value);
};

/**
 * Browser origins allowed to call the API: each an https origin (scheme and
 * host, no path), or http only to this machine; never "*", since the answers
 * describe a buyer's payment. Blank items are dropped, repeats kept once.
 */
export const origins = (items: readonly string[]): Checked<string[]> => {
  const result: string[] = [];
  for (const item of items.map((origin) => origin.trim()).filter(Boolean)) {
    const url = parse(item);
    if (url === undefined || !secure(url) || url.origin !== item.replace(/\/$/, '')) {
      return problem(
        `must list https origins like https://shop.example (no path, no "*"), got "${item}"`,
      );
    }
    if (!result.includes(url.origin)) result.push(url.origin);
  }
  return ok(result);
};

/** Source addresses (PortOne's webhook senders): IPv4 or IPv6 literals. Blank items are dropped. */
export const ipAddresses = (items: readonly string[]): Checked<string[]> => {
  const result = items.map((ip) => ip.trim()).filter(Boolean);
  const bad = result.find((ip) => isIP(ip) === 0);
  return bad === undefined ? ok(result) : problem(`must list IP addresses, got "${bad}"`);
};

/** PortOne V2's console keeps at most two webhook secrets active while one replaces the other. */
export const MAX_WEBHOOK_SECRETS = 2;

/**
 * PortOne V2 webhook secrets: each base64, with or without the console's
 * `whsec_` prefix, one or two of them (two while rotating). Checked at cold
 * start, so a mistyped secret stops the function instead of refusing every
 * delivery with 401. A problem never quotes a secret, only its position.
 */
export const webhookSecrets = (items: readonly string[]): Checked<string[]> => {
  const secrets = items.map((secret) => secret.trim()).filter(Boolean);
  if (secrets.length === 0 || secrets.length > MAX_WEBHOOK_SECRETS) {
    return problem(
      `must list one or two webhook secrets (two while rotating), got ${secrets.length}`,
    );
  }
  const bad = secrets.findIndex((secret) => {
    const base64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
    return !/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0;
  });
  if (bad !== -1) {
    return problem(
      `must list base64 secrets as PortOne's console shows them (whsec_…); secret ${bad + 1} is not`,
    );
  }
  return ok(secrets);
};

/**
 * The value of PORTONE_V2 that the stack sets when V2 is on: V2's secrets are
 * the fields v2ApiSecret and v2WebhookSecret of the PortOne secret.
 */
export const PORTONE_V2_FROM_SECRET = 'secret';

/** A PortOne V2 store id as the console shows it (`store-` and a UUID); catches a pasted channel key. */
export const storeId = (value: string): Checked<string> =>
  /^store-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    ? ok(value)
    : problem(
        `must be a PortOne store id like store-ae356798-3d20-4969-b739-14c6b0e1a667, got "${value}"`,
      );
