import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Agent, request } from 'undici';
import { inject } from 'vitest';
import { UNKNOWN_FOR_MS } from '../../../functions/domain/use-cases/recently-unknown';
import type { CallRecord } from '../../../simulator/portone/types';
import { RESULT_PAGE_URL } from '../support/harness';
import type { Answer } from './driver';
import { pick } from './stories';

/**
 * The abuse scenario's flood: what anyone on the internet can send to the
 * three public routes, with ids that say they are the flood's, so that every
 * PortOne call the simulator logs can be put down to its cause.
 *
 * imp_uid prefixes (the same prefix never goes to two kinds of route):
 * - `imp_flood_u`: browser routes, an order never registered (`flood-…`): must cost no PortOne call
 * - `imp_flood_r`: browser routes, a real registered order: at most one call per id, then remembered
 * - `imp_flood_w`: the webhook, any order: one call per delivery (the webhook always looks up)
 * - `imp_flood_m`: malformed requests on any route: never looked up
 */
export const FLOOD_IMP_PREFIX = 'imp_flood';
export const FLOOD_MERCHANT_PREFIX = 'flood-';

export type FloodKind =
  /** A random well-formed imp_uid with an unregistered merchant_uid. */
  | 'unregistered'
  /** A random (sometimes reused) well-formed imp_uid with a real registered merchant_uid. */
  | 'registered'
  /** One made-up id, over and over, with an unregistered order. */
  | 'same_unregistered'
  /** One made-up id, over and over, with real orders (a fresh one every REUSE_FOR_MS). */
  | 'same_registered'
  /** A made-up payment notice, for a real or an unregistered order. */
  | 'webhook'
  /** One made-up notice, over and over. */
  | 'webhook_same'
  | 'malformed';

export type FloodRoute =
  | 'complete_json'
  | 'complete_form'
  | 'redirect'
  | 'webhook_json'
  | 'webhook_form';

export interface FloodRequest {
  kind: FloodKind;
  route: FloodRoute;
  method: 'GET' | 'POST';
  path: string;
  contentType?: string;
  origin?: string;
  body?: string;
  /** The imp_uid of a well-formed request. */
  impUid?: string;
  /** What the malformed request gets wrong (for the report). */
  flaw?: string;
}

const WEIGHTS: readonly [FloodKind, number][] = [
  ['unregistered', 0.22],
  ['registered', 0.22],
  ['same_unregistered', 0.08],
  ['same_registered', 0.08],
  ['webhook', 0.14],
  ['webhook_same', 0.06],
  ['malformed', 0.2],
];

/**
 * A made-up id for a registered order is reused only this long after its
 * first use, inside the service's one-minute memory, so that "looked up at
 * most once" has no expiry to account for.
 */
export const REUSE_FOR_MS = UNKNOWN_FOR_MS - 10_000;

const hex = (random: () => number, digits: number) => {
  let text = '';
  while (text.length < digits) text += Math.floor(random() * 0x1_0000_0000).toString(16);
  return text.slice(0, digits);
};

