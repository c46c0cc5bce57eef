import { FUNCTION_MEMORY_MB } from '../lib/memory';
import { type CpuResults, type CpuRow, cpuRow } from './cpu';
import { chooseMemory, type MemoryChoice, type RouteFigures } from './lambda-model';
import { type AgainstLimit, againstLimit, type LimitSummary } from './limit-summary';
import type { Block } from './phases';
import type { LatencyMs } from './sizes';
import { ROUTES, type Route } from './workload';

/** The PortOne latency the limit targets and the memory choice are judged at. */
export const LIMIT_LATENCY_MS = 30;

type ByLatency<T> = Record<`${LatencyMs}`, T>;
/** What this module reads of a latency phase (results.ts's LatencyPhase, without importing it). */
type LatencyPhase = {
  latency: Block[];
  limit: LimitSummary;
  limitByRoute: Record<Route, LimitSummary>;
};

export interface RouteAgainstLimit {
  ours: { p50: number; p99: number };
  /** The limit this route is judged against: its slice, measured right before ours' block. */
  limit: { p50: number; p99: number };
  baseline: { p50: number; p99: number };
  /** The issue's verdict: ours' round trip against the limit (round trip + UpdateItem). */
  vsLimit: AgainstLimit;
  /** For context on complete and redirect, which must read the order first: against GetItem + limit. */
  vsLimitWithRead: AgainstLimit;
  /**
   * For context: ours' time inside the handler against the limit. The limit
   * is made from this process with no HTTP request into it; ours' round trip
   * adds the hop through the local API adapter (API Gateway's place on AWS).
   */
  handlerVsLimit: AgainstLimit;
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
  const routes = Object.fromEntries(
    ROUTES.map((route) => {
      const { limit, limitWithRead } = phase.limitByRoute[route];
      const ours = blockOf(phase, 'ours', route);
      const trip = ours?.roundTrip ?? limit;
      return [
        route,
        {
          ours: p50p99(ours),
          limit: { p50: limit.p50, p99: limit.p99 },
          baseline: p50p99(blockOf(phase, 'baseline', route)),
          vsLimit: againstLimit(trip, limit),
          vsLimitWithRead: againstLimit(trip, limitWithRead),
          handlerVsLimit: againstLimit(ours?.handler ?? limit, limit),
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
 * Where the CPU figure comes from: the CPU phase (bench/cpu.ts), ours on V1,
 * each function's production bundle in a process of its own.
 */
export const CPU_SOURCE =
  "process.cpuUsage() around each warm handler call, the function's production bundle in its own process (bench/cpu.ts), ours on V1";

/** A CPU row's figures for the model: its per-event waits and CPU, mean and p99. */
export const figuresOf = (row: Pick<CpuRow, 'waitMs' | 'cpuMs'>): RouteFigures => ({
  waitMs: { mean: row.waitMs.mean, p99: row.waitMs.p99 },
  cpuMs: { mean: row.cpuMs.mean, p99: row.cpuMs.p99 },
});

/** Each timed function's modelled duration at 128 / 256 / 512 MB and its chosen size. */
export const memoryResults = (
  phases: ByLatency<LatencyPhase>,
  cpu: CpuResults,
): Record<Route, FunctionMemory> => {
  const phase = phases[`${LIMIT_LATENCY_MS}`];
  const limitP99 = phase.limit.limit.p99;
  return Object.fromEntries(
    ROUTES.map((route) => {
      const row = cpuRow(cpu, 'ours', 'v1', route);
      const nan = { mean: Number.NaN, p99: Number.NaN };
      const f = row ? figuresOf(row) : { waitMs: nan, cpuMs: nan };
      return [
        route,
        {
          ...chooseMemory(f, limitP99),
          stackMb: FUNCTION_MEMORY_MB[route],
          figures: f,
          cpuSource: CPU_SOURCE,
        },
      ];
    }),
  ) as Record<Route, FunctionMemory>;
};
