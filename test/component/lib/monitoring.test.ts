import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StorageUnavailableError } from '../../../functions/domain/model/errors';
import { LOG_LINES } from '../../../functions/domain/model/log-lines';
import { reconcile } from '../../../functions/domain/use-cases/reconcile';
import { createWebhookHandler } from '../../../functions/webhook/webhook';
import { PLACEHOLDERS, SUPPORT_QUERIES } from '../../../lib/support-queries';
import { httpEvent } from '../../support/http-event';
import { aPayment } from '../../support/payments';
import { aWorld, type World } from '../../support/world';
import { dashboardBodyOf, insightsFilterKeeps } from './support/insights';
import {
  FUNCTIONS,
  functionsOf,
  type Json,
  onlyId,
  removeOutdirs,
  resources,
  synth,
  VERIFYING_FUNCTIONS,
} from './support/template';

// Synthesizing takes longer than vitest's defaults on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
afterAll(removeOutdirs);

let template: Template;
/** The same stack with the opt-in dashboard (context `dashboard`). */
let withDashboard: Template;
beforeAll(() => {
  template = synth().template;
  withDashboard = synth({ dashboard: true }).template;
});

/** Settled included: functionsOf finds any function by the start of its logical id. */
const logGroupOf = (name: string) =>
  (functionsOf(template, [name])[0] as Json).props.LoggingConfig.LogGroup;

/** Each graphed metric as "namespace name dimension=value… stat", tokens as {{id}}. */
const dashboard = () => {
  const resource = Object.values(resources(withDashboard, 'AWS::CloudWatch::Dashboard'))[0] as Json;
  const body = dashboardBodyOf(resource.Properties.DashboardBody);
  const widgets = body.widgets as Json[];
  const metrics = widgets
    .filter((w) => w.type === 'metric')
    .flatMap((w) => w.properties.metrics as Json[][])
    .map((m) => {
      const options = m[m.length - 1] as Json;
      const [namespace, name, ...dimensions] = m.slice(0, -1) as string[];
      const pairs = [];
      for (let i = 0; i < dimensions.length; i += 2)
        pairs.push(`${dimensions[i]}=${dimensions[i + 1]}`);
      return [namespace, name, ...pairs, options.stat].join(' ');
    });
  return { name: resource.Properties.DashboardName, widgets, metrics };
};

