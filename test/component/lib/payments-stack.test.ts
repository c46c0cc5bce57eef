import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RECHECK_INDEX as STORE_RECHECK_INDEX } from '../../../functions/adapters/dynamodb/keys';
import { ConfigurationError, resolveConfig } from '../../../lib/config';
import { memoryOf } from '../../../lib/memory';
import { ACCESS_LOG_FORMAT } from '../../../lib/payments-api';
import { PaymentsStack, type PaymentsStackProps } from '../../../lib/payments-stack';
import { createPaymentsTable } from '../../../local/table';
import {
  API_FUNCTIONS,
  actionsOf,
  appFromContext,
  asArray,
  FUNCTIONS,
  functionsOf,
  type Json,
  newApp,
  onlyId,
  RESULT_PAGE_URL,
  removeOutdirs,
  resources,
  statementsOf,
  synth,
  VERIFYING_FUNCTIONS,
} from './support/template';

// Synthesizing (and bundling, once) takes longer than vitest's defaults on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

afterAll(removeOutdirs);

/** Log lines as the handlers write them (Powertools Logger, one JSON object each). */
const FORGERY_LINE = { level: 'ERROR', message: 'forgery detected', imp_uid: 'imp_1' };
const MERCHANT_MISMATCH_LINE = {
  level: 'WARN',
  message: 'merchant mismatch detected',
  imp_uid: 'imp_1',
  merchant_uid: 'order-2',
};

/**
 * Whether a CloudWatch Logs JSON filter pattern matches a log line, for the
 * patterns of LOG_PATTERNS: `{ $.key = "text" }` and `{ $.key >= 500 }` joined
 * by `&&`. Anything else fails the test rather than guess.
 */
