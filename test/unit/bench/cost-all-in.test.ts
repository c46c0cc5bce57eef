import { describe, expect, it } from 'vitest';
import { allInCost } from '../../../bench/cost-all-in';
import { billedMsAt, type PaymentProfile } from '../../../bench/payment-profile';
import type { TemplateFigures } from '../../../bench/template-figures';

const fn = (handlerMs: number, waitMs: number) => ({
  invocations: 1,
  handlerMs,
  waitMs,
  logBytes: 600,
  logLines: 1,
});

const profile: PaymentProfile = {
  payments: 10,
  order: 'webhook first',
  functions: { orders: fn(40, 38), complete: fn(6, 5), webhook: fn(42, 40) },
  writeUnits: 5,
  readUnits: 2,
  indexWriteUnits: 2,
  portoneCalls: 2,
  accessLogBytes: 300,
  preflights: 1,
  settled: { logBytes: 250, logLines: 1, sampleLines: [] },
  orderItemBytes: 964,
};

const template: TemplateFigures = {
  memoryMb: { Orders: 256, Complete: 512, Webhook: 512, Settled: 256, Reconcile: 256 },
  systemLogLevel: { Orders: 'INFO', Complete: 'INFO', Webhook: 'INFO', Settled: 'INFO' },
  alarms: 18,
  alarmMetrics: 18,
  compositeAlarms: 0,
  metricFilters: 23,
  metricFiltersAlwaysPublishing: 0,
  dashboards: 1,
  secrets: 1,
  logGroups: { standard: 7, infrequentAccess: 0 },
  accessLogClass: 'STANDARD',
  schedules: 1,
  eventBuses: 1,
};

const line = (cost: ReturnType<typeof allInCost>, start: string) =>
  cost.lines.find((l) => l.name.startsWith(start))?.usd ?? Number.NaN;

describe('the all-in cost of a million card payments', () => {
  it('prices the requests, units and fixed resources it is given', () => {
    const cost = allInCost(profile, template);
    // 3 routed requests + 1 preflight, at $1 per million.
    expect(line(cost, 'HTTP API')).toBeCloseTo(4, 9);
    expect(line(cost, 'DynamoDB writes')).toBeCloseTo(5 * 0.625, 9);
    expect(line(cost, 'CloudWatch alarms')).toBeCloseTo(1.8, 9);
    expect(line(cost, 'CloudWatch dashboard')).toBe(3);
    expect(cost.fixed).toBeCloseTo(0.4 + 1.8 + 3, 9);
    expect(cost.allIn).toBeCloseTo(
      cost.lines.reduce((sum, l) => sum + l.usd, 0),
      9,
    );
  });

  it('halves the access log ingestion in the infrequent-access class', () => {
    const standard = allInCost(profile, template);
    const ia = allInCost(profile, { ...template, accessLogClass: 'INFREQUENT_ACCESS' });
    expect(line(ia, 'CloudWatch Logs ingestion, access')).toBeCloseTo(
      line(standard, 'CloudWatch Logs ingestion, access') / 2,
      9,
    );
  });

  it("drops Lambda's own lines from the bill when the system log level is WARN", () => {
    const info = allInCost(profile, template);
    const warn = allInCost(profile, {
      ...template,
      systemLogLevel: { Orders: 'WARN', Complete: 'WARN', Webhook: 'WARN', Settled: 'WARN' },
    });
    // 3 invocations of 600 bytes each and settled's 250; Lambda adds 359 bytes to each and to one settled invocation.
    expect(line(warn, 'CloudWatch Logs ingestion, functions')).toBeCloseTo(
      (((1800 + 250) * 1e6) / 1e9) * 0.5,
      9,
    );
    expect(line(info, 'CloudWatch Logs ingestion, functions')).toBeCloseTo(
      (((1800 + 250 + 4 * 359) * 1e6) / 1e9) * 0.5,
      9,
    );
  });

  it('bills metric filters only when they publish without a match', () => {
    expect(line(allInCost(profile, template), 'Custom metrics')).toBe(0);
    const always = allInCost(profile, { ...template, metricFiltersAlwaysPublishing: 6 });
    expect(line(always, 'Custom metrics')).toBeCloseTo(1.8, 9);
  });

  it('stretches the CPU part of an invocation at small memory sizes, not the waits', () => {
    // 40 ms waiting + 2 ms CPU: at 1,769 MB and above the CPU stays 2 ms; at 256 MB it takes 6.9x.
    expect(billedMsAt(fn(42, 40), 1769)).toBe(42);
    expect(billedMsAt(fn(42, 40), 256)).toBe(Math.ceil(40 + 2 * (1769 / 256)));
  });

  it('charges more duration for a function given more memory', () => {
    const small = allInCost(profile, {
      ...template,
      memoryMb: { ...template.memoryMb, Webhook: 256 },
    });
    const large = allInCost(profile, template);
    expect(line(large, 'Lambda duration')).toBeGreaterThan(line(small, 'Lambda duration'));
  });
});
