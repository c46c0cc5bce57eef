import http from 'node:http';
import https from 'node:https';

/** One request as the transport makes it: fetch's shape, narrowed to what it uses. */
export interface ExchangeInit {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal: AbortSignal;
  /** PortOne never redirects; following one could leak the token elsewhere. */
  redirect: 'error';
}

/**
 * What the PortOne transport needs of an HTTP client. `globalThis.fetch`
 * is one; tests pass undici's fetch on a MockAgent.
 */
export type HttpExchange = (
  url: string,
  init: ExchangeInit,
) => Promise<{ status: number; text(): Promise<string> }>;

/**
 * How long an idle connection is kept for the next call. Under the usual
 * server keep-alive (nginx's 75 s, load balancers' 60 s), so that we close
 * first; a socket the server closed anyway fails as a network error, which
 * the transport retries for idempotent calls.
 */
export const IDLE_SOCKET_MS = 30_000;

/**
 * node:http(s) on a keep-alive Agent, the body read in full under the same
 * signal. The transport's default: the npm run bench CPU phase measured a
 * PortOne lookup at about half the CPU of Node's fetch (which also loads its
 * bundled undici on first use, at cold start), without the undici package's
 * import (about 100 ms per cold start) (bench/transport-cpu.ts). Redirects are
 * never followed: a 3xx reaches the answer reader as the failure it is.
 */
export const keepAliveExchange = (): HttpExchange => {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        reject(new TypeError(`unsupported protocol ${target.protocol}`));
        return;
      }
      const headers =
        init.body === undefined
          ? init.headers
          : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) };
      const request = (secure ? https : http).request(
        target,
        {
          method: init.method,
          headers,
          agent: secure ? agents['https:'] : agents['http:'],
          signal: init.signal,
        },
        (response) => {
          response.setEncoding('utf8');
          let text = '';
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: () => Promise.resolve(text) }),
          );
          // Aborted or reset mid-body: no 'end', and the promise must still settle.
          response.on('close', () => {
            if (!response.complete) reject(new Error('PortOne connection closed mid-answer'));
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(init.body);
    });
};
