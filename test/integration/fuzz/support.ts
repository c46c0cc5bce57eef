import fc from 'fast-check';
import { expect } from 'vitest';
import { FORGERY_MESSAGES, MESSAGES, orderNotRegistered } from '../../../functions/http/messages';
import type { HttpEvent, HttpResult } from '../../../functions/http/types';
import type { Harness } from '../support/harness';

/** docs/design.md §4: bodies over 64 KiB get 413. */
export const LIMIT = 64 * 1024;

/** Runs per property; the whole folder must stay under ~40 s on two cores. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
export const FUZZ_TIMEOUT = 120_000;

export const MERCHANT_UID = /^[A-Za-z0-9_-]{1,40}$/;
export const IMP_UID = /^[A-Za-z0-9_-]{1,32}$/;

export interface EventInput {
  method: string;
  routeKey: string;
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string>;
}

/** An API Gateway HTTP API (payload format 2.0) event, like local/api-gateway.ts builds. */
export const apiEvent = (input: EventInput): HttpEvent => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name] = value;
  const rawQueryString = input.rawQueryString ?? '';
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  }
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString,
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: 'fuzz',
      apiId: 'fuzz',
      domainName: 'localhost',
      domainPrefix: 'fuzz',
      http: {
        method: input.method,
        path: input.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'fast-check',
      },
      requestId: 'fuzz',
      routeKey: input.routeKey,
      stage: '$default',
      time: new Date(0).toUTCString(),
      timeEpoch: 0,
    },
    ...(input.body === undefined ? {} : { body: input.body }),
    isBase64Encoded: input.isBase64Encoded ?? false,
  };
};

// ---------------------------------------------------------------- arbitraries

export const validImpUid = fc.stringMatching(IMP_UID);
export const validMerchantUid = fc.stringMatching(MERCHANT_UID);

const NASTY = [
  '',
  ' ',
  '\u0000',
  '\r\n',
  '%0d%0a',
  '\u202e',
  '\ufeff',
  '\ud800',
  '주문-1',
  '😀',
  '../../etc/passwd',
  "imp_1'; DROP TABLE payments;--",
  '<script>alert(1)</script>',
  '{"$ne":null}',
  '__proto__',
  'constructor',
  'i'.repeat(33),
  'm'.repeat(41),
  'a'.repeat(5000),
  'imp_1 ',
  ' imp_1',
  'imp_1\n',
  'NaN',
  'null',
  'undefined',
  '1e400',
  '%',
  '%zz',
  '%E0%A4%A',
  '+',
];

/** Strings that are almost, but mostly not, valid ids. */
export const nastyString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  validImpUid,
  validMerchantUid,
);

/** Any JSON-able value that is not a string. */
const nonString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** A JSON object text built key by key, so `__proto__` and friends stay plain keys. */
export const objectText = (entries: [string, unknown][]) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;

/** `{imp_uid, merchant_uid, ...}` with any value at each key (absent, wrong type, malformed, valid). */
const claimLike = fc
  .tuple(
    fc.option(fc.oneof(nonString, nastyString), { nil: undefined }),
    fc.option(fc.oneof(nonString, nastyString), { nil: undefined }),
    fc.dictionary(
      fc.constantFrom('status', 'cancellation_id', '__proto__', 'constructor', 'amount'),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  )
  .map(([imp, merchant, extra]) => {
    const entries: [string, unknown][] = Object.entries(extra);
    if (imp !== undefined) entries.push(['imp_uid', imp]);
    if (merchant !== undefined) entries.push(['merchant_uid', merchant]);
    return objectText(entries);
  });

/** `{merchant_uid, amount, currency?, name?}` with at least one field certainly invalid. */
const invalidOrder = fc
  .record({
    broken: fc.subarray(['merchant_uid', 'amount', 'currency', 'name'] as const, { minLength: 1 }),
    merchant: validMerchantUid,
    badMerchant: fc.option(
      fc.oneof(
        nonString,
        nastyString.filter((s) => !MERCHANT_UID.test(s)),
      ),
      { nil: undefined },
    ),
    amount: fc.integer({ min: 1, max: 1_000_000_000 }),
    badAmount: fc.option(
      fc.oneof(
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 2 }),
        fc.integer({ min: -1_000_000, max: 0 }),
        fc.double({ max: 0, noNaN: true, noDefaultInfinity: true }),
        fc.double({ min: 1e13, noNaN: true, noDefaultInfinity: true, minExcluded: true }),
        fc.constantFrom(0.12345, 1.00001, 1e-7),
      ),
      { nil: undefined },
    ),
    currency: fc.option(fc.constantFrom('KRW', 'USD'), { nil: undefined }),
    badCurrency: fc.oneof(
      nonString,
      nastyString.filter((s) => !/^[A-Z]{3}$/.test(s)),
      fc.constantFrom('krw', 'KRWW', 'KR', ' KRW'),
    ),
    name: fc.option(fc.oneof(fc.constant(null), fc.string({ maxLength: 200 })), { nil: undefined }),
    badName: fc.oneof(
      fc.integer(),
      fc.boolean(),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.string({ minLength: 201, maxLength: 400 }),
    ),
  })
  .map((o) => {
    const breaks = new Set<string>(o.broken);
    const entries: [string, unknown][] = [];
    const put = (key: string, value: unknown) => {
      if (value !== undefined) entries.push([key, value]);
    };
    put('merchant_uid', breaks.has('merchant_uid') ? o.badMerchant : o.merchant);
    put('amount', breaks.has('amount') ? o.badAmount : o.amount);
    put('currency', breaks.has('currency') ? o.badCurrency : o.currency);
    put('name', breaks.has('name') ? o.badName : o.name);
    return objectText(entries);
  });

