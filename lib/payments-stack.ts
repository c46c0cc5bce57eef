import {
  Annotations,
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Tags,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
} from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { TABLE_DESIGN } from '../functions/adapters/dynamodb/table-design';
import { SETTLED_EVENT } from '../functions/adapters/eventbridge/event-names';
import { CORS, ROUTES, routeKeyOf, type ThrottleBudget } from './api-edge';
import {
  type PaymentsConfig,
  type PaymentsConfigInput,
  resolveConfig,
  THROTTLE_KEYS,
  throttleOf,
} from './config';
import { type IndexAction, ServiceFunction, type TableAction } from './service-function';

export type { PortOneMode } from './config';

export interface PaymentsStackProps extends StackProps, PaymentsConfigInput {}

export type FunctionName = 'complete' | 'redirect' | 'webhook' | 'orders' | 'reconcile';

/** How often the reconciler runs; the store rechecks an unconfirmed order after 10 minutes. */
export const RECONCILE_EVERY = Duration.minutes(5);

/** Custom metrics from the functions' structured logs. */
export const METRIC_NAMESPACE = 'PortOnePayments';

/** Each log line the functions write is one JSON object (Powertools Logger). */
export const LOG_PATTERNS = {
  webhook5xx: '{ $.message = "webhook answered" && $.http_status >= 500 }',
  forgery: '{ $.message = "forgery detected" }',
  // A real imp_uid presented with another order's merchant_uid: refused, nothing changes (a metric, no alarm).
  merchantMismatch: '{ $.message = "merchant mismatch detected" }',
  duplicatePayment: '{ $.message = "duplicate payment detected" }',
  // functions/domain/cancel-at-portone.ts: a cancellation or refund PortOne refused for good, or never showed.
  cancellationRejected: '{ $.message = "cancellation rejected; a person must act" }',
  // functions/http/responses.ts: an order item DynamoDB will not write any more (I9 should prevent it).
  itemTooLarge: '{ $.message = "order item too large" }',
} as const;

const READ_WRITE: readonly TableAction[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];

interface FunctionSpec {
  /** What it does; the description also names its routes (lib/api-edge.ts ROUTES), if any. */
  readonly description: string;
  /** Exactly the item actions the handler issues (functions/adapters/dynamodb). */
  readonly tableActions: readonly TableAction[];
  /** Actions on the recheck index. @default none */
  readonly indexActions?: readonly IndexAction[];
  /** @default 28 seconds (below API Gateway's 30 s) */
  readonly timeout?: Duration;
  /** Handlers that look payments up at PortOne read the API key pair. */
  readonly readsPortOneSecret: boolean;
  /**
   * Handlers that verify payments log "forgery detected", "duplicate payment
   * detected" and "merchant mismatch detected".
   */
  readonly verifiesPayments: boolean;
}

const VERIFIED_AGAINST_PORTONE =
  'only two ids are read from the request, the payment is re-fetched from PortOne by imp_uid with the stack-held API key and compared with the registered order (docs/design.md §2, I1), so an unauthenticated caller can learn or change nothing a genuine PortOne lookup would not';

/** How each budget of lib/api-edge.ts bounds abuse of a public route, for its APIG4 reason. */
const THROTTLED_BY: Readonly<Record<ThrottleBudget, string>> = {
  webhook: `Its own per-route throttle (the webhook budget, ${THROTTLE_KEYS.webhook.rate}/${THROTTLE_KEYS.webhook.burst}) bounds abuse; browser traffic has separate buckets and cannot spend it.`,
  browser: `Its own per-route throttle (the browser budget, ${THROTTLE_KEYS.browser.rate}/${THROTTLE_KEYS.browser.burst}, one bucket per browser route) bounds abuse and cannot spend the webhook's budget.`,
  trusted: `Its own per-route throttle (the trusted budget, ${THROTTLE_KEYS.trusted.rate}/${THROTTLE_KEYS.trusted.burst}) bounds abuse.`,
};

