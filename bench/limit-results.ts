import { FUNCTION_MEMORY_MB } from '../lib/memory';
import { chooseMemory, type MemoryChoice, type RouteFigures } from './lambda-model';
import { type AgainstLimit, againstLimit, type LimitSummary } from './limit-summary';
import type { Block } from './phases';
import type { LatencyMs } from './sizes';
import { ROUTES, type Route } from './workload';

/** The PortOne latency the limit targets and the memory choice are judged at. */
export const LIMIT_LATENCY_MS = 30;

type ByLatency<T> = Record<`${LatencyMs}`, T>;
/** What this module reads of a latency phase (results.ts's LatencyPhase, without importing it). */
type LatencyPhase = { latency: Block[]; limit: LimitSummary };

export interface RouteAgainstLimit {
  ours: { p50: number; p99: number };
  baseline: { p50: number; p99: number };
  /** The issue's verdict: ours' round trip against the limit (round trip + UpdateItem). */
  vsLimit: AgainstLimit;
  /** For context on complete and redirect, which must read the order first: against GetItem + limit. */
  vsLimitWithRead: AgainstLimit;
}

export interface LimitResults {
  latencyMs: number;
  byLatency: ByLatency<LimitSummary>;
  /** Ours' sequential blocks (complete before the webhook, webhook after it, redirect) at latencyMs. */
  routes: Record<Route, RouteAgainstLimit>;
}

const blockOf = (phase: LatencyPhase, system: string, route: Route): Block | undefined =>
  phase.latency.find((b) => b.system === system && b.route === route);

const p50p99 = (b: Block | undefined) => ({
  p50: b?.roundTrip.p50 ?? Number.NaN,
  p99: b?.roundTrip.p99 ?? Number.NaN,
});

export const limitResults = (phases: ByLatency<LatencyPhase>): LimitResults => {
  const phase = phases[`${LIMIT_LATENCY_MS}`];
  const { limit, limitWithRead } = phase.limit;
  const routes = Object.fromEntries(
    ROUTES.map((route) => {
      const ours = blockOf(phase, 'ours', route);
      const trip = ours?.roundTrip ?? limit;
      return [
        route,
        {
          ours: p50p99(ours),
          baseline: p50p99(blockOf(phase, 'baseline', route)),
          vsLimit: againstLimit(trip, limit),
          vsLimitWithRead: againstLimit(trip, limitWithRead),
        },
      ];
    }),
  ) as Record<Route, RouteAgainstLimit>;
  const byLatency = Object.fromEntries(
    Object.entries(phases).map(([ms, p]) => [ms, p.limit]),
  ) as ByLatency<LimitSummary>;
  return { latencyMs: LIMIT_LATENCY_MS, byLatency, routes };
};

export interface FunctionMemory extends MemoryChoice {
  /** What lib/memory.ts sets for this function (the deployed memorySize). */
  stackMb: number;
  figures: RouteFigures;
  /** Where cpuMs came from. */
  cpuSource: string;
}

/**
 * INTERIM CPU figure: handler time minus the PortOne and DynamoDB waits,
 * per event, on ours' sequential blocks at LIMIT_LATENCY_MS. It holds
 * event-loop time besides CPU, and the AWS SDK's own CPU sits inside the
 * measured waits (not scaled): replace `cpuMs` with the process.cpuUsage
 * figure (cpu.ours.<route>) once the bench has it.
 */
export const INTERIM_CPU_SOURCE =
  'interim: handler time minus PortOne and DynamoDB waits, per event (not process.cpuUsage)';

export const figuresOf = (block: Block | undefined): RouteFigures => {
  const part = (pick: 'portoneMs' | 'dynamoDbMs' | 'restMs') => ({
    mean: block?.parts?.[pick].mean ?? Number.NaN,
    p99: block?.parts?.[pick].p99 ?? Number.NaN,
  });
  return { portoneMs: part('portoneMs'), dynamoDbMs: part('dynamoDbMs'), cpuMs: part('restMs') };
};

/** Each timed function's modelled duration at 128 / 256 / 512 MB and its chosen size. */
export const memoryResults = (
  phases: ByLatency<LatencyPhase>,
  figures: Partial<Record<Route, RouteFigures>> = {},
  cpuSource = INTERIM_CPU_SOURCE,
): Record<Route, FunctionMemory> => {
  const phase = phases[`${LIMIT_LATENCY_MS}`];
  const limitP99 = phase.limit.limit.p99;
  return Object.fromEntries(
    ROUTES.map((route) => {
      const f = figures[route] ?? figuresOf(blockOf(phase, 'ours', route));
      return [
        route,
        { ...chooseMemory(f, limitP99), stackMb: FUNCTION_MEMORY_MB[route], figures: f, cpuSource },
      ];
    }),
  ) as Record<Route, FunctionMemory>;
};