/** Draws flood requests from one seeded RNG; `now` is milliseconds on the caller's clock. */
export const createFloodPlan = (
  random: () => number,
  realMerchantUids: readonly string[],
  now: () => number,
) => {
  const started = now();
  const reusable: { impUid: string; firstUse: number }[] = [];
  const realOrder = () => pick(random, realMerchantUids);
  const fakeOrder = () => `${FLOOD_MERCHANT_PREFIX}${hex(random, 12)}`;
  const origin = () =>
    random() < 0.5
      ? {}
      : { origin: pick(random, ['https://evil.example', 'https://shop.example']) };

  const browser = (kind: FloodKind, impUid: string, merchantUid: string): FloodRequest => {
    const roll = random();
    if (roll < 0.4) {
      return {
        kind,
        route: 'complete_json',
        method: 'POST',
        path: '/payments/complete',
        contentType: 'application/json',
        body: JSON.stringify({ imp_uid: impUid, merchant_uid: merchantUid }),
        impUid,
        ...origin(),
      };
    }
    if (roll < 0.6) {
      return {
        kind,
        route: 'complete_form',
        method: 'POST',
        path: '/payments/complete',
        contentType: 'application/x-www-form-urlencoded',
        body: new URLSearchParams({ imp_uid: impUid, merchant_uid: merchantUid }).toString(),
        impUid,
        ...origin(),
      };
    }
    const query = new URLSearchParams({
      imp_uid: impUid,
      merchant_uid: merchantUid,
      imp_success: random() < 0.5 ? 'true' : 'false',
    });
    return { kind, route: 'redirect', method: 'GET', path: `/payments/complete?${query}`, impUid };
  };

  const webhook = (kind: FloodKind, impUid: string, merchantUid: string): FloodRequest => {
    const fields = { imp_uid: impUid, merchant_uid: merchantUid, status: pick(random, HINTS) };
    return random() < 0.7
      ? {
          kind,
          route: 'webhook_json',
          method: 'POST',
          path: '/payments/webhook',
          contentType: 'application/json',
          body: JSON.stringify(fields),
          impUid,
        }
      : {
          kind,
          route: 'webhook_form',
          method: 'POST',
          path: '/payments/webhook',
          contentType: 'application/x-www-form-urlencoded',
          body: new URLSearchParams(fields).toString(),
          impUid,
        };
  };

  const registeredId = (): string => {
    const at = now();
    while (reusable.length > 0 && at - (reusable[0]?.firstUse ?? at) >= REUSE_FOR_MS) {
      reusable.shift();
    }
    if (reusable.length > 0 && random() < 0.5) return pick(random, reusable).impUid;
    const impUid = `${FLOOD_IMP_PREFIX}_r${hex(random, 16)}`;
    reusable.push({ impUid, firstUse: at });
    return impUid;
  };

  const malformed = (): FloodRequest => {
    const id = `${FLOOD_IMP_PREFIX}_m${hex(random, 8)}`;
    const order = fakeOrder();
    const target = pick(random, ['complete', 'complete', 'redirect', 'webhook'] as const);
    if (target === 'redirect') {
      const [flaw, query] = pick(random, [
        ['illegal character', `imp_uid=${id}!&merchant_uid=${order}`],
        ['no merchant_uid', `imp_uid=${id}`],
        ['no imp_uid', `merchant_uid=${order}&imp_success=true`],
        ['imp_uid too long', `imp_uid=${id}${'x'.repeat(30)}&merchant_uid=${order}`],
        ['broken percent-encoding', `imp_uid=${id}%E0%A4%A&merchant_uid=${order}`],
        ['merchant_uid a path', `imp_uid=${id}&merchant_uid=..%2F..%2Fadmin`],
        ['repeated keys, first empty', `imp_uid=&imp_uid=${id}&merchant_uid=${order}`],
      ] as const);
      return {
        kind: 'malformed',
        route: 'redirect',
        method: 'GET',
        path: `/payments/complete?${query}`,
        flaw,
      };
    }
    const [flaw, contentType, body] = pick(random, [
      ['truncated JSON', 'application/json', `{"imp_uid":"${id}","merchant_uid":`],
      ['JSON array', 'application/json', `[{"imp_uid":"${id}","merchant_uid":"${order}"}]`],
      ['wrong types', 'application/json', '{"imp_uid":12345,"merchant_uid":true}'],
      ['no merchant_uid', 'application/json', `{"imp_uid":"${id}"}`],
      ['empty body', 'application/json', ''],
      ['JSON null', 'application/json', 'null'],
      [
        'illegal characters',
        'application/json',
        JSON.stringify({ imp_uid: `${id}/../x`, merchant_uid: `${order}<script>` }),
      ],
      [
        'imp_uid too long',
        'application/json',
        JSON.stringify({ imp_uid: `${id}${'x'.repeat(30)}`, merchant_uid: order }),
      ],
      [
        'non-ASCII merchant_uid',
        'application/x-www-form-urlencoded',
        `imp_uid=${id}&merchant_uid=${encodeURIComponent('flood-주문')}`,
      ],
      ['broken form', 'application/x-www-form-urlencoded', `imp_uid=%ZZ${id}&merchant_uid=&&=`],
      ['form with no fields', 'application/x-www-form-urlencoded', '&&&'],
      [
        'over 64 KiB',
        'application/json',
        JSON.stringify({ imp_uid: id, merchant_uid: order, pad: 'a'.repeat(70 * 1024) }),
      ],
    ] as const);
    return target === 'webhook'
      ? {
          kind: 'malformed',
          route: contentType === 'application/json' ? 'webhook_json' : 'webhook_form',
          method: 'POST',
          path: '/payments/webhook',
          contentType,
          body,
          flaw,
        }
      : {
          kind: 'malformed',
          route: contentType === 'application/json' ? 'complete_json' : 'complete_form',
          method: 'POST',
          path: '/payments/complete',
          contentType,
          body,
          flaw,
        };
  };

  return (): FloodRequest => {
    let roll = random();
    let kind: FloodKind = 'malformed';
    for (const [candidate, weight] of WEIGHTS) {
      if (roll < weight) {
        kind = candidate;
        break;
      }
      roll -= weight;
    }
    switch (kind) {
      case 'unregistered':
        return browser(kind, `${FLOOD_IMP_PREFIX}_u${hex(random, 16)}`, fakeOrder());
      case 'registered':
        return browser(kind, registeredId(), realOrder());
      case 'same_unregistered':
        return browser(kind, `${FLOOD_IMP_PREFIX}_usame`, `${FLOOD_MERCHANT_PREFIX}same`);
      case 'same_registered': {
        const epoch = Math.floor((now() - started) / REUSE_FOR_MS);
        return browser(kind, `${FLOOD_IMP_PREFIX}_rsame${epoch}`, realOrder());
      }
      case 'webhook':
        return webhook(
          kind,
          `${FLOOD_IMP_PREFIX}_w${hex(random, 16)}`,
          random() < 0.5 ? realOrder() : fakeOrder(),
        );
      case 'webhook_same':
        return webhook(kind, `${FLOOD_IMP_PREFIX}_wsame`, realOrder());
      case 'malformed':
        return malformed();
    }
  };
};

