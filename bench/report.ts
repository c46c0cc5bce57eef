import { allInSection } from './all-in-report';
import { formatBurst } from './burst-report';
import { PRICES } from './cost';
import { cpuSection } from './cpu-report';
import { type Cell, kib, n, signed, table, x } from './format';
import { limitSection } from './limit-report';
import type { Block, OpsPerEvent } from './phases';
import type { BenchResults, LatencyPhase, V2Phase } from './results';
import { BROWSER_ROUTES, ROUTES, type Route } from './workload';

/**
 * The sequential blocks of a phase with their table labels: complete (payment
 * not yet confirmed), the webhook after it, redirect; then webhook first on
 * fresh payments, and complete / redirect on them once confirmed.
 */
const sequentialBlocks = (
  phase: Pick<LatencyPhase | V2Phase, 'latency' | 'webhookFirst' | 'afterWebhook'>,
): { label: string; blocks: Block[] }[] => [
  ...ROUTES.map((route) => ({
    label: route,
    blocks: phase.latency.filter((b) => b.route === route),
  })),
  { label: 'webhook first', blocks: phase.webhookFirst },
  ...BROWSER_ROUTES.map((route) => ({
    label: `${route} after webhook`,
    blocks: phase.afterWebhook.filter((b) => b.route === route),
  })),
];

/** The first block of `system` (the webhook-first rows have one per browser route; they match). */
const of = (blocks: Block[], system: string) => blocks.find((b) => b.system === system);

const bundles = (r: BenchResults) => {
  const { nodeOnly, node, sdkFloors } = r.coldImports;
  const base = r.coldImports.bundles.find((b) => b.name === 'baseline');
  const rows = r.coldImports.bundles.map((b) => [
    b.name,
    kib(b.bytes),
    base ? x(b.bytes, base.bytes) : '-',
    n(b.coldImport.p50),
    signed(b.overNodeMs),
    base ? x(b.overNodeMs, base.overNodeMs) : '-',
    signed(b.sdkFloorOverNodeMs),
    signed(b.oursOverFloorMs),
    b.topInputs
      .slice(0, 3)
      .map((i) => `${i.input.replace('node_modules/', '')} ${kib(i.bytes)}`)
      .join(', '),
  ]);
  const floors = sdkFloors.map((f) => {
    const users = r.coldImports.bundles.filter((b) => b.sdkFloor === f.name).map((b) => b.name);
    return `  ${f.name} (${users.join(', ')}): ${kib(f.bytes)}, ${n(f.coldImport.p50)} ms, ${signed(f.overNodeMs)} over node`;
  });
  return [
    `1. Bundles (minified, as deployed) and cold import, median of ${nodeOnly.n} fresh \`node -e\` processes on Node ${node.version}`,
    table(
      [
        'bundle',
        'size',
        'ratio',
        'import ms',
        'over node',
        'ratio',
        'SDK floor',
        'ours',
        'largest inputs',
      ],
      [['node -e 0', '-', '-', n(nodeOnly.p50), '-', '-', '-', '-', ''], ...rows],
      'lrrrrrrrl',
    ),
    '"SDK floor": a bundle that only imports and constructs the AWS SDK clients found in this one (its esbuild',
    '  metafile), built with the same options (tree shaking, credentials alias) and timed in the same loop, over node;',
    '"ours": our code and its module-scope set-up (over node minus SDK floor); a few ms up or down, below zero',
    '  too, is run-to-run noise. The SDK floors:',
    ...floors,
  ].join('\n');
};

