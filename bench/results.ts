import { cpus, loadavg, totalmem } from 'node:os';
import type { AllInResults } from './all-in';
import type { BurstResults } from './burst-summary';
import type { ColdPhase } from './cold-phase';
import { COST_ASSUMPTIONS, type Cost, costPerMillion, MEMORY_MB, PRICES } from './cost';
import type { CpuResults } from './cpu';
import {
  type FunctionMemory,
  type LimitResults,
  limitResults,
  memoryResults,
} from './limit-results';
import type { LimitSummary } from './limit-summary';
import type { Block, OpsPerEvent, TokenPolicy } from './phases';
import type { SignaturePhase } from './signature';
import type { BenchSize, LatencyMs } from './sizes';
import type { SystemName } from './stack';
import { ROUTES, type Route } from './workload';

export type ByLatency<T> = Record<`${LatencyMs}`, T>;

/** What one latency phase measured. */
export interface LatencyPhase {
  /** The unmeasured first events of each system (connections, JIT). */
  warmup: Block[];
  /** Sequential events per route and system: complete, then webhook on the same orders; redirect. */
  latency: Block[];
  /**
   * The common order in production, sequential: the webhook first on fresh
   * paid orders (one block per browser route and system) ...
   */
  webhookFirst: Block[];
  /** ... then complete or redirect on those orders, already confirmed. */
  afterWebhook: Block[];
  /** Fresh webhook events at each concurrency level. */
  throughput: Block[];
  /** The physical limit (bench/limit.ts), all its slices together. */
  limit: LimitSummary;
  /** Each route's slice of the limit, measured right before ours' sequential block of that route. */
  limitByRoute: Record<Route, LimitSummary>;
  /** Our order registrations during set-up, and the token fetches they caused. */
  setup: { requests: number; tokenFetches: number };
  /** Ours on the PortOne V2 routes, in the phase at V2_LATENCY_MS only; each block right after V1's. */
  v2?: V2Phase;
}

/** The sequential blocks of ours on /v2/ (blocks marked `api: 'v2'`), as LatencyPhase's. */
export interface V2Phase {
  warmup: Block[];
  latency: Block[];
  webhookFirst: Block[];
  afterWebhook: Block[];
  /** Orders registered with a V2 payment id issued (two requests of ours each), not counted in `setup`. */
  setup: { orders: number };
  /** Wall time of the set-up and blocks above: what V2 adds to the phase. */
  seconds: number;
}

type CostResult = Cost & { billedMs: number[]; writeUnits: number; readUnits: number };

/** One of the bench's targets, judged on a run's figures (bench/targets.ts). */
export interface Target {
  name: string;
  measured: string;
  pass: boolean;
}