const matchesFilter = (pattern: string, line: Record<string, unknown>): boolean => {
  const body = pattern.trim().match(/^\{(.*)\}$/)?.[1];
  if (body === undefined) throw new Error(`not a JSON filter pattern: ${pattern}`);
  return body.split('&&').every((term) => {
    const parts = term.trim().match(/^\$\.(\w+)\s*(=|>=)\s*(?:"([^"]*)"|(\d+))$/);
    if (parts === null) throw new Error(`unsupported filter term: ${term}`);
    const [, key, operator, text, number] = parts;
    const value = line[key as string];
    if (operator === '=') return value === (text ?? Number(number));
    return typeof value === 'number' && value >= Number(number);
  });
};

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
        // V2 in the same functions: a version is an adapter, not a function.
        ['POST /v2/payments/complete', 'NONE', 'Complete'],
        ['GET /v2/payments/complete', 'NONE', 'Redirect'],
        ['POST /v2/payments/webhook', 'NONE', 'Webhook'],
        ['POST /orders', 'AWS_IAM', 'Orders'],
        ['GET /orders/{merchant_uid}', 'AWS_IAM', 'Orders'],
        ['POST /orders/{merchant_uid}/payments', 'AWS_IAM', 'Orders'],
        ['POST /orders/{merchant_uid}/cancel', 'AWS_IAM', 'Orders'],
      ].sort(),
    );
  });

  it('puts POST /orders/{merchant_uid}/payments behind IAM on the orders function, like the other /orders routes', () => {
    const integrations = resources(template, 'AWS::ApiGatewayV2::Integration');
    const targetOf = (routeKey: string) => {
      const [route] = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).filter(
        (r) => r.Properties.RouteKey === routeKey,
      );
      return {
        auth: route.Properties.AuthorizationType,
        uri: integrations[route.Properties.Target['Fn::Join'][1][1].Ref].Properties.IntegrationUri,
      };
    };

    const payments = targetOf('POST /orders/{merchant_uid}/payments');

    expect(payments.auth).toBe('AWS_IAM');
    expect(payments).toEqual(targetOf('POST /orders/{merchant_uid}/cancel'));
    expect(payments.uri['Fn::GetAtt'][0]).toMatch(/^OrdersFunction/);
  });

  it('runs six Node.js 22 arm64 functions; those behind the API time out before API Gateway does', () => {
    template.resourceCountIs('AWS::Lambda::Function', 6);
    for (const fn of functionsOf(template)) {
      expect(fn.props.Runtime, fn.name).toBe('nodejs22.x');
      expect(fn.props.Architectures, fn.name).toEqual(['arm64']);
      // Each function at the size the bench chose for it (lib/memory.ts).
      expect(fn.props.MemorySize, fn.name).toBe(memoryOf(fn.name.toLowerCase()));
      expect(fn.props.Handler, fn.name).toBe('index.handler');
      if ((API_FUNCTIONS as readonly string[]).includes(fn.name)) {
        expect(fn.props.Timeout, fn.name).toBeLessThan(30);
      }
    }
  });

  it('runs the reconciler every 5 minutes, each run ending before the next, failed runs not retried', () => {
    const reconcile = functionsOf(template).find((f) => f.name === 'Reconcile') as Json;
    expect(reconcile.props.Timeout).toBe(240);
    const [rule] = Object.values(resources(template, 'AWS::Events::Rule'));
    expect(rule.Properties).toMatchObject({
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [{ Arn: { 'Fn::GetAtt': [reconcile.id, 'Arn'] } }],
    });
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: reconcile.id },
      MaximumRetryAttempts: 0,
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [reconcile.id, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('configures every function from the stack props and the secret ARN, never the key pair or CORS', () => {
    const table = onlyId(template, 'AWS::DynamoDB::Table');
    const secret = onlyId(template, 'AWS::SecretsManager::Secret');
    for (const fn of functionsOf(template)) {
      expect(fn.props.Environment.Variables, fn.name).toEqual({
        TABLE_NAME: { Ref: table },
        PORTONE_API_URL: 'https://api.iamport.kr',
        PORTONE_MODE: 'live',
        RESULT_PAGE_URL,
        PORTONE_SECRET_ARN: { Ref: secret },
      });
    }
    // Nowhere in the template, not only not in the functions' environment.
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toContain('PORTONE_API_KEY');
    expect(json).not.toContain('PORTONE_API_SECRET');
  });

  // Pinned exactly: changing GenerateSecretString makes CloudFormation generate a new value,
  // overwriting the key pair the merchant stored.
  it('creates the PortOne credentials secret with a placeholder in the runtime JSON shape', () => {
    const [secret] = Object.values(resources(template, 'AWS::SecretsManager::Secret'));
    expect(secret.Properties.GenerateSecretString).toEqual({
      SecretStringTemplate: '{"apiKey":"REPLACE_ME"}',
      GenerateStringKey: 'apiSecret',
      ExcludePunctuation: true,
    });
    // No SecretString in the template: the value never passes through CloudFormation.
    expect(secret.Properties.SecretString).toBeUndefined();
    // Encrypted with the AWS-managed key (see lib/portone-secret.ts for why).
    expect(secret.Properties.KmsKeyId).toBeUndefined();
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  it('keeps orders in a retained on-demand table with point-in-time recovery', () => {
    const [table] = Object.values(resources(template, 'AWS::DynamoDB::Table'));
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('has the key design of the store: the keys and recheck index of the local table', async () => {
    let local: Json;
    const client = {
      send: async (command: { input: unknown }) => {
        local = command.input;
        return {};
      },
    } as unknown as DynamoDBClient;
    await createPaymentsTable(client, 'local');

    const [table] = Object.values(resources(template, 'AWS::DynamoDB::Table'));
    const byName = (a: Json, b: Json) => a.AttributeName.localeCompare(b.AttributeName);
    expect([...table.Properties.AttributeDefinitions].sort(byName)).toEqual(
      [...local.AttributeDefinitions].sort(byName),
    );
    expect(table.Properties.KeySchema).toEqual(local.KeySchema);
    const indexes = (list: Json[]) =>
      list.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }));
    expect(indexes(table.Properties.GlobalSecondaryIndexes)).toEqual(
      indexes(local.GlobalSecondaryIndexes),
    );
    expect(table.Properties.GlobalSecondaryIndexes[0].IndexName).toBe(STORE_RECHECK_INDEX);
  });

  describe('IAM, per function', () => {
    const FORBIDDEN_ACTIONS = [
      '*',
      'dynamodb:*',
      'dynamodb:Scan',
      'dynamodb:Query',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:BatchGetItem',
      'dynamodb:TransactWriteItems',
      'dynamodb:DeleteTable',
      'secretsmanager:*',
      'secretsmanager:PutSecretValue',
      'secretsmanager:DescribeSecret',
      'secretsmanager:ListSecrets',
      'logs:*',
      'logs:CreateLogGroup',
    ];

    it.each([...FUNCTIONS, 'Settled'])(
      "%s: JSON logs at INFO, without Lambda's own START and REPORT lines (system level WARN)",
      (name) => {
        const [fn] = functionsOf(template, [name]);
        expect(fn?.props.LoggingConfig).toMatchObject({
          LogFormat: 'JSON',
          ApplicationLogLevel: 'INFO',
          SystemLogLevel: 'WARN',
        });
      },
    );

    it('keeps the access log in the infrequent-access class, the functions logs in the standard one', () => {
      const groups = resources(template, 'AWS::Logs::LogGroup');
      expect(groups.ApiAccessLogsE9DF007D?.Properties.LogGroupClass).toBe('INFREQUENT_ACCESS');
      // Metric filters need the standard class: every group they read from has it.
      for (const filter of Object.values(resources(template, 'AWS::Logs::MetricFilter'))) {
        const group = groups[(filter as Json).Properties.LogGroupName.Ref];
        expect(group?.Properties.LogGroupClass).toBeUndefined();
      }
    });

    it.each(FUNCTIONS)('%s: its own role, with no managed policies', (name) => {
      const fn = functionsOf(template).find((f) => f.name === name) as Json;
      const roleId = fn.props.Role['Fn::GetAtt'][0] as string;
      const role = resources(template, 'AWS::IAM::Role')[roleId];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ]);
      const others = functionsOf(template).filter((f) => f.name !== name);
      for (const other of others) expect(other.props.Role['Fn::GetAtt'][0]).not.toBe(roleId);
    });

    it.each(FUNCTIONS)(
      '%s: GetItem, PutItem, UpdateItem on the table, GetSecretValue on the secret, logs to its own group, nothing else',
      (name) => {
        const reconciler = name === 'Reconcile';
        const fn = functionsOf(template).find((f) => f.name === name) as Json;
        const statements = statementsOf(template, fn.props.Role['Fn::GetAtt'][0]);
        const table = { 'Fn::GetAtt': [onlyId(template, 'AWS::DynamoDB::Table'), 'Arn'] };
        const secret = { Ref: onlyId(template, 'AWS::SecretsManager::Secret') };
        const logGroup = { 'Fn::GetAtt': [fn.props.LoggingConfig.LogGroup.Ref, 'Arn'] };
        const recheckIndex = { 'Fn::Join': ['', [table, '/index/recheck']] };

        // Present, exactly: one statement per concern, each on one resource.
        const normalized = statements.map((s) => ({
          Effect: s.Effect,
          Action: actionsOf(s).sort(),
          Resource: asArray(s.Resource),
          Condition: s.Condition,
        }));
        expect(normalized).toEqual(
          expect.arrayContaining([
            {
              Effect: 'Allow',
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
              Resource: [table],
              Condition: undefined,
            },
            {
              Effect: 'Allow',
              Action: ['secretsmanager:GetSecretValue'],
              Resource: [secret],
              Condition: undefined,
            },
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: [logGroup],
              Condition: undefined,
            },
            // Only the reconciler reads the recheck index, and only that index.
            ...(reconciler
              ? [
                  {
                    Effect: 'Allow',
                    Action: ['dynamodb:Query'],
                    Resource: [recheckIndex],
                    Condition: undefined,
                  },
                ]
              : []),
          ]),
        );
        expect(normalized).toHaveLength(reconciler ? 4 : 3);

        // Absent.
        const actions = statements.flatMap(actionsOf);
        const forbidden = reconciler
          ? FORBIDDEN_ACTIONS.filter((a) => a !== 'dynamodb:Query')
          : FORBIDDEN_ACTIONS;
        for (const action of forbidden) expect(actions, name).not.toContain(action);
        expect(
          actions.filter((a) => a.includes('*')),
          name,
        ).toEqual([]);
        for (const statement of statements) {
          for (const resource of asArray(statement.Resource)) {
            const text = JSON.stringify(resource);
            expect(text, name).not.toContain('*');
            if (text.includes('/index')) expect(resource, name).toEqual(recheckIndex);
          }
        }
      },
    );
  });

  it("sends each function's logs to its own log group kept for a month", () => {
    const logGroups = resources(template, 'AWS::Logs::LogGroup');
    const used = functionsOf(template).map((fn) => fn.props.LoggingConfig.LogGroup.Ref as string);
    expect(new Set(used).size).toBe(5);
    for (const id of used) expect(logGroups[id]?.Properties.RetentionInDays).toBe(30);
  });

  it('throttles the default stage and writes lean JSON access logs to a log group with retention', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const [stage] = Object.values(resources(template, 'AWS::ApiGatewayV2::Stage'));
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
    const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
    const logGroupId = DestinationArn['Fn::GetAtt'][0] as string;
    expect(resources(template, 'AWS::Logs::LogGroup')[logGroupId].Properties.RetentionInDays).toBe(
      90,
    );
    const format = JSON.parse(Format);
    expect(format).toEqual(ACCESS_LOG_FORMAT);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      route: '$context.routeKey',
      status: '$context.status',
      bytes: '$context.responseLength',
      integrationError: '$context.integrationErrorMessage',
      ms: '$context.responseLatency',
      caller: '$context.identity.userArn',
    });
    // Nothing the event carries already or that is the same on every line.
    expect(Object.values(format)).not.toContain('$context.requestTime');
    expect(Object.values(format)).not.toContain('$context.protocol');
    // Never the body, the query string, the full path or headers.
    expect(Format).not.toMatch(/\$input|\$request|\$context\.path|querystring|header|body/i);
  });

  it('answers CORS preflight for the allowed origins (the rules: api-edge.test.ts)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'portone-payments-prod',
      CorsConfiguration: { AllowOrigins: ['https://shop.example'], MaxAge: 7200 },
    });
  });

  it("makes each function wait for its role's policy, not redundantly for the role it already references", () => {
    for (const fn of [...functionsOf(template), ...functionsOf(template, ['Settled'])]) {
      const roleId = fn.props.Role['Fn::GetAtt'][0] as string;
      const policies = Object.entries(resources(template, 'AWS::IAM::Policy'))
        .filter(([, policy]) => (policy.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
        .map(([id]) => id);
      expect(policies, fn.name).toHaveLength(1);
      // Without it the function could be invoked, or its stream mapping created, before its permissions exist.
      expect(fn.resource.DependsOn, fn.name).toEqual(policies);
    }
  });

  describe('reserved concurrency', () => {
    const reservedOf = (t: Template) =>
      functionsOf(t, [...FUNCTIONS, 'Settled']).map((fn) => [
        fn.name,
        fn.props.ReservedConcurrentExecutions,
      ]);

    it('reserves none for any function by default', () => {
      for (const [name, reserved] of reservedOf(template)) expect(reserved, name).toBeUndefined();
    });

    it('reserves webhookReservedConcurrency for the webhook function alone, and says so in its throttles alarm', () => {
      const { stack } = appFromContext({
        resultPageUrl: RESULT_PAGE_URL,
        webhookReservedConcurrency: '25',
      });
      const reserved = Template.fromStack(stack);
      expect(Object.fromEntries(reservedOf(reserved))).toEqual({
        Complete: undefined,
        Redirect: undefined,
        Webhook: 25,
        Orders: undefined,
        Reconcile: undefined,
        Settled: undefined,
      });
      const webhook = functionsOf(reserved, ['Webhook'])[0] as Json;
      const [alarm] = Object.values(resources(reserved, 'AWS::CloudWatch::Alarm')).filter(
        (a) =>
          a.Properties.MetricName === 'Throttles' &&
          a.Properties.Dimensions?.[0]?.Value?.Ref === webhook.id,
      );
      expect(alarm.Properties.AlarmDescription).toMatch(/reserved concurrency \(25/);
      const throttles = Object.values(resources(reserved, 'AWS::CloudWatch::Alarm')).filter(
        (a) => a.Properties.MetricName === 'Throttles',
      );
      expect(throttles).toHaveLength(2);
    });
  });

  describe('alarms', () => {
    const alarms = () => Object.values(resources(template, 'AWS::CloudWatch::Alarm'));
    const filtersOf = (metric: string) =>
      Object.values(resources(template, 'AWS::Logs::MetricFilter'))
        .map((f) => f.Properties)
        .filter((f) => f.MetricTransformations[0].MetricName === metric);
    const topic = () => ({ Ref: onlyId(template, 'AWS::SNS::Topic') });
    const logGroupOf = (name: string) =>
      (functionsOf(template).find((f) => f.name === name) as Json).props.LoggingConfig.LogGroup;

    const lambdaAlarms = (metric: string) =>
      alarms().filter(
        (a) => a.Properties.Namespace === 'AWS/Lambda' && a.Properties.MetricName === metric,
      );
    const atOne = {
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    };

    it('alarm on errors of every function but settled, whose failures show as stream lag', () => {
      for (const fn of functionsOf(template)) {
        const found = lambdaAlarms('Errors').filter(
          (a) => a.Properties.Dimensions?.[0]?.Value?.Ref === fn.id,
        );
        expect(found, fn.name).toHaveLength(1);
        expect(found[0].Properties).toMatchObject(atOne);
      }
      const [settled] = functionsOf(template, ['Settled']) as Json[];
      expect(
        lambdaAlarms('Errors').filter(
          (a) => a.Properties.Dimensions?.[0]?.Value?.Ref === settled.id,
        ),
      ).toEqual([]);
      expect(lambdaAlarms('Errors')).toHaveLength(FUNCTIONS.length);
    });

    it("alarm once on the account's throttles, not once per unreserved function", () => {
      const throttles = lambdaAlarms('Throttles');
      expect(throttles).toHaveLength(1);
      expect(throttles[0].Properties).toMatchObject(atOne);
      expect(throttles[0].Properties.Dimensions).toBeUndefined();
      expect(throttles[0].Properties.AlarmDescription).toMatch(/account's concurrency/);
    });

    it("count the webhook's 5xx answers from its log lines and alarm at 1", () => {
      const filters = Object.values(resources(template, 'AWS::Logs::MetricFilter')).filter(
        (f) => f.Properties.MetricTransformations[0].MetricName === 'Webhook5xx',
      );
      expect(filters.map((f) => f.Properties)).toEqual([
        {
          FilterPattern: '{ $.message = "webhook answered" && $.http_status >= 500 }',
          LogGroupName: logGroupOf('Webhook'),
          MetricTransformations: [
            { MetricName: 'Webhook5xx', MetricNamespace: 'PortOnePayments/prod', MetricValue: '1' },
          ],
        },
      ]);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'PortOnePayments/prod',
        MetricName: 'Webhook5xx',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it.each([
      ['ForgeriesDetected', '{ $.message = "forgery detected" }'],
      ['DuplicatePaymentsDetected', '{ $.message = "duplicate payment detected" }'],
    ])(
      'count %s in the payment functions and the reconciler, not in orders, and alarm at 1',
      (metric, pattern) => {
        const filters = Object.values(resources(template, 'AWS::Logs::MetricFilter'))
          .map((f) => f.Properties)
          .filter((f) => f.MetricTransformations[0].MetricName === metric);
        expect(filters.map((f) => f.LogGroupName)).toEqual(
          VERIFYING_FUNCTIONS.map((name) => logGroupOf(name)),
        );
        for (const filter of filters) {
          expect(filter.FilterPattern).toBe(pattern);
          expect(filter.MetricTransformations).toEqual([
            { MetricName: metric, MetricNamespace: 'PortOnePayments/prod', MetricValue: '1' },
          ]);
        }
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'PortOnePayments/prod',
          MetricName: metric,
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      },
    );

    it('count merchant mismatches in the verifying functions as MerchantMismatches, a metric with no alarm', () => {
      const filters = filtersOf('MerchantMismatches');
      expect(filters.map((f) => f.LogGroupName)).toEqual(
        VERIFYING_FUNCTIONS.map((name) => logGroupOf(name)),
      );
      for (const filter of filters) {
        expect(filter.FilterPattern).toBe('{ $.message = "merchant mismatch detected" }');
        expect(filter.MetricTransformations).toEqual([
          {
            MetricName: 'MerchantMismatches',
            MetricNamespace: 'PortOnePayments/prod',
            MetricValue: '1',
          },
        ]);
        expect(matchesFilter(filter.FilterPattern, MERCHANT_MISMATCH_LINE)).toBe(true);
        expect(matchesFilter(filter.FilterPattern, FORGERY_LINE)).toBe(false);
      }
      expect(alarms().filter((a) => a.Properties.MetricName === 'MerchantMismatches')).toEqual([]);
    });

    it('keep merchant mismatches out of the ForgeriesAlarm, which counts "forgery detected" only', () => {
      const forgeries = Object.entries(resources(template, 'AWS::CloudWatch::Alarm')).filter(
        ([id]) => id.startsWith('ForgeriesAlarm'),
      );
      expect(forgeries).toHaveLength(1);
      const [, alarm] = forgeries[0] as [string, Json];
      const { Namespace, MetricName } = alarm.Properties;
      // Every filter that feeds the alarm's metric.
      const feeding = Object.values(resources(template, 'AWS::Logs::MetricFilter'))
        .map((f) => f.Properties)
        .filter((f) =>
          f.MetricTransformations.some(
            (m: Json) => m.MetricNamespace === Namespace && m.MetricName === MetricName,
          ),
        );
      expect(feeding).toHaveLength(VERIFYING_FUNCTIONS.length);
      for (const filter of feeding) {
        expect(matchesFilter(filter.FilterPattern, FORGERY_LINE)).toBe(true);
        expect(matchesFilter(filter.FilterPattern, MERCHANT_MISMATCH_LINE)).toBe(false);
      }
    });

    it.each([
      ['CancellationsRejected', '{ $.message = "cancellation rejected; a person must act" }'],
      ['OrderItemTooLarge', '{ $.message = "order item too large" }'],
    ])(
      'count %s wherever PortOne is asked to cancel (refunds included), and alarm at 1',
      (metric, pattern) => {
        const filters = Object.values(resources(template, 'AWS::Logs::MetricFilter'))
          .map((f) => f.Properties)
          .filter((f) => f.MetricTransformations[0].MetricName === metric);
        expect(filters.map((f) => f.LogGroupName)).toEqual(
          [...VERIFYING_FUNCTIONS, 'Orders'].map((name) => logGroupOf(name)),
        );
        for (const filter of filters) expect(filter.FilterPattern).toBe(pattern);
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'PortOnePayments/prod',
          MetricName: metric,
          Threshold: 1,
        });
      },
    );

    it('all notify the alarm topic, which only accepts TLS', () => {
      // errors per payment function, the account's throttles, 5 from logs, 2 for settlement events
      expect(alarms()).toHaveLength(5 + 1 + 5 + 2);
      for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([topic()]);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topic()],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: topic(),
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topic(),
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
      });
    });

    it('pass an optional webhook allow-list to the functions, and none by default', () => {
      const listed = synth({
        resultPageUrl: RESULT_PAGE_URL,
        webhookAllowedIps: '52.78.100.19, 52.78.48.223',
      });
      const plain = synth({ resultPageUrl: RESULT_PAGE_URL });
      // The payment functions; the settled function talks to neither PortOne nor the API.
      const envs = (t: ReturnType<typeof synth>) =>
        Object.values(t.template.findResources('AWS::Lambda::Function'))
          .map(
            (r) =>
              (r as { Properties: { Environment: { Variables: Record<string, unknown> } } })
                .Properties.Environment.Variables,
          )
          .filter((v) => 'PORTONE_API_URL' in v);
      expect(envs(plain)).toHaveLength(5);
      expect(envs(listed).every((v) => v.WEBHOOK_ALLOWED_IPS === '52.78.100.19,52.78.48.223')).toBe(
        true,
      );
      expect(envs(plain).some((v) => 'WEBHOOK_ALLOWED_IPS' in v)).toBe(false);
    });

    it('subscribe no one without alarmEmail', () => {
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  it('outputs the URLs to paste into PortOne, the table, the secret and the configured pages', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      'AlarmTopicArn',
      'AllowedOrigins',
      'ApiUrl',
      'CompleteUrl',
      'EventBusName',
      'OrdersUrl',
      'RedirectUrl',
      'ResultPageUrl',
      'SecretArn',
      'SupportQueriesFolder',
      'TableName',
      'WebhookLogGroup',
      'WebhookUrl',
    ]);
    const api = { 'Fn::GetAtt': [onlyId(template, 'AWS::ApiGatewayV2::Api'), 'ApiEndpoint'] };
    const url = (path: string) => ({ 'Fn::Join': ['', [api, path]] });
    const value = (name: string) => (outputs[name] as Json).Value;
    expect(value('ApiUrl')).toEqual(api);
    expect(value('WebhookUrl')).toEqual(url('/payments/webhook'));
    expect(value('RedirectUrl')).toEqual(url('/payments/complete'));
    expect(value('CompleteUrl')).toEqual(url('/payments/complete'));
    expect(value('OrdersUrl')).toEqual(url('/orders'));
    expect(value('TableName')).toEqual({ Ref: onlyId(template, 'AWS::DynamoDB::Table') });
    expect(value('SecretArn')).toEqual({ Ref: onlyId(template, 'AWS::SecretsManager::Secret') });
    expect(value('WebhookLogGroup')).toEqual({
      Ref: (functionsOf(template).find((f) => f.name === 'Webhook') as Json).props.LoggingConfig
        .LogGroup.Ref,
    });
    expect(value('AlarmTopicArn')).toEqual({ Ref: onlyId(template, 'AWS::SNS::Topic') });
    expect(value('EventBusName')).toEqual({ Ref: onlyId(template, 'AWS::Events::EventBus') });
    // Read by the deployment checker: the configured values themselves.
    expect(value('ResultPageUrl')).toBe(RESULT_PAGE_URL);
    expect(value('AllowedOrigins')).toBe('https://shop.example');
  });

  it('outputs the allowed origins joined with commas, and "none" without any', () => {
    const origins = (allowedOrigins?: string) =>
      synth(allowedOrigins === undefined ? {} : { allowedOrigins }).template.findOutputs(
        'AllowedOrigins',
      ).AllowedOrigins?.Value;
    expect(origins('https://shop.example, https://m.shop.example/')).toBe(
      'https://shop.example,https://m.shop.example',
    );
    expect(origins()).toBe('none');
  });

  // A changed logical ID replaces the resource on the next deploy: a new, empty
  // orders table, a new secret without the stored key pair, a new API URL that
  // PortOne and the checkout page do not know. Pinned as the stack had them
  // before PortOnePayments existed (lib/payments-stack.ts, 'Default').
  it('keeps the logical IDs of the resources deployed before PortOnePayments', () => {
    const ids = Object.keys(template.toJSON().Resources);
    expect(ids).toEqual(
      expect.arrayContaining([
        'OrdersA9B65338',
        'PortOneApiCredentials77037D7E',
        'PortOneApiCredentialsPolicyA8906656',
        'ApiF70053CD',
        'ApiDefaultStage189A7074',
        'ApiAccessLogsE9DF007D',
        'PaymentEvents96D38EB7',
        'SettledDeadLettersC607A2F6',
        'AlarmTopicD01E77F9',
        'WebhookFunctionLogs6D0D79E5',
        'WebhookFunction59DCB58D',
      ]),
    );
    expect(onlyId(template, 'AWS::DynamoDB::Table')).toBe('OrdersA9B65338');
    expect(onlyId(template, 'AWS::SecretsManager::Secret')).toBe('PortOneApiCredentials77037D7E');
  });
});

