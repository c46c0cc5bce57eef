import { PRICES } from './cost';
import { type Cell, kib, n, signed, table, x } from './format';
import type { OpsPerEvent } from './phases';
import type { BenchResults } from './results';
import { ROUTES } from './workload';

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
    for (const route of ROUTES) {
      const ours = phase.latency.find((b) => b.system === 'ours' && b.route === route);
      const base = phase.latency.find((b) => b.system === 'baseline' && b.route === route);
      if (!ours || !base) continue;
      const o = ours.roundTrip;
      const b = base.roundTrip;
      rows.push([
        `${ms} ms`,
        route,
        `${n(o.p50)} / ${n(o.p95)} / ${n(o.p99)}`,
        `${n(b.p50)} / ${n(b.p95)} / ${n(b.p99)}`,
        `${x(o.p50, b.p50)} / ${x(o.p95, b.p95)} / ${x(o.p99, b.p99)}`,
        `${n(ours.handler.p50)} / ${n(base.handler.p50)}`,
      ]);
    }
  }
  const samples = r.phases['30'].latency[0]?.roundTrip.n ?? 0;
  // Means add up where percentiles do not: handler = PortOne + DynamoDB + the rest.
  const parts = r.phases['30'].latency.map((b) => [
    `${b.route} ${b.system}`,
    n(b.handler.mean),
    n(b.ops.portoneMs),
    n(b.ops.dynamoDbMs),
    n(b.handler.mean - b.ops.portoneMs - b.ops.dynamoDbMs),
  ]);
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
  for (const route of ROUTES) {
    const o = r.ops.ours[route];
    const b = r.ops.baseline[route];
    rows.push(opsRow(`${route} ours`, o), opsRow(`${route} baseline`, b));
    const keys = [
      'portoneCalls',
      'tokenFetches',
      'reads',
      'writes',
      'rcu',
      'wcu',
      'indexWcu',
    ] as const;
    rows.push([`${route} ratio`, ...keys.map((k) => x(o[k], b[k]))]);
  }
  const { policy, run } = r.tokens;
  return [
    `3. Per happy-path event (mean over ${r.ops.ours.complete.events} warm events per route; the webhook is the one after complete)`,
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
  const { ours, baseline } = r.cost;
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
  ]);
  const billed = (ms: number[]) => ms.map((m) => n(m, 1)).join(' + ');
  return [
    '5. Cost per million payments (USD, list prices)',
    table(['line', 'ours', 'baseline', 'ratio'], rows),
    `Per payment: billed ms (complete + webhook) ours ${billed(ours.billedMs)}, baseline ${billed(baseline.billedMs)};` +
      ` WRU ours ${n(ours.writeUnits, 2)}, baseline ${n(baseline.writeUnits, 2)}; RRU ours ${n(ours.readUnits, 2)}, baseline ${n(baseline.readUnits, 2)}.`,
    `Prices (${PRICES.region}): Lambda arm64 $${PRICES.lambdaArm64PerGbSecond} per GB-s, $${PRICES.lambdaPerMillionRequests} per million requests;` +
      ` HTTP API $${PRICES.httpApiPerMillionRequests} per million; DynamoDB on-demand $${PRICES.dynamoDbPerMillionWriteUnits} per million WRU,` +
      ` $${PRICES.dynamoDbPerMillionReadUnits} per million RRU; ${r.cost.memoryMb} MB functions.`,
    ...r.cost.assumptions.map((line) => `  ${line}`),
  ].join('\n');
};

const targets = (r: BenchResults) =>
  [
    '6. Targets',
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
    targets(r),
  ].join('\n\n');
};