const latency = (r: BenchResults) => {
  const rows: Cell[][] = [];
  for (const [ms, phase] of Object.entries(r.phases)) {
    for (const { label, blocks } of sequentialBlocks(phase)) {
      const ours = of(blocks, 'ours');
      const base = of(blocks, 'baseline');
      if (!ours || !base) continue;
      const o = ours.roundTrip;
      const b = base.roundTrip;
      rows.push([
        `${ms} ms`,
        label,
        `${n(o.p50)} / ${n(o.p95)} / ${n(o.p99)}`,
        `${n(b.p50)} / ${n(b.p95)} / ${n(b.p99)}`,
        `${x(o.p50, b.p50)} / ${x(o.p95, b.p95)} / ${x(o.p99, b.p99)}`,
        `${n(ours.handler.p50)} / ${n(base.handler.p50)}`,
      ]);
    }
  }
  const samples = r.phases['30'].latency[0]?.roundTrip.n ?? 0;
  // Means add up where percentiles do not: handler = PortOne + DynamoDB + the rest.
  const parts = sequentialBlocks(r.phases['30']).flatMap(({ label, blocks }) =>
    ['ours', 'baseline'].flatMap((system) => {
      const b = of(blocks, system);
      return b
        ? [
            [
              `${label} ${system}`,
              n(b.handler.mean),
              n(b.ops.portoneMs),
              n(b.ops.dynamoDbMs),
              n(b.handler.mean - b.ops.portoneMs - b.ops.dynamoDbMs),
            ],
          ]
        : [];
    }),
  );
  return [
    `2. Latency through the local HTTP API, ms (${samples} sequential events per route, system and PortOne latency)`,
    table(
      [
        'PortOne',
        'route',
        'ours p50/p95/p99',
        'baseline p50/p95/p99',
        'ratio',
        'in handler p50 ours/base',
      ],
      rows,
      'llrrrr',
    ),
    '"webhook first": the webhook on fresh payments (shown: the block before "complete after webhook"; one more',
    '  precedes "redirect after webhook"); "after webhook": the browser then reports those confirmed payments:',
    '  ours answers from the order (one read), the baseline verifies again.',
    '',
    'Where the handler time goes at 30 ms PortOne latency (mean ms per event):',
    table(
      ['route / system', 'in handler', 'PortOne calls', 'DynamoDB', 'rest (CPU, queueing)'],
      parts,
    ),
  ].join('\n');
};

const opsRow = (label: string, o: OpsPerEvent): Cell[] => [
  label,
  n(o.portoneCalls, 2),
  n(o.tokenFetches, 2),
  n(o.reads, 2),
  n(o.writes, 2),
  n(o.rcu, 2),
  n(o.wcu, 2),
  n(o.indexWcu, 2),
];

const ops = (r: BenchResults) => {
  const rows: Cell[][] = [];
  const keys = [
    'portoneCalls',
    'tokenFetches',
    'reads',
    'writes',
    'rcu',
    'wcu',
    'indexWcu',
  ] as const;
  const add = (label: string, o: OpsPerEvent, b: OpsPerEvent) => {
    rows.push(opsRow(`${label} ours`, o), opsRow(`${label} baseline`, b));
    rows.push([`${label} ratio`, ...keys.map((k) => x(o[k], b[k]))]);
  };
  for (const route of ROUTES) add(route, r.ops.ours[route], r.ops.baseline[route]);
  const first = r.opsWebhookFirst;
  add('webhook first', first.ours.webhook, first.baseline.webhook);
  for (const route of BROWSER_ROUTES) {
    add(`${route} after webhook`, first.ours[route], first.baseline[route]);
  }
  const { policy, run } = r.tokens;
  return [
    `3. Per happy-path event (mean over ${r.ops.ours.complete.events} warm events per row, ${r.opsWebhookFirst.ours.webhook.events} for "webhook first"): complete and redirect on a payment not yet`,
    '   confirmed, the webhook after complete; then the common order in production: "webhook first" on a fresh',
    '   payment, counters reset, and complete or redirect "after webhook" on it',
    table(
      [
        'route / system',
        'PortOne calls',
        'of them tokens',
        'reads',
        'writes',
        'RCU',
        'WCU',
        'of it index',
      ],
      rows,
    ),
    'Capacity units: ReturnConsumedCapacity INDEXES as DynamoDB Local reports it; "of it index" is the part',
    "spent keeping the recheck index (our reconciler's) up to date; the baseline has no reconciler.",
    `Token fetches per 1,000 events: ours ${n(run.ours.perThousandEvents, 2)} over this run's ${run.ours.requests} requests in real time` +
      ` (${run.ours.fetches} token fetch${run.ours.fetches === 1 ? '' : 'es'}), ${n(policy.perThousandEvents, 1)} over ${policy.events} webhooks spread over ${n(policy.spanMinutes, 0)} simulated minutes;` +
      ` baseline ${n(run.baseline.perThousandEvents, 0)}.`,
    `  Cache policy: ${r.tokens.cachePolicy}.`,
    `  Simulated: fetched at minute ${policy.fetchedAtMinutes.map((m) => n(m, 1)).join(', ') || '-'};` +
      ` busiest 25 minutes: ${policy.maxPer25Minutes} fetch(es).`,
  ].join('\n');
};

