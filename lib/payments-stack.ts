import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Tags,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
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
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SETTLED_EVENT } from '../functions/adapters/eventbridge/event-names';
import { type PaymentsConfig, type PaymentsConfigInput, resolveConfig } from './config';
import { type IndexAction, ServiceFunction, type TableAction } from './service-function';

export type { PortOneMode } from './config';

export interface PaymentsStackProps extends StackProps, PaymentsConfigInput {}

export type FunctionName = 'complete' | 'redirect' | 'webhook' | 'orders' | 'reconcile';

/**
 * The store's sparse index of orders to look at again (functions/adapters/dynamodb/keys.ts,
 * local/table.ts): only items with a recheck time are in it, keys only.
 */
export const RECHECK_INDEX = {
  indexName: 'recheck',
  partitionKey: 'recheck_shard',
  sortKey: 'recheck_at',
} as const;

/** How often the reconciler runs; the store rechecks an unconfirmed order after 10 minutes. */
export const RECONCILE_EVERY = Duration.minutes(5);

/** Custom metrics from the functions' structured logs. */
export const METRIC_NAMESPACE = 'PortOnePayments';

/** Each log line the functions write is one JSON object (Powertools Logger). */
export const LOG_PATTERNS = {
  webhook5xx: '{ $.message = "webhook answered" && $.http_status >= 500 }',
  forgery: '{ $.message = "forgery detected" }',
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

interface RouteSpec {
  readonly method: HttpMethod;
  readonly path: string;
  /** Why the route has no authorizer; undefined means IAM (SigV4). */
  readonly publicBecause?: string;
}

interface FunctionSpec {
  readonly description: string;
  /** The API routes to the function; none for the scheduled reconciler. */
  readonly routes: readonly RouteSpec[];
  /** Exactly the item actions the handler issues (functions/adapters/dynamodb). */
  readonly tableActions: readonly TableAction[];
  /** Actions on the recheck index. @default none */
  readonly indexActions?: readonly IndexAction[];
  /** @default 28 seconds (below API Gateway's 30 s) */
  readonly timeout?: Duration;
  /** Handlers that look payments up at PortOne read the API key pair. */
  readonly readsPortOneSecret: boolean;
  /** Handlers that verify payments log "forgery detected" and "duplicate payment detected". */
  readonly verifiesPayments: boolean;
}

const VERIFIED_AGAINST_PORTONE =
  'only two ids are read from the request, the payment is re-fetched from PortOne by imp_uid with the stack-held API key and compared with the registered order (DESIGN.md §2, I1), so an unauthenticated caller can learn or change nothing a genuine PortOne lookup would not';

/** The routes of DESIGN.md §4, each to its function. */
export const FUNCTIONS: Readonly<Record<FunctionName, FunctionSpec>> = {
  complete: {
    description: 'POST /payments/complete: verify a payment the browser reports',
    routes: [
      {
        method: HttpMethod.POST,
        path: '/payments/complete',
        publicBecause: `Public by design: the shopper's browser posts the IMP.request_pay callback result here and holds no AWS credentials; ${VERIFIED_AGAINST_PORTONE}. Stage throttling bounds abuse.`,
      },
    ],
    tableActions: READ_WRITE,
    readsPortOneSecret: true,
    verifiesPayments: true,
  },
  redirect: {
    description: 'GET /payments/complete: verify, then redirect to the result page',
    routes: [
      {
        method: HttpMethod.GET,
        path: '/payments/complete',
        publicBecause: `Public by design: this is the m_redirect_url PortOne sends the mobile browser to, which holds no AWS credentials; ${VERIFIED_AGAINST_PORTONE}; the 302 only ever goes to the configured result page. Stage throttling bounds abuse.`,
      },
    ],
    tableActions: READ_WRITE,
    readsPortOneSecret: true,
    verifiesPayments: true,
  },
  webhook: {
    description: 'POST /payments/webhook: PortOne payment notifications',
    routes: [
      {
        method: HttpMethod.POST,
        path: '/payments/webhook',
        publicBecause: `Public by design: PortOne's V1 webhook is an unsigned server-to-server POST that cannot carry SigV4 or any other credential; ${VERIFIED_AGAINST_PORTONE}. Stage throttling bounds abuse.`,
      },
    ],
    tableActions: READ_WRITE,
    readsPortOneSecret: true,
    verifiesPayments: true,
  },
  orders: {
    description:
      'POST /orders, GET /orders/{merchant_uid}, POST /orders/{merchant_uid}/cancel: trusted order registration and refunds (IAM)',
    routes: [
      { method: HttpMethod.POST, path: '/orders' },
      { method: HttpMethod.GET, path: '/orders/{merchant_uid}' },
      { method: HttpMethod.POST, path: '/orders/{merchant_uid}/cancel' },
    ],
    tableActions: READ_WRITE,
    // PORTONE_PREPARE pre-registers the amount with PortOne; refunds cancel at PortOne.
    readsPortOneSecret: true,
    verifiesPayments: false,
  },
  reconcile: {
    description: `Every ${RECONCILE_EVERY.toMinutes()} minutes: settle orders whose webhook never came`,
    routes: [],
    tableActions: READ_WRITE,
    // listDue reads the recheck index, never the table.
    indexActions: ['dynamodb:Query'],
    // Not behind API Gateway; ends before the next run starts.
    timeout: Duration.minutes(4),
    readsPortOneSecret: true,
    verifiesPayments: true,
  },
};

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

  constructor(scope: Construct, id: string, props: PaymentsStackProps = {}) {
    const config = resolveConfig(props);
    super(scope, id, {
      description: `PortOne payments (${config.stage}): HTTP API, Lambda, DynamoDB`,
      ...props,
    });
    this.config = config;
    Tags.of(this).add('project', 'portone-payments');
    Tags.of(this).add('stage', config.stage);

    // The store's key design: one item per order or orphan payment, keyed by `pk`,
    // and the sparse recheck index the reconciler reads.
    this.table = new Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The settled function announces outcomes from the stream, not from the handlers.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: RECHECK_INDEX.indexName,
      partitionKey: { name: RECHECK_INDEX.partitionKey, type: AttributeType.STRING },
      sortKey: { name: RECHECK_INDEX.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });

    this.secret = this.portOneSecret();
    this.functions = this.createFunctions();
    ({
      eventBus: this.eventBus,
      settled: this.settled,
      deadLetters: this.settledDeadLetters,
    } = this.createSettlementEvents());
    ({ api: this.api, stage: this.stage } = this.createApi());
    this.alarmTopic = this.createAlarmTopic();
    this.createAlarms();
    this.createOutputs();
  }

  /**
   * The PortOne REST API key pair, as `{"apiKey","apiSecret"}`. Created with a
   * placeholder; the merchant stores the real pair with put-secret-value.
   * Encrypted with the account's AWS-managed key (aws/secretsmanager), so IAM
   * alone decides who reads it: in this stack only the four function roles,
   * each with GetSecretValue on this secret. A customer-managed key would add a
   * second gate (its key policy) for $1/month plus a policy to maintain; the
   * value is a revocable API key pair, not data at rest worth that here.
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

  private createFunctions(): Record<FunctionName, ServiceFunction> {
    const { config } = this;
    const environment: Record<string, string> = {
      PORTONE_API_URL: config.portoneApiUrl,
      PORTONE_MODE: config.portoneMode,
      RESULT_PAGE_URL: config.resultPageUrl,
      ALLOWED_ORIGINS: config.allowedOrigins.join(','),
      ...(config.webhookAllowedIps.length > 0
        ? { WEBHOOK_ALLOWED_IPS: config.webhookAllowedIps.join(',') }
        : {}),
    };
    const create = (name: FunctionName) => {
      const spec = FUNCTIONS[name];
      const fn = new ServiceFunction(this, `${capitalize(name)}Function`, {
        name,
        description: `${spec.description} (${config.stage})`,
        environment,
        ...(spec.timeout ? { timeout: spec.timeout } : {}),
      }).useTable(this.table, spec.tableActions);
      if (spec.indexActions) {
        fn.useIndex(this.table, RECHECK_INDEX.indexName, spec.indexActions);
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
      ...(config.allowedOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...config.allowedOrigins],
              allowMethods: [CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
              allowHeaders: ['content-type'],
              maxAge: Duration.hours(1),
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
      throttle: { rateLimit: config.throttleRate, burstLimit: config.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // One JSON line per request; never the body or the query string.
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    const iam = new HttpIamAuthorizer();
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      if (FUNCTIONS[name].routes.length === 0) continue;
      // One integration per function; each route gets its own invoke permission.
      const integration = new HttpLambdaIntegration(
        `${capitalize(name)}Integration`,
        this.functions[name],
      );
      for (const spec of FUNCTIONS[name].routes) {
        const [route] = api.addRoutes({
          path: spec.path,
          methods: [spec.method],
          integration,
          ...(spec.publicBecause === undefined ? { authorizer: iam } : {}),
        }) as [HttpRoute];
        if (spec.publicBecause !== undefined) {
          Validations.of(route).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: spec.publicBecause,
          });
        }
      }
    }
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

  private createAlarms(): void {
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

    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const fn = this.functions[name];
      const id = capitalize(name);
      alarm(
        `${id}ErrorsAlarm`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `The ${name} function failed (uncaught error or timeout); see its log group`,
      );
      alarm(
        `${id}ThrottlesAlarm`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `The ${name} function was throttled: the account's Lambda concurrency is exhausted`,
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
    const verifying = (Object.keys(FUNCTIONS) as FunctionName[]).filter(
      (name) => FUNCTIONS[name].verifiesPayments,
    );
    alarm(
      'ForgeriesAlarm',
      metricFrom('ForgeriesDetected', LOG_PATTERNS.forgery, verifying),
      'A forged payment was detected (amount, currency, order or test channel mismatch) and, unless disabled, cancelled; review it in the logs and the PortOne console',
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