const budgetOf = (routeKey: string): ThrottleBudget => {
  const route = ROUTES.find((r) => routeKeyOf(r) === routeKey);
  if (route === undefined) throw new Error(`${routeKey} is not a route of lib/api-edge.ts`);
  return route.budget;
};

/**
 * Why each public route of lib/api-edge.ts needs no authorizer (cdk-nag
 * AwsSolutions-APIG4), by route key. Reviewed one by one: a route that
 * api-edge.ts makes public without a reason here fails synth.
 */
export const PUBLIC_BECAUSE: Readonly<Record<string, string>> = {
  'POST /payments/complete': `Public by design: the shopper's browser posts the IMP.request_pay callback result here and holds no AWS credentials; ${VERIFIED_AGAINST_PORTONE}. ${THROTTLED_BY[budgetOf('POST /payments/complete')]}`,
  'GET /payments/complete': `Public by design: this is the m_redirect_url PortOne sends the mobile browser to, which holds no AWS credentials; ${VERIFIED_AGAINST_PORTONE}; the 302 only ever goes to the configured result page. ${THROTTLED_BY[budgetOf('GET /payments/complete')]}`,
  'POST /payments/webhook': `Public by design: PortOne's V1 webhook is an unsigned server-to-server POST that cannot carry SigV4 or any other credential; ${VERIFIED_AGAINST_PORTONE}. ${THROTTLED_BY[budgetOf('POST /payments/webhook')]}`,
};

/** The functions of the routes of docs/design.md §4 (lib/api-edge.ts ROUTES), and the reconciler. */
export const FUNCTIONS: Readonly<Record<FunctionName, FunctionSpec>> = {
  complete: {
    description: 'verify a payment the browser reports',
    tableActions: READ_WRITE,
    readsPortOneSecret: true,
    verifiesPayments: true,
  },
  redirect: {
    description: 'verify, then redirect to the result page',
    tableActions: READ_WRITE,
    readsPortOneSecret: true,
    verifiesPayments: true,
  },
  webhook: {
    description: 'PortOne payment notifications',
    tableActions: READ_WRITE,
    readsPortOneSecret: true,
    verifiesPayments: true,
  },
  orders: {
    description: 'trusted order registration and refunds (IAM)',
    tableActions: READ_WRITE,
    // PORTONE_PREPARE pre-registers the amount with PortOne; refunds cancel at PortOne.
    readsPortOneSecret: true,
    verifiesPayments: false,
  },
  reconcile: {
    description: `Every ${RECONCILE_EVERY.toMinutes()} minutes: settle orders whose webhook never came`,
    tableActions: READ_WRITE,
    // listDue reads the recheck index, never the table.
    indexActions: ['dynamodb:Query'],
    // Not behind API Gateway; ends before the next run starts.
    timeout: Duration.minutes(4),
    readsPortOneSecret: true,
    verifiesPayments: true,
  },
};

/** The routes of lib/api-edge.ts that reach a function; none for the reconciler. */
export const routesTo = (name: FunctionName) => ROUTES.filter((route) => route.function === name);

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

const FIVE_MINUTES = Duration.minutes(5);

export class PaymentsStack extends Stack {
  readonly config: PaymentsConfig;
  readonly table: Table;
  readonly secret: Secret;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly alarmTopic: Topic;
  readonly functions: Readonly<Record<FunctionName, ServiceFunction>>;
  /** Where "payment settled" events are published; merchants add rules to it. */
  readonly eventBus: EventBus;
  readonly settled: ServiceFunction;
  /** Stream batches the settled function could not publish within the stream's 24 hours. */
  readonly settledDeadLetters: Queue;
  /**
   * Real imp_uids presented with another order's merchant_uid (refused, nothing
   * changed). A metric without an alarm; add one on it if you want to be told.
   */
  readonly merchantMismatches: Metric;

