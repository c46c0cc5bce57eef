import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '../../../functions/http/types';
import { completeHandler, redirectHandler } from '../../../functions/runtime/handlers';
import { corsAtEdge } from '../../../lib/api-edge';
import { type Harness, RESULT_PAGE_URL, SHOP_ORIGIN, startHarness } from '../support/harness';
import {
  apiEvent,
  checkAnswer,
  claimBody,
  expectUntouched,
  FUZZ_TIMEOUT,
  formText,
  headersArb,
  IMP_UID,
  MERCHANT_UID,
  nastyString,
  RUNS,
  short,
  validImpUid,
  validMerchantUid,
  writesOf,
} from './support';

/**
 * Security checks. Property 3: no redirect ever leaves RESULT_PAGE_URL,
 * whatever the query string. Property 4: CORS headers only for the allowed
 * origin, on answers and preflights.
 */
let h: Harness;
let redirect: (event: HttpEvent) => Promise<HttpResult>;
let complete: (event: HttpEvent) => Promise<HttpResult>;
beforeAll(async () => {
  h = await startHarness();
  redirect = redirectHandler(h.runtime);
  complete = completeHandler(h.runtime);
});
afterAll(() => h.close());

const STATUS_WORDS = [
  'success',
  'vbankIssued',
  'pending',
  'failed',
  'cancelled',
  'forgery',
  'invalid_request',
  'not_found',
];

const EVIL = [
  '//evil.example',
  '///evil.example',
  '\\\\evil.example',
  '/\\evil.example',
  'https:evil.example',
  'https://evil.example',
  'https://shop.example.evil.example',
  'https://shop.example@evil.example',
  '\r\nLocation: https://evil.example',
  '%0d%0aLocation:%20https://evil.example',
  '%0D%0ASet-Cookie:%20a=b',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '#@evil.example',
  '?next=https://evil.example',
  '..%2f..%2fevil',
  '\u0000https://evil.example',
  'https://evil.example/%2e%2e',
  'x'.repeat(10_000),
];

const KEYS = [
  'imp_uid',
  'merchant_uid',
  'imp_success',
  'success',
  'error_code',
  'error_msg',
  'status',
  'redirect',
  'redirect_uri',
  'next',
  'url',
  'returnUrl',
  'location',
  'IMP_UID',
  'merchant_uid[]',
];

const value = fc.oneof(
  fc.constantFrom(...EVIL),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  nastyString,
  validImpUid,
  validMerchantUid,
  fc.constantFrom('true', 'false', 'F400', ''),
);

type How = 'raw' | 'uri' | 'double';
const encode = (text: string, how: How) => {
  const safe = text.replace(/[\ud800-\udfff]/g, '?');
  if (how === 'raw') return text;
  if (how === 'uri') return encodeURIComponent(safe);
  return encodeURIComponent(encodeURIComponent(safe));
};

