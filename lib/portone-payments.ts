import { Tags } from 'aws-cdk-lib';
import type { Dashboard, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { AlarmTopic } from './alarm-topic';
import { type PaymentsConfig, type PaymentsConfigInput, resolveConfig } from './config';
import { capitalize, type FunctionName, PaymentFunction } from './payment-function';
import { PaymentsAlarms } from './payments-alarms';
import { PaymentsApi } from './payments-api';
import { PaymentsDashboard } from './payments-dashboard';
import { PaymentsTable } from './payments-table';
import { PortOneSecret } from './portone-secret';
import { ReconcileSchedule } from './reconcile-schedule';
import { SettledFunction } from './settled-function';
import { SupportQueries } from './support-queries';

/**
 * What the service is configured with: the CDK context keys of lib/config.ts,
 * typed, with the result page required. Checked when the construct is created;
 * a bad value throws a ConfigurationError that names the key.
 */
export interface PortOnePaymentsProps extends PaymentsConfigInput {
  /** Where the redirect function sends the browser (https). */
  readonly resultPageUrl: string;
}

/**
 * The whole PortOne payments service in one construct, for any stack: the
 * orders table, the PortOne secret, the payment functions and the reconciler,
 * the HTTP API, "payment settled" events on an event bus, and the alarms.
 * Its outputs are properties: the URLs to give PortOne and the checkout page,
 * and the resources to build on (grant another role access to the table, add
 * a rule to the event bus, subscribe to the alarm topic). Saved Logs
 * Insights queries, and with `dashboard` on a CloudWatch dashboard, both named
 * `PortOnePayments-<stage>`, are for the on-call and support (README,
 * Monitoring); the dashboard is opt-in because at $3 a month it is about a
 * quarter of the bill per million payments.
 */
export class PortOnePayments extends Construct {
  readonly config: PaymentsConfig;
  readonly table: PaymentsTable;
  /** The PortOne REST API key pair (and V2's secrets when on); store them with put-secret-value. */
  readonly secret: PortOneSecret;
  readonly functions: Readonly<Record<FunctionName, PaymentFunction>>;
  readonly api: PaymentsApi;
  /** Where "payment settled" events are published (SETTLED_EVENT); add rules to it. */
  readonly eventBus: EventBus;
  readonly settled: SettledFunction;
  readonly alarmTopic: AlarmTopic;
  /** See PaymentsAlarms.merchantMismatches: a metric with no alarm. */
  readonly merchantMismatches: Metric;
  /** The payment functions, the API, the table and the alarms' metrics on one page; undefined unless `dashboard` is on. */
  readonly dashboard: Dashboard | undefined;
  /** The HTTP API's base URL. */
  readonly apiUrl: string;
  /** For the PortOne console: the webhook (notification) URL. */
  readonly webhookUrl: string;
  /** For `m_redirect_url` in IMP.request_pay (mobile redirect flow). */
  readonly redirectUrl: string;
  /** Where the checkout page POSTs {imp_uid, merchant_uid} from the IMP.request_pay callback. */
  readonly completeUrl: string;
  /** Where the merchant's backend registers orders (SigV4). */
  readonly ordersUrl: string;
  /** With V2 on: for PortOne's V2 console, the webhook URL. Undefined when V2 is off. */
  readonly v2WebhookUrl: string | undefined;
  /** With V2 on: `redirectUrl` of PortOne.requestPayment (mobile redirect flow). */
  readonly v2RedirectUrl: string | undefined;
  /** With V2 on: where the checkout page POSTs {paymentId} after PortOne.requestPayment. */
  readonly v2CompleteUrl: string | undefined;

  constructor(scope: Construct, id: string, props: PortOnePaymentsProps) {
    super(scope, id);
    const config = resolveConfig(props);
    this.config = config;
    Tags.of(this).add('project', 'portone-payments');
    Tags.of(this).add('stage', config.stage);

    this.table = new PaymentsTable(this, 'Orders');
    this.secret = new PortOneSecret(this, 'PortOneApiCredentials', config);
    const paymentFunction = (name: FunctionName) =>
      new PaymentFunction(this, `${capitalize(name)}Function`, {
        name,
        config,
        table: this.table,
        secret: this.secret,
      });
    this.functions = {
      complete: paymentFunction('complete'),
      redirect: paymentFunction('redirect'),
      webhook: paymentFunction('webhook'),
      orders: paymentFunction('orders'),
      reconcile: paymentFunction('reconcile'),
    };
    new ReconcileSchedule(this, 'ReconcileSchedule', {
      reconciler: this.functions.reconcile,
      stage: config.stage,
    });
    // Every payment function reads the key pair; nothing else may.
    this.secret.restrictTo(Object.values(this.functions), config.secretAdminArns);

    this.eventBus = new EventBus(this, 'PaymentEvents', {
      eventBusName: `portone-payments-${config.stage}`,
      description: `"Payment settled" events of portone-payments (${config.stage})`,
    });
    this.settled = new SettledFunction(this, 'SettledFunction', {
      table: this.table,
      eventBus: this.eventBus,
      stage: config.stage,
    });
    this.api = new PaymentsApi(this, 'Api', { config, functions: this.functions });
    // 'Default' is left out of logical IDs: the alarms and their topic keep
    // the IDs they had before they were grouped here.
    const alarms = new PaymentsAlarms(this, 'Default', {
      config,
      functions: this.functions,
      settled: this.settled,
    });
    this.alarmTopic = alarms.topic;
    this.merchantMismatches = alarms.merchantMismatches;
    this.dashboard = config.dashboard
      ? new PaymentsDashboard(this, 'Dashboard', {
          config,
          functions: this.functions,
          settled: this.settled,
          api: this.api,
          table: this.table,
          signals: alarms.signals,
        })
      : undefined;
    new SupportQueries(this, 'SupportQueries', {
      stage: config.stage,
      functions: this.functions,
      settled: this.settled,
    });

    const endpoint = this.api.apiEndpoint;
    this.apiUrl = endpoint;
    this.webhookUrl = `${endpoint}/payments/webhook`;
    this.redirectUrl = `${endpoint}/payments/complete`;
    this.completeUrl = `${endpoint}/payments/complete`;
    this.ordersUrl = `${endpoint}/orders`;
    const v2 = config.portoneV2 === null ? undefined : `${endpoint}/v2/payments`;
    this.v2WebhookUrl = v2 && `${v2}/webhook`;
    this.v2RedirectUrl = v2 && `${v2}/complete`;
    this.v2CompleteUrl = v2 && `${v2}/complete`;
  }
}
