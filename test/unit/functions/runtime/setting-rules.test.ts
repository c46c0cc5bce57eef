import { describe, expect, it } from 'vitest';
import {
  ipAddresses,
  origins,
  secureUrl,
  webhookSecrets,
} from '../../../../functions/runtime/setting-rules';

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

describe('webhookSecrets', () => {
  const secret = 'whsec_pzQGE83cSIRKM4/WH5QY+g==';

  it('answers one secret, or two while rotating, with or without the whsec_ prefix', () => {
    expect(webhookSecrets([` ${secret} `])).toEqual({ ok: true, value: [secret] });
    expect(webhookSecrets([secret, 'pzQGE83cSIRKM4/WH5QY+g=='])).toEqual({
      ok: true,
      value: [secret, 'pzQGE83cSIRKM4/WH5QY+g=='],
    });
  });

  it.each([
    [[], 'must list one or two webhook secrets (two while rotating), got 0'],
    [[secret, secret, secret], 'must list one or two webhook secrets (two while rotating), got 3'],
    [
      [secret, 'whsec_not base64!'],
      "must list base64 secrets as PortOne's console shows them (whsec_…); secret 2 is not",
    ],
    [
      ['abc'],
      "must list base64 secrets as PortOne's console shows them (whsec_…); secret 1 is not",
    ],
  ])('refuses %j without quoting a secret', (items, problem) => {
    expect(webhookSecrets(items)).toEqual({ ok: false, problem });
  });
});
