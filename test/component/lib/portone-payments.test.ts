import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { AccountRootPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  PortOnePayments,
  type PortOnePaymentsProps,
  SETTLED_EVENT,
} from '../../../lib';
import { acknowledgementsIn, findingsOf, REVIEWED_FINDINGS } from './support/nag';
import {
  contextFor,
  functionsOf,
  type Json,
  onlyId,
  RESULT_PAGE_URL,
  removeOutdirs,
  resources,
  statementsOf,
  tempOutdir,
} from './support/template';

// PortOnePayments as a merchant uses it (README, Deploying to AWS): inside a
// stack of their own that already has resources, with a different id, its
// outputs used as properties, cdk-nag on the merchant's app.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
afterAll(removeOutdirs);

const PROPS: PortOnePaymentsProps = {
  resultPageUrl: RESULT_PAGE_URL,
  allowedOrigins: ['https://shop.example'],
  stage: 'shop',
  throttleRate: 20,
  alarmEmail: 'ops@shop.example',
};

/** The merchant's stack: its own order queue and backend role, then the payments service. */
class ShopStack extends Stack {
  readonly payments: PortOnePayments;
  readonly orderQueue: Queue;

  constructor(scope: App, id: string) {
    super(scope, id);
    // Its own construct named 'Orders', like the table inside PortOnePayments.
    this.orderQueue = new Queue(this, 'Orders', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: {
        maxReceiveCount: 5,
        queue: new Queue(this, 'OrdersDeadLetters', {
          encryption: QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        }),
      },
    });
    const backend = new Role(this, 'ShopBackend', { assumedBy: new AccountRootPrincipal() });

    const payments = new PortOnePayments(this, 'Payments', PROPS);
    this.payments = payments;
    new Rule(this, 'OnPaymentSettled', {
      eventBus: payments.eventBus,
      eventPattern: { source: [SETTLED_EVENT.source], detailType: [SETTLED_EVENT.detailType] },
      targets: [new SqsQueue(this.orderQueue)],
    });
    backend.addToPolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [payments.table.tableArn] }),
    );
    backend.addToPolicy(
      new PolicyStatement({
        actions: ['execute-api:Invoke'],
        resources: [payments.api.arnForExecuteApi('POST', '/orders', '$default')],
      }),
    );
    new CfnOutput(this, 'PaymentsWebhookUrl', { value: payments.webhookUrl });
  }
}

const buildShop = () => {
  const outdir = tempOutdir('payments-construct-');
  const app = new App({ outdir, context: contextFor(false) });
  const stack = new ShopStack(app, 'ShopBackend-prod');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack, outdir };
};

