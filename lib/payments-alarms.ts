import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOG_LINES } from '../functions/domain/model/log-lines';
import { AlarmTopic } from './alarm-topic';
import type { PaymentsConfig } from './config';
import {
  capitalize,
  FUNCTION_NAMES,
  FUNCTIONS,
  type FunctionName,
  type PaymentFunction,
} from './payment-function';
import type { SettledFunction } from './settled-function';

/** Custom metrics from the functions' structured logs. */
export const METRIC_NAMESPACE = 'PortOnePayments';

/**
 * `PortOnePayments-prod`: the dashboard's name and the saved queries' folder,
 * like the metric namespace `PortOnePayments/prod`, so one stage's monitoring
 * is found under one word.
 */
export const monitoringNameOf = (stage: string) => `${METRIC_NAMESPACE}-${stage}`;

/**
 * Each log line the functions write is one JSON object (Powertools Logger);
 * the messages come from their one owner, so a reworded line cannot silently
 * stop an alarm.
 */
const is = (message: string) => `$.message = "${message}"`;
export const LOG_PATTERNS = {
  webhook5xx: `{ ${is(LOG_LINES.webhookAnswered)} && $.http_status >= 500 }`,
  forgery: `{ ${is(LOG_LINES.forgeryDetected)} }`,
  // Refused, nothing changes: a metric, no alarm.
  merchantMismatch: `{ ${is(LOG_LINES.merchantMismatch)} }`,
  duplicatePayment: `{ ${is(LOG_LINES.duplicatePayment)} }`,
  cancellationRejected: `{ ${is(LOG_LINES.cancellationRejected)} }`,
  itemTooLarge: `{ ${is(LOG_LINES.itemTooLarge)} }`,
} as const;

const FIVE_MINUTES = Duration.minutes(5);

/** The log-line metrics of the alarms, for the dashboard (lib/payments-dashboard.ts). */
export interface PaymentSignals {
  readonly webhook5xx: Metric;
  readonly forgeries: Metric;
  readonly duplicatePayments: Metric;
  readonly merchantMismatches: Metric;
  readonly cancellationsRejected: Metric;
  readonly itemsTooLarge: Metric;
}

export interface PaymentsAlarmsProps {
  readonly config: PaymentsConfig;
  readonly functions: Readonly<Record<FunctionName, PaymentFunction>>;
  readonly settled: SettledFunction;
}

