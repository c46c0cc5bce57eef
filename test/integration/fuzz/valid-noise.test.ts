import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpEvent, HttpResult } from '../../../functions/http/types';
import { completeHandler } from '../../../functions/runtime/handlers';
import { type Harness, startHarness, uid } from '../support/harness';
import { apiEvent, checkAnswer, FUZZ_TIMEOUT, headersArb, objectText, RUNS } from './support';

/** Property 5: a real paid payment still answers success under any extra fields. */
let h: Harness;
let complete: (event: HttpEvent) => Promise<HttpResult>;
const paid: { merchantUid: string; impUid: string; amount: number }[] = [];

beforeAll(async () => {
  h = await startHarness();
  complete = completeHandler(h.runtime);
  for (const amount of [100, 15000, 990_000]) {
    const merchantUid = uid('noise');
    expect((await h.registerOrder(merchantUid, amount)).status).toBe(201);
    const payment = await h.control.createPayment({
      merchant_uid: merchantUid,
      amount,
      state: 'paid',
    });
    paid.push({ merchantUid, impUid: payment.imp_uid, amount });
  }
});
afterAll(() => h.close());

const extraKey = fc
  .oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'status',
      'amount',
      'paid_amount',
      'imp_success',
      'success',
      'IMP_UID',
      'merchant_uid ',
      ' imp_uid',
      'imp_uid[]',
      '',
    ),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
  )
  .filter((k) => k !== 'imp_uid' && k !== 'merchant_uid');

const noisyClaim = fc.record({
  which: fc.nat({ max: 2 }),
  extras: fc.uniqueArray(fc.tuple(extraKey, fc.jsonValue({ maxDepth: 4 })), {
    maxLength: 12,
    selector: ([k]) => k,
  }),
  at: fc.nat(),
  form: fc.boolean(),
  ws: fc.constantFrom('', ' ', '\n', '\r\n\t', '\ufeff'),
});

describe('valid payments under fuzzed noise', () => {
  it(
    'a real paid payment plus any extra fields answers 200 success',
    async () => {
      await fc.assert(
        fc.asyncProperty(noisyClaim, headersArb, async (c, headers) => {
          const target = paid[c.which] as (typeof paid)[number];
          const entries: [string, unknown][] = [...c.extras];
          entries.splice(c.at % (entries.length + 1), 0, ['imp_uid', target.impUid]);
          entries.splice((c.at >> 3) % (entries.length + 1), 0, [
            'merchant_uid',
            target.merchantUid,
          ]);
          const body = c.form
            ? new URLSearchParams(
                entries.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
              ).toString()
            : objectText(entries);
          const result = await complete(
            apiEvent({
              method: 'POST',
              routeKey: 'POST /payments/complete',
              rawPath: '/payments/complete',
              headers,
              body: `${c.ws}${body}${c.ws}`,
            }),
          );
          const answer = checkAnswer(result);
          expect(result.statusCode, result.body).toBe(200);
          expect(answer).toMatchObject({
            status: 'success',
            order: {
              merchant_uid: target.merchantUid,
              status: 'paid',
              paid_amount: target.amount,
            },
          });
        }),
        // Each case is a real lookup and write; the input-handling properties carry the thousands.
        { numRuns: Math.min(RUNS, 400) },
      );
    },
    FUZZ_TIMEOUT,
  );
});