describe('PaymentsStack with context overrides', () => {
  let template: Template;

  beforeAll(() => {
    template = synth({
      stage: 'staging',
      portoneApiUrl: 'https://static-api.iamport.kr',
      portoneMode: 'test',
      throttleRate: 5,
      throttleBurst: 10,
      alarmEmail: 'ops@shop.example',
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

  it('passes the PortOne settings to every function', () => {
    for (const fn of functionsOf(template)) {
      expect(Object.keys(fn.props.Environment.Variables).sort(), fn.name).toEqual([
        'PORTONE_API_URL',
        'PORTONE_MODE',
        'PORTONE_SECRET_ARN',
        'RESULT_PAGE_URL',
        'TABLE_NAME',
      ]);
      expect(fn.props.Environment.Variables, fn.name).toMatchObject({
        PORTONE_API_URL: 'https://static-api.iamport.kr',
        PORTONE_MODE: 'test',
      });
    }
  });

  it('names the API and the custom metrics after the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'portone-payments-staging' });
    for (const filter of Object.values(resources(template, 'AWS::Logs::MetricFilter'))) {
      expect(filter.Properties.MetricTransformations[0].MetricNamespace).toBe(
        'PortOnePayments/staging',
      );
    }
  });

  it('subscribes the alarm e-mail to the alarm topic', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@shop.example',
      TopicArn: { Ref: onlyId(template, 'AWS::SNS::Topic') },
    });
  });
});

