import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentsStack, type PaymentsStackProps } from '../../lib/payments-stack';

// `new App()` does not read cdk.json, so pass its feature flags to test what `cdk synth` builds.
const cdkContext = JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')).context;
const RESULT_PAGE_URL = 'https://shop.example/payments/result';
const FUNCTIONS = ['Complete', 'Redirect', 'Webhook', 'Orders'] as const;

// Each App gets its own outdir, removed afterwards: vitest workers skip CDK's own cleanup.
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const newApp = ({ bundle = false } = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'payments-stack-'));
  outdirs.push(outdir);
  // Bundling is skipped except where a test needs the real bundles.
  const context = bundle ? cdkContext : { ...cdkContext, 'aws:cdk:bundling-stacks': [] };
  return { app: new App({ outdir, context }), outdir };
};

const synth = (props: PaymentsStackProps = {}, options: { bundle?: boolean } = {}) => {
  const { app, outdir } = newApp(options);
  const stack = new PaymentsStack(app, 'PortOnePayments', {
    resultPageUrl: RESULT_PAGE_URL,
    ...props,
  });
  return { template: Template.fromStack(stack), outdir };
};

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped
type Json = any;

const resources = (template: Template, type: string): Record<string, Json> =>
  template.findResources(type);

/** The functions by name (Complete, Redirect, …) with their logical ids. */
const functionsOf = (template: Template) => {
  const found = Object.entries(resources(template, 'AWS::Lambda::Function'));
  return FUNCTIONS.map((name) => {
    const matches = found.filter(([id]) => id.startsWith(`${name}Function`));
    expect(matches, name).toHaveLength(1);
    const [id, resource] = matches[0] as [string, Json];
    return { name, id, props: resource.Properties };
  });
};

const tableId = (template: Template) => {
  const ids = Object.keys(resources(template, 'AWS::DynamoDB::Table'));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('PaymentsStack', () => {
  let template: Template;

  beforeAll(() => {
    template = synth({ allowedOrigins: ['https://shop.example'] }).template;
  });

  it('routes exactly the payment and order paths to their functions', () => {
    const integrations = resources(template, 'AWS::ApiGatewayV2::Integration');
    const routes = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).map((route) => {
      const props = route.Properties;
      const uri = integrations[props.Target['Fn::Join'][1][1].Ref].Properties.IntegrationUri;
      return [
        props.RouteKey,
        props.AuthorizationType,
        uri['Fn::GetAtt'][0].replace(/Function.*/, ''),
      ];
    });
    expect(routes.sort()).toEqual(
      [
        ['POST /payments/complete', 'NONE', 'Complete'],
        ['GET /payments/complete', 'NONE', 'Redirect'],
        ['POST /payments/webhook', 'NONE', 'Webhook'],
        ['POST /orders', 'AWS_IAM', 'Orders'],
        ['GET /orders/{merchant_uid}', 'AWS_IAM', 'Orders'],
      ].sort(),
    );
  });

  it('runs four Node.js 22 arm64 functions that time out before API Gateway does', () => {
    template.resourceCountIs('AWS::Lambda::Function', 4);
    for (const fn of functionsOf(template)) {
      expect(fn.props.Runtime, fn.name).toBe('nodejs22.x');
      expect(fn.props.Architectures, fn.name).toEqual(['arm64']);
      expect(fn.props.Timeout, fn.name).toBeLessThan(30);
      expect(fn.props.MemorySize, fn.name).toBe(256);
      expect(fn.props.Handler, fn.name).toBe('index.handler');
    }
  });

  it('configures every function from the stack props', () => {
    const table = tableId(template);
    for (const fn of functionsOf(template)) {
      expect(fn.props.Environment.Variables, fn.name).toEqual({
        TABLE_NAME: { Ref: table },
        PORTONE_API_URL: 'https://api.iamport.kr',
        PORTONE_MODE: 'live',
        RESULT_PAGE_URL,
        ALLOWED_ORIGINS: 'https://shop.example',
      });
    }
  });

  it('keeps orders in a retained on-demand table with point-in-time recovery', () => {
    const [table] = Object.values(resources(template, 'AWS::DynamoDB::Table'));
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('grants each function only GetItem, PutItem and UpdateItem on the table', () => {
    const table = { 'Fn::GetAtt': [tableId(template), 'Arn'] };
    const policies = Object.values(resources(template, 'AWS::IAM::Policy'));
    for (const fn of functionsOf(template)) {
      const role = fn.props.Role['Fn::GetAtt'][0];
      const statements = policies
        .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
      const actions = statements.flatMap((s) => asArray(s.Action as string | string[]));
      const dynamodb = statements.filter((s) =>
        asArray(s.Action as string | string[]).some((a) => a.startsWith('dynamodb:')),
      );

      expect(actions.filter((a) => a.startsWith('dynamodb:')).sort(), fn.name).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      for (const statement of dynamodb) expect(asArray(statement.Resource)).toEqual([table]);
      for (const forbidden of [
        '*',
        'dynamodb:*',
        'dynamodb:Scan',
        'dynamodb:Query',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:BatchGetItem',
      ]) {
        expect(actions, fn.name).not.toContain(forbidden);
      }
    }
  });

  it("sends each function's logs to its own log group kept for a month", () => {
    const logGroups = resources(template, 'AWS::Logs::LogGroup');
    expect(Object.keys(logGroups)).toHaveLength(4);
    const used = functionsOf(template).map((fn) => fn.props.LoggingConfig.LogGroup.Ref as string);
    expect(new Set(used).size).toBe(4);
    for (const id of used) expect(logGroups[id]?.Properties.RetentionInDays).toBe(30);
  });

  it('throttles the default stage', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });

  it('answers CORS preflight for the allowed origins', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://shop.example'],
        AllowMethods: ['POST', 'OPTIONS'],
        AllowHeaders: ['content-type'],
      },
    });
  });

  it('outputs the URLs to paste into the PortOne console', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'ApiUrl',
      'CompleteUrl',
      'RedirectUrl',
      'TableName',
      'WebhookUrl',
    ]);
    const suffix = (name: string) => {
      const parts = (outputs[name] as Json).Value['Fn::Join'][1] as unknown[];
      return parts.at(-1);
    };
    expect(suffix('WebhookUrl')).toBe('/payments/webhook');
    expect(suffix('RedirectUrl')).toBe('/payments/complete');
    expect(suffix('CompleteUrl')).toBe('/payments/complete');
    expect((outputs.TableName as Json).Value).toEqual({ Ref: tableId(template) });
  });
});