describe('the dashboard', () => {
  it('is off by default: no dashboard, no URL output, the alarms and saved queries still there', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Object.keys(template.findOutputs('DashboardUrl'))).toEqual([]);
    expect(Object.keys(resources(template, 'AWS::CloudWatch::Alarm')).length).toBe(
      Object.keys(resources(withDashboard, 'AWS::CloudWatch::Alarm')).length,
    );
    expect(Object.keys(resources(template, 'AWS::Logs::QueryDefinition')).length).toBe(
      Object.keys(SUPPORT_QUERIES).length,
    );
    expect(template.findOutputs('SupportQueriesFolder').SupportQueriesFolder?.Value).toBe(
      'PortOnePayments-prod',
    );
  });

  it('is one dashboard named after the stage with -c dashboard=true, its URL an output', () => {
    expect(dashboard().name).toBe('PortOnePayments-prod');
    synth({ stage: 'staging', dashboard: 'true' }).template.hasResourceProperties(
      'AWS::CloudWatch::Dashboard',
      { DashboardName: 'PortOnePayments-staging' },
    );
    const url = withDashboard.findOutputs('DashboardUrl').DashboardUrl?.Value[
      'Fn::Join'
    ][1] as Json[];
    expect(url).toContainEqual({ Ref: onlyId(withDashboard, 'AWS::CloudWatch::Dashboard') });
    expect(url.join('')).toContain('#dashboards:name=');
  });

  it('graphs invocations, errors, throttles and duration p50/p99 of every function', () => {
    const { metrics } = dashboard();
    for (const { id } of functionsOf(template, [...FUNCTIONS, 'Settled'])) {
      const fn = `FunctionName={{${id}}}`;
      expect(metrics).toEqual(
        expect.arrayContaining([
          `AWS/Lambda Invocations ${fn} Sum`,
          `AWS/Lambda Errors ${fn} Sum`,
          `AWS/Lambda Throttles ${fn} Sum`,
          `AWS/Lambda Duration ${fn} p50`,
          `AWS/Lambda Duration ${fn} p99`,
        ]),
      );
    }
  });

  it('graphs the metrics the log-line alarms watch, from the same namespace and name', () => {
    const { metrics } = dashboard();
    const watched = Object.values(resources(template, 'AWS::CloudWatch::Alarm'))
      .map((a) => a.Properties)
      .filter((p) => p.Namespace === 'PortOnePayments/prod')
      .map((p) => `${p.Namespace} ${p.MetricName} ${p.Statistic}`);
    expect(watched).toEqual(
      expect.arrayContaining([
        'PortOnePayments/prod Webhook5xx Sum',
        'PortOnePayments/prod ForgeriesDetected Sum',
      ]),
    );
    expect(metrics).toEqual(expect.arrayContaining(watched));
    expect(metrics).toContain('PortOnePayments/prod MerchantMismatches Sum');
    // README, Cost: a dashboard's price depends on its metric count.
    expect(metrics).toHaveLength(44);
  });

  it('graphs API Gateway 4xx, 5xx and latency, and the table throttles', () => {
    const api = `ApiId={{${onlyId(template, 'AWS::ApiGatewayV2::Api')}}}`;
    const table = `TableName={{${onlyId(template, 'AWS::DynamoDB::Table')}}}`;
    expect(dashboard().metrics).toEqual(
      expect.arrayContaining([
        `AWS/ApiGateway 4xx ${api} Sum`,
        `AWS/ApiGateway 5xx ${api} Sum`,
        `AWS/ApiGateway Latency ${api} p50`,
        `AWS/ApiGateway Latency ${api} p99`,
        `AWS/DynamoDB ReadThrottleEvents ${table} Sum`,
        `AWS/DynamoDB WriteThrottleEvents ${table} Sum`,
      ]),
    );
  });

  it("lists the reconciler's runs from its report line, in the reconciler's log group", async () => {
    const logs = dashboard().widgets.filter((w) => w.type === 'log');
    expect(logs).toHaveLength(1);
    const { query } = logs[0].properties;
    const reconcilerLogs = logGroupOf('Reconcile').Ref;
    expect(query).toContain(`SOURCE '{{${reconcilerLogs}}}'`);
    expect(query).toContain(`filter message = "${LOG_LINES.reconciliationFinished}"`);
    // The fields it shows are the report's.
    const w = aWorld();
    await reconcile(w.deps);
    const report = w.log.lines.find((l) => l.message === LOG_LINES.reconciliationFinished);
    for (const field of ['due', 'settled', 'open', 'skipped', 'failed']) {
      expect(report).toHaveProperty(field);
      expect(query).toContain(field);
    }
  });
});