/** Deeply nested JSON, balanced or not, alone or under a claim. */
const deepJson = fc
  .record({
    depth: fc.integer({ min: 1, max: 20_000 }),
    kind: fc.constantFrom('array', 'object'),
    wrapped: fc.boolean(),
    balanced: fc.boolean(),
  })
  .map(({ depth, kind, wrapped, balanced }) => {
    const open = kind === 'array' ? '[' : '{"a":';
    const inner = kind === 'array' ? '' : '1';
    const close = kind === 'array' ? ']' : '}';
    const nested = open.repeat(depth) + inner + (balanced ? close.repeat(depth) : '');
    return wrapped ? `{"imp_uid":"imp_1","merchant_uid":"o-1","x":${nested}}` : nested;
  });

const encodePart = (text: string, how: 'raw' | 'uri' | 'double' | 'garbage') => {
  switch (how) {
    case 'raw':
      return text;
    case 'uri':
      return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?'));
    case 'double':
      return encodeURIComponent(encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?')));
    case 'garbage':
      return `%${text}%E0%A4%A%zz`;
  }
};

const formKey = fc.oneof(
  fc.constantFrom(
    'imp_uid',
    'merchant_uid',
    'status',
    'amount',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'imp_uid[]',
    'merchant_uid[0]',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** A query or form string: repeated keys, unicode, percent-encoding garbage. */
export const formText = fc
  .array(
    fc.tuple(
      formKey,
      nastyString,
      fc.constantFrom('raw', 'uri', 'double', 'garbage') as fc.Arbitrary<
        'raw' | 'uri' | 'double' | 'garbage'
      >,
      fc.boolean(),
    ),
    { maxLength: 8 },
  )
  .chain((pairs) =>
    fc
      .constantFrom('&', ';', '&&')
      .map((sep) =>
        pairs
          .map(([key, value, how, withEquals]) =>
            withEquals ? `${encodePart(key, how)}=${encodePart(value, how)}` : encodePart(key, how),
          )
          .join(sep),
      ),
  );

const FILLERS = ['x', 'é', '가', '😀', '\\"', ' '];

/** Bodies whose byte size sits right around the limit, in one- to four-byte characters. */
const nearLimitText = fc
  .record({
    target: fc.oneof(
      fc.integer({ min: LIMIT - 8, max: LIMIT + 8 }),
      fc.integer({ min: LIMIT - 4096, max: LIMIT + 4096 }),
      fc.integer({ min: LIMIT * 2, max: LIMIT * 4 }),
    ),
    filler: fc.constantFrom(...FILLERS),
    wrapped: fc.boolean(),
  })
  .map(({ target, filler, wrapped }) => {
    const prefix = wrapped ? '{"imp_uid":"imp_1","merchant_uid":"o-1","merchant_extra":"' : '';
    const suffix = wrapped ? '"}' : '';
    const room = target - Buffer.byteLength(prefix + suffix);
    const unit = Buffer.byteLength(filler);
    let pad = filler.repeat(Math.max(0, Math.floor(room / unit)));
    pad += 'y'.repeat(Math.max(0, room - Buffer.byteLength(pad)));
    return prefix + pad + suffix;
  });

export interface BodyCase {
  body: string | undefined;
  isBase64Encoded: boolean;
  label: string;
}

/** Counterexamples print short: label, sizes and the first bytes, not 87 KB of base64. */
export const short = (value: string, max = 120) =>
  value.length <= max
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, max))}… (${value.length} chars)`;

const withSummary = (c: BodyCase): BodyCase =>
  Object.defineProperty({ ...c }, fc.toStringMethod, {
    value: () =>
      `{label: ${c.label}, isBase64Encoded: ${c.isBase64Encoded}, decoded bytes: ${decodedSize(c)}, body: ${c.body === undefined ? 'undefined' : short(c.body)}}`,
  });

const text = (label: string, arb: fc.Arbitrary<string>): fc.Arbitrary<BodyCase> =>
  arb.map((body) => ({ body, isBase64Encoded: false, label }));

const b64 = (bytes: Uint8Array | string) =>
  (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes)).toString('base64');

/** Request bodies for the POST routes. `claims` adds the route's own near-valid shapes. */
export const bodyCase = (claims: fc.Arbitrary<string>): fc.Arbitrary<BodyCase> => {
  const textual = fc.oneof(
    text('binary string', fc.string({ unit: 'binary' })),
    text('grapheme string', fc.string({ unit: 'grapheme' })),
    text('fc.json', fc.json()),
    text(
      'fc.jsonValue',
      fc.jsonValue().map((v) => JSON.stringify(v)),
    ),
    text('right keys, wrong values', claims),
    text('deep JSON', deepJson),
    text('form', formText),
    text('near the limit', nearLimitText),
    text(
      'padded claim',
      fc
        .tuple(fc.constantFrom(' ', '\n', '\t', '\ufeff', '\r\n', ''), claims)
        .map(([ws, body]) => `${ws}${body}${ws}`),
    ),
  );
  return fc
    .oneof(
      { weight: 8, arbitrary: textual },
      {
        weight: 1,
        arbitrary: fc.constant({ body: undefined, isBase64Encoded: false, label: 'none' }),
      },
      {
        weight: 2,
        arbitrary: fc
          .uint8Array({ maxLength: 512 })
          .map((bytes) => ({ body: b64(bytes), isBase64Encoded: true, label: 'base64 bytes' })),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: LIMIT - 6, max: LIMIT + 6 }).map((n) => ({
          body: b64('x'.repeat(n)),
          isBase64Encoded: true,
          label: 'base64 near limit',
        })),
      },
      {
        weight: 2,
        arbitrary: textual.map((c) => ({
          body: b64(c.body ?? ''),
          isBase64Encoded: true,
          label: `base64 ${c.label}`,
        })),
      },
      {
        weight: 1,
        arbitrary: fc
          .string({ unit: 'binary' })
          .map((body) => ({ body, isBase64Encoded: true, label: 'lying base64 flag' })),
      },
    )
    .map(withSummary);
};

export const claimBody = claimLike;
export const orderBody = invalidOrder;

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=euc-kr',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=UTF-8',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/xml',
  '*/*',
  '',
  ';;;',
];

/** Content-Type (missing, lying, random) plus random other headers. */
export const headersArb = fc
  .record({
    name: fc.constantFrom('content-type', 'Content-Type', 'CONTENT-TYPE'),
    contentType: fc.option(
      fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.string({ unit: 'binary', maxLength: 40 })),
      { nil: undefined },
    ),
    extra: fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'content-length',
          'content-encoding',
          'transfer-encoding',
          'x-forwarded-for',
        ),
        fc.string({ unit: 'binary', maxLength: 20 }),
      ),
      fc.string({ unit: 'binary', maxLength: 60 }),
      { maxKeys: 5 },
    ),
  })
  .map(({ name, contentType, extra }) => {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(extra)) {
      // Origin is the CORS property's business; keep it out of the body fuzz.
      if (key.toLowerCase() !== 'origin') headers[key] = value;
    }
    if (contentType !== undefined) headers[name] = contentType;
    return headers;
  });

// ------------------------------------------------------------------ oracles

/** The size of the body as PortOne or a browser sent it: bytes after base64 decoding. */
export const decodedSize = (c: { body: string | undefined; isBase64Encoded: boolean }) =>
  c.isBase64Encoded ? Buffer.from(c.body ?? '', 'base64').length : Buffer.byteLength(c.body ?? '');

const CRLF = /[\r\n]/;

/**
 * What every answer must look like: 2xx, 4xx (3xx only where allowed), never
 * 5xx; no CR/LF in any header; every 4xx JSON body has a `status` and a
 * non-empty `message`. Returns the parsed JSON body, if any.
 */
export const checkAnswer = (
  result: HttpResult,
  options: { redirects?: boolean; emptyForbidden?: boolean } = {},
): Record<string, unknown> | undefined => {
  const code = result.statusCode;
  const okClass =
    (code >= 200 && code < 300) ||
    (code >= 400 && code < 500) ||
    (options.redirects === true && code >= 300 && code < 400);
  if (!okClass) throw new Error(`unexpected status ${code}: ${String(result.body).slice(0, 300)}`);
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (CRLF.test(name) || CRLF.test(String(value)))
      throw new Error(`CR/LF in header ${JSON.stringify(name)}: ${JSON.stringify(value)}`);
  }
  if (options.emptyForbidden && code === 403 && result.body === '') return undefined;
  const isJson = /^application\/json/.test(result.headers?.['content-type'] ?? '');
  if (code >= 400) {
    expect(isJson, `4xx without a JSON body: ${code}`).toBe(true);
  }
  if (!isJson) return undefined;
  const body = JSON.parse(String(result.body)) as Record<string, unknown>;
  if (code >= 400) {
    expect(typeof body.status).toBe('string');
    expect(typeof body.message).toBe('string');
    expect(body.message, `${code} ${body.status}`).toBe(expectedMessage(code, body));
  }
  return body;
};

const NOT_SUPPORTED =
  / is not supported; use POST \/orders, GET \/orders\/\{merchant_uid\}, POST \/orders\/\{merchant_uid\}\/payments or POST \/orders\/\{merchant_uid\}\/cancel$/;
/** The messages of invalid input that carry no field issues (functions/http/request.ts, orders.ts). */
const WITHOUT_ISSUES = [
  'request body is not valid JSON: it starts like JSON but does not parse as a JSON object',
  'request body must be a JSON object',
  'merchant_uid in the path is not valid percent-encoding',
];

/**
 * The message a 4xx answer must carry, from its status code, word and issues
 * (functions/http/messages.ts, schemas.ts, request.ts): a fuzzed request never
 * gets any other wording. Parts quoted from the request (a method, a path, a
 * merchant_uid) are taken from the message itself.
 */
const expectedMessage = (code: number, body: Record<string, unknown>): string => {
  const message = String(body.message);
  const issues = Array.isArray(body.issues) ? (body.issues as { message: string }[]) : [];
  if (code === 413) return 'request body is larger than 64 KiB';
  if (code === 405)
    return NOT_SUPPORTED.test(message) ? message : `<method> <path>${NOT_SUPPORTED.source}`;
  if (body.status === 'invalid_request' && issues.length > 0) {
    // Every issue, in order (a repeated one is listed once in `issues`).
    const listed = message.replace(/^invalid request: /, '').split('; ');
    expect([...new Set(listed)]).toEqual(issues.map((issue) => issue.message));
    return `invalid request: ${listed.join('; ')}`;
  }
  if (body.status === 'invalid_request') {
    return WITHOUT_ISSUES.includes(message) ? message : `one of ${JSON.stringify(WITHOUT_ISSUES)}`;
  }
  if (body.status === 'not_found') {
    const merchantUid = /^order (.+) is not registered$/.exec(message)?.[1];
    if (merchantUid !== undefined) return orderNotRegistered(merchantUid);
    return [MESSAGES.unregistered, MESSAGES.unknownPayment].includes(message as never)
      ? message
      : `${MESSAGES.unregistered} or ${MESSAGES.unknownPayment}`;
  }
  const known: string[] = [...Object.values(MESSAGES), ...Object.values(FORGERY_MESSAGES)];
  return known.includes(message) ? message : `a message of functions/http/messages.ts`;
};

const WRITES = /Put|Update|Delete|Write|Transact|Batch/;

/** Commands that could have changed the table since the last reset. */
export const writesOf = (h: Harness) =>
  Object.keys(h.dynamodbCalls).filter((name) => WRITES.test(name));

/** Invalid input is refused before anything is looked up. */
export const expectUntouched = (h: Harness) => {
  expect(h.dynamodbCalls).toEqual({});
  expect(h.portoneCalls).toEqual({});
};