describe('PortOnePayments in a stack of its own', () => {
  let stack: ShopStack;
  let template: Template;

  beforeAll(() => {
    ({ stack } = buildShop());
    template = Template.fromStack(stack);
  });

  it('creates the orders table next to the stack’s own resources, its ids under the construct’s', () => {
    const table = onlyId(template, 'AWS::DynamoDB::Table');
    expect(table).toMatch(/^PaymentsOrders[0-9A-F]{8}$/);
    // The merchant's own 'Orders' keeps the id it would have without PortOnePayments.
    expect(stack.resolve(stack.orderQueue.queueArn)).toEqual({
      'Fn::GetAtt': ['OrdersA9B65338', 'Arn'],
    });
    const props = resources(template, 'AWS::DynamoDB::Table')[table].Properties;
    expect(props).toMatchObject({
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'recheck',
          KeySchema: [
            { AttributeName: 'recheck_shard', KeyType: 'HASH' },
            { AttributeName: 'recheck_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
    expect(resources(template, 'AWS::DynamoDB::Table')[table].DeletionPolicy).toBe('Retain');
    template.resourceCountIs('AWS::SQS::Queue', 3);
  });

  it('configures the functions, the API and the secret from the typed props', () => {
    const table = onlyId(template, 'AWS::DynamoDB::Table');
    const secret = onlyId(template, 'AWS::SecretsManager::Secret');
    template.resourceCountIs('AWS::Lambda::Function', 6);
    for (const fn of functionsOf(template, ['PaymentsComplete', 'PaymentsWebhook'])) {
      expect(fn.props.Environment.Variables, fn.name).toEqual({
        TABLE_NAME: { Ref: table },
        PORTONE_API_URL: 'https://api.iamport.kr',
        PORTONE_MODE: 'live',
        RESULT_PAGE_URL,
        PORTONE_SECRET_ARN: { Ref: secret },
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'portone-payments-shop',
      CorsConfiguration: { AllowOrigins: ['https://shop.example'], MaxAge: 7200 },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 200 },
    });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 10);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: '{"apiKey":"REPLACE_ME"}',
        GenerateStringKey: 'apiSecret',
        ExcludePunctuation: true,
      },
    });
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'portone-payments-shop' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@shop.example',
      TopicArn: { Ref: onlyId(template, 'AWS::SNS::Topic') },
    });
    // errors per payment function, the account's throttles, 5 from logs, 2 for settlement events
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5 + 1 + 5 + 2);
  });

  it('lets the stack build on its outputs: a rule on the event bus, a grant on the table, the URLs', () => {
    const bus = onlyId(template, 'AWS::Events::EventBus');
    const [rule] = Object.values(resources(template, 'AWS::Events::Rule')).filter(
      (r) => r.Properties.EventBusName !== undefined,
    );
    expect(rule.Properties).toMatchObject({
      EventBusName: { Ref: bus },
      EventPattern: { source: ['portone-payments'], 'detail-type': ['Payment settled'] },
      Targets: [{ Arn: { 'Fn::GetAtt': ['OrdersA9B65338', 'Arn'] } }],
    });
    const backend = Object.keys(resources(template, 'AWS::IAM::Role')).find((id) =>
      id.startsWith('ShopBackend'),
    ) as string;
    const statements = statementsOf(template, backend).map((s: Json) => [s.Action, s.Resource]);
    expect(statements).toContainEqual([
      'dynamodb:GetItem',
      { 'Fn::GetAtt': [onlyId(template, 'AWS::DynamoDB::Table'), 'Arn'] },
    ]);
    const api = onlyId(template, 'AWS::ApiGatewayV2::Api');
    expect(template.findOutputs('PaymentsWebhookUrl').PaymentsWebhookUrl?.Value).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [api, 'ApiEndpoint'] }, '/payments/webhook']],
    });
    expect(stack.resolve(stack.payments.ordersUrl)).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [api, 'ApiEndpoint'] }, '/orders']],
    });
  });

  it('passes cdk-nag there too, with its own acknowledgements and no others', () => {
    const { app, stack: shop, outdir } = buildShop();
    expect(() => app.synth()).not.toThrow();
    expect(findingsOf(outdir)).toEqual([]);
    const base = `${shop.payments.node.path}/`;
    const acknowledged = acknowledgementsIn(app).map((a) => {
      expect(a.path.startsWith(base), a.path).toBe(true);
      return `${a.id} ${a.path.slice(base.length)}`;
    });
    expect(acknowledged.sort()).toEqual([...REVIEWED_FINDINGS].sort());
  });

  it('refuses bad props with the ConfigurationError of the context key', () => {
    const app = new App({ outdir: tempOutdir(), context: contextFor(false) });
    const build = (id: string, props: PortOnePaymentsProps) =>
      new PortOnePayments(new Stack(app, id), 'Payments', props);
    expect(() => build('Relative', { resultPageUrl: '/result' })).toThrow(
      new ConfigurationError('resultPageUrl', 'must be an absolute https URL, got "/result"'),
    );
    expect(() => build('Blank', { resultPageUrl: ' ' })).toThrow(
      'Context value "resultPageUrl" is required (cdk deploy -c resultPageUrl=https://shop.example/result)',
    );
    expect(() => build('Fast', { resultPageUrl: RESULT_PAGE_URL, throttleRate: 'fast' })).toThrow(
      'Context value "throttleRate" must be a positive number up to 10000, got "fast"',
    );
  });
});

describe('the package entry point', () => {
  it('is lib/index.ts, for "main" and "types" alike', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
    expect([pkg.main, pkg.types]).toEqual(['lib/index.ts', 'lib/index.ts']);
  });
});