const HINTS = ['paid', 'ready', 'cancelled', 'failed'] as const;

/** Raw HTTP for the flood (its own sockets, bodies exactly as drawn). */
export const createFloodSender = (baseUrl: string, connections: number) => {
  const agent = new Agent({ connections, pipelining: 1, keepAliveTimeout: 10_000 });
  const send = async (flood: FloodRequest): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (flood.contentType) headers['content-type'] = flood.contentType;
    if (flood.origin) headers.origin = flood.origin;
    const response = await request(`${baseUrl}${flood.path}`, {
      method: flood.method,
      dispatcher: agent,
      headers,
      ...(flood.body === undefined ? {} : { body: flood.body }),
    });
    const text = await response.body.text();
    const location = response.headers.location;
    if (typeof location === 'string') {
      const word = location.startsWith(`${RESULT_PAGE_URL}?`)
        ? (new URL(location).searchParams.get('status') ?? '')
        : '(foreign location)';
      return { status: response.statusCode, word, location };
    }
    return { status: response.statusCode, word: wordOf(text) };
  };
  return { send, close: () => agent.close() };
};

/** The `status` of a JSON answer's body. */
export const wordOf = (text: string): string => {
  try {
    return String((JSON.parse(text) as { status?: unknown }).status ?? '');
  } catch {
    return '(not json)';
  }
};

/**
 * What each flood request must be answered: a made-up payment is not found
 * (complete 404, redirect 302 to the result page, webhook 200 `ignored` so
 * that PortOne would stop), a malformed request is refused as such. Answers
 * the problem, or null.
 */
export const judgeFlood = (flood: FloodRequest, answer: Answer): string | null => {
  const problem = () =>
    `flood ${flood.kind} ${flood.route}${flood.flaw ? ` (${flood.flaw})` : ''} ${flood.impUid ?? ''}: ${answer.status} ${answer.word}`;
  const isRedirect = flood.route === 'redirect';
  if (isRedirect) {
    if (answer.status !== 302 || !answer.location?.startsWith(`${RESULT_PAGE_URL}?`)) {
      return problem();
    }
    const allowed = flood.kind === 'malformed' ? ['invalid_request', 'failed'] : ['not_found'];
    return allowed.includes(answer.word) ? null : problem();
  }
  if (flood.kind === 'malformed') {
    const status = flood.flaw === 'over 64 KiB' ? 413 : 400;
    return answer.status === status && answer.word === 'invalid_request' ? null : problem();
  }
  if (flood.route === 'webhook_json' || flood.route === 'webhook_form') {
    return answer.status === 200 && answer.word === 'ignored' ? null : problem();
  }
  return answer.status === 404 && answer.word === 'not_found' ? null : problem();
};

/**
 * Keeps the flood at `factor` requests for every real one, whatever the
 * machine's speed: a flood worker may start a request while the flood is
 * behind, and a real request waits while the flood is more than `slack`
 * requests behind (the stack, the load and PortOne share one process here,
 * so the flood's rate is bounded by the same CPU as the real one's).
 */
export class Pacer {
  real = 0;
  flood = 0;
  private finishing = false;
  private readonly floodWaiters: (() => void)[] = [];
  private readonly realWaiters: (() => void)[] = [];