const throughput = (r: BenchResults) => {
  const rows: Cell[][] = [];
  for (const [ms, phase] of Object.entries(r.phases)) {
    for (const ours of phase.throughput.filter((b) => b.system === 'ours')) {
      const base = phase.throughput.find(
        (b) => b.system === 'baseline' && b.concurrency === ours.concurrency,
      );
      if (!base) continue;
      rows.push([
        `${ms} ms`,
        ours.concurrency,
        ours.ops.events,
        n(ours.eventsPerSecond, 0),
        n(base.eventsPerSecond, 0),
        x(ours.eventsPerSecond, base.eventsPerSecond),
        `${n(ours.roundTrip.p50)} / ${n(base.roundTrip.p50)}`,
        `${n(ours.ops.dynamoDbMs)} / ${n(base.ops.dynamoDbMs)}`,
        `${n(ours.cpuMsPerEvent, 2)} / ${n(base.cpuMsPerEvent, 2)}`,
      ]);
    }
  }
  // In AWS every concurrent request has a container of its own: concurrency / handler time.
  const handler = (system: string) =>
    r.phases['30'].latency.find((b) => b.system === system && b.route === 'webhook')?.handler
      .mean ?? Number.NaN;
  const model = (system: string) => (32 * 1000) / handler(system);
  return [
    '4. Webhook throughput, events/s (fresh paid payments; one Node process serves, one DynamoDB Local stores)',
    table(
      [
        'PortOne',
        'concurrency',
        'events',
        'ours',
        'baseline',
        'ratio',
        'p50 ms ours/base',
        'DynamoDB ms ours/base',
        'CPU ms/event ours/base',
      ],
      rows,
    ),
    'CPU ms/event: this process (API server, handlers, load generator), not the simulator or DynamoDB Local.',
    `Not measured, for scale: with one container per concurrent request (Lambda), 32 / the sequential` +
      ` webhook handler time at 30 ms gives ours ${n(model('ours'), 0)}/s, baseline ${n(model('baseline'), 0)}/s` +
      ` (${x(model('ours'), model('baseline'))}).`,
  ].join('\n');
};

const cost = (r: BenchResults) => {
  const { ours, baseline, oursWebhookFirst, baselineWebhookFirst } = r.cost;
  const lines = [
    ['HTTP API requests', 'httpApi'],
    ['Lambda requests', 'lambdaRequests'],
    ['Lambda duration', 'lambdaDuration'],
    ['DynamoDB writes', 'dynamoDbWrites'],
    ['DynamoDB reads', 'dynamoDbReads'],
    ['Total', 'total'],
  ] as const;
  const rows = lines.map(([label, key]) => [
    label,
    `$${n(ours[key], 2)}`,
    `$${n(baseline[key], 2)}`,
    x(ours[key], baseline[key]),
    `$${n(oursWebhookFirst[key], 2)}`,
    `$${n(baselineWebhookFirst[key], 2)}`,
    x(oursWebhookFirst[key], baselineWebhookFirst[key]),
  ]);
  const billed = (ms: number[]) => ms.map((m) => n(m, 1)).join(' + ');
  const perPayment = (label: string, o: typeof ours, b: typeof baseline) =>
    `  ${label}: billed ms ours ${billed(o.billedMs)}, baseline ${billed(b.billedMs)};` +
    ` WRU ours ${n(o.writeUnits, 2)}, baseline ${n(b.writeUnits, 2)}; RRU ours ${n(o.readUnits, 2)}, baseline ${n(b.readUnits, 2)}.`;
  return [
    '5. Cost per million payments (USD, list prices), complete first and webhook first',
    table(
      [
        'line',
        'ours',
        'baseline',
        'ratio',
        'ours, webhook first',
        'baseline, webhook first',
        'ratio',
      ],
      rows,
    ),
    'Per payment:',
    perPayment('complete first (complete + webhook)', ours, baseline),
    perPayment('webhook first (webhook + complete)', oursWebhookFirst, baselineWebhookFirst),
    `Prices (${PRICES.region}): Lambda arm64 $${PRICES.lambdaArm64PerGbSecond} per GB-s, $${PRICES.lambdaPerMillionRequests} per million requests;` +
      ` HTTP API $${PRICES.httpApiPerMillionRequests} per million; DynamoDB on-demand $${PRICES.dynamoDbPerMillionWriteUnits} per million WRU,` +
      ` $${PRICES.dynamoDbPerMillionReadUnits} per million RRU; ${r.cost.memoryMb} MB functions.`,
    ...r.cost.assumptions.map((line) => `  ${line}`),
  ].join('\n');
};

const v2Shares = (r: BenchResults) =>
  r.coldImports.bundles
    .filter((b) => b.name !== 'baseline')
    .map((b) => `${b.name} ${kib(b.v2Bytes)} (${n((b.v2Bytes / b.bytes) * 100)}%)`)
    .join(', ');

