import { measureAllIn } from './all-in';
import { burstProcesses, runBurst } from './burst';
import { measureBundles } from './cold-phase';
import { measureCpu } from './cpu';
import { openLimit } from './limit';
import { memoryResults } from './limit-results';
import { type LimitSample, type LimitSummary, summarizeLimit } from './limit-summary';
import { type Block, measureTokenPolicy, runBlock, runV2Block } from './phases';
import {
  assembleResults,
  type BenchResults,
  type ByLatency,
  type LatencyPhase,
  type V2Phase,
} from './results';
import { measureSignature } from './signature';
import { type BenchSize, LATENCIES_MS, V2_LATENCY_MS } from './sizes';
import { type BenchStack, type System, startBenchStack } from './stack';
import { judgeTargets } from './targets';
import {
  BROWSER_ROUTES,
  type PaidOrder,
  preparePaidOrders,
  prepareV2PaidOrders,
  ROUTES,
  type Route,
  type V2PaidOrder,
} from './workload';

export type { BenchResults } from './results';

export interface RunOptions {
  size: BenchSize;
  /** Use this DynamoDB (Local) instead of starting one. */
  dynamodbEndpoint?: string;
  /** The Node.js binary for the cold imports; default the one running the bench. */
  coldImportNode?: string;
  progress?: (line: string) => void;
}

/** Every measurement the bench makes, in one run; see bench/main.ts for the command. */
export const runBench = async (options: RunOptions): Promise<BenchResults> => {
  const { size } = options;
  const startedAt = Date.now();
  const progress = (line: string) =>
    options.progress?.(`${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s  ${line}`);

  progress(`building the bundles; cold imports, ${size.coldImportRuns} processes per bundle`);
  const coldImports = await measureBundles(size.coldImportRuns, options.coldImportNode);

  progress(`V2 webhook signature verification alone, ${size.signatureRuns} calls per variant`);
  const signature = await measureSignature(size.signatureRuns);

  // Before the stack starts: the burst brings its own DynamoDB Local and simulator, and stops them.
  const processes = burstProcesses(size.name);
  progress(`cold-start burst: ${processes} fresh processes per route at once`);
  const burst = await runBurst({
    processes,
    ...(options.dynamodbEndpoint ? { dynamodbEndpoint: options.dynamodbEndpoint } : {}),
    progress,
  });

  progress('starting DynamoDB Local, the PortOne simulator and both APIs');
  const stack = await startBenchStack(
    options.dynamodbEndpoint ? { dynamodbEndpoint: options.dynamodbEndpoint } : {},
  );
  try {
    const phases = {} as ByLatency<LatencyPhase>;
    let confirmed: PaidOrder[] = [];
    for (const latencyMs of LATENCIES_MS) {
      const phase = await measureAtLatency(stack, size, latencyMs, progress);
      phases[`${latencyMs}`] = phase;
      confirmed = phase.confirmed;
    }
    progress(
      `token phase: ${size.tokenEvents} webhooks over ${size.tokenSpanMinutes} simulated min`,
    );
    const policy = await measureTokenPolicy(
      stack,
      confirmed,
      size.tokenEvents,
      size.tokenSpanMinutes,
    );
    const cpu = await measureCpu(stack, {
      events: size.cpuEvents,
      warmup: size.cpuWarmup,
      progress,
    });
    progress(
      `all-in cost: ${size.allInPayments} whole payments per order of arrival, PortOne at 30 ms`,
    );
    await stack.simulator.setLatency(30);
    const memory = memoryResults(phases, cpu);
    const billedAtStack = (route: 'complete' | 'webhook') =>
      Math.ceil(memory[route].byMb[`${memory[route].stackMb}`]?.meanMs ?? Number.NaN);
    const modelled = { complete: billedAtStack('complete'), webhook: billedAtStack('webhook') };
    const allIn = await measureAllIn(
      stack,
      size.allInPayments,
      Object.values(modelled).every(Number.isFinite) ? modelled : null,
    );
    const assembled = assembleResults({
      size,
      startedAt,
      coldImports,
      phases,
      policy,
      signature,
      v2LatencyMs: V2_LATENCY_MS,
      cpu,
    });
    const results = {
      ...assembled,
      cost: { ...assembled.cost, allIn: allIn.webhookFirst.allIn },
      allIn,
      burst,
    };
    progress('done');
    return { ...results, targets: judgeTargets(results) };
  } finally {
    await stack.stop();
  }
};

