import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../functions/domain/model/errors';
import { readBody, readQuery } from '../../../../functions/http/request';
import { parseWith, paymentClaim } from '../../../../functions/http/schemas';
import type { HttpEvent } from '../../../../functions/http/types';

const event = (body: string | undefined, extra: Partial<HttpEvent> = {}): HttpEvent =>
  ({ body, isBase64Encoded: false, headers: {}, rawQueryString: '', ...extra }) as HttpEvent;

describe('readBody', () => {
  it('reads a JSON body', () => {
    expect(readBody(event('{"imp_uid":"imp_1","merchant_uid":"o-1"}'))).toEqual({
      imp_uid: 'imp_1',
      merchant_uid: 'o-1',
    });
  });

  it('reads a form body whatever the Content-Type claims', () => {
    const labelledJson = event('imp_uid=imp_1&merchant_uid=o-1', {
      headers: { 'content-type': 'application/json' },
    });
    expect(readBody(labelledJson)).toEqual({ imp_uid: 'imp_1', merchant_uid: 'o-1' });
  });

  it('decodes a base64 body', () => {
    const body = Buffer.from('{"imp_uid":"imp_1"}').toString('base64');
    expect(readBody(event(body, { isBase64Encoded: true }))).toEqual({ imp_uid: 'imp_1' });
  });

  it('keeps the first of repeated form keys', () => {
    expect(readBody(event('imp_uid=a&imp_uid=b'))).toEqual({ imp_uid: 'a' });
  });

  it('treats a missing or blank body as empty', () => {
    expect(readBody(event(undefined))).toEqual({});
    expect(readBody(event('  \n'))).toEqual({});
  });

  it.each([
    ['{"a":', 'request body is not valid JSON'],
    ['[1]', 'request body must be a JSON object'],
  ])('rejects %s', (body, message) => {
    expect(() => readBody(event(body))).toThrow(message);
  });

  it('rejects a body over 64 KiB with 413', () => {
    const error = (() => {
      try {
        readBody(event('x'.repeat(64 * 1024 + 1)));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ statusCode: 413 });
  });
});

describe('readQuery', () => {
  it('reads the raw query string, not API Gateway\u2019s comma-joined parameters', () => {
    expect(
      readQuery(event(undefined, { rawQueryString: 'imp_uid=a%2Cb&imp_uid=c&success=true' })),
    ).toEqual({
      imp_uid: 'a,b',
      success: 'true',
    });
  });
});

describe('paymentClaim', () => {
  it('lists every problem with its field', () => {
    expect(() => parseWith(paymentClaim, { imp_uid: 'bad id!' })).toThrow(
      'invalid request: imp_uid must be 1-32 characters of A-Z a-z 0-9 _ -; merchant_uid is required',
    );
  });
});
