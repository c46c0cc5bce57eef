/**
 * How much the benchmark does. `full` is `npm run bench` (a few minutes
 * on a 2-core machine); `smoke` is the few-second version `npm test` runs to
 * check that every figure is produced, without judging any of them.
 */
export interface BenchSize {
  name: 'full' | 'smoke';
  /** Fresh processes per bundle (and for `node -e 0`). */
  coldImportRuns: number;
  /** Requests per route, system and PortOne latency. */
  latencySamples: number;
  /** Requests per route and system before measuring (connections, JIT, token). */
  warmup: number;
  /** Webhook events per concurrency level. */
  throughput: Record<'1' | '8' | '32', number>;
  /** Webhook events in the token phase, spread over `tokenSpanMinutes` of simulated time. */
  tokenEvents: number;
  tokenSpanMinutes: number;
  /** Timed calls of V2 webhook signature verification (each way of checking it). */
  signatureRuns: number;
  /** Iterations of the limit (bench/limit.ts) per route and PortOne latency, measured before ours' block. */
  limitSamples: number;
  /** Whole payments (registration, callback, webhook) per order of arrival, priced all in (bench/all-in.ts). */
  allInPayments: number;
  /** Events per CPU-phase process (bench/cpu.ts), and those discarded before them. */
  cpuEvents: number;
  cpuWarmup: number;
}

export const SIZES: Record<BenchSize['name'], BenchSize> = {
  full: {
    name: 'full',
    coldImportRuns: 21,
    latencySamples: 300,
    warmup: 10,
    throughput: { '1': 50, '8': 240, '32': 640 },
    tokenEvents: 1000,
    tokenSpanMinutes: 100,
    signatureRuns: 5000,
    limitSamples: 300,
    allInPayments: 40,
    cpuEvents: 200,
    cpuWarmup: 20,
  },
  smoke: {
    name: 'smoke',
    coldImportRuns: 3,
    latencySamples: 4,
    warmup: 2,
    throughput: { '1': 2, '8': 8, '32': 32 },
    tokenEvents: 12,
    tokenSpanMinutes: 100,
    signatureRuns: 200,
    limitSamples: 4,
    allInPayments: 2,
    cpuEvents: 3,
    cpuWarmup: 1,
  },
};

/** The PortOne round trips measured: none (loopback) and a realistic 30 ms. */
export const LATENCIES_MS = [0, 30] as const;
export type LatencyMs = (typeof LATENCIES_MS)[number];
/** The PortOne latency at which ours' V2 routes are measured, next to V1's. */
export const V2_LATENCY_MS = 30 satisfies LatencyMs;

export const sizeFromEnv = (value = process.env.BENCH_SIZE): BenchSize => {
  if (value === undefined || value === '') return SIZES.full;
  if (value === 'full' || value === 'smoke') return SIZES[value];
  throw new Error(`BENCH_SIZE must be full or smoke, got "${value}"`);
};