  constructor(scope: Construct, id: string, props: PaymentsStackProps = {}) {
    const config = resolveConfig(props);
    super(scope, id, {
      description: `PortOne payments (${config.stage}): HTTP API, Lambda, DynamoDB`,
      ...props,
    });
    this.config = config;
    Tags.of(this).add('project', 'portone-payments');
    Tags.of(this).add('stage', config.stage);

    // The store's key design (functions/adapters/dynamodb/table-design.ts).
    const { partitionKey, recheckIndex } = TABLE_DESIGN;
    this.table = new Table(this, 'Orders', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode[TABLE_DESIGN.billingMode],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The settled function announces outcomes from the stream, not from the handlers.
      stream: StreamViewType[TABLE_DESIGN.streamView],
    });
    this.table.addGlobalSecondaryIndex({
      indexName: recheckIndex.name,
      partitionKey: { name: recheckIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: recheckIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType[recheckIndex.projection],
    });

    this.secret = this.portOneSecret();
    this.functions = this.createFunctions();
    this.restrictSecret();
    ({
      eventBus: this.eventBus,
      settled: this.settled,
      deadLetters: this.settledDeadLetters,
    } = this.createSettlementEvents());
    ({ api: this.api, stage: this.stage } = this.createApi());
    this.alarmTopic = this.createAlarmTopic();
    this.merchantMismatches = this.createAlarms();
    this.createOutputs();
  }

