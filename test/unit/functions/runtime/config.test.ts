import { describe, expect, it } from 'vitest';
import { loadConfig, requireSetting } from '../../../../functions/runtime/config';

const minimal = { TABLE_NAME: 'payments', PORTONE_API_KEY: 'key', PORTONE_API_SECRET: 'secret' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(minimal)).toEqual({
      tableName: 'payments',
      dynamodbEndpoint: null,
      portone: {
        apiUrl: 'https://api.iamport.kr',
        credentials: { apiKey: 'key', apiSecret: 'secret' },
        timeoutMs: 5000,
        mode: 'live',
      },
      resultPageUrl: null,
      allowedOrigins: [],
      autoCancelForgery: true,
      prepare: true,
      webhookAllowedIps: [],
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...minimal,
      PORTONE_API_URL: 'http://127.0.0.1:4000',
      PORTONE_TIMEOUT_MS: ' 2500 ',
      PORTONE_MODE: 'test',
      RESULT_PAGE_URL: 'https://shop.example/result',
      ALLOWED_ORIGINS: 'https://shop.example, https://m.shop.example',
      AUTO_CANCEL_FORGERY: 'false',
      PORTONE_PREPARE: '0',
    });
    expect(config).toMatchObject({
      portone: { apiUrl: 'http://127.0.0.1:4000', timeoutMs: 2500, mode: 'test' },
      resultPageUrl: 'https://shop.example/result',
      allowedOrigins: ['https://shop.example', 'https://m.shop.example'],
      autoCancelForgery: false,
      prepare: false,
    });
  });

  it.each([
    [{}, 'TABLE_NAME is required'],
    [{ TABLE_NAME: 't', PORTONE_API_KEY: 'k' }, 'PORTONE_API_SECRET is required'],
    [{ TABLE_NAME: 't' }, 'PORTONE_API_KEY is required (or PORTONE_SECRET_ARN'],
    [
      { TABLE_NAME: 't', PORTONE_SECRET_ARN: 'my-secret' },
      'PORTONE_SECRET_ARN must be a Secrets Manager ARN',
    ],
    [
      { ...minimal, PORTONE_API_URL: 'not a url' },
      'PORTONE_API_URL must be an absolute https URL, got "not a url"',
    ],
    [
      { ...minimal, PORTONE_API_URL: 'http://api.iamport.kr' },
      'PORTONE_API_URL must be an https URL (http only to localhost)',
    ],
    [{ ...minimal, DYNAMODB_ENDPOINT: 'ftp://x' }, 'DYNAMODB_ENDPOINT must be an http(s) URL'],
    [{ ...minimal, PORTONE_TIMEOUT_MS: '5s' }, 'PORTONE_TIMEOUT_MS must be an integer'],
    [
      { ...minimal, PORTONE_TIMEOUT_MS: '60000' },
      'PORTONE_TIMEOUT_MS must be an integer from 100 to 10000',
    ],
    [{ ...minimal, PORTONE_MODE: 'sandbox' }, 'PORTONE_MODE must be one of live, test'],
    [{ ...minimal, AUTO_CANCEL_FORGERY: 'yes' }, 'AUTO_CANCEL_FORGERY must be true or false'],
    [
      { ...minimal, ALLOWED_ORIGINS: 'https://shop.example/path' },
      'ALLOWED_ORIGINS must list https origins',
    ],
    [
      { ...minimal, RESULT_PAGE_URL: '/relative' },
      'RESULT_PAGE_URL must be an absolute https URL, got "/relative"',
    ],
    [
      { ...minimal, ALLOWED_ORIGINS: 'https://shop.example, *' },
      'ALLOWED_ORIGINS must list https origins like https://shop.example (no path, no "*"), got "*"',
    ],
    [
      { ...minimal, WEBHOOK_ALLOWED_IPS: '52.78.100.19, example.com' },
      'WEBHOOK_ALLOWED_IPS must list IP addresses',
    ],
  ])('fails with a message naming the variable (%#)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes the key pair from Secrets Manager when PORTONE_SECRET_ARN is set', () => {
    const arn = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:portone-AbCdEf';
    expect(loadConfig({ TABLE_NAME: 't', PORTONE_SECRET_ARN: arn }).portone.credentials).toEqual({
      secretArn: arn,
    });
  });

  it('lets a function require a setting others may omit', () => {
    expect(() => requireSetting(loadConfig(minimal).resultPageUrl, 'RESULT_PAGE_URL')).toThrow(
      'Environment variable RESULT_PAGE_URL is required',
    );
  });
});
