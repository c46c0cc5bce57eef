import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireSetting } from '../../../../functions/runtime/config';

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
      portoneV2: null,
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

  describe('PortOne V2', () => {
    const v2 = {
      ...minimal,
      PORTONE_V2_API_SECRET: 'v2-api-secret',
      PORTONE_V2_WEBHOOK_SECRET: 'whsec_pzQGE83cSIRKM4/WH5QY+g==',
    };

    it('is on when both of its secrets are set', () => {
      expect(loadConfig(v2).portoneV2).toEqual({
        apiUrl: 'https://api.portone.io',
        credentials: {
          apiSecret: 'v2-api-secret',
          webhookSecrets: ['whsec_pzQGE83cSIRKM4/WH5QY+g=='],
        },
        storeId: null,
      });
    });

    it('reads the API URL, the store id and two webhook secrets while rotating', () => {
      const config = loadConfig({
        ...v2,
        PORTONE_V2_API_URL: 'http://127.0.0.1:4001',
        PORTONE_V2_STORE_ID: 'store-ae356798-3d20-4969-b739-14c6b0e1a667',
        PORTONE_V2_WEBHOOK_SECRET: 'whsec_pzQGE83cSIRKM4/WH5QY+g==, whsec_c2Vjb25kIHNlY3JldA==',
      });
      expect(config.portoneV2).toEqual({
        apiUrl: 'http://127.0.0.1:4001',
        credentials: {
          apiSecret: 'v2-api-secret',
          webhookSecrets: ['whsec_pzQGE83cSIRKM4/WH5QY+g==', 'whsec_c2Vjb25kIHNlY3JldA=='],
        },
        storeId: 'store-ae356798-3d20-4969-b739-14c6b0e1a667',
      });
    });

    const ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:portone-AbCdEf';
    const inAws = { TABLE_NAME: 'payments', PORTONE_SECRET_ARN: ARN, PORTONE_V2: 'secret' };

    it('reads its secrets from the PortOne secret when PORTONE_V2=secret', () => {
      expect(
        loadConfig({ ...inAws, PORTONE_V2_STORE_ID: 'store-ae356798-3d20-4969-b739-14c6b0e1a667' })
          .portoneV2,
      ).toEqual({
        apiUrl: 'https://api.portone.io',
        credentials: { secretArn: ARN },
        storeId: 'store-ae356798-3d20-4969-b739-14c6b0e1a667',
      });
    });

    it('is off when PORTONE_V2 and both of its secrets are unset', () => {
      expect(loadConfig({ TABLE_NAME: 'payments', PORTONE_SECRET_ARN: ARN }).portoneV2).toBeNull();
    });

    it.each([
      [
        { ...minimal, PORTONE_V2_API_SECRET: 'v2-api-secret' },
        'Environment variable PORTONE_V2_WEBHOOK_SECRET is required when PORTONE_V2_API_SECRET is set (PortOne V2 is on when both are set, or with PORTONE_V2=secret)',
      ],
      [
        { ...minimal, PORTONE_V2_WEBHOOK_SECRET: 'whsec_pzQGE83cSIRKM4/WH5QY+g==' },
        'Environment variable PORTONE_V2_API_SECRET is required when PORTONE_V2_WEBHOOK_SECRET is set (PortOne V2 is on when both are set, or with PORTONE_V2=secret)',
      ],
      [
        { ...v2, PORTONE_V2_WEBHOOK_SECRET: 'not base64!' },
        "Environment variable PORTONE_V2_WEBHOOK_SECRET must list base64 secrets as PortOne's console shows them (whsec_…); secret 1 is not",
      ],
      [
        { ...v2, PORTONE_V2_API_URL: 'http://api.portone.io' },
        'Environment variable PORTONE_V2_API_URL must be an https URL (http only to localhost), got "http://api.portone.io"',
      ],
      [
        { ...v2, PORTONE_V2_STORE_ID: 'channel-key-1234' },
        'Environment variable PORTONE_V2_STORE_ID must be a PortOne store id like store-ae356798-3d20-4969-b739-14c6b0e1a667, got "channel-key-1234"',
      ],
      [
        { ...inAws, PORTONE_V2: 'env' },
        'Environment variable PORTONE_V2 must be "secret" (V2\'s secrets in the PortOne secret) or unset, got "env"',
      ],
      [
        { ...minimal, PORTONE_V2: 'secret' },
        "Environment variable PORTONE_SECRET_ARN is required when PORTONE_V2=secret (V2's secrets are fields of that secret)",
      ],
      [
        { ...inAws, PORTONE_V2_API_SECRET: 'v2-api-secret' },
        "Environment variable PORTONE_V2=secret reads V2's secrets from PORTONE_SECRET_ARN, but PORTONE_V2_API_SECRET is set too: unset one or the other",
      ],
      [
        {
          ...inAws,
          PORTONE_V2_API_SECRET: 'v2-api-secret',
          PORTONE_V2_WEBHOOK_SECRET: 'whsec_pzQGE83cSIRKM4/WH5QY+g==',
        },
        "Environment variable PORTONE_V2=secret reads V2's secrets from PORTONE_SECRET_ARN, but PORTONE_V2_API_SECRET and PORTONE_V2_WEBHOOK_SECRET are set too: unset one or the other",
      ],
      [
        { ...inAws, PORTONE_V2_STORE_ID: 'channel-key-1234' },
        'Environment variable PORTONE_V2_STORE_ID must be a PortOne store id like store-ae356798-3d20-4969-b739-14c6b0e1a667, got "channel-key-1234"',
      ],
    ])('fails at cold start with a message naming the variable (%#)', (env, message) => {
      expect(() => loadConfig(env)).toThrow(new ConfigError(message));
    });
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