  /**
   * The PortOne REST API key pair, as `{"apiKey","apiSecret"}`. Created with a
   * placeholder; an administrator stores the real pair with put-secret-value.
   * Who reads it is decided twice: the five function roles that use it
   * (complete, redirect, webhook, orders, reconcile) each have GetSecretValue
   * on this secret in IAM, and the secret's resource policy (`restrictSecret`)
   * denies GetSecretValue to every other principal, so a broad IAM grant
   * elsewhere in the account (an administrator, `secretsmanager:*` on `*`)
   * cannot read it either. Writes are left to IAM, unless `secretAdminArns`
   * names who alone may change it. Encrypted with the account's AWS-managed
   * key (aws/secretsmanager): a customer-managed key would add a third gate
   * (its key policy) for $1/month plus a policy to maintain; the value is a
   * revocable API key pair, not data at rest worth that here.
   */
  private portOneSecret(): Secret {
    // Never change generateSecretString: CloudFormation would generate a new
    // value and overwrite the key pair the merchant stored.
    const secret = new Secret(this, 'PortOneApiCredentials', {
      description: `PortOne V1 REST API key pair for portone-payments (${this.config.stage}): {"apiKey":"…","apiSecret":"…"}`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ apiKey: 'REPLACE_ME' }),
        generateStringKey: 'apiSecret',
        excludePunctuation: true,
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Automatic rotation is not possible: the PortOne REST API key pair is issued and rotated only in the PortOne admin console. Rotating it there and storing the new pair with put-secret-value is the documented procedure (README, Deploying to AWS).',
    });
    return secret;
  }

  /**
   * The secret's resource policy. GetSecretValue: denied to every principal
   * but the roles of the functions that read the key pair (`aws:PrincipalArn`
   * of a Lambda session is its role's ARN). Not even an administrator reads it
   * back; the functions' answers show whether it works.
   *
   * With `secretAdminArns`, changing it (value, settings, deletion, this
   * policy) is denied to everyone but those principals and CloudFormation's
   * CDK execution role (the bootstrap's cdk-<qualifier>-cfn-exec-role, exactly,
   * taken from the synthesizer): that role applies this very policy, updates
   * the secret's description and tags, deletes it with the stack, and is the
   * way back in after a wrong list, by deploying a corrected one. Without
   * `secretAdminArns` writes are left to IAM, so `aws secretsmanager
   * put-secret-value` by an administrator works as documented.
   *
   * Plain references from the policy to the roles: the roles and their
   * policies refer to the secret, never to this policy, so no cycle.
   */
  private restrictSecret(): void {
    const readers = FUNCTION_NAMES.filter((name) => FUNCTIONS[name].readsPortOneSecret).map(
      (name) => {
        const { role } = this.functions[name];
        if (role === undefined) throw new Error(`The ${name} function has no role`);
        return role.roleArn;
      },
    );
    this.secret.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheFunctionsReadTheKeyPair',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': readers } },
      }),
    );

    const { secretAdminArns } = this.config;
    if (secretAdminArns.length === 0) return;
    const deployer =
      this.synthesizer instanceof DefaultStackSynthesizer
        ? // A template string with ${AWS::AccountId} and ${AWS::Region} in it.
          [Fn.sub(this.synthesizer.cloudFormationExecutionRoleArn)]
        : [];
    if (deployer.length === 0) {
      Annotations.of(this.secret).addWarningV2(
        'portone-payments:secretAdminArns',
        'This stack does not use the DefaultStackSynthesizer, so no CloudFormation execution role is exempted from the secret write policy: the principal that deploys must be in secretAdminArns, or the next deploy cannot update the secret.',
      );
    }
    this.secret.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheAdministratorsChangeTheKeyPair',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: SECRET_WRITE_ACTIONS,
        resources: ['*'],
        // ArnNotLike: an IAM Identity Center role's name ends in a random suffix, matched with `*`.
        conditions: { ArnNotLike: { 'aws:PrincipalArn': [...secretAdminArns, ...deployer] } },
      }),
    );
  }

  private createFunctions(): Record<FunctionName, ServiceFunction> {
    const { config } = this;
    // No ALLOWED_ORIGINS: API Gateway answers CORS (createApi), the functions set no CORS headers.
    const environment: Record<string, string> = {
      PORTONE_API_URL: config.portoneApiUrl,
      PORTONE_MODE: config.portoneMode,
      RESULT_PAGE_URL: config.resultPageUrl,
      ...(config.webhookAllowedIps.length > 0
        ? { WEBHOOK_ALLOWED_IPS: config.webhookAllowedIps.join(',') }
        : {}),
    };
    const create = (name: FunctionName) => {
      const spec = FUNCTIONS[name];
      const routes = routesTo(name).map(routeKeyOf).join(', ');
      const reserved = name === 'webhook' ? config.webhookReservedConcurrency : undefined;
      const fn = new ServiceFunction(this, `${capitalize(name)}Function`, {
        name,
        description: `${routes ? `${routes}: ` : ''}${spec.description} (${config.stage})`,
        environment,
        ...(spec.timeout ? { timeout: spec.timeout } : {}),
        ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      }).useTable(this.table, spec.tableActions);
      if (spec.indexActions) {
        fn.useIndex(this.table, TABLE_DESIGN.recheckIndex.name, spec.indexActions);
      }
      if (spec.readsPortOneSecret) fn.useSecret(this.secret);
      return fn;
    };
    const functions = {
      complete: create('complete'),
      redirect: create('redirect'),
      webhook: create('webhook'),
      orders: create('orders'),
      reconcile: create('reconcile'),
    };

    // The backstop for webhooks that never arrive (PortOne sends each once by
    // default). A failed run is not retried: the next run is the retry.
    functions.reconcile.configureAsyncInvoke({ retryAttempts: 0 });
    new Rule(this, 'ReconcileSchedule', {
      description: `Runs the reconciler (portone-payments ${config.stage})`,
      schedule: Schedule.rate(RECONCILE_EVERY),
      targets: [new LambdaFunction(functions.reconcile, { retryAttempts: 2 })],
    });
    return functions;
  }

  /**
   * "Payment settled" events: the table's stream feeds the settled function,
   * which publishes one event per outcome an order first reaches
   * (functions/domain/settlement.ts). A failed publication is retried from
   * the failed record (partial batch response) for as long as the stream
   * keeps it (24 hours); what still fails lands in the dead-letter queue,
   * and every order item keeps its `settled` stamps to republish from.
   */
  private createSettlementEvents(): {
    eventBus: EventBus;
    settled: ServiceFunction;
    deadLetters: Queue;
  } {
    const { stage } = this.config;
    const eventBus = new EventBus(this, 'PaymentEvents', {
      eventBusName: `portone-payments-${stage}`,
      description: `"Payment settled" events of portone-payments (${stage})`,
    });
    const settled = new ServiceFunction(this, 'SettledFunction', {
      name: 'settled',
      description: `Table stream: publish "Payment settled" events (${stage})`,
      environment: { EVENT_BUS_NAME: eventBus.eventBusName },
      timeout: Duration.minutes(1),
    });
    eventBus.grantPutEventsTo(settled);
    Validations.of(settled.role ?? settled).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "dynamodb:ListStreams, which Lambda's DynamoDB event source needs (AWSLambdaDynamoDBExecutionRole has the same), supports no resource-level permission; it lists stream ARNs only. Reading records (DescribeStream, GetShardIterator, GetRecords) is granted on this table's stream alone.",
    });
    const deadLetters = new Queue(this, 'SettledDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination of the settled function's stream event source; it holds only record pointers (shard and sequence numbers) for an operator, and the SettledDeadLettersAlarm fires on its first message.",
    });
    settled.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        retryAttempts: 10_000,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(deadLetters),
        // Only an order that is final can carry a new outcome; the rest never invokes the function.
        filters: [
          FilterCriteria.filter({
            dynamodb: { NewImage: { type: { S: ['order'] }, final: { BOOL: [true] } } },
          }),
        ],
      }),
    );
    return { eventBus, settled, deadLetters };
  }

  private createApi(): { api: HttpApi; stage: HttpStage } {
    const { config } = this;
    const api = new HttpApi(this, 'Api', {
      apiName: `portone-payments-${config.stage}`,
      description: `PortOne payments (${config.stage})`,
      // Created below so that it can carry throttling and access logs.
      createDefaultStage: false,
      // CORS in one place (lib/api-edge.ts), the rules the local stack emulates;
      // API Gateway answers preflights and adds the headers, the functions set none.
      ...(config.allowedOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...config.allowedOrigins],
              allowMethods: CORS.allowMethods.map((method) => CorsHttpMethod[method]),
              allowHeaders: [...CORS.allowHeaders],
              maxAge: Duration.seconds(CORS.maxAgeSeconds),
            },
          }
        : {}),
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
    });
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // DefaultRouteSettings: for any route without its own settings below.
      throttle: { rateLimit: config.throttleRate, burstLimit: config.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // One JSON line per request; never the body or the query string.
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    const iam = new HttpIamAuthorizer();
    // One integration per function; each route gets its own invoke permission.
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationOf = (name: FunctionName) => {
      const integration =
        integrations.get(name) ??
        new HttpLambdaIntegration(`${capitalize(name)}Integration`, this.functions[name]);
      integrations.set(name, integration);
      return integration;
    };
    for (const edge of ROUTES) {
      const key = routeKeyOf(edge);
      const [route] = api.addRoutes({
        path: edge.path,
        methods: [HttpMethod[edge.method]],
        integration: integrationOf(edge.function),
        ...(edge.access === 'iam' ? { authorizer: iam } : {}),
      }) as [HttpRoute];
      if (edge.access === 'public') {
        const reason = PUBLIC_BECAUSE[key];
        if (reason === undefined) {
          throw new Error(
            `${key} is public in lib/api-edge.ts but has no reviewed reason in PUBLIC_BECAUSE (lib/payments-stack.ts)`,
          );
        }
        Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      }
      // Route settings may only name routes that exist when the stage is updated.
      stage.node.addDependency(route.node.defaultChild as IConstruct);
    }

    // Per-route throttling: every route is its own token bucket at API Gateway,
    // sized by its budget (lib/api-edge.ts). Buckets are never shared, so a
    // flood on the browser routes (or on one of them) empties only their own
    // buckets: PortOne's webhook keeps its whole budget and is never answered
    // 429 because of browser traffic, and the merchant's /orders calls are
    // likewise untouched. (All of them still draw on the account's regional
    // quota, which is why lib/config.ts keeps their sum below it.)
    (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      ROUTES.map((edge) => {
        const { rateLimit, burstLimit } = throttleOf(config, edge.budget);
        return [
          routeKeyOf(edge),
          { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit },
        ];
      }),
    );
    return { api, stage };
  }

  /**
   * Always created, so that other endpoints (chat, paging) can subscribe
   * without a redeploy; the e-mail subscription only with `alarmEmail`.
   * Publishing requires TLS. Not KMS-encrypted: it carries only alarm state
   * changes (alarm name, metric, threshold), never payment or personal data,
   * and CloudWatch alarms cannot publish to a topic under the AWS-managed SNS
   * key, so encryption would need a customer-managed key ($1/month and a key
   * policy) to protect nothing sensitive.
   */
  private createAlarmTopic(): Topic {
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `PortOne payments alarms (${this.config.stage})`,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`,
          },
        },
      }),
    );
    if (this.config.alarmEmail) {
      topic.addSubscription(new EmailSubscription(this.config.alarmEmail));
    }
    return topic;
  }

  /** The alarms; returns the merchant-mismatch metric, which has none. */
  private createAlarms(): Metric {
    const action = new SnsAction(this.alarmTopic);
    const alarm = (id: string, metric: IMetric, description: string) => {
      const created = new Alarm(this, id, {
        alarmDescription: `${description} (portone-payments ${this.config.stage})`,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      return created;
    };

    for (const name of FUNCTION_NAMES) {
      const fn = this.functions[name];
      const id = capitalize(name);
      const reserved = name === 'webhook' ? this.config.webhookReservedConcurrency : undefined;
      alarm(
        `${id}ErrorsAlarm`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `The ${name} function failed (uncaught error or timeout); see its log group`,
      );
      alarm(
        `${id}ThrottlesAlarm`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        reserved === undefined
          ? `The ${name} function was throttled: the account's Lambda concurrency is exhausted`
          : `The ${name} function was throttled: its reserved concurrency (${reserved}, context webhookReservedConcurrency) is exhausted`,
      );
    }

    alarm(
      'SettledErrorsAlarm',
      this.settled.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'The settled function failed; the stream keeps the records and retries them',
    );
    new Alarm(this, 'SettledIteratorAgeAlarm', {
      alarmDescription: `"Payment settled" events are more than 5 minutes late: EventBridge refuses them or the settled function fails (portone-payments ${this.config.stage})`,
      metric: this.settled.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
      threshold: FIVE_MINUTES.toMilliseconds(),
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);
    alarm(
      'SettledDeadLettersAlarm',
      this.settledDeadLetters.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
      '"Payment settled" events were given up after 24 hours of failures; republish them from the orders\' settled stamps (README)',
    );

    // From the webhook's own log line rather than API Gateway's 5xx metric: that
    // one is per API (per route only with paid detailed metrics), so it would
    // also count the complete route's 502s. Crashes and timeouts, which write
    // no "webhook answered" line, raise the webhook's Errors alarm instead.
    const namespace = `${METRIC_NAMESPACE}/${this.config.stage}`;
    const metricFrom = (metricName: string, pattern: string, from: readonly FunctionName[]) => {
      for (const name of from) {
        new MetricFilter(this, `${capitalize(name)}${metricName}Filter`, {
          logGroup: this.functions[name].logGroup,
          filterPattern: FilterPattern.literal(pattern),
          metricNamespace: namespace,
          metricName,
          metricValue: '1',
        });
      }
      return new Metric({ namespace, metricName, statistic: 'Sum', period: FIVE_MINUTES });
    };
    alarm(
      'Webhook5xxAlarm',
      metricFrom('Webhook5xx', LOG_PATTERNS.webhook5xx, ['webhook']),
      'The webhook answered PortOne with a 5xx (PortOne or DynamoDB unreachable); PortOne retries, but check the webhook log group',
    );
    const verifying = FUNCTION_NAMES.filter((name) => FUNCTIONS[name].verifiesPayments);
    alarm(
      'ForgeriesAlarm',
      metricFrom('ForgeriesDetected', LOG_PATTERNS.forgery, verifying),
      'A forged payment was detected (amount, currency, order or test channel mismatch) and, unless disabled, cancelled; review it in the logs and the PortOne console',
    );
    // Someone presented a real payment's imp_uid with another order's
    // merchant_uid. The request is refused and neither order nor payment
    // changes, so there is nothing for a person to do: an alarm at 1 would page
    // for a shopper's stale tab or a client bug. Counted apart from forgeries
    // (the ForgeriesAlarm keeps meaning "a payment was cancelled as forged"),
    // as a metric only, to look at or alarm on (PaymentsStack.merchantMismatches)
    // if it ever rises; a flood of them is bounded by the browser and webhook
    // route throttles like any other request.
    const merchantMismatches = metricFrom(
      'MerchantMismatches',
      LOG_PATTERNS.merchantMismatch,
      verifying,
    );
    alarm(
      'DuplicatePaymentsAlarm',
      metricFrom('DuplicatePaymentsDetected', LOG_PATTERNS.duplicatePayment, verifying),
      'An order was paid twice; the second payment was flagged and, unless disabled, cancelled',
    );
    // Refunds come through the orders function too.
    const cancelling = [...verifying, 'orders' as const];
    alarm(
      'CancellationsRejectedAlarm',
      metricFrom('CancellationsRejected', LOG_PATTERNS.cancellationRejected, cancelling),
      'PortOne refused a cancellation or refund for good, or accepted one and never showed the money returned within 7 days; the order view (attempts[].cancellation, refunds[]) has the message; act in the PortOne console',
    );
    alarm(
      'OrderItemTooLargeAlarm',
      metricFrom('OrderItemTooLarge', LOG_PATTERNS.itemTooLarge, cancelling),
      "An order item reached DynamoDB's 400 KB and can no longer be written; find the order in the log line and repair it",
    );
    return merchantMismatches;
  }

  private createOutputs(): void {
    const endpoint = this.api.apiEndpoint;
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('ApiUrl', endpoint, 'HTTP API base URL');
    output(
      'WebhookUrl',
      `${endpoint}/payments/webhook`,
      'PortOne console: paste as the webhook (notification) URL',
    );
    output(
      'RedirectUrl',
      `${endpoint}/payments/complete`,
      'Pass as m_redirect_url in IMP.request_pay (mobile redirect flow)',
    );
    output(
      'CompleteUrl',
      `${endpoint}/payments/complete`,
      'Checkout page: POST {imp_uid, merchant_uid} here from the IMP.request_pay callback',
    );
    output('OrdersUrl', `${endpoint}/orders`, 'Merchant backend: register orders here (SigV4)');
    output(
      'WebhookLogGroup',
      this.functions.webhook.logGroup.logGroupName,
      'aws logs tail this to watch webhook deliveries, e.g. the PortOne console test call',
    );
    output('TableName', this.table.tableName, 'DynamoDB table of orders (retained on delete)');
    output(
      'SecretArn',
      this.secret.secretArn,
      'Store the PortOne key pair here: aws secretsmanager put-secret-value',
    );
    output('AlarmTopicArn', this.alarmTopic.topicArn, 'SNS topic the alarms notify');
    output(
      'EventBusName',
      this.eventBus.eventBusName,
      `Add rules for source "${SETTLED_EVENT.source}", detail-type "${SETTLED_EVENT.detailType}"`,
    );
  }
}

/**
 * What `secretAdminArns` reserves: everything that changes the value the
 * functions get (PutSecretValue, UpdateSecret with a value, RotateSecret,
 * UpdateSecretVersionStage, which can make the placeholder current again),
 * deletes the secret, copies it elsewhere (ReplicateSecretToRegions) or
 * changes this policy.
 */
const SECRET_WRITE_ACTIONS = [
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecret',
  'secretsmanager:UpdateSecretVersionStage',
  'secretsmanager:RotateSecret',
  'secretsmanager:DeleteSecret',
  'secretsmanager:ReplicateSecretToRegions',
  'secretsmanager:PutResourcePolicy',
  'secretsmanager:DeleteResourcePolicy',
];

/** HTTP API access log fields ($context variables); no body, no query string, no headers. */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  // Set on the IAM-authorized /orders routes: which principal registered or read an order.
  caller: '$context.identity.userArn',
} as const;

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
