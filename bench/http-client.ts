import http from 'node:http';

/** One answer as the bench reads it. */
export interface Answer {
  status: number;
  body: string;
  /** The Location header of a redirect, else null. */
  location: string | null;
}

/**
 * Under the local API adapter's keep-alive (5 s, local/api-server.ts), so
 * that a pooled socket is dropped here before the server closes it under a request.
 */
const IDLE_SOCKET_MS = 2_000;
const ANSWER_TIMEOUT_MS = 15_000;

const agent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

/**
 * The bench's load generator: node:http on a keep-alive agent, as the
 * deployed PortOne client talks (functions/adapters/portone/http-exchange.ts).
 * PortOne's servers and the shopper's browser run on other machines, but the
 * bench's requests leave the process that serves the API and runs the
 * handlers, so whatever the client spends is added to every measured round
 * trip. `npx tsx bench/client-hop.ts` on 2026-12-05 (140 webhook deliveries
 * through each, alternating): round trip minus the handler's time 1.87 ms mean,
 * 1.75 p50 through Node's fetch; 1.10 and 1.01 through this client. Redirects
 * are not followed.
 */
export const send = (
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const headers =
      init.body === undefined
        ? (init.headers ?? {})
        : { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) };
    const request = http.request(
      url,
      { method: init.method ?? 'GET', headers, agent, timeout: ANSWER_TIMEOUT_MS },
      (response) => {
        response.setEncoding('utf8');
        let body = '';
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => {
          const { location } = response.headers;
          resolve({ status: response.statusCode ?? 0, body, location: location ?? null });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url}`)));
    request.on('error', reject);
    request.end(init.body);
  });