  constructor(
    private readonly factor: number,
    private readonly slack: number,
  ) {}

  /** Resolves when one more real request may start. */
  async beforeReal(): Promise<void> {
    while (this.flood + this.slack < this.factor * (this.real + 1)) {
      await new Promise<void>((resolve) => this.realWaiters.push(resolve));
    }
    this.real++;
    wake(this.floodWaiters);
  }

  /** Resolves true when the flood may start one more request; false once finished and caught up. */
  async take(): Promise<boolean> {
    for (;;) {
      if (this.flood < this.factor * this.real) {
        this.flood++;
        wake(this.realWaiters);
        return true;
      }
      if (this.finishing) return false;
      await new Promise<void>((resolve) => this.floodWaiters.push(resolve));
    }
  }

  /** No more real requests: the flood catches up to `factor` times them, then ends. */
  finish(): void {
    this.finishing = true;
    wake(this.floodWaiters);
  }
}

const wake = (waiters: (() => void)[]) => {
  for (const resolve of waiters.splice(0)) resolve();
};

/** One browser-route flood request for a registered order, on the client's clock. */
export interface Timed {
  impUid: string;
  start: number;
  end: number;
}

export type CallCause = 'real' | 'unregistered' | 'registered' | 'webhook' | 'malformed' | 'flood';

/** The flood id a PortOne call was made for, if any, and which part of the flood sent it. */
export const causeOf = (call: CallRecord): { cause: CallCause; impUid?: string } => {
  let text = `${call.path}${call.query}`;
  try {
    text = decodeURIComponent(text);
  } catch {
    // Keep the raw text; a prefix still shows.
  }
  const id = new RegExp(`${FLOOD_IMP_PREFIX}_([urwm])[A-Za-z0-9_-]*`).exec(text);
  if (id) {
    const cause = ({ u: 'unregistered', r: 'registered', w: 'webhook', m: 'malformed' } as const)[
      id[1] as 'u' | 'r' | 'w' | 'm'
    ];
    return { cause, impUid: id[0] };
  }
  return text.includes(FLOOD_MERCHANT_PREFIX) ? { cause: 'flood' } : { cause: 'real' };
};

/**
 * PortOne calls for the made-up ids sent with registered orders, against
 * what the service may spend: at least one per id (it must look a payment up
 * before answering for a real order), and no more than the requests that
 * were already in flight when the first of them was answered (one container
 * serves them all here, so those may each look up; every later one must be
 * answered from the memory).
 */
export const registeredLookups = (
  timed: readonly Timed[],
  callsById: ReadonlyMap<string, number>,
) => {
  const byId = new Map<string, Timed[]>();
  for (const entry of timed) byId.set(entry.impUid, [...(byId.get(entry.impUid) ?? []), entry]);
  const problems: string[] = [];
  let calls = 0;
  let beforeFirstAnswer = 0;
  let idsLookedUpMoreThanOnce = 0;
  let maxCallsPerId = 0;
  for (const [impUid, requests] of byId) {
    const firstAnswer = Math.min(...requests.map((r) => r.end));
    const inFlight = requests.filter((r) => r.start < firstAnswer).length;
    const made = callsById.get(impUid) ?? 0;
    calls += made;
    beforeFirstAnswer += inFlight;
    maxCallsPerId = Math.max(maxCallsPerId, made);
    if (made > 1) idsLookedUpMoreThanOnce++;
    if (made < 1 || made > inFlight) {
      if (problems.length < 20) {
        problems.push(
          `${impUid}: ${made} PortOne calls for ${requests.length} requests, ${inFlight} of them before the first answer`,
        );
      }
    }
  }
  for (const [impUid] of callsById) {
    if (!byId.has(impUid) && problems.length < 20) problems.push(`${impUid}: called, never sent`);
  }
  return {
    requests: timed.length,
    distinctIds: byId.size,
    calls,
    maxCallsPerId,
    idsLookedUpMoreThanOnce,
    requestsBeforeTheirIdsFirstAnswer: beforeFirstAnswer,
    problems,
  };
};

/** Every item of the harness table, read around the service. */
export const scanTable = async (tableName: string): Promise<Record<string, unknown>[]> => {
  const base = new DynamoDBClient({
    endpoint: inject('ddbEndpoint'),
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  const client = DynamoDBDocumentClient.from(base);
  const items: Record<string, unknown>[] = [];
  try {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    base.destroy();
  }
  return items;
};
