import { PRICES } from './cost';

/**
 * Lambda's CPU share grows with memory: one full vCPU at 1,769 MB (AWS's
 * "Lambda memory and computing power"). This machine's core is taken as one
 * Lambda vCPU, so a CPU-ms measured here lasts 1769 / M ms at M MB (never
 * less than 1 ms: a single-threaded handler gains nothing from a second vCPU).
 */
export const LAMBDA_FULL_VCPU_MB = 1769;
export const MEMORY_CHOICES_MB = [128, 256, 512] as const;
/** The issue's bound: a function's modelled p99 within 1.25x of the limit's p99. */
export const MEMORY_P99_FACTOR = 1.25;

export interface Figure {
  mean: number;
  p99: number;
}

/**
 * One function's warm event, ms on this machine: what it waits for (PortOne,
 * DynamoDB: the handler's wall time minus its CPU time) and what it computes.
 */
export interface RouteFigures {
  waitMs: Figure;
  cpuMs: Figure;
}

export interface Modelled {
  memoryMb: number;
  /** ms at this size: the waits as measured, the CPU stretched by cpuScale. */
  meanMs: number;
  /** A sum of the parts' p99s: an upper bound of the p99 of their sum. */
  p99Ms: number;
  /** US dollars per million invocations: duration (GB-s) and requests, arm64 list price. */
  costPerMillion: number;
}

export const cpuScale = (memoryMb: number): number => Math.max(1, LAMBDA_FULL_VCPU_MB / memoryMb);

/**
 * The modelled Lambda duration and price of one invocation at `memoryMb`.
 * Billing rounds each invocation up to the next ms: on average half a ms
 * more than the mean duration.
 */
export const modelAt = (figures: RouteFigures, memoryMb: number): Modelled => {
  const scale = cpuScale(memoryMb);
  const meanMs = figures.waitMs.mean + figures.cpuMs.mean * scale;
  const p99Ms = figures.waitMs.p99 + figures.cpuMs.p99 * scale;
  const gbSeconds = ((meanMs + 0.5) / 1000) * (memoryMb / 1024);
  return {
    memoryMb,
    meanMs,
    p99Ms,
    costPerMillion:
      gbSeconds * PRICES.lambdaArm64PerGbSecond * 1e6 + PRICES.lambdaPerMillionRequests,
  };
};

export interface MemoryChoice {
  chosenMb: number;
  /** Whether the chosen size meets the bound (false: none did; the fastest is chosen). */
  withinBound: boolean;
  boundMs: number;
  reason: string;
  byMb: Record<string, Modelled>;
}

/**
 * The cheapest size whose modelled p99 stays within `factor` x the limit's
 * p99; when none does, the one with the lowest modelled p99.
 */
export const chooseMemory = (
  figures: RouteFigures,
  limitP99Ms: number,
  sizes: readonly number[] = MEMORY_CHOICES_MB,
  factor = MEMORY_P99_FACTOR,
): MemoryChoice => {
  const modelled = sizes.map((mb) => modelAt(figures, mb));
  const boundMs = limitP99Ms * factor;
  const within = modelled.filter((m) => m.p99Ms <= boundMs);
  const byMb = Object.fromEntries(modelled.map((m) => [`${m.memoryMb}`, m]));
  const f = (ms: number) => ms.toFixed(1);
  if (within.length > 0) {
    const best = within.reduce((a, b) => (b.costPerMillion < a.costPerMillion ? b : a));
    const cheaper = modelled.filter((m) => m.costPerMillion < best.costPerMillion);
    return {
      chosenMb: best.memoryMb,
      withinBound: true,
      boundMs,
      reason:
        `modelled p99 ${f(best.p99Ms)} ms <= ${factor} x limit p99 (${f(boundMs)} ms) at $${best.costPerMillion.toFixed(2)} per million` +
        (cheaper.length
          ? `; cheaper ${cheaper.map((m) => `${m.memoryMb} MB has p99 ${f(m.p99Ms)} ms`).join(', ')}`
          : '; the cheapest size'),
      byMb,
    };
  }
  const fastest = modelled.reduce((a, b) => (b.p99Ms < a.p99Ms ? b : a));
  return {
    chosenMb: fastest.memoryMb,
    withinBound: false,
    boundMs,
    reason: `no size keeps the modelled p99 within ${f(boundMs)} ms; ${fastest.memoryMb} MB comes closest (${f(fastest.p99Ms)} ms)`,
    byMb,
  };
};