describe('the saved Logs Insights queries', () => {
  const definitions = () =>
    Object.values(resources(template, 'AWS::Logs::QueryDefinition')).map((d) => d.Properties);
  const named = (name: string) =>
    definitions().find((d) => d.Name === `PortOnePayments-prod/${name}`) as Json;

  it('are saved in the stage folder, each over the log groups whose lines it looks for', () => {
    expect(
      definitions()
        .map((d) => d.Name)
        .sort(),
    ).toEqual([
      'PortOnePayments-prod/Forgeries detected',
      'PortOnePayments-prod/Order story by merchant_uid',
      'PortOnePayments-prod/Payment by imp_uid or payment_id',
      'PortOnePayments-prod/Webhooks answered 5xx',
    ]);
    const every = [...FUNCTIONS, 'Settled'].map(logGroupOf);
    expect(named('Order story by merchant_uid').LogGroupNames).toEqual(every);
    expect(named('Payment by imp_uid or payment_id').LogGroupNames).toEqual(every);
    expect(named('Webhooks answered 5xx').LogGroupNames).toEqual([logGroupOf('Webhook')]);
    expect(named('Forgeries detected').LogGroupNames).toEqual(VERIFYING_FUNCTIONS.map(logGroupOf));
  });

  it('tell an order in time order, and list the newest 5xx and forgeries first', () => {
    expect(named('Order story by merchant_uid').QueryString).toBe(
      [
        'fields @timestamp, service, level, message, merchant_uid, imp_uid, payment_id, route, result, outcome, order_status, http_status, error',
        'filter merchant_uid = "MERCHANT_UID" or payment_merchant_uid = "MERCHANT_UID"',
        'sort @timestamp asc',
        'limit 10000',
      ].join('\n| '),
    );
    expect(named('Webhooks answered 5xx').QueryString).toContain(
      '\n| filter message = "webhook answered" and http_status >= 500\n| sort @timestamp desc',
    );
    expect(named('Forgeries detected').QueryString).toContain(
      '\n| filter message = "forgery detected"\n| sort @timestamp desc',
    );
  });
});

/** The webhook handler itself, on the fakes, writing the lines the queries read. */
describe('the queries against the lines the webhook writes', () => {
  const IMP = 'imp_100000000001';
  const deliver = (w: World) =>
    createWebhookHandler({ verification: w.deps, log: w.log, allowedIps: [], v2: null })(
      httpEvent({
        method: 'POST',
        path: '/payments/webhook',
        body: JSON.stringify({ imp_uid: IMP, merchant_uid: 'order-1', status: 'paid' }),
        sourceIp: '52.78.100.19',
      }),
    );
  const keeps = (query: { filter: string }, line: Record<string, unknown>, value = '') =>
    insightsFilterKeeps(
      query.filter
        .replaceAll(PLACEHOLDERS.merchantUid, value)
        .replaceAll(PLACEHOLDERS.paymentId, value),
      line,
    );
  const answered = (w: World) => w.log.lines.filter((l) => l.message === LOG_LINES.webhookAnswered);

  it('finds a webhook answered 503 (storage down) and not one answered 200', async () => {
    const down = aWorld();
    down.registered(1000);
    down.gateway.add(aPayment());
    const error = new StorageUnavailableError('DynamoDB failed: ThrottlingException');
    down.store.failNext('findOrder', error);
    down.store.failNext('recordObservation', error);
    const fine = aWorld();
    fine.registered(1000);
    fine.gateway.add(aPayment());

    expect((await deliver(down)).statusCode).toBe(503);
    expect((await deliver(fine)).statusCode).toBe(200);

    const [failed] = answered(down);
    const [ok] = answered(fine);
    expect(failed).toMatchObject({ http_status: 503, merchant_uid: 'order-1', imp_uid: IMP });
    expect(keeps(SUPPORT_QUERIES.webhook5xx, failed as Json)).toBe(true);
    expect(keeps(SUPPORT_QUERIES.webhook5xx, ok as Json)).toBe(false);
  });

  it("finds a forgery, and every line of the delivery in the order's and the payment's story", async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));

    await deliver(w);

    const forgeries = w.log.lines.filter((l) => keeps(SUPPORT_QUERIES.forgeries, l));
    expect(forgeries).toHaveLength(1);
    expect(forgeries[0]).toMatchObject({
      forgery_reason: 'amount_mismatch',
      merchant_uid: 'order-1',
    });
    expect(w.log.lines.length).toBeGreaterThan(2);
    for (const line of w.log.lines) {
      expect(keeps(SUPPORT_QUERIES.orderStory, line, 'order-1'), line.message).toBe(true);
      expect(keeps(SUPPORT_QUERIES.orderStory, line, 'order-2'), line.message).toBe(false);
      expect(keeps(SUPPORT_QUERIES.payment, line, IMP), line.message).toBe(true);
    }
    expect(answered(w).every((l) => !keeps(SUPPORT_QUERIES.webhook5xx, l))).toBe(true);
  });
});
