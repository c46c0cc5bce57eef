import { describe, expect, it } from 'vitest';
import { ipAddresses, origins, secureUrl } from '../../../../functions/runtime/setting-rules';

describe('secureUrl', () => {
  it.each([
    'https://shop.example/payments/result',
    'https://api.iamport.kr',
    'http://localhost:3000/result',
    'http://127.0.0.1:4000',
    'http://127.0.0.2:4000',
    'http://[::1]:4000/',
  ])('accepts %s', (url) => {
    expect(secureUrl(url)).toEqual({ ok: true, value: url });
  });

  it.each([
    ['/result', 'must be an absolute https URL, got "/result"'],
    [
      'http://shop.example/result',
      'must be an https URL (http only to localhost), got "http://shop.example/result"',
    ],
    [
      'http://127.0.0.1.evil.example/',
      'must be an https URL (http only to localhost), got "http://127.0.0.1.evil.example/"',
    ],
    [
      'ftp://shop.example',
      'must be an https URL (http only to localhost), got "ftp://shop.example"',
    ],
  ])('refuses %s', (url, problem) => {
    expect(secureUrl(url)).toEqual({ ok: false, problem });
  });
});

describe('origins', () => {
  it('answers each origin once, trimmed, without a trailing slash', () => {
    expect(
      origins([' https://shop.example/', 'https://m.shop.example', '', 'https://shop.example']),
    ).toEqual({ ok: true, value: ['https://shop.example', 'https://m.shop.example'] });
  });

  it('accepts http only to this machine', () => {
    expect(origins(['http://127.0.0.1:3000'])).toEqual({
      ok: true,
      value: ['http://127.0.0.1:3000'],
    });
  });

  it.each([
    '*',
    'https://shop.example/checkout',
    'http://shop.example',
    'shop.example',
    'https://shop.example?x=1',
  ])('refuses %s, naming it', (origin) => {
    expect(origins(['https://ok.example', origin])).toEqual({
      ok: false,
      problem: `must list https origins like https://shop.example (no path, no "*"), got "${origin}"`,
    });
  });
});

describe('ipAddresses', () => {
  it('answers IPv4 and IPv6 literals, trimmed, blanks dropped', () => {
    expect(ipAddresses([' 52.78.100.19', '', '2001:db8::1 '])).toEqual({
      ok: true,
      value: ['52.78.100.19', '2001:db8::1'],
    });
  });

  it('refuses a host name, naming it', () => {
    expect(ipAddresses(['52.78.100.19', 'example.com'])).toEqual({
      ok: false,
      problem: 'must list IP addresses, got "example.com"',
    });
  });
});