/** Registers fresh paid orders with PortOne answering at once, then measures at `latencyMs`. */
const measureAtLatency = async (
  stack: BenchStack,
  size: BenchSize,
  latencyMs: number,
  progress: (line: string) => void,
): Promise<LatencyPhase & { confirmed: PaidOrder[] }> => {
  const systems = [stack.ours, stack.baseline];
  const levels = Object.entries(size.throughput).map(([level, count]) => ({
    level: Number(level),
    count,
  }));
  // Fresh orders for: warm-up (complete then webhook, and redirect), the
  // sequential complete/webhook and redirect blocks, one pool per browser
  // route for the webhook-first blocks, and the throughput levels.
  const perSystem =
    2 * size.warmup +
    (2 + BROWSER_ROUTES.length) * size.latencySamples +
    levels.reduce((sum, l) => sum + l.count, 0);
  progress(`PortOne at ${latencyMs} ms: registering ${perSystem} paid orders per system`);
  await stack.simulator.setLatency(0);
  await stack.simulator.clearCalls();
  const pools = new Map<System, PaidOrder[]>();
  pools.set(stack.ours, await preparePaidOrders(stack.ours, stack.simulator, perSystem));
  // Only ours calls PortOne while registering (the baseline writes its orders directly).
  const setupCalls = await stack.simulator.calls();
  pools.set(stack.baseline, await preparePaidOrders(stack.baseline, stack.simulator, perSystem));
  // Ours on V2 at one latency only: the sequential blocks of V1, no throughput.
  const withV2 = latencyMs === V2_LATENCY_MS;
  const v2Orders = 2 * size.warmup + (2 + BROWSER_ROUTES.length) * size.latencySamples;
  if (withV2) progress(`PortOne at ${latencyMs} ms: registering ${v2Orders} V2 paid orders (ours)`);
  // The wall time the V2 measurements add to the bench: their set-up and blocks.
  let v2Ms = 0;
  const timedV2 = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      v2Ms += performance.now() - started;
    }
  };
  const v2Pool = withV2
    ? await timedV2(() => prepareV2PaidOrders(stack.ours, stack.simulator, v2Orders))
    : [];
  await stack.simulator.setLatency(latencyMs);
  const take = (system: System, count: number) =>
    (pools.get(system) as PaidOrder[]).splice(0, count);
  const takeV2 = (count: number) => v2Pool.splice(0, count);
  const v2: V2Phase = {
    warmup: [],
    latency: [],
    webhookFirst: [],
    afterWebhook: [],
    setup: { orders: v2Pool.length },
    seconds: 0,
  };

  // Connections, JIT and DynamoDB Local's own warm-up, as in a warm container.
  const warmup: Block[] = [];
  for (const system of systems) {
    const paid = take(system, size.warmup);
    warmup.push(await runBlock(stack, system, 'complete', paid));
    warmup.push(await runBlock(stack, system, 'webhook', paid));
    // The browser routes on orders the webhook has confirmed: the read-only answer.
    for (const route of BROWSER_ROUTES) warmup.push(await runBlock(stack, system, route, paid));
    warmup.push(await runBlock(stack, system, 'redirect', take(system, size.warmup)));
  }
  if (withV2) {
    const paidV2 = takeV2(size.warmup);
    v2.warmup.push(await timedV2(() => runV2Block(stack, stack.ours, 'complete', paidV2)));
    v2.warmup.push(await timedV2(() => runV2Block(stack, stack.ours, 'webhook', paidV2)));
    for (const route of BROWSER_ROUTES) {
      v2.warmup.push(await timedV2(() => runV2Block(stack, stack.ours, route, paidV2)));
    }
    v2.warmup.push(
      await timedV2(() => runV2Block(stack, stack.ours, 'redirect', takeV2(size.warmup))),
    );
  }

  progress(
    `PortOne at ${latencyMs} ms: ${size.latencySamples} sequential events per route, each after ${size.limitSamples} of the limit's direct lookups and writes`,
  );
  const latency: Block[] = [];
  const paid = new Map(systems.map((s) => [s, take(s, size.latencySamples)]));
  const redirected = new Map(systems.map((s) => [s, take(s, size.latencySamples)]));
  const paidV2 = takeV2(withV2 ? size.latencySamples : 0);
  const redirectedV2 = takeV2(withV2 ? size.latencySamples : 0);
  // The systems take turns route by route, so that machine noise falls on both (and on V2);
  // the limit is measured in slices, one right before ours' block of each route (bench/limit.ts).
  const limitSource = await openLimit(stack, latencyMs, ROUTES.length, size.limitSamples);
  const limitSamples = {} as Record<Route, LimitSample[]>;
  for (const route of ROUTES) {
    limitSamples[route] = await limitSource.slice();
    for (const system of systems) {
      const orders = (route === 'redirect' ? redirected : paid).get(system) as PaidOrder[];
      latency.push(await runBlock(stack, system, route, orders));
    }
    if (withV2) {
      const orders = route === 'redirect' ? redirectedV2 : paidV2;
      v2.latency.push(await timedV2(() => runV2Block(stack, stack.ours, route, orders)));
    }
  }

  limitSource.close();
  const limit = summarizeLimit(latencyMs, Object.values(limitSamples).flat());
  const limitByRoute = Object.fromEntries(
    ROUTES.map((route) => [route, summarizeLimit(latencyMs, limitSamples[route])]),
  ) as Record<Route, LimitSummary>;

  // The common order in production: the webhook confirms the payment first
  // (measured on its own, fresh orders), then the browser reports it. Each
  // block resets the counters, so the browser block counts only its own work.
  progress(
    `PortOne at ${latencyMs} ms: webhook first, then ${BROWSER_ROUTES.join(' / ')}, ${size.latencySamples} sequential events each`,
  );
  const webhookFirst: Block[] = [];
  const afterWebhook: Block[] = [];
  const confirmedFirst = new Map(
    BROWSER_ROUTES.map((route) => [
      route,
      new Map(systems.map((s) => [s, take(s, size.latencySamples)])),
    ]),
  );
  const confirmedFirstV2 = new Map(
    BROWSER_ROUTES.map((route) => [route, takeV2(withV2 ? size.latencySamples : 0)]),
  );
  for (const route of BROWSER_ROUTES) {
    for (const system of systems) {
      const orders = confirmedFirst.get(route)?.get(system) as PaidOrder[];
      webhookFirst.push(await runBlock(stack, system, 'webhook', orders));
      afterWebhook.push(await runBlock(stack, system, route, orders));
    }
    if (withV2) {
      const orders = confirmedFirstV2.get(route) as V2PaidOrder[];
      v2.webhookFirst.push(await timedV2(() => runV2Block(stack, stack.ours, 'webhook', orders)));
      v2.afterWebhook.push(await timedV2(() => runV2Block(stack, stack.ours, route, orders)));
    }
  }

  progress(
    `PortOne at ${latencyMs} ms: webhook throughput at concurrency ${levels.map((l) => l.level).join(', ')}`,
  );
  const throughput: Block[] = [];
  for (const { level, count } of levels) {
    for (const system of systems) {
      throughput.push(await runBlock(stack, system, 'webhook', take(system, count), level));
    }
  }
  return {
    warmup,
    latency,
    webhookFirst,
    afterWebhook,
    throughput,
    limit,
    limitByRoute,
    ...(withV2 ? { v2: { ...v2, seconds: v2Ms / 1000 } } : {}),
    setup: {
      requests: perSystem,
      tokenFetches: setupCalls.filter((call) => call.route === 'getToken').length,
    },
    confirmed: paid.get(stack.ours) as PaidOrder[],
  };
};
