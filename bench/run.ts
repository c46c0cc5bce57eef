import { measureBundles } from './cold-phase';
import { type Block, measureTokenPolicy, runBlock } from './phases';
import { assembleResults, type BenchResults, type ByLatency, type LatencyPhase } from './results';
import { type BenchSize, LATENCIES_MS } from './sizes';
import { type BenchStack, type System, startBenchStack } from './stack';
import { judgeTargets } from './targets';
import { BROWSER_ROUTES, type PaidOrder, preparePaidOrders, ROUTES } from './workload';

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
    const results = assembleResults({ size, startedAt, coldImports, phases, policy });
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
  await stack.simulator.setLatency(latencyMs);
  const take = (system: System, count: number) =>
    (pools.get(system) as PaidOrder[]).splice(0, count);

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

  progress(`PortOne at ${latencyMs} ms: ${size.latencySamples} sequential events per route`);
  const latency: Block[] = [];
  const paid = new Map(systems.map((s) => [s, take(s, size.latencySamples)]));
  const redirected = new Map(systems.map((s) => [s, take(s, size.latencySamples)]));
  // The systems take turns route by route, so that machine noise falls on both.
  for (const route of ROUTES) {
    for (const system of systems) {
      const orders = (route === 'redirect' ? redirected : paid).get(system) as PaidOrder[];
      latency.push(await runBlock(stack, system, route, orders));
    }
  }

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
  for (const route of BROWSER_ROUTES) {
    for (const system of systems) {
      const orders = confirmedFirst.get(route)?.get(system) as PaidOrder[];
      webhookFirst.push(await runBlock(stack, system, 'webhook', orders));
      afterWebhook.push(await runBlock(stack, system, route, orders));
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
    setup: {
      requests: perSystem,
      tokenFetches: setupCalls.filter((call) => call.route === 'getToken').length,
    },
    confirmed: paid.get(stack.ours) as PaidOrder[],
  };
};
