import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, resolveConfig } from '../../../lib/config';
import {
  appFromContext,
  FUNCTIONS,
  functionsOf,
  RESULT_PAGE_URL,
  removeOutdirs,
  resources,
  synth,
} from './support/template';

// Synthesizing takes longer than vitest's defaults on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

afterAll(removeOutdirs);

const STORE_ID = 'store-4b9a1c2e-0d3f-4a5b-8c7d-9e0f1a2b3c4d';
const V2_OUTPUTS = ['V2CompleteUrl', 'V2RedirectUrl', 'V2WebhookUrl'];

/** The route key an integration is attached to, e.g. `POST /v2/payments/webhook`. */
const routeKeys = (template: Template): string[] =>
  Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).map(
    (route) => route.Properties.RouteKey,
  );

describe('PortOne V2 in the stack (context portoneV2=true)', () => {
  const template = Template.fromStack(
    appFromContext({ resultPageUrl: RESULT_PAGE_URL, portoneV2: 'true' }).stack,
  );

  it('tells every payment function to read V2’s secrets from the PortOne secret', () => {
    for (const fn of functionsOf(template, FUNCTIONS)) {
      expect(fn.props.Environment.Variables, fn.name).toMatchObject({
        PORTONE_V2: 'secret',
        PORTONE_V2_API_URL: 'https://api.portone.io',
      });
      expect(fn.props.Environment.Variables.PORTONE_V2_STORE_ID, fn.name).toBeUndefined();
    }
  });

  it('never puts a V2 secret in the template', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/PORTONE_V2_API_SECRET|PORTONE_V2_WEBHOOK_SECRET/);
    // The secret is created with V1's placeholder only; V2's fields are the merchant's to store.
    const secrets = Object.values(resources(template, 'AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    expect(secrets[0].Properties.GenerateSecretString.SecretStringTemplate).toBe(
      '{"apiKey":"REPLACE_ME"}',
    );
  });

  it('outputs the three URLs to paste into PortOne V2’s console and the checkout page', () => {
    const outputs = template.findOutputs('*');
    for (const name of V2_OUTPUTS) expect(Object.keys(outputs)).toContain(name);
    const joined = (name: string) => JSON.stringify(outputs[name]?.Value);
    expect(joined('V2WebhookUrl')).toContain('/v2/payments/webhook');
    expect(joined('V2CompleteUrl')).toContain('/v2/payments/complete');
    expect(joined('V2RedirectUrl')).toContain('/v2/payments/complete');
    expect(outputs.SecretArn?.Description).toContain('v2ApiSecret, v2WebhookSecret');
  });

  it('serves the V2 routes from the V1 functions, the webhook in the webhooks’ budget', () => {
    expect(routeKeys(template)).toEqual(
      expect.arrayContaining([
        'POST /v2/payments/webhook',
        'POST /v2/payments/complete',
        'GET /v2/payments/complete',
      ]),
    );
    const stage = Object.values(resources(template, 'AWS::ApiGatewayV2::Stage'))[0];
    expect(stage.Properties.RouteSettings['POST /v2/payments/webhook']).toEqual(
      stage.Properties.RouteSettings['POST /payments/webhook'],
    );
  });
});

describe('PortOne V2 off (the default)', () => {
  const { template } = synth();

  it('sets nothing V2 and outputs no V2 URL', () => {
    for (const fn of functionsOf(template, FUNCTIONS)) {
      const names = Object.keys(fn.props.Environment.Variables);
      expect(
        names.filter((name) => name.startsWith('PORTONE_V2')),
        fn.name,
      ).toEqual([]);
    }
    const outputs = Object.keys(template.findOutputs('*'));
    for (const name of V2_OUTPUTS) expect(outputs).not.toContain(name);
  });

  it('keeps the V2 routes, which answer 503 not_configured until V2 is on', () => {
    expect(routeKeys(template)).toContain('POST /v2/payments/webhook');
  });
});

describe('PortOne V2 settings', () => {
  it('passes a sub-store id and another API URL to the functions', () => {
    const { template } = synth({
      portoneV2: { storeId: STORE_ID, apiUrl: 'https://api.portone.example' },
    });
    for (const fn of functionsOf(template, FUNCTIONS)) {
      expect(fn.props.Environment.Variables, fn.name).toMatchObject({
        PORTONE_V2: 'secret',
        PORTONE_V2_API_URL: 'https://api.portone.example',
        PORTONE_V2_STORE_ID: STORE_ID,
      });
    }
  });

  it('reads the store id from context next to the switch', () => {
    expect(
      resolveConfig({
        resultPageUrl: RESULT_PAGE_URL,
        portoneV2: 'true',
        portoneV2StoreId: STORE_ID,
      }).portoneV2,
    ).toEqual({ storeId: STORE_ID, apiUrl: 'https://api.portone.io' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a switch that is not true or false',
      { portoneV2: 'yes' },
      'Context value "portoneV2" must be true or false',
    ],
    [
      'a store id without V2 on',
      { portoneV2StoreId: STORE_ID },
      'portoneV2StoreId is set but portoneV2 is not true',
    ],
    [
      'a channel key pasted as the store id',
      { portoneV2: 'true', portoneV2StoreId: 'channel-key-1234' },
      'portoneV2StoreId',
    ],
    [
      'a plain-http V2 API URL',
      { portoneV2: 'true', portoneV2ApiUrl: 'http://api.portone.io' },
      'portoneV2ApiUrl',
    ],
    [
      'V2 settings both inside the prop and beside it',
      { portoneV2: { storeId: STORE_ID }, portoneV2ApiUrl: 'https://api.portone.io' },
      'give portoneV2ApiUrl inside portoneV2',
    ],
  ])('refuses %s, naming the key', (_, input, words) => {
    const resolve = () => resolveConfig({ resultPageUrl: RESULT_PAGE_URL, ...input });
    expect(resolve).toThrow(ConfigurationError);
    expect(resolve).toThrow(words);
  });
});
