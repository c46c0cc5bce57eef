import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resultLocation } from '../../../../functions/redirect/redirect';

describe('resultLocation', () => {
  it('keeps the result page and its own query, adding only merchant_uid and status', () => {
    expect(resultLocation('https://shop.example/result?lang=ko', 'order-1', 'success')).toBe(
      'https://shop.example/result?lang=ko&merchant_uid=order-1&status=success',
    );
  });

  it('never leaves the result page, whatever the merchant_uid (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (merchantUid) => {
        const url = new URL(resultLocation('https://shop.example/result', merchantUid, 'failed'));
        expect(url.origin).toBe('https://shop.example');
        expect(url.pathname).toBe('/result');
        expect([...url.searchParams.keys()].sort()).toEqual(
          merchantUid ? ['merchant_uid', 'status'] : ['status'],
        );
      }),
      { numRuns: 2000 },
    );
  });
});