describe('PaymentsStack with context overrides', () => {
  let template: Template;

  beforeAll(() => {
    template = synth({
      portoneApiUrl: 'http://127.0.0.1:4010',
      portoneMode: 'test',
      portoneApiKey: 'key',
      portoneApiSecret: 'secret',
      throttleRate: 5,
      throttleBurst: 10,
    }).template;
  });

  it('applies the throttling overrides', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });

  it('configures no CORS without allowed origins', () => {
    for (const api of Object.values(resources(template, 'AWS::ApiGatewayV2::Api'))) {
      expect(api.Properties.CorsConfiguration).toBeUndefined();
    }
  });

  it('passes the PortOne settings and credentials to every function', () => {
    for (const fn of functionsOf(template)) {
      expect(fn.props.Environment.Variables, fn.name).toMatchObject({
        PORTONE_API_URL: 'http://127.0.0.1:4010',
        PORTONE_MODE: 'test',
        PORTONE_API_KEY: 'key',
        PORTONE_API_SECRET: 'secret',
        ALLOWED_ORIGINS: '',
      });
    }
  });
});

describe('PaymentsStack configuration errors', () => {
  it.each<[string, PaymentsStackProps, string]>([
    ['a missing resultPageUrl', { resultPageUrl: undefined }, 'resultPageUrl'],
    ['an empty resultPageUrl', { resultPageUrl: ' ' }, 'resultPageUrl'],
    ['a relative resultPageUrl', { resultPageUrl: '/result' }, 'resultPageUrl'],
    ['an unknown portoneMode', { portoneMode: 'sandbox' as 'test' }, 'portoneMode'],
    ['an origin with a path', { allowedOrigins: ['https://shop.example/pay'] }, 'allowedOrigins'],
    ['a zero throttleRate', { throttleRate: 0 }, 'throttleRate'],
    ['a non-numeric throttleBurst', { throttleBurst: Number.NaN }, 'throttleBurst'],
  ])('refuses to synthesize with %s, naming the context key', (_, props, key) => {
    const { app } = newApp();
    expect(
      () => new PaymentsStack(app, 'PortOnePayments', { resultPageUrl: RESULT_PAGE_URL, ...props }),
    ).toThrow(`Context value "${key}"`);
  });

  it('tells how to pass the missing resultPageUrl', () => {
    const { app } = newApp();
    expect(() => new PaymentsStack(app, 'PortOnePayments')).toThrow(
      'Context value "resultPageUrl" is required (cdk deploy -c resultPageUrl=https://shop.example/result)',
    );
  });
});

describe('PaymentsStack bundling', () => {
  it('bundles each handler with esbuild into one index.js under 1 MB', () => {
    const { template, outdir } = synth({}, { bundle: true });
    for (const fn of functionsOf(template)) {
      const key = fn.props.Code.S3Key as string;
      const assetDir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      expect(readdirSync(assetDir), fn.name).toEqual(['index.js']);
      const bundle = join(assetDir, 'index.js');
      expect(statSync(bundle).size, fn.name).toBeLessThan(1_000_000);
      // At run time only Node built-ins and the SDK the Lambda runtime provides may be required.
      const required = new Set(
        [...readFileSync(bundle, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]),
      );
      const unavailable = [...required].filter(
        (id) => id && !isBuiltin(id) && !id.startsWith('@aws-sdk/'),
      );
      expect(unavailable, fn.name).toEqual([]);
    }
  });
});