describe('payment settled events', () => {
  let template: Template;
  let settled: { id: string; props: Json };

  beforeAll(() => {
    template = synth().template;
    settled = functionsOf(template, ['Settled'])[0] as { id: string; props: Json };
  });

  it('streams old and new images of the table to the settled function, resuming from a failed record', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    const [mapping] = Object.values(resources(template, 'AWS::Lambda::EventSourceMapping'));
    expect(mapping.Properties).toMatchObject({
      FunctionName: { Ref: settled.id },
      EventSourceArn: {
        'Fn::GetAtt': [onlyId(template, 'AWS::DynamoDB::Table'), 'StreamArn'],
      },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRecordAgeInSeconds: 86_400,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [onlyId(template, 'AWS::SQS::Queue'), 'Arn'] },
        },
      },
    });
    // Only final orders can carry a new outcome (functions/domain/rules/settlement.ts).
    expect(JSON.parse(mapping.Properties.FilterCriteria.Filters[0].Pattern)).toEqual({
      dynamodb: { NewImage: { type: { S: ['order'] }, final: { BOOL: [true] } } },
    });
  });

  it('publishes to its own bus only, and reads neither order items nor the PortOne secret', () => {
    const bus = onlyId(template, 'AWS::Events::EventBus');
    expect(settled.props.Environment.Variables).toEqual({ EVENT_BUS_NAME: { Ref: bus } });
    const statements = statementsOf(template, settled.props.Role['Fn::GetAtt'][0]);
    const actions = statements.flatMap(actionsOf);
    expect(actions).toContain('events:PutEvents');
    expect(
      statements.find((statement) => actionsOf(statement).includes('events:PutEvents')).Resource,
    ).toEqual({ 'Fn::GetAtt': [bus, 'Arn'] });
    expect(actions.filter((action) => /Item$|secretsmanager:/.test(action))).toEqual([]);
  });

  it('keeps undeliverable batches in an encrypted, TLS-only queue that raises an alarm', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    });
    const queue = onlyId(template, 'AWS::SQS::Queue');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Threshold: 300_000,
    });
  });
});

