import {
  billedMsAt,
  PAYMENT_FUNCTIONS,
  type PaymentFunction,
  type PaymentProfile,
} from './payment-profile';
import type { TemplateFigures } from './template-figures';

/**
 * US East (N. Virginia) list prices, December 2026, without the free tier
 * (aws.amazon.com/<service>/pricing). Everything else in the model is
 * measured by the bench or counted in the synthesized template.
 */
export const ALL_IN_PRICES = {
  httpApiPerMillionRequests: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaArm64PerGbSecond: 0.0000133334,
  dynamoDbPerMillionWriteUnits: 0.625,
  dynamoDbPerMillionReadUnits: 0.125,
  dynamoDbStoragePerGbMonth: 0.25,
  pitrPerGbMonth: 0.2,
  logsIngestedStandardPerGb: 0.5,
  logsIngestedInfrequentAccessPerGb: 0.25,
  logsStoredPerGbMonth: 0.03,
  alarmPerMetricMonth: 0.1,
  compositeAlarmMonth: 0.5,
  customMetricMonth: 0.3,
  dashboardMonth: 3.0,
  secretMonth: 0.4,
  secretsPer10kCalls: 0.05,
  eventBridgePerMillionEvents: 1.0,
} as const;

/**
 * What the model takes as given rather than measures, each stated in the
 * report: Lambda's platform lines (START, END, REPORT, as Lambda writes them
 * in its text format), how often a container starts (and reads the secret),
 * and the work outside the request path (the reconciler, the settled stream).
 */
export const ALL_IN_INPUTS = {
  payments: 1_000_000,
  /** Bytes Lambda itself writes per invocation in the text log format: START 98, END 81, REPORT about 180. */
  platformLogBytesPerInvocation: 359,
  /** One cold start (one secret read) per 100 invocations. */
  coldStartsPerInvocation: 0.01,
  /** Every 5 minutes (lib/reconcile-schedule.ts): 8,640 runs, 4 index queries each when nothing is due, about 100 ms at 256 MB. */
  reconcilerRunsPerMonth: 8_640,
  reconcilerReadUnitsPerRun: 2,
  reconcilerBilledMs: 100,
  /** At most one `settled` invocation per payment (one PutEvents), about 50 ms billed at its memory. */
  settledBilledMs: 50,
  /** Function logs are kept 30 days, access logs 90 (lib/service-function.ts, lib/payments-api.ts). */
  functionLogMonths: 1,
  accessLogMonths: 3,
} as const;

export interface CostLine {
  name: string;
  quantity: string;
  price: string;
  usd: number;
}

