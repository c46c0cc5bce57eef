import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const send = (method: string, path: string, body?: string, contentType = 'application/json') =>
  fetch(`${h.api.url}${path}`, { method, headers: { 'content-type': contentType }, body });

const big = JSON.stringify({ imp_uid: 'imp_1', merchant_uid: 'o', pad: 'x'.repeat(70 * 1024) });

const cases: [string, string | undefined, string?][] = [
  ['bad JSON', '{"imp_uid": "imp_1",'],
  ['a JSON array', '[1,2,3]'],
  ['a JSON string', '"imp_1"'],
  ['an empty body', ''],
  ['missing ids', '{}'],
  ['ids of the wrong type', '{"imp_uid": 123, "merchant_uid": ["a"]}'],
  ['null ids', '{"imp_uid": null, "merchant_uid": null}'],
  ['unexpected characters', '{"imp_uid": "imp_1; DROP TABLE", "merchant_uid": "../../etc/passwd"}'],
  ['overlong ids', JSON.stringify({ imp_uid: 'i'.repeat(33), merchant_uid: 'm'.repeat(41) })],
  ['unicode ids', '{"imp_uid": "imp_\u0000\u202e", "merchant_uid": "주문-1"}'],
  ['a form with nothing useful', 'a=1&b=2', 'application/x-www-form-urlencoded'],
  ['binary garbage', '\u00ff\u00fe\u0000\u0001', 'application/octet-stream'],
  [
    'a prototype-pollution attempt',
    '{"__proto__": {"imp_uid": "imp_1"}, "constructor": {"prototype": {}}}',
  ],
];

describe.each([
  ['POST /payments/complete', '/payments/complete'],
  ['POST /payments/webhook', '/payments/webhook'],
])('%s', (_, path) => {
  it.each(cases)('answers 400 with a useful message for %s', async (_, body, contentType) => {
    const response = await send('POST', path, body, contentType);
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json.status).toBe('invalid_request');
    expect(json.message).toMatch(/imp_uid|merchant_uid|JSON/);
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const response = await send('POST', path, big);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      status: 'invalid_request',
      message: expect.stringContaining('64 KiB'),
    });
  });

  it('names each problem in issues', async () => {
    const response = await send('POST', path, '{"imp_uid": 1}');
    const json = await response.json();
    expect(json.issues).toEqual([
      { path: 'imp_uid', message: 'imp_uid must be a string' },
      { path: 'merchant_uid', message: 'merchant_uid is required' },
    ]);
  });
});

describe('POST /orders', () => {
  it.each([
    ['a missing amount', '{"merchant_uid": "o-1"}', 'amount'],
    ['a negative amount', '{"merchant_uid": "o-1", "amount": -5}', 'amount must be positive'],
    ['a zero amount', '{"merchant_uid": "o-1", "amount": 0}', 'amount must be positive'],
    [
      'an amount as a string',
      '{"merchant_uid": "o-1", "amount": "1000"}',
      'amount must be a number',
    ],
    [
      'a lower-case currency',
      '{"merchant_uid": "o-1", "amount": 1, "currency": "krw"}',
      'currency',
    ],
    ['a bad merchant_uid', '{"merchant_uid": "o 1", "amount": 1}', 'merchant_uid'],
    ['bad JSON', '{', 'JSON'],
    [
      'a huge name',
      JSON.stringify({ merchant_uid: 'o-1', amount: 1, name: 'n'.repeat(300) }),
      'name',
    ],
  ])('answers 400 for %s', async (_, body, expected) => {
    const response = await send('POST', '/orders', body);
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json).toMatchObject({ status: 'invalid_request' });
    expect(json.message).toContain(expected);
  });
});

describe('GET /orders/{merchant_uid}', () => {
  it.each([
    ['a bad merchant_uid', '/orders/a%20b', 400],
    ['an overlong merchant_uid', `/orders/${'m'.repeat(41)}`, 400],
    ['broken percent-encoding', '/orders/%E0%A4%A', 400],
    ['an unknown order', '/orders/never-registered', 404],
  ])('answers %s with a 4xx', async (_, path, status) => {
    const response = await send('GET', path);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ message: expect.any(String) });
  });
});

describe('GET /payments/complete', () => {
  it('redirects hostile query strings to the result page', async () => {
    for (const query of [
      'imp_uid=%00&merchant_uid=%00',
      'imp_uid[]=a&merchant_uid={}',
      '%%%',
      'imp_uid=' + 'a'.repeat(5000),
    ]) {
      const response = await h.redirect(query);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toMatch(
        /^https:\/\/shop\.example\/payments\/result\?/,
      );
    }
  });
});