/** key=value pairs (repeated keys welcome), or formText garbage, or any string at all. */
const queryString = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...KEYS), fc.string({ unit: 'binary', maxLength: 10 })),
          value,
          fc.constantFrom<How>('raw', 'uri', 'double'),
        ),
        { maxLength: 8 },
      )
      .map((pairs) => pairs.map(([k, v, how]) => `${encode(k, how)}=${encode(v, how)}`).join('&')),
  },
  { weight: 2, arbitrary: formText },
  // A genuine-looking redirect (both ids well-formed, unknown to PortOne) with noise around it:
  // rare among random pairs, so without this branch some runs never reach `not_found`.
  {
    weight: 1,
    arbitrary: fc
      .tuple(validImpUid, validMerchantUid, fc.array(fc.tuple(fc.constantFrom(...KEYS), value)))
      .map(([imp, merchant, noise]) =>
        [
          `imp_uid=${encodeURIComponent(imp)}`,
          `merchant_uid=${encodeURIComponent(merchant)}`,
          ...noise.map(
            ([k, v]) =>
              `${encodeURIComponent(k)}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '?'))}`,
          ),
        ].join('&'),
      ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
);

const CRLF = /[\r\n]/;

describe('GET /payments/complete (redirect) under fuzzed query strings', () => {
  it(
    'always 302 to RESULT_PAGE_URL with only merchant_uid (well-formed) and status; no writes',
    async () => {
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          queryString.map((q) =>
            Object.defineProperty({ q }, fc.toStringMethod, { value: () => short(q, 300) }),
          ),
          headersArb,
          async ({ q }, headers) => {
            h.resetCounts();
            const result = await redirect(
              apiEvent({
                method: 'GET',
                routeKey: 'GET /payments/complete',
                rawPath: '/payments/complete',
                rawQueryString: q,
                headers,
              }),
            );
            checkAnswer(result, { redirects: true });
            expect(result.statusCode).toBe(302);
            for (const [name, v] of Object.entries(result.headers)) {
              expect(CRLF.test(name) || CRLF.test(v), name).toBe(false);
            }
            const location = result.headers.location ?? '';
            expect(location.startsWith(`${RESULT_PAGE_URL}?`), location).toBe(true);
            const url = new URL(location);
            expect(`${url.origin}${url.pathname}`).toBe(RESULT_PAGE_URL);
            expect(url.username + url.password + url.hash).toBe('');
            const keys = [...url.searchParams.keys()];
            expect(new Set(keys).size).toBe(keys.length);
            expect(
              keys.every((k) => k === 'merchant_uid' || k === 'status'),
              keys.join(),
            ).toBe(true);

            // The oracle: first value wins for repeated keys, like the handler's parser.
            const query = new URLSearchParams(q);
            const merchant = query.get('merchant_uid');
            const imp = query.get('imp_uid');
            const wellFormed = merchant !== null && MERCHANT_UID.test(merchant);
            expect(url.searchParams.get('merchant_uid')).toBe(wellFormed ? merchant : null);
            const status = url.searchParams.get('status') ?? '';
            expect(STATUS_WORDS).toContain(status);
            const expected =
              imp === null || imp === ''
                ? 'failed'
                : IMP_UID.test(imp) && wellFormed
                  ? 'not_found' // well-formed but unknown to PortOne
                  : 'invalid_request';
            expect(status).toBe(expected);
            seen.set(status, (seen.get(status) ?? 0) + 1);
            expect(writesOf(h)).toEqual([]);
          },
        ),
        { numRuns: RUNS },
      );
      // Exactly these three words, over exactly RUNS runs; how often each is drawn is up to
      // fast-check's random seed, so only that each was reached is fixed.
      expect([...seen.keys()].sort()).toEqual(['failed', 'invalid_request', 'not_found']);
      expect([...seen.values()].reduce((sum, n) => sum + n, 0)).toBe(RUNS);
      for (const status of ['failed', 'invalid_request', 'not_found'])
        expect(seen.get(status) ?? 0, status).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT,
  );
});

const NEAR_MISSES = [
  SHOP_ORIGIN,
  `${SHOP_ORIGIN}/`,
  `${SHOP_ORIGIN}.evil.example`,
  `${SHOP_ORIGIN}:443`,
  `${SHOP_ORIGIN}:8443`,
  'http://shop.example',
  'HTTPS://SHOP.EXAMPLE',
  'https://SHOP.example',
  ` ${SHOP_ORIGIN}`,
  `${SHOP_ORIGIN} `,
  `${SHOP_ORIGIN}\r\n`,
  `${SHOP_ORIGIN}, https://evil.example`,
  `https://evil.example, ${SHOP_ORIGIN}`,
  `${SHOP_ORIGIN}\u0000`,
  'https://shop.example@evil.example',
  'https://evil.shop.example',
  'https://xn--shop-example',
  'null',
  '*',
  '',
  'file://',
];