/** Ours on V1 and on V2 at the same PortOne latency: round trips, handler time, per-event work. */
const v1AndV2 = (r: BenchResults) => {
  const ms = r.v2.latencyMs;
  const phase = r.phases[`${ms}` as keyof BenchResults['phases']];
  const v1Rows = sequentialBlocks(phase);
  const v2Rows = phase.v2 ? sequentialBlocks(phase.v2) : [];
  const opsFor = (label: string, v1: boolean) => {
    const first = label === 'webhook first' || label.endsWith('after webhook');
    const route = (label === 'webhook first' ? 'webhook' : label.split(' ')[0]) as Route;
    const source = v1
      ? first
        ? r.opsWebhookFirst.ours
        : r.ops.ours
      : first
        ? r.v2.opsWebhookFirst
        : r.v2.ops;
    return source[route];
  };
  const rows: Cell[][] = [];
  for (const { label, blocks } of v1Rows) {
    const v1 = of(blocks, 'ours');
    const v2 = of(v2Rows.find((row) => row.label === label)?.blocks ?? [], 'ours');
    if (!v1 || !v2) continue;
    const o1 = opsFor(label, true);
    const o2 = opsFor(label, false);
    const a = v1.roundTrip;
    const b = v2.roundTrip;
    rows.push([
      label,
      `${n(a.p50)} / ${n(a.p95)} / ${n(a.p99)}`,
      `${n(b.p50)} / ${n(b.p95)} / ${n(b.p99)}`,
      x(b.p50, a.p50),
      `${n(v1.handler.p50)} / ${n(v2.handler.p50)}`,
      `${n(o1.portoneCalls, 2)} / ${n(o2.portoneCalls, 2)}`,
      `${n(o1.reads, 2)} / ${n(o2.reads, 2)}`,
      `${n(o1.writes, 2)} / ${n(o2.writes, 2)}`,
    ]);
  }
  const sig = r.v2.signature;
  const us = (t: { name: string; us: { mean: number; p50: number; p99: number } }) =>
    `  ${t.name}: mean ${n(t.us.mean)} / p50 ${n(t.us.p50)} / p99 ${n(t.us.p99)} µs`;
  const samples = phase.v2?.latency[0]?.roundTrip.n ?? 0;
  return [
    `6. PortOne V1 and V2 side by side, ours at ${ms} ms PortOne latency (${samples} sequential events per row;`,
    '   V2 on /v2/payments/complete (POST, and GET as the redirect) and /v2/payments/webhook, signed; each V2',
    "   block runs right after V1's; calls / reads / writes per event, V1 over both latencies, V2 at this one)",
    table(
      [
        'route',
        'V1 p50/p95/p99 ms',
        'V2 p50/p95/p99 ms',
        'V2/V1 p50',
        'in handler p50 V1/V2',
        'PortOne calls V1/V2',
        'reads V1/V2',
        'writes V1/V2',
      ],
      rows,
    ),
    `V2 webhook signature verification alone (no I/O; ${sig.iterations} calls each, cycling ${sig.deliveries} signed`,
    `  Transaction.Paid deliveries of ${sig.bodyBytes} bytes, one call timed at a time):`,
    us(sig.verify),
    us(sig.verifyRotating),
    us(sig.open),
    `The V2 measurements added ${n(r.v2.seconds)} s to this run (signature timing, V2 set-up and blocks).`,
    `Bundles: V2 shares V1's functions, so section 1's sizes and cold imports include the V2 code; of each bundle,`,
    `  V2's own (functions/adapters/portone-v2/, functions/*/v2-*.ts, @portone/server-sdk): ${v2Shares(r)}.`,
  ].join('\n');
};

const targets = (r: BenchResults) =>
  [
    '7. Targets',
    table(
      ['verdict', 'target', 'measured'],
      r.targets.map((t) => [t.pass ? 'PASS' : 'MISS', t.name, t.measured]),
      'lll',
    ),
  ].join('\n');

/** The plain-text report `npm run bench` prints. */
export const formatReport = (r: BenchResults): string => {
  const m = r.machine;
  return [
    [
      `PortOne payments benchmark (${r.size}): \`${r.command}\`, ${r.timestamp}, ${n(r.durationSeconds, 0)} s`,
      `Machine: ${m.cpuModel} x ${m.cpus}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}, load average ${m.loadAverage.join(' ')}`,
      "Ratios are ours / baseline: the algorithm of PortOne's docs (bench/baseline/, never deployed).",
    ].join('\n'),
    bundles(r),
    latency(r),
    ops(r),
    throughput(r),
    cost(r),
    v1AndV2(r),
    formatBurst(r.burst),
    targets(r),
    limitSection(r),
    allInSection(r),
    cpuSection(r),
  ].join('\n\n');
};
