import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../lib/app';

/**
 * What the synthesized stack bills by the month whatever the traffic, and the
 * memory each function runs at: counted from the CloudFormation template that
 * `cdk deploy` would create (the default configuration, bundling skipped), so
 * the cost model never prices a list typed by hand.
 */
export interface TemplateFigures {
  /** Lambda functions by logical id prefix (Complete, Webhook, ...), with their MemorySize. */
  memoryMb: Record<string, number>;
  /** Lambda's own log level per function (LoggingConfig.SystemLogLevel; INFO, Lambda's default, writes START and REPORT). */
  systemLogLevel: Record<string, string>;
  /** Metric alarms and the number of metrics each watches (CloudWatch bills per alarm metric). */
  alarms: number;
  alarmMetrics: number;
  compositeAlarms: number;
  /** Log metric filters: each publishes a custom metric, billed only in months it publishes. */
  metricFilters: number;
  /** Metric filters that publish a value (0) even when nothing matches, so are billed every month. */
  metricFiltersAlwaysPublishing: number;
  dashboards: number;
  secrets: number;
  /** Log groups by class (STANDARD unless the template says otherwise). */
  logGroups: { standard: number; infrequentAccess: number };
  /** The API's access log group is in this class. */
  accessLogClass: 'STANDARD' | 'INFREQUENT_ACCESS';
  schedules: number;
  eventBuses: number;
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped
type Resources = Record<string, { Type: string; Properties?: any }>;

export const synthesizedTemplate = (): Resources => {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8'));
    const { stack } = buildApp({
      nag: false,
      outdir,
      context: {
        ...cdkJson.context,
        'aws:cdk:bundling-stacks': [],
        resultPageUrl: 'https://shop.example/payments/result',
      },
    });
    return Template.fromStack(stack).toJSON().Resources as Resources;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

export const figuresOf = (resources: Resources): TemplateFigures => {
  const all = Object.entries(resources);
  const ofType = (type: string) => all.filter(([, r]) => r.Type === type);
  const memoryMb: Record<string, number> = {};
  const systemLogLevel: Record<string, string> = {};
  for (const [id, r] of ofType('AWS::Lambda::Function')) {
    // Logical ids read `<Name>Function<hash>` for ours; CDK's own helpers have other names.
    const name = id.match(/^(?:PortOnePayments)?([A-Z][a-z]+)Function[0-9A-F]{8}$/)?.[1] ?? id;
    memoryMb[name] = r.Properties?.MemorySize ?? 128;
    systemLogLevel[name] = r.Properties?.LoggingConfig?.SystemLogLevel ?? 'INFO';
  }
  const alarms = ofType('AWS::CloudWatch::Alarm');
  const metricsOf = (props: { Metrics?: { MetricStat?: unknown }[] } | undefined) =>
    props?.Metrics ? props.Metrics.filter((m) => m.MetricStat !== undefined).length : 1;
  const filters = ofType('AWS::Logs::MetricFilter');
  const groups = ofType('AWS::Logs::LogGroup');
  const classOf = (r: { Properties?: { LogGroupClass?: string } }) =>
    r.Properties?.LogGroupClass === 'INFREQUENT_ACCESS' ? 'INFREQUENT_ACCESS' : 'STANDARD';
  const accessLogGroup = ofType('AWS::ApiGatewayV2::Stage')
    .map(([, stage]) => stage.Properties?.AccessLogSettings?.DestinationArn?.['Fn::GetAtt']?.[0])
    .find((id): id is string => typeof id === 'string');
  const accessLog = accessLogGroup ? resources[accessLogGroup] : undefined;
  return {
    memoryMb,
    systemLogLevel,
    alarms: alarms.length,
    alarmMetrics: alarms.reduce((sum, [, r]) => sum + metricsOf(r.Properties), 0),
    compositeAlarms: ofType('AWS::CloudWatch::CompositeAlarm').length,
    metricFilters: filters.length,
    metricFiltersAlwaysPublishing: filters.filter(([, r]) =>
      (r.Properties?.MetricTransformations ?? []).some(
        (t: { DefaultValue?: number }) => t.DefaultValue !== undefined,
      ),
    ).length,
    dashboards: ofType('AWS::CloudWatch::Dashboard').length,
    secrets: ofType('AWS::SecretsManager::Secret').length,
    logGroups: {
      standard: groups.filter(([, r]) => classOf(r) === 'STANDARD').length,
      infrequentAccess: groups.filter(([, r]) => classOf(r) === 'INFREQUENT_ACCESS').length,
    },
    accessLogClass: accessLog ? classOf(accessLog) : 'STANDARD',
    schedules:
      ofType('AWS::Events::Rule').filter(([, r]) => r.Properties?.ScheduleExpression).length +
      ofType('AWS::Scheduler::Schedule').length,
    eventBuses: ofType('AWS::Events::EventBus').length,
  };
};

if (require.main === module) console.log(JSON.stringify(figuresOf(synthesizedTemplate()), null, 2));