const origin = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NEAR_MISSES) },
  { weight: 1, arbitrary: fc.webUrl().map((u) => new URL(u).origin) },
  { weight: 1, arbitrary: fc.webUrl() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

const request = fc.record({
  origin: fc.option(origin, { nil: undefined }),
  name: fc.constantFrom('origin', 'Origin', 'ORIGIN'),
  headers: headersArb,
  body: claimBody,
});

type Req = {
  origin: string | undefined;
  name: string;
  headers: Record<string, string>;
  body: string;
};

const event = (method: string, r: Req) =>
  apiEvent({
    method,
    routeKey: `${method} /payments/complete`,
    rawPath: '/payments/complete',
    headers: { ...r.headers, ...(r.origin === undefined ? {} : { [r.name]: r.origin }) },
    body: method === 'OPTIONS' ? undefined : r.body,
  });

const corsKeys = (result: HttpResult) =>
  Object.keys(result.headers).filter((k) => k.toLowerCase().startsWith('access-control-'));

describe('CORS on /payments/complete under fuzzed Origin headers', () => {
  // In AWS, API Gateway's CORS configuration answers preflights and sets the
  // headers (it ignores any a function sets); the local stack emulates it
  // with corsAtEdge from the same settings (lib/api-edge.ts).
  it(
    'POST: the function sets no CORS header; the edge allows the exact allowed origin only, echoing it',
    async () => {
      let allowed = 0;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          runs++;
          h.resetCounts();
          const result = await complete(event('POST', r));
          const body = checkAnswer(result);
          expect(corsKeys(result)).toEqual([]);
          const edge = corsAtEdge([SHOP_ORIGIN], { method: 'POST', origin: r.origin });
          expect(edge.preflight).toBe(false);
          if (r.origin === SHOP_ORIGIN) {
            allowed++;
            expect(edge.headers).toEqual({ 'access-control-allow-origin': SHOP_ORIGIN });
          } else {
            expect(edge.headers).toEqual({});
          }
          expect(writesOf(h)).toEqual([]);
          if (body?.status === 'invalid_request') expectUntouched(h);
        }),
        { numRuns: RUNS },
      );
      // Both branches were taken; how often each is drawn is up to fast-check's random seed.
      expect(runs).toBe(RUNS);
      expect(allowed).toBeGreaterThan(0);
      expect(allowed).toBeLessThan(runs);
    },
    FUZZ_TIMEOUT,
  );

  it('OPTIONS: the edge answers every preflight, with CORS headers for the allowed origin only', () => {
    let allowed = 0;
    let runs = 0;
    fc.assert(
      fc.property(request, fc.constantFrom('POST', 'post', 'GET', 'DELETE', ''), (r, method) => {
        runs++;
        const edge = corsAtEdge([SHOP_ORIGIN], {
          method: 'OPTIONS',
          origin: r.origin,
          requestMethod: method,
        });
        expect(edge.preflight).toBe(r.origin !== undefined);
        if (r.origin === SHOP_ORIGIN && method.toUpperCase() === 'POST') {
          allowed++;
          expect(edge.headers['access-control-allow-origin']).toBe(SHOP_ORIGIN);
          expect(edge.headers['access-control-allow-methods']).toContain('POST');
        } else if (r.origin !== SHOP_ORIGIN) {
          expect(edge.headers).toEqual({});
        }
      }),
      { numRuns: RUNS },
    );
    // Both branches were taken; how often each is drawn is up to fast-check's random seed.
    expect(runs).toBe(RUNS);
    expect(allowed).toBeGreaterThan(0);
    expect(allowed).toBeLessThan(runs);
  });

  it('turns CORS off entirely without configured origins, as the stack does', () => {
    expect(
      corsAtEdge([], { method: 'OPTIONS', origin: SHOP_ORIGIN, requestMethod: 'POST' }),
    ).toEqual({ preflight: false, headers: {} });
  });
});
