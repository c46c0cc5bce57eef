import { MockAgent, fetch as undiciFetch } from 'undici';
import {
  createPortOneClient,
  type PortOneClientOptions,
} from '../../../../../functions/adapters/portone';

export const BASE_URL = 'http://portone.test';
export const API_KEY = 'imp_key_4821';
export const API_SECRET = 'imp-secret-Zq81xPl0vTw';
/** Server time (unix seconds), deliberately unrelated to the local test clock. */
export const SERVER_NOW = 1_700_000_000;
export const TOKEN_ROUTE = 'POST /users/getToken';
export const PAYMENT_ROUTE = 'GET /payments/{imp_uid}';

export interface CallEvent {
  route: string;
  status: number | 'error';
  ms: number;
}

/**
 * A client wired to an undici MockAgent, a hand-driven clock, an instant
 * sleep that records its delays, and a recorder of every HTTP attempt.
 */
export function harness(overrides: Partial<PortOneClientOptions> & { realClock?: boolean } = {}) {
  const { realClock, ...options } = overrides;
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const pool = agent.get(BASE_URL);
  const calls: CallEvent[] = [];
  const sleeps: number[] = [];
  const clock = { ms: 5_000_000 };
  const keyPairReads = { count: 0 };
  const client = createPortOneClient({
    baseUrl: BASE_URL,
    credentials: () => {
      keyPairReads.count++;
      return Promise.resolve({ apiKey: API_KEY, apiSecret: API_SECRET });
    },
    // The client always passes a URL string; the casts bridge undici's and
    // the DOM lib's nominally different Request/Response typings.
    fetch: (input, init) =>
      undiciFetch(String(input), {
        ...init,
        dispatcher: agent,
      } as never) as unknown as Promise<Response>,
    ...(realClock
      ? {}
      : {
          now: () => clock.ms,
          sleep: async (ms: number) => {
            sleeps.push(ms);
          },
        }),
    onCall: (event) => calls.push(event),
    ...options,
  });
  return {
    agent,
    pool,
    client,
    calls,
    /** Token refreshes: each reads the key pair once, however many HTTP attempts it takes. */
    tokenFetches: () => keyPairReads.count,
    sleeps,
    clock,
    /** Number of HTTP attempts made on `route`. */
    count: (route: string) => calls.filter((call) => call.route === route).length,
    /** Requests as the server saw them. */
    requests: (path: string) => agent.getCallHistory()?.filterCalls({ path }) ?? [],
  };
}

export type Harness = ReturnType<typeof harness>;

export function envelope(response: unknown, code = 0, message: string | null = null) {
  return { code, message, response };
}

/** Answers `times` getToken calls with `token`, `lifetimeS` seconds from server time `now`. */
export function replyToken(
  h: Harness,
  token: string,
  { lifetimeS = 1800, now = SERVER_NOW, times = 1 } = {},
) {
  h.pool
    .intercept({ path: '/users/getToken', method: 'POST' })
    .reply(200, envelope({ access_token: token, now, expired_at: now + lifetimeS }))
    .times(times);
}

/** A paid card payment as PortOne returns it, including keys we do not use. */
export function paidPayment(overrides: Record<string, unknown> = {}) {
  return {
    amount: 1000,
    apply_num: '47405704',
    bank_code: null,
    buyer_email: 'buyer@example.com',
    buyer_name: null,
    cancel_amount: 0,
    cancel_history: [],
    cancel_reason: null,
    cancel_receipt_urls: [],
    cancelled_at: 0,
    card_name: '신한카드',
    card_number: '510737*********6',
    card_quota: 0,
    channel: 'pc',
    currency: 'KRW',
    custom_data: null,
    escrow: false,
    fail_reason: null,
    failed_at: 0,
    imp_uid: 'imp_401076007673',
    merchant_uid: 'order_87',
    name: '클럽86',
    paid_at: 1618692096,
    pay_method: 'card',
    pg_provider: 'html5_inicis',
    pg_tid: 'StdpayCARDINIpayTest20210418054135849372',
    sandbox: false,
    started_at: 1618692076,
    status: 'paid',
    vbank_code: null,
    vbank_date: 0,
    vbank_holder: null,
    vbank_issued_at: 0,
    vbank_name: null,
    vbank_num: null,
    ...overrides,
  };
}

/** Answers `times` getPayment calls for `impUid` with `status` and `body`. */
export function replyPayment(
  h: Harness,
  impUid: string,
  status: number,
  body: unknown,
  { times = 1, headers }: { times?: number; headers?: Record<string, string> } = {},
) {
  h.pool
    .intercept({
      path: `/payments/${encodeURIComponent(impUid)}?include_sandbox=true`,
      method: 'GET',
      ...(headers ? { headers } : {}),
    })
    .reply(status, body as object)
    .times(times);
}

/** Settles a promise into its error, failing the test if it resolves. */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
