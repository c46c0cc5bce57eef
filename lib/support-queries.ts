import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOG_LINES } from '../functions/domain/model/log-lines';
import type { FunctionName, PaymentFunction } from './payment-function';
import { monitoringNameOf } from './payments-alarms';
import type { SettledFunction } from './settled-function';

/** What support replaces in a saved query before running it (Insights has no parameters). */
export const PLACEHOLDERS = { merchantUid: 'MERCHANT_UID', paymentId: 'IMP_UID' } as const;

type Source = FunctionName | 'settled';

/** One saved query: its name under the stage's folder, the log groups it reads, its commands. */
export interface SupportQuery {
  readonly name: string;
  readonly from: readonly Source[];
  readonly fields: readonly string[];
  /** One Insights boolean expression over the JSON fields the functions log. */
  readonly filter: string;
  readonly sort: string;
  readonly limit: number;
}

const ALL: readonly Source[] = [
  'complete',
  'redirect',
  'webhook',
  'orders',
  'reconcile',
  'settled',
];
/** Where "forgery detected" is written (FUNCTIONS[name].verifiesPayments). */
const VERIFYING: readonly Source[] = ['complete', 'redirect', 'webhook', 'reconcile'];
/** Powertools' `service` (payments-<function>) says which function wrote a line. */
const LINE = ['@timestamp', 'service', 'level', 'message'];
const IDS = ['merchant_uid', 'imp_uid', 'payment_id'];
const is = (message: string) => `message = "${message}"`;

/**
 * The saved Logs Insights queries (README, Monitoring). Field names are those
 * the handlers log: merchant_uid, imp_uid or payment_id (V2) on every line of
 * a request (functions/http/schemas.ts claimFields), http_status on "webhook
 * answered", forgery_reason on "forgery detected".
 */
export const SUPPORT_QUERIES = {
  orderStory: {
    name: 'Order story by merchant_uid',
    from: ALL,
    fields: [...LINE, ...IDS, 'route', 'result', 'outcome', 'order_status', 'http_status', 'error'],
    // payment_merchant_uid: this order's payment presented with another order.
    filter: `merchant_uid = "${PLACEHOLDERS.merchantUid}" or payment_merchant_uid = "${PLACEHOLDERS.merchantUid}"`,
    sort: '@timestamp asc',
    limit: 10_000,
  },
  payment: {
    name: 'Payment by imp_uid or payment_id',
    from: ALL,
    fields: [...LINE, ...IDS, 'route', 'result', 'outcome', 'http_status', 'error'],
    filter: `imp_uid = "${PLACEHOLDERS.paymentId}" or payment_id = "${PLACEHOLDERS.paymentId}" or current_imp_uid = "${PLACEHOLDERS.paymentId}"`,
    sort: '@timestamp asc',
    limit: 10_000,
  },
  webhook5xx: {
    name: 'Webhooks answered 5xx',
    from: ['webhook'],
    fields: [...LINE, ...IDS, 'api', 'http_status', 'result', 'api_request_id'],
    filter: `${is(LOG_LINES.webhookAnswered)} and http_status >= 500`,
    sort: '@timestamp desc',
    limit: 1000,
  },
  forgeries: {
    name: 'Forgeries detected',
    from: VERIFYING,
    fields: [...LINE, ...IDS, 'route', 'forgery_reason', 'outcome'],
    filter: is(LOG_LINES.forgeryDetected),
    sort: '@timestamp desc',
    limit: 1000,
  },
} as const satisfies Record<string, SupportQuery>;

export const queryStringOf = (query: SupportQuery) =>
  new QueryString({
    fields: [...query.fields],
    filterStatements: [query.filter],
    sort: query.sort,
    limit: query.limit,
  });

/** The dashboard's list of reconciler runs: each run logs one report line. */
export const RECONCILIATION_RUNS = [
  'fields @timestamp, due, settled, open, skipped, failed',
  `filter ${is(LOG_LINES.reconciliationFinished)}`,
  'sort @timestamp desc',
  'limit 20',
];

export interface SupportQueriesProps {
  readonly stage: string;
  readonly functions: Readonly<Record<FunctionName, PaymentFunction>>;
  readonly settled: SettledFunction;
}

/** SUPPORT_QUERIES saved in CloudWatch Logs Insights, in the folder `PortOnePayments-<stage>`. */
export class SupportQueries extends Construct {
  constructor(scope: Construct, id: string, { stage, functions, settled }: SupportQueriesProps) {
    super(scope, id);
    const logGroupOf = (source: Source): ILogGroup =>
      source === 'settled' ? settled.logGroup : functions[source].logGroup;
    for (const [key, query] of Object.entries(SUPPORT_QUERIES)) {
      new QueryDefinition(this, key, {
        queryDefinitionName: `${monitoringNameOf(stage)}/${query.name}`,
        queryString: queryStringOf(query),
        logGroups: query.from.map(logGroupOf),
      });
    }
  }
}
