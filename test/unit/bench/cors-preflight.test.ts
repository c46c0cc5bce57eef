import { describe, expect, it } from 'vitest';
import { sendsPreflight } from '../../../bench/cors-preflight';
import { VERIFY_HEADERS } from '../../../local/shop/browser/verify-request';

describe('CORS preflight', () => {
  it("is not sent for the shop's POST to complete", () => {
    expect(sendsPreflight('POST', VERIFY_HEADERS)).toBe(false);
  });

  it('is sent for a JSON content type, another method or a custom header', () => {
    expect(sendsPreflight('POST', { 'content-type': 'application/json' })).toBe(true);
    expect(sendsPreflight('PUT', { 'content-type': 'text/plain' })).toBe(true);
    expect(sendsPreflight('POST', { 'x-request-id': '1' })).toBe(true);
    expect(sendsPreflight('POST', { accept: 'application/json(' })).toBe(true);
  });

  it('is not sent for a form body or no headers at all', () => {
    expect(sendsPreflight('POST', { 'content-type': 'application/x-www-form-urlencoded' })).toBe(
      false,
    );
    expect(sendsPreflight('GET', {})).toBe(false);
  });
});
