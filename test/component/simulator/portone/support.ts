import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  type RunningSimulator,
  type SimulatorOptions,
  startPortOneSimulator,
} from '../../../../simulator/portone';

export function startSim(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startPortOneSimulator({ quiet: true, ...options });
}

export interface ApiAnswer<T = unknown> {
  status: number;
  contentType: string | null;
  text: string;
  /** The parsed envelope (undefined when the body is not JSON). */
  body: { code: number; message: string | null; response: T };
}

export interface CallOptions {
  token?: string;
  /** How the token is sent (default bearer). */
  auth?: 'bearer' | 'raw' | 'x-imp';
  body?: Record<string, unknown>;
  form?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Minimal PortOne client used to poke the simulator over real HTTP. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async call<T = unknown>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) {
      const auth = options.auth ?? 'bearer';
      if (auth === 'x-imp') headers['x-imptokenheader'] = options.token;
      else headers.authorization = auth === 'raw' ? options.token : `Bearer ${options.token}`;
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      if (options.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(
          Object.entries(options.body).map(([k, v]) => [k, String(v)]),
        ).toString();
      } else {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.body);
      }
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      text,
      body: parsed as ApiAnswer<T>['body'],
    };
  }

  async getToken(): Promise<string> {
    const answer = await this.call<{ access_token: string }>('POST', '/users/getToken', {
      body: { imp_key: DEFAULT_API_KEY, imp_secret: DEFAULT_API_SECRET },
    });
    if (answer.status !== 200) throw new Error(`getToken answered ${answer.status}`);
    return answer.body.response.access_token;
  }
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() on arrival, for tests of schedules. */
  receivedAt: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Highest number of requests handled at the same time. */
  maxInFlight: number;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A stand-in for the service's webhook endpoint. */
export async function startReceiver(
  options: {
    status?: number;
    /** Statuses answered in turn, the last one from then on (instead of `status`). */
    statuses?: number[];
    body?: string;
    delayMs?: number;
  } = {},
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: Array<() => void> = [];
  let inFlight = 0;
  const receiver = { maxInFlight: 0 } as Receiver;
  const server = createServer((req, res) => {
    inFlight += 1;
    receiver.maxInFlight = Math.max(receiver.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: performance.now(),
      });
      const index = requests.length - 1;
      for (const wake of waiters.splice(0)) wake();
      setTimeout(() => {
        inFlight -= 1;
        const turn = options.statuses?.[index] ?? options.statuses?.at(-1);
        res.writeHead(turn ?? options.status ?? 200, { 'content-type': 'text/plain' });
        res.end(options.body ?? 'OK');
      }, options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/payments/webhook`;
  receiver.requests = requests;
  receiver.waitFor = async (count, timeoutMs = 2000) => {
    const deadline = Date.now() + timeoutMs;
    while (requests.length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} requests, got ${requests.length}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return requests;
  };
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