/** Everything bench/results.json holds. */
export interface BenchResults {
  command: string;
  size: BenchSize['name'];
  timestamp: string;
  durationSeconds: number;
  machine: {
    cpuModel: string;
    cpus: number;
    memoryGiB: number;
    node: string;
    platform: string;
    loadAverage: number[];
  };
  coldImports: ColdPhase;
  phases: ByLatency<LatencyPhase>;
  /**
   * Per happy-path event, over the sequential blocks of both latencies:
   * complete before the webhook (payment not yet confirmed), the webhook after it, redirect alone.
   */
  ops: Record<SystemName, Record<Route, OpsPerEvent>>;
  /** The same, webhook first: the webhook on a fresh payment, then complete or redirect on it confirmed. */
  opsWebhookFirst: Record<SystemName, Record<Route, OpsPerEvent>>;
  tokens: {
    cachePolicy: string;
    policy: TokenPolicy;
    run: Record<SystemName, { requests: number; fetches: number; perThousandEvents: number }>;
  };
  cost: {
    prices: typeof PRICES;
    memoryMb: number;
    assumptions: string[];
    /** complete first, then the webhook (both systems). */
    ours: CostResult;
    baseline: CostResult;
    /** The webhook first, then complete answered from the confirmed order. */
    oursWebhookFirst: CostResult;
    baselineWebhookFirst: CostResult;
    /** US dollars per million card payments, all in (webhook first, the common order): allIn.webhookFirst. */
    allIn?: number;
  };
  /**
   * Ours on PortOne V2 next to V1 (whose figures are `ops.ours`, `opsWebhookFirst.ours`):
   * the per-event work of the sequential V2 blocks, and signature verification alone.
   */
  v2: {
    latencyMs: number;
    ops: Record<Route, OpsPerEvent>;
    opsWebhookFirst: Record<Route, OpsPerEvent>;
    signature: SignaturePhase;
    /** Wall time the V2 measurements added to the run: signature timing, V2 set-up and blocks. */
    seconds: number;
  };
  /** Whole payments priced all in (bench/all-in.ts, issue 15 item 4); `cost.allIn` is its headline. */
  allIn: AllInResults;
  /** N fresh processes at once per route (bench/burst.ts): token fetches, secret reads, time to answer. */
  burst: BurstResults;
  /** The physical limit (bench/limit.ts) and ours' routes against it (issue 15 item 1). */
  limit: LimitResults;
  /** CPU per warm event in the handler, per route: ours on V1 and V2, the baseline (issue 15 item 2). */
  cpu: CpuResults;
  /** Modelled Lambda duration per size and the memory chosen, per timed function (issue 15 item 3). */
  memory: Record<Route, FunctionMemory>;
  targets: Target[];
}

const combine = (parts: OpsPerEvent[]): OpsPerEvent => {
  const events = parts.reduce((total, p) => total + p.events, 0);
  const weighted = (pick: (p: OpsPerEvent) => number) =>
    parts.reduce((total, p) => total + pick(p) * p.events, 0) / events;
  const merge = (pick: (p: OpsPerEvent) => Record<string, number>) => {
    const keys = new Set(parts.flatMap((p) => Object.keys(pick(p))));
    return Object.fromEntries([...keys].map((k) => [k, weighted((p) => pick(p)[k] ?? 0)]));
  };
  return {
    events,
    portoneCalls: weighted((p) => p.portoneCalls),
    tokenFetches: weighted((p) => p.tokenFetches),
    portoneByRoute: merge((p) => p.portoneByRoute),
    reads: weighted((p) => p.reads),
    writes: weighted((p) => p.writes),
    rcu: weighted((p) => p.rcu),
    wcu: weighted((p) => p.wcu),
    indexWcu: weighted((p) => p.indexWcu),
    conditionFailures: weighted((p) => p.conditionFailures),
    commands: merge((p) => p.commands),
    portoneMs: weighted((p) => p.portoneMs),
    dynamoDbMs: weighted((p) => p.dynamoDbMs),
  };
};

/** Mean billed ms per event over blocks (weighted by their events); NaN when there are none. */
const billedMeanOf = (blocks: readonly Block[]): number => {
  const events = blocks.reduce((total, b) => total + b.handler.n, 0);
  return events === 0
    ? Number.NaN
    : blocks.reduce((total, b) => total + b.handler.billedMean * b.handler.n, 0) / events;
};