/** The alarm topic and the alarms that notify it, each at 1 or more in 5 minutes. */
export class PaymentsAlarms extends Construct {
  readonly topic: AlarmTopic;
  /**
   * Real imp_uids presented with another order's merchant_uid (refused, nothing
   * changed). A metric without an alarm; add one on it if you want to be told.
   */
  readonly merchantMismatches: Metric;
  /** The same metrics the alarms watch, so that a dashboard shows what pages. */
  readonly signals: PaymentSignals;
  private readonly config: PaymentsConfig;
  private readonly functions: Readonly<Record<FunctionName, PaymentFunction>>;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, { config, functions, settled }: PaymentsAlarmsProps) {
    super(scope, id);
    this.config = config;
    this.functions = functions;
    this.topic = new AlarmTopic(this, 'AlarmTopic', config);
    this.action = new SnsAction(this.topic);

    for (const name of FUNCTION_NAMES) {
      this.alarm(
        `${capitalize(name)}ErrorsAlarm`,
        functions[name].metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `The ${name} function failed (uncaught error or timeout); see its log group`,
      );
    }
    // One alarm on the account's Throttles rather than one per function: an
    // unreserved function is throttled for one reason only, the account's
    // concurrency (shared by all of them) running out, and CloudWatch bills
    // each alarm metric ($0.10 a month), so five alarms told one thing five
    // times. Each function's Throttles metric (dashboard) says which.
    this.alarm(
      'LambdaThrottlesAlarm',
      LambdaFunction.metricAllThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
      "A Lambda function in this account was throttled: the account's concurrency, shared by every function (ours included), is exhausted; each function's Throttles metric says which; raise the quota",
    );
    // A reserved webhook is throttled at its own limit, which the account alarm
    // also sees; this one says which limit to raise.
    const reserved = config.webhookReservedConcurrency;
    if (reserved !== undefined) {
      this.alarm(
        'WebhookThrottlesAlarm',
        functions.webhook.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        `The webhook function was throttled: its reserved concurrency (${reserved}, context webhookReservedConcurrency) is exhausted`,
      );
    }

    // No alarm on the settled function's Errors: a failure it reports is
    // retried from the stream, and one that lasts shows as IteratorAge below,
    // so an alarm at 1 error would page for an EventBridge hiccup that the
    // retry already fixed.
    new Alarm(this, 'SettledIteratorAgeAlarm', {
      alarmDescription: `"Payment settled" events are more than 5 minutes late: EventBridge refuses them or the settled function fails (portone-payments ${config.stage})`,
      metric: settled.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
      threshold: FIVE_MINUTES.toMilliseconds(),
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(this.action);
    this.alarm(
      'SettledDeadLettersAlarm',
      settled.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: 'Maximum',
      }),
      '"Payment settled" events were given up after 24 hours of failures; republish them from the orders\' settled stamps (README)',
    );

    // From the webhook's own log line rather than API Gateway's 5xx metric: that
    // one is per API (per route only with paid detailed metrics), so it would
    // also count the complete route's 502s. Crashes and timeouts, which write
    // no "webhook answered" line, raise the webhook's Errors alarm instead.
    const webhook5xx = this.metricFrom('Webhook5xx', LOG_PATTERNS.webhook5xx, ['webhook']);
    this.alarm(
      'Webhook5xxAlarm',
      webhook5xx,
      'The webhook answered PortOne with a 5xx (PortOne or DynamoDB unreachable); PortOne retries, but check the webhook log group',
    );
    const verifying = FUNCTION_NAMES.filter((name) => FUNCTIONS[name].verifiesPayments);
    const forgeries = this.metricFrom('ForgeriesDetected', LOG_PATTERNS.forgery, verifying);
    this.alarm(
      'ForgeriesAlarm',
      forgeries,
      'A forged payment was detected (amount, currency, order or test channel mismatch) and, unless disabled, cancelled; review it in the logs and the PortOne console',
    );
    // Someone presented a real payment's imp_uid with another order's
    // merchant_uid. The request is refused and neither order nor payment
    // changes, so there is nothing for a person to do: an alarm at 1 would page
    // for a shopper's stale tab or a client bug. Counted apart from forgeries
    // (the ForgeriesAlarm keeps meaning "a payment was cancelled as forged"),
    // as a metric only, to look at or alarm on (merchantMismatches) if it ever
    // rises; a flood of them is bounded by the browser and webhook route
    // throttles like any other request.
    this.merchantMismatches = this.metricFrom(
      'MerchantMismatches',
      LOG_PATTERNS.merchantMismatch,
      verifying,
    );
    const duplicatePayments = this.metricFrom(
      'DuplicatePaymentsDetected',
      LOG_PATTERNS.duplicatePayment,
      verifying,
    );
    this.alarm(
      'DuplicatePaymentsAlarm',
      duplicatePayments,
      'An order was paid twice; the second payment was flagged and, unless disabled, cancelled',
    );
    // Refunds come through the orders function too.
    const cancelling = [...verifying, 'orders' as const];
    const cancellationsRejected = this.metricFrom(
      'CancellationsRejected',
      LOG_PATTERNS.cancellationRejected,
      cancelling,
    );
    this.alarm(
      'CancellationsRejectedAlarm',
      cancellationsRejected,
      'PortOne refused a cancellation or refund for good, or accepted one and never showed the money returned within 7 days; the order view (attempts[].cancellation, refunds[]) has the message; act in the PortOne console',
    );
    const itemsTooLarge = this.metricFrom(
      'OrderItemTooLarge',
      LOG_PATTERNS.itemTooLarge,
      cancelling,
    );
    this.alarm(
      'OrderItemTooLargeAlarm',
      itemsTooLarge,
      "An order item reached DynamoDB's 400 KB and can no longer be written; find the order in the log line and repair it",
    );
    this.signals = {
      webhook5xx,
      forgeries,
      duplicatePayments,
      merchantMismatches: this.merchantMismatches,
      cancellationsRejected,
      itemsTooLarge,
    };
  }

  private alarm(id: string, metric: IMetric, description: string): Alarm {
    const created = new Alarm(this, id, {
      alarmDescription: `${description} (portone-payments ${this.config.stage})`,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(this.action);
    return created;
  }

  /** One metric, counted by a filter on the log group of each function of `from`. */
  private metricFrom(metricName: string, pattern: string, from: readonly FunctionName[]): Metric {
    const namespace = `${METRIC_NAMESPACE}/${this.config.stage}`;
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
  }
}