export interface AllInCost {
  /** US dollars per million card payments in a month of a million payments: the headline. */
  allIn: number;
  order: PaymentProfile['order'];
  lines: CostLine[];
  /** Of `allIn`, what a month costs with no payment at all. */
  fixed: number;
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const GB = 1e9;

/**
 * Billed milliseconds of one invocation of each payment function at the
 * memory the template gives it. The bench's own figure (handler time, CPU
 * stretched by bench/lambda-model.ts, rounded up) unless a Lambda duration
 * model supplies its own: the one argument to plug it in.
 */
export type BilledMs = Partial<Record<PaymentFunction, number>>;

export const allInCost = (
  profile: PaymentProfile,
  template: TemplateFigures,
  billedMs: BilledMs = {},
): AllInCost => {
  const p = ALL_IN_PRICES;
  const i = ALL_IN_INPUTS;
  const million = i.payments / 1e6;
  const memoryOf = (name: string) =>
    template.memoryMb[name[0]?.toUpperCase() + name.slice(1)] ?? 128;
  const billed = (name: PaymentFunction) =>
    billedMs[name] ?? billedMsAt(profile.functions[name], memoryOf(name));
  const invocationsPerPayment = PAYMENT_FUNCTIONS.reduce(
    (sum, name) => sum + profile.functions[name].invocations,
    0,
  );
  const requestsPerPayment = invocationsPerPayment + profile.preflights;
  const gbSecondsPerPayment =
    PAYMENT_FUNCTIONS.reduce((sum, name) => {
      const f = profile.functions[name];
      return sum + f.invocations * (billed(name) / 1000) * (memoryOf(name) / 1024);
    }, 0) +
    (i.settledBilledMs / 1000) * (memoryOf('settled') / 1024);
  const reconcilerGbSeconds =
    i.reconcilerRunsPerMonth * (i.reconcilerBilledMs / 1000) * (memoryOf('reconcile') / 1024);
  // Lambda writes START and REPORT at INFO: none when a function's system log level is WARN.
  const platformBytesOf = (name: string) =>
    (template.systemLogLevel[name[0]?.toUpperCase() + name.slice(1)] ?? 'INFO') === 'WARN'
      ? 0
      : i.platformLogBytesPerInvocation;
  const functionLogBytes =
    PAYMENT_FUNCTIONS.reduce((sum, name) => {
      const f = profile.functions[name];
      return sum + f.invocations * (f.logBytes + platformBytesOf(name));
    }, 0) +
    profile.settled.logBytes +
    platformBytesOf('settled');
  const accessLogBytes = requestsPerPayment * profile.accessLogBytes;
  const accessIngest =
    template.accessLogClass === 'INFREQUENT_ACCESS'
      ? p.logsIngestedInfrequentAccessPerGb
      : p.logsIngestedStandardPerGb;
  const functionLogGb = (functionLogBytes * i.payments) / GB;
  const accessLogGb = (accessLogBytes * i.payments) / GB;
  const storageGb = (profile.orderItemBytes * i.payments) / GB;
  const secretReads = (invocationsPerPayment + 1) * i.payments * i.coldStartsPerInvocation;
  const lambdaInvocations = (invocationsPerPayment + 1) * i.payments + i.reconcilerRunsPerMonth;
  const alwaysMetrics = template.metricFiltersAlwaysPublishing;

  const lines: CostLine[] = [
    {
      name: 'HTTP API requests',
      quantity: `${n(requestsPerPayment, 2)} per payment (${n(invocationsPerPayment, 2)} routed + ${profile.preflights} CORS preflight${profile.preflights ? '' : ": the page's POST to complete is a simple request"})`,
      price: `$${p.httpApiPerMillionRequests} per million`,
      usd: requestsPerPayment * million * p.httpApiPerMillionRequests,
    },
    {
      name: 'Lambda requests',
      quantity: `${n(lambdaInvocations / 1e6, 2)} M (orders, complete, webhook, settled; ${n(i.reconcilerRunsPerMonth)} reconciler runs)`,
      price: `$${p.lambdaPerMillionRequests} per million`,
      usd: (lambdaInvocations / 1e6) * p.lambdaPerMillionRequests,
    },
    {
      name: 'Lambda duration (arm64)',
      quantity: `${n(gbSecondsPerPayment * i.payments + reconcilerGbSeconds)} GB-s: ${PAYMENT_FUNCTIONS.map((name) => `${name} ${billed(name)} ms at ${memoryOf(name)} MB`).join(', ')}; settled ${i.settledBilledMs} ms`,
      price: `$${p.lambdaArm64PerGbSecond} per GB-s`,
      usd: (gbSecondsPerPayment * i.payments + reconcilerGbSeconds) * p.lambdaArm64PerGbSecond,
    },
    {
      name: 'DynamoDB writes (on-demand)',
      quantity: `${n(profile.writeUnits, 2)} WRU per payment, ${n(profile.indexWriteUnits, 2)} of them on the recheck index`,
      price: `$${p.dynamoDbPerMillionWriteUnits} per million`,
      usd: profile.writeUnits * million * p.dynamoDbPerMillionWriteUnits,
    },
    {
      name: 'DynamoDB reads',
      quantity: `${n(profile.readUnits, 2)} RRU per payment + ${n(i.reconcilerRunsPerMonth * i.reconcilerReadUnitsPerRun)} for the reconciler`,
      price: `$${p.dynamoDbPerMillionReadUnits} per million`,
      usd:
        ((profile.readUnits * i.payments + i.reconcilerRunsPerMonth * i.reconcilerReadUnitsPerRun) /
          1e6) *
        p.dynamoDbPerMillionReadUnits,
    },
    {
      name: 'DynamoDB storage + point-in-time recovery',
      quantity: `${n(storageGb, 2)} GB more per month, cumulative (${n(profile.orderItemBytes)} bytes per paid order item, overhead included)`,
      price: `$${p.dynamoDbStoragePerGbMonth} + $${p.pitrPerGbMonth} per GB-month`,
      usd: storageGb * (p.dynamoDbStoragePerGbMonth + p.pitrPerGbMonth),
    },
    {
      name: 'CloudWatch Logs ingestion, functions',
      quantity: `${n(functionLogBytes)} bytes per payment (${PAYMENT_FUNCTIONS.map((name) => `${name} ${n(profile.functions[name].logLines, 1)} lines`).join(', ')}, settled ${n(profile.settled.logLines)} (${n(profile.settled.logBytes)} B); Lambda's START/REPORT ${platformBytesOf('webhook') === 0 ? 'dropped (system log level WARN)' : 'included'}): ${n(functionLogGb, 2)} GB`,
      price: `$${p.logsIngestedStandardPerGb} per GB`,
      usd: functionLogGb * p.logsIngestedStandardPerGb,
    },
    {
      name: `CloudWatch Logs ingestion, access log (${template.accessLogClass === 'INFREQUENT_ACCESS' ? 'infrequent access' : 'standard'} class)`,
      quantity: `${n(profile.accessLogBytes)} bytes per request: ${n(accessLogGb, 2)} GB`,
      price: `$${accessIngest} per GB`,
      usd: accessLogGb * accessIngest,
    },
    {
      name: 'CloudWatch Logs storage',
      quantity: `${n(functionLogGb * i.functionLogMonths + accessLogGb * i.accessLogMonths, 1)} GB at most (retention; stored compressed)`,
      price: `$${p.logsStoredPerGbMonth} per GB-month`,
      usd:
        (functionLogGb * i.functionLogMonths + accessLogGb * i.accessLogMonths) *
        p.logsStoredPerGbMonth,
    },
    {
      name: 'Secrets Manager',
      quantity: `${template.secrets} secret, ${n(secretReads)} reads (one per cold start)`,
      price: `$${p.secretMonth} per secret, $${p.secretsPer10kCalls} per 10,000 calls`,
      usd: template.secrets * p.secretMonth + (secretReads / 1e4) * p.secretsPer10kCalls,
    },
    {
      name: 'CloudWatch alarms',
      quantity: `${template.alarms} metric alarms (${template.alarmMetrics} metrics)${template.compositeAlarms ? ` + ${template.compositeAlarms} composite` : ''}`,
      price: `$${p.alarmPerMetricMonth} per alarm metric${template.compositeAlarms ? `, $${p.compositeAlarmMonth} per composite` : ''}`,
      usd:
        template.alarmMetrics * p.alarmPerMetricMonth +
        template.compositeAlarms * p.compositeAlarmMonth,
    },
    {
      name: 'Custom metrics (log metric filters)',
      quantity: `${template.metricFilters} filters; ${alwaysMetrics} publish when nothing matches (the others only in a month with a forgery, a duplicate, a webhook 5xx...)`,
      price: `$${p.customMetricMonth} per metric-month`,
      usd: alwaysMetrics * p.customMetricMonth,
    },
    {
      name: 'CloudWatch dashboard',
      quantity: `${template.dashboards}`,
      price: `$${p.dashboardMonth} each (free if among the account's first three)`,
      usd: template.dashboards * p.dashboardMonth,
    },
    {
      name: 'EventBridge "payment settled" events',
      quantity: '1 per payment',
      price: `$${p.eventBridgePerMillionEvents} per million`,
      usd: million * p.eventBridgePerMillionEvents,
    },
  ];
  const fixed =
    template.secrets * p.secretMonth +
    template.alarmMetrics * p.alarmPerMetricMonth +
    template.compositeAlarms * p.compositeAlarmMonth +
    alwaysMetrics * p.customMetricMonth +
    template.dashboards * p.dashboardMonth;
  return {
    allIn: lines.reduce((sum, line) => sum + line.usd, 0),
    order: profile.order,
    lines,
    fixed,
  };
};