export const assembleResults = (input: {
  size: BenchSize;
  startedAt: number;
  coldImports: ColdPhase;
  phases: ByLatency<LatencyPhase>;
  policy: TokenPolicy;
  signature: SignaturePhase;
  v2LatencyMs: number;
  cpu: CpuResults;
}): Omit<BenchResults, 'targets' | 'burst' | 'allIn'> => {
  const phases = Object.values(input.phases);
  const opsOf = (blocks: Block[], system: SystemName) =>
    Object.fromEntries(
      ROUTES.map((route) => [
        route,
        combine(blocks.filter((b) => b.system === system && b.route === route).map((b) => b.ops)),
      ]),
    ) as Record<Route, OpsPerEvent>;
  const sequential = phases.flatMap((p) => p.latency);
  const ops = { ours: opsOf(sequential, 'ours'), baseline: opsOf(sequential, 'baseline') };
  const firstBlocks = phases.flatMap((p) => [...p.webhookFirst, ...p.afterWebhook]);
  const opsWebhookFirst = {
    ours: opsOf(firstBlocks, 'ours'),
    baseline: opsOf(firstBlocks, 'baseline'),
  };
  const v2Phases = phases.flatMap((p) => (p.v2 ? [p.v2] : []));
  const v2 = {
    latencyMs: input.v2LatencyMs,
    ops: opsOf(
      v2Phases.flatMap((p) => p.latency),
      'ours',
    ),
    opsWebhookFirst: opsOf(
      v2Phases.flatMap((p) => [...p.webhookFirst, ...p.afterWebhook]),
      'ours',
    ),
    signature: input.signature,
    seconds: input.signature.seconds + v2Phases.reduce((total, p) => total + p.seconds, 0),
  };

  // Every request of the run in real time, set-up included: ours fetched its
  // container's first token while registering orders.
  const tokenRun = (system: SystemName) => {
    const blocks = phases
      .flatMap((p) => [
        ...p.warmup,
        ...p.latency,
        ...p.webhookFirst,
        ...p.afterWebhook,
        ...p.throughput,
      ])
      .filter((b) => b.system === system);
    const setup = system === 'ours' ? phases.map((p) => p.setup) : [];
    const requests =
      blocks.reduce((total, b) => total + b.ops.events, 0) +
      setup.reduce((total, s) => total + s.requests, 0);
    const fetches = Math.round(
      blocks.reduce((total, b) => total + b.ops.tokenFetches * b.ops.events, 0) +
        setup.reduce((total, s) => total + s.tokenFetches, 0),
    );
    return { requests, fetches, perThousandEvents: (fetches / requests) * 1000 };
  };

  // One payment = complete + webhook, in the order given; billed ms at 30 ms PortOne latency.
  const costOf = (system: SystemName, webhookFirst: boolean): CostResult => {
    const at30 = input.phases['30'];
    const blocks = webhookFirst ? [...at30.webhookFirst, ...at30.afterWebhook] : at30.latency;
    const perEvent = webhookFirst ? opsWebhookFirst[system] : ops[system];
    const order = webhookFirst
      ? (['webhook', 'complete'] as const)
      : (['complete', 'webhook'] as const);
    const billedMs = order.map((route) =>
      billedMeanOf(blocks.filter((b) => b.system === system && b.route === route)),
    );
    const writeUnits = perEvent.complete.wcu + perEvent.webhook.wcu;
    const readUnits = perEvent.complete.rcu + perEvent.webhook.rcu;
    return {
      ...costPerMillion({ billedMs, writeUnits, readUnits }),
      billedMs,
      writeUnits,
      readUnits,
    };
  };

  const cpu = cpus();
  return {
    command: input.size.name === 'full' ? 'npm run bench' : 'BENCH_SIZE=smoke npm run bench',
    size: input.size.name,
    timestamp: new Date().toISOString(),
    durationSeconds: (Date.now() - input.startedAt) / 1000,
    machine: {
      cpuModel: cpu[0]?.model ?? 'unknown',
      cpus: cpu.length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    },
    coldImports: input.coldImports,
    phases: input.phases,
    ops,
    opsWebhookFirst,
    tokens: {
      cachePolicy:
        'one token per container, kept until the expiry PortOne states (expired_at - now, counted from when the answer arrived),' +
        ' then fetched again; a call that races the expiry gets a 401 and is retried once with a fresh token' +
        ' (functions/adapters/portone/token-cache.ts, client.ts)',
      policy: input.policy,
      run: { ours: tokenRun('ours'), baseline: tokenRun('baseline') },
    },
    cost: {
      prices: PRICES,
      memoryMb: MEMORY_MB,
      assumptions: COST_ASSUMPTIONS,
      ours: costOf('ours', false),
      baseline: costOf('baseline', false),
      oursWebhookFirst: costOf('ours', true),
      baselineWebhookFirst: costOf('baseline', true),
    },
    v2,
    limit: limitResults(input.phases),
    cpu: input.cpu,
    memory: memoryResults(input.phases, input.cpu),
  };
};