describe('the app (bin/app.ts) configured from CDK context', () => {
  const build = appFromContext;

  it('names the stack after the stage and reads string context values as -c passes them', () => {
    const { stack } = build({
      resultPageUrl: RESULT_PAGE_URL,
      stage: 'staging',
      allowedOrigins: 'https://shop.example, https://m.shop.example/',
      throttleRate: '50',
      throttleBurst: '80',
    });
    expect(stack.stackName).toBe('PortOnePayments-staging');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 80 },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://shop.example', 'https://m.shop.example'] },
    });
  });

  it('deploys stage prod by default', () => {
    expect(build({ resultPageUrl: RESULT_PAGE_URL }).stack.stackName).toBe('PortOnePayments-prod');
  });

  it('refuses a context value of the wrong type, naming the key', () => {
    expect(() => build({ resultPageUrl: RESULT_PAGE_URL, throttleRate: 'fast' })).toThrow(
      'Context value "throttleRate" must be a positive number up to 10000, got "fast"',
    );
    expect(() => build({ resultPageUrl: RESULT_PAGE_URL, allowedOrigins: 42 })).toThrow(
      ConfigurationError,
    );
  });
});

describe('configuration errors', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a missing resultPageUrl', { resultPageUrl: undefined }, 'resultPageUrl'],
    ['an empty resultPageUrl', { resultPageUrl: ' ' }, 'resultPageUrl'],
    ['a relative resultPageUrl', { resultPageUrl: '/result' }, 'resultPageUrl'],
    ['a plain-http resultPageUrl', { resultPageUrl: 'http://shop.example/r' }, 'resultPageUrl'],
    ['a plain-http portoneApiUrl', { portoneApiUrl: 'http://api.iamport.kr' }, 'portoneApiUrl'],
    ['an unknown portoneMode', { portoneMode: 'sandbox' }, 'portoneMode'],
    ['a stage with capitals', { stage: 'Prod' }, 'stage'],
    ['a stage with a space', { stage: 'my prod' }, 'stage'],
    ['a stage that is too long', { stage: 'a'.repeat(21) }, 'stage'],
    ['a stage starting with a digit', { stage: '1prod' }, 'stage'],
    ['an origin with a path', { allowedOrigins: ['https://shop.example/pay'] }, 'allowedOrigins'],
    ['a wildcard origin', { allowedOrigins: '*' }, 'allowedOrigins'],
    ['a plain-http origin', { allowedOrigins: 'http://shop.example' }, 'allowedOrigins'],
    ['a non-URL origin', { allowedOrigins: 'shop.example' }, 'allowedOrigins'],
    ['a zero throttleRate', { throttleRate: 0 }, 'throttleRate'],
    ['a negative throttleRate', { throttleRate: '-5' }, 'throttleRate'],
    ['a throttleRate above the account quota', { throttleRate: 20_000 }, 'throttleRate'],
    ['a non-numeric throttleBurst', { throttleBurst: Number.NaN }, 'throttleBurst'],
    ['a fractional throttleBurst', { throttleBurst: '2.5' }, 'throttleBurst'],
    ['a throttleBurst with units', { throttleBurst: '200rps' }, 'throttleBurst'],
    ['an alarmEmail without a domain', { alarmEmail: 'ops@' }, 'alarmEmail'],
    ['an alarmEmail with two addresses', { alarmEmail: 'a@x.example,b@x.example' }, 'alarmEmail'],
    ['an alarmEmail that is not a string', { alarmEmail: 42 }, 'alarmEmail'],
    [
      'a host name in webhookAllowedIps',
      { webhookAllowedIps: '52.78.100.19,portone.example' },
      'webhookAllowedIps',
    ],
    ['a zero webhookThrottleRate', { webhookThrottleRate: 0 }, 'webhookThrottleRate'],
    [
      'a webhookThrottleBurst above the account quota',
      { webhookThrottleBurst: 5001 },
      'webhookThrottleBurst',
    ],
    ['a non-numeric browserThrottleRate', { browserThrottleRate: 'lots' }, 'browserThrottleRate'],
    ['a fractional browserThrottleBurst', { browserThrottleBurst: '2.5' }, 'browserThrottleBurst'],
    [
      'a trustedThrottleRate above the account quota',
      { trustedThrottleRate: 10_001 },
      'trustedThrottleRate',
    ],
    ['a negative trustedThrottleBurst', { trustedThrottleBurst: -1 }, 'trustedThrottleBurst'],
    [
      'a zero webhookReservedConcurrency',
      { webhookReservedConcurrency: 0 },
      'webhookReservedConcurrency',
    ],
    [
      'a fractional webhookReservedConcurrency',
      { webhookReservedConcurrency: '1.5' },
      'webhookReservedConcurrency',
    ],
    [
      'a non-numeric webhookReservedConcurrency',
      { webhookReservedConcurrency: 'many' },
      'webhookReservedConcurrency',
    ],
    ['a name in secretAdminArns', { secretAdminArns: 'Admin' }, 'secretAdminArns'],
    [
      'a session ARN in secretAdminArns',
      { secretAdminArns: 'arn:aws:sts::123456789012:assumed-role/Admin/alice' },
      'secretAdminArns',
    ],
    ['a non-list secretAdminArns', { secretAdminArns: 42 }, 'secretAdminArns'],
    ['a dashboard switch that is not true or false', { dashboard: 'yes' }, 'dashboard'],
    ['a numeric dashboard switch', { dashboard: 1 }, 'dashboard'],
  ])('refuses to synthesize with %s, naming the context key', (_, input, key) => {
    const { app } = newApp();
    const props = { resultPageUrl: RESULT_PAGE_URL, ...input } as PaymentsStackProps;
    expect(() => new PaymentsStack(app, 'PortOnePayments', props)).toThrow(
      `Context value "${key}"`,
    );
    expect(() => resolveConfig(props)).toThrow(ConfigurationError);
  });

  it('tells how to pass the missing resultPageUrl', () => {
    const { app } = newApp();
    expect(() => new PaymentsStack(app, 'PortOnePayments')).toThrow(
      'Context value "resultPageUrl" is required (cdk deploy -c resultPageUrl=https://shop.example/result)',
    );
  });

  it('accepts plain http only to this machine, for a test stage', () => {
    expect(
      resolveConfig({
        resultPageUrl: 'http://localhost:8080/result',
        allowedOrigins: 'http://127.0.0.1:8080',
      }),
    ).toMatchObject({
      resultPageUrl: 'http://localhost:8080/result',
      allowedOrigins: ['http://127.0.0.1:8080'],
    });
  });

  it('fills in the defaults', () => {
    expect(resolveConfig({ resultPageUrl: RESULT_PAGE_URL })).toEqual({
      stage: 'prod',
      resultPageUrl: RESULT_PAGE_URL,
      portoneApiUrl: 'https://api.iamport.kr',
      portoneMode: 'live',
      allowedOrigins: [],
      throttleRate: 100,
      throttleBurst: 200,
      webhookThrottleRate: 50,
      webhookThrottleBurst: 100,
      browserThrottleRate: 50,
      browserThrottleBurst: 100,
      trustedThrottleRate: 50,
      trustedThrottleBurst: 100,
      alarmEmail: undefined,
      webhookAllowedIps: [],
      webhookReservedConcurrency: undefined,
      secretAdminArns: [],
      portoneV2: null,
      dashboard: false,
    });
  });

  it('reads the dashboard switch as a boolean or as true/false from -c', () => {
    const dashboard = (value: unknown) =>
      resolveConfig({ resultPageUrl: RESULT_PAGE_URL, dashboard: value as boolean }).dashboard;
    expect([true, 'true', ' true ', false, 'false', '', undefined].map(dashboard)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(() => dashboard('yes')).toThrow(
      'Context value "dashboard" must be true or false, got "yes"',
    );
  });
});

describe('PaymentsStack bundling', () => {
  it('bundles each handler with esbuild into one minified index.js under 1 MB, the SDK inside', () => {
    const { template, outdir } = synth({}, { bundle: true });
    for (const fn of functionsOf(template, [...FUNCTIONS, 'Settled'])) {
      const key = fn.props.Code.S3Key as string;
      const assetDir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      expect(readdirSync(assetDir), fn.name).toEqual(['index.js']);
      const bundle = join(assetDir, 'index.js');
      expect(statSync(bundle).size, fn.name).toBeLessThan(1_000_000);
      const code = readFileSync(bundle, 'utf8');
      // Minified: a few very long lines, not one statement per line.
      expect(code.split('\n').length, fn.name).toBeLessThan(100);
      // Everything is inside, the AWS SDK included (lib/bundling.ts): at run time only Node
      // built-ins are required, and the SDK's optional SigV4a signer, which it loads in a
      // try block only for multi-region signatures (none of our calls).
      const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
      const unavailable = [...required].filter(
        (id) => id && !isBuiltin(id) && id !== '@aws-sdk/signature-v4-crt',
      );
      expect(unavailable, fn.name).toEqual([]);
    }
  });
});
