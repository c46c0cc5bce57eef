import { Aws, Duration, Tags } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  LogQueryWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { PaymentsConfig } from './config';
import { FUNCTION_NAMES, type FunctionName, type PaymentFunction } from './payment-function';
import { monitoringNameOf, type PaymentSignals } from './payments-alarms';
import type { SettledFunction } from './settled-function';
import { RECONCILIATION_RUNS } from './support-queries';

/** The alarms' period: a graph point is what an alarm evaluates. */
const FIVE_MINUTES = Duration.minutes(5);
const FULL = 24;
const HALF = 12;
const THIRD = 8;

/** Where the CloudWatch console opens a dashboard, in the stack's region. */
export const dashboardUrlOf = (name: string) =>
  `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${name}`;

export interface PaymentsDashboardProps {
  readonly config: PaymentsConfig;
  readonly functions: Readonly<Record<FunctionName, PaymentFunction>>;
  readonly settled: SettledFunction;
  readonly api: IHttpApi;
  readonly table: ITable;
  readonly signals: PaymentSignals;
}

const graph = (title: string, width: number, left: IMetric[], right: IMetric[] = []) =>
  new GraphWidget({ title, width, height: 6, left, right });

/**
 * One page for the on-call: first what pages (the log-line metrics the alarms
 * watch), then the edge (API Gateway), then each function, the table and the
 * reconciler's runs. Every metric is the alarms' own object or its function's
 * standard one, so the graphs and the alarms cannot disagree.
 */
export class PaymentsDashboard extends Dashboard {
  constructor(scope: Construct, id: string, props: PaymentsDashboardProps) {
    super(scope, id, {
      dashboardName: monitoringNameOf(props.config.stage),
      defaultInterval: Duration.hours(6),
    });
    // Untagged: dashboard tags are newer than the CloudFormation schema that
    // cfn-lint (and perhaps a region) knows, so the construct's tags stop here;
    // the dashboard is named after the stage instead.
    for (const key of ['project', 'stage']) Tags.of(this).remove(key);
    const { signals, api, table, settled } = props;
    this.addWidgets(
      new TextWidget({
        width: FULL,
        height: 2,
        markdown: `## PortOne payments (${props.config.stage})\nThe top row is what the alarms count. Saved Logs Insights queries for support: folder \`${monitoringNameOf(props.config.stage)}\` (README, Monitoring).`,
      }),
    );
    this.addWidgets(
      graph('Webhook answered 5xx (PortOne retries)', THIRD, [signals.webhook5xx]),
      graph('Forgeries, duplicates, merchant mismatches', THIRD, [
        signals.forgeries,
        signals.duplicatePayments,
        signals.merchantMismatches,
      ]),
      graph('A person must act: cancellations rejected, items too large', THIRD, [
        signals.cancellationsRejected,
        signals.itemsTooLarge,
      ]),
    );
    this.addWidgets(
      graph('API answers 4xx / 5xx', HALF, [
        api.metricClientError({ period: FIVE_MINUTES }),
        api.metricServerError({ period: FIVE_MINUTES }),
      ]),
      graph('API latency p50 / p99', HALF, [
        api.metricLatency({ period: FIVE_MINUTES, statistic: 'p50' }),
        api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
      ]),
    );
    for (const name of FUNCTION_NAMES) this.addWidgets(...functionRow(name, props.functions[name]));
    this.addWidgets(
      ...functionRow('settled', settled),
      graph('settled: stream iterator age (max)', HALF, [
        settled.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
      ]),
      graph('settled: dead letters', HALF, [
        settled.deadLetters.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
      ]),
    );
    this.addWidgets(
      graph('Orders table: throttled reads / writes', HALF, [
        table.metric('ReadThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
        table.metric('WriteThrottleEvents', { period: FIVE_MINUTES, statistic: 'Sum' }),
      ]),
      // The run's own report line: how many orders were due and what became of them.
      new LogQueryWidget({
        title: "Reconciler's runs (latest first)",
        width: HALF,
        height: 6,
        logGroupNames: [props.functions.reconcile.logGroup.logGroupName],
        queryLines: RECONCILIATION_RUNS,
      }),
    );
  }
}

/** Invocations, errors and throttles, and duration p50 / p99, of one function. */
const functionRow = (name: string, fn: PaymentFunction | SettledFunction): [IWidget, IWidget] => {
  const sum = { period: FIVE_MINUTES, statistic: 'Sum' };
  return [
    graph(`${name}: invocations / errors / throttles`, HALF, [
      fn.metricInvocations(sum),
      fn.metricErrors(sum),
      fn.metricThrottles(sum),
    ]),
    graph(`${name}: duration p50 / p99`, HALF, [
      fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p50' }),
      fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99' }),
    ]),
  ];
};
