/**
 * CPU per warm event in the handler (issue 15 item 2). On Lambda, CPU is
 * proportional to memory (one vCPU at 1,769 MB), so every millisecond of CPU
 * here is several on Lambda, on every request and every bill. Each function
 * runs as its production bundle in a process of its own (bench/cpu-worker.ts),
 * DynamoDB Local and the PortOne simulator in theirs, and the process's CPU
 * time is read around each `await handler(event)` alone: ours on V1 and on
 * V2 and the baseline, per route, fresh paid orders (not yet confirmed), the
 * first events of each process discarded (connections, the token, the JIT).
 *
 * `npx tsx bench/cpu.ts` runs it alone (CPU_EVENTS=N per process, default 100).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { esbuildOptions } from '../lib/bundling';
import { DEFAULT_API_KEY, DEFAULT_API_SECRET } from '../simulator/portone/defaults';
import { BASELINE_BUNDLE, BUILD_DIR, buildBundles, REPO_ROOT } from './bundles';
import { coldImportEnv } from './cold-import';
import { type CpuSample, cpuWorkerScript } from './cpu-worker';
import { apiGatewayEvent, type HttpCall, PORTONE_WEBHOOK_IP } from './lambda-event';
import { portoneTarget, prepareLimitItems, rawKey } from './limit';
import {
  BENCH_ORIGIN,
  type BenchStack,
  oursEnv,
  RESULT_PAGE_URL,
  type System,
  startBenchStack,
} from './stack';
import { type Summary, summarize } from './stats';
import {
  EXPECTED,
  type PaidOrder,
  preparePaidOrders,
  prepareV2PaidOrders,
  ROUTES,
  type Route,
  signedV2Webhook,
  type V2PaidOrder,
} from './workload';

/** The issue's bound on ours' CPU per warm event, p50, for complete, redirect and webhook. */
export const CPU_P50_TARGET_MS = 1.5;
/** The PortOne latency during the CPU phase: the realistic round trip (waiting costs no CPU). */
export const CPU_PORTONE_LATENCY_MS = 30;

export type CpuApi = 'v1' | 'v2';
/** Ours, the baseline, and the limit's work alone (bench/cpu-limit-handler.ts). */
export type CpuSystem = System['name'] | 'limit';
export interface CpuRow {
  system: CpuSystem;
  api: CpuApi;
  route: Route;
  /** CPU time of the process around the handler, ms per event. */
  cpuMs: Summary;
  /** Of cpuMs, the kernel's time. */
  systemMs: Summary;
  /** Wall time around the handler in the same process, ms per event. */
  wallMs: Summary;
  /** Per event, wall time minus CPU time: what the handler waited for. */
  waitMs: Summary;
}

export interface CpuResults {
  latencyMs: number;
  /** Events per process: measured, and discarded before them. */
  events: number;
  warmup: number;
  rows: CpuRow[];
}

/**
 * The eleven processes: ours on V1 and V2, and the baseline (V1 only), per
 * route; and the limit's work alone, without and with the read (the floors).
 */
export const CPU_SUBJECTS: readonly { system: CpuSystem; api: CpuApi; route: Route }[] = [
  ...ROUTES.flatMap((route) => [
    { system: 'ours' as const, api: 'v1' as const, route },
    { system: 'ours' as const, api: 'v2' as const, route },
    { system: 'baseline' as const, api: 'v1' as const, route },
  ]),
  // The limit's work alone: 'webhook' the lookup and the UpdateItem, 'complete' the GetItem first too.
  { system: 'limit', api: 'v1', route: 'webhook' },
  { system: 'limit', api: 'v1', route: 'complete' },
];

/** Where bench/bundles.ts builds the limit's handler. */
export const CPU_LIMIT_BUNDLE = 'cpu-limit';

/** The request a real caller sends for a V1 paid order: the shop's page, its redirect, PortOne. */
export const v1Call = (route: Route, order: PaidOrder): HttpCall => {
  const ids = { imp_uid: order.impUid, merchant_uid: order.merchantUid };
  if (route === 'redirect') {
    return { method: 'GET', path: '/payments/complete', query: { ...ids, imp_success: 'true' } };
  }
  if (route === 'complete') {
    // As the shop's page posts it: a CORS simple request (local/shop/browser/verify-request.ts).
    return {
      method: 'POST',
      path: '/payments/complete',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: BENCH_ORIGIN },
      body: JSON.stringify(ids),
    };
  }
  return {
    method: 'POST',
    path: '/payments/webhook',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...ids, status: 'paid' }),
    sourceIp: PORTONE_WEBHOOK_IP,
  };
};

/** V2's: POST /v2/payments/complete, the redirectUrl return, a signed Transaction.Paid (signed now). */
export const v2Call = (route: Route, order: V2PaidOrder): HttpCall => {
  if (route === 'redirect') {
    return {
      method: 'GET',
      path: '/v2/payments/complete',
      query: { paymentId: order.paymentId, transactionType: 'PAYMENT', txId: order.transactionId },
    };
  }
  if (route === 'complete') {
    return {
      method: 'POST',
      path: '/v2/payments/complete',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: BENCH_ORIGIN },
      body: JSON.stringify({ paymentId: order.paymentId }),
    };
  }
  const { body, headers } = signedV2Webhook(order);
  return {
    method: 'POST',
    path: '/v2/payments/webhook',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    sourceIp: PORTONE_WEBHOOK_IP,
  };
};

/** The bundle bench/bundles.ts builds for a function (or the baseline, one bundle for its routes). */
const bundleOf = (system: CpuSystem, route: Route) =>
  join(
    BUILD_DIR,
    system === 'baseline' ? BASELINE_BUNDLE : system === 'limit' ? CPU_LIMIT_BUNDLE : route,
    'index.js',
  );

/**
 * What the deployed function's environment holds (bench/stack.ts oursEnv),
 * with DynamoDB Local's credentials and region (one database per key and
 * region: the bench stack's) and the application's log level as deployed,
 * its lines written to /dev/null rather than counted.
 */
const workerEnv = (stack: BenchStack, system: System): Record<string, string> => {
  const base = {
    ...coldImportEnv(),
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_CONFIG_FILE: join(BUILD_DIR, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(BUILD_DIR, 'no-aws-credentials'),
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  if (system.name === 'ours') {
    return { ...base, ...oursEnv(stack.dynamodbEndpoint, system.tableName, stack.simulatorUrl) };
  }
  return {
    ...base,
    TABLE_NAME: system.tableName,
    DYNAMODB_ENDPOINT: stack.dynamodbEndpoint,
    PORTONE_API_URL: stack.simulatorUrl,
    PORTONE_API_KEY: DEFAULT_API_KEY,
    PORTONE_API_SECRET: DEFAULT_API_SECRET,
    RESULT_PAGE_URL,
  };
};

const WORKER_TIMEOUT_MS = 300_000;

/** One process: the bundle, the events over IPC, one sample per event back. */
const runWorker = (
  bundle: string,
  env: Record<string, string>,
  events: unknown[],
): Promise<CpuSample[]> =>
  new Promise((resolve, reject) => {
    // CPU_PROFILE=<dir> writes each process's V8 CPU profile there (open it in Chrome's DevTools).
    const profile = process.env.CPU_PROFILE
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.CPU_PROFILE]
      : [];
    const child = spawn(process.execPath, [...profile, '-e', cpuWorkerScript(bundle)], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let samples: CpuSample[] | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
    child.stderr?.on('data', (chunk) => (stderr = `${stderr}${chunk}`.slice(-2000)));
    child.on('message', (message) => (samples = message as CpuSample[]));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (samples) resolve(samples);
      else reject(new Error(`CPU worker for ${bundle} exited with ${code}: ${stderr}`));
    });
    child.send(events);
  });

/** Throws unless every event got the happy path's answer: a fast failure is never measured as cheap. */
const checkSamples = (
  what: string,
  route: Route,
  expected: readonly string[],
  samples: CpuSample[],
) => {
  const okStatus = route === 'redirect' ? 302 : 200;
  const bad = samples.find((s) => s.status !== okStatus || !expected.includes(s.word ?? ''));
  if (bad) {
    throw new Error(`${what}: ${bad.status} ${bad.word ?? ''} ${bad.error ?? ''}`.trim());
  }
};

export const measureCpu = async (
  stack: BenchStack,
  options: { events: number; warmup: number; progress?: (line: string) => void },
): Promise<CpuResults> => {
  const rows: CpuRow[] = [];
  const count = options.events + options.warmup;
  // Our functions' bundles are the run's (bench/bundles.ts); the limit's handler is built here.
  await build(
    esbuildOptions(join(REPO_ROOT, 'bench', 'cpu-limit-handler.ts'), bundleOf('limit', 'webhook')),
  );
  const only = process.env.CPU_ONLY; // e.g. 'ours v1 webhook': one process, for profiling
  for (const { system: name, api, route } of CPU_SUBJECTS.filter(
    (s) => !only || `${s.system} ${s.api} ${s.route}` === only,
  )) {
    options.progress?.(`CPU: ${count} events of ${name} ${api} ${route} in its own process`);
    await stack.simulator.setLatency(0);
    if (name === 'limit') {
      rows.push(await measureLimitCpu(stack, count, options.warmup, route === 'complete'));
      continue;
    }
    const system = name === 'ours' ? stack.ours : stack.baseline;
    const calls =
      api === 'v2'
        ? (await prepareV2PaidOrders(system, stack.simulator, count)).map(
            (order) => () => v2Call(route, order),
          )
        : (await preparePaidOrders(system, stack.simulator, count)).map(
            (order) => () => v1Call(route, order),
          );
    await stack.simulator.setLatency(CPU_PORTONE_LATENCY_MS);
    const events = calls.map((call, i) =>
      apiGatewayEvent(call(), `cpu-${name}-${api}-${route}-${i}`),
    );
    const samples = await runWorker(bundleOf(name, route), workerEnv(stack, system), events);
    checkSamples(`${name} ${api} ${route}`, route, EXPECTED[name][route], samples);
    rows.push(rowOf(name, api, route, samples.slice(options.warmup)));
  }
  return {
    latencyMs: CPU_PORTONE_LATENCY_MS,
    events: options.events,
    warmup: options.warmup,
    rows,
  };
};

const rowOf = (system: CpuSystem, api: CpuApi, route: Route, measured: CpuSample[]): CpuRow => ({
  system,
  api,
  route,
  cpuMs: summarize(measured.map((s) => s.cpuMs)),
  systemMs: summarize(measured.map((s) => s.systemMs)),
  wallMs: summarize(measured.map((s) => s.wallMs)),
  waitMs: summarize(measured.map((s) => s.wallMs - s.cpuMs)),
});

/** The limit's own work (one lookup, one UpdateItem) per event, its bundle in its own process. */
const measureLimitCpu = async (
  stack: BenchStack,
  count: number,
  warmup: number,
  withRead: boolean,
) => {
  const client = new DynamoDBClient({
    endpoint: stack.dynamodbEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { order, update, uids } = await prepareLimitItems(stack, client, 'cpu-limit', count);
    const portone = await portoneTarget(stack.simulatorUrl, order.impUid);
    await stack.simulator.setLatency(CPU_PORTONE_LATENCY_MS);
    const events = uids.map((uid, i) => ({
      requestContext: { requestId: `cpu-limit-${i}` },
      portone,
      update: { TableName: stack.ours.tableName, Key: rawKey(uid), ...update },
      ...(withRead
        ? { read: { TableName: stack.ours.tableName, Key: rawKey(uid), ConsistentRead: true } }
        : {}),
    }));
    const samples = await runWorker(
      bundleOf('limit', 'webhook'),
      workerEnv(stack, stack.ours),
      events,
    );
    const route = withRead ? 'complete' : 'webhook';
    checkSamples('the limit', 'webhook', ['limit'], samples);
    return rowOf('limit', 'v1', route, samples.slice(warmup));
  } finally {
    client.destroy();
  }
};

export const cpuRow = (
  cpu: CpuResults,
  system: CpuSystem,
  api: CpuApi,
  route: Route,
): CpuRow | undefined =>
  cpu.rows.find((r) => r.system === system && r.api === api && r.route === route);

const main = async () => {
  process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (!existsSync(bundleOf('ours', 'webhook')) || process.env.CPU_BUILD !== '0')
    await buildBundles();
  const stack = await startBenchStack();
  try {
    const cpu = await measureCpu(stack, {
      events: Number(process.env.CPU_EVENTS ?? 100),
      warmup: 10,
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    const f = (v: number) => v.toFixed(2).padStart(6);
    console.log(
      'system    api route     cpu mean   p50    p99 | sys p50 | wall p50  wait p50 (ms)',
    );
    for (const r of cpu.rows) {
      console.log(
        `${r.system.padEnd(9)} ${r.api}  ${r.route.padEnd(9)} ${f(r.cpuMs.mean)} ${f(r.cpuMs.p50)} ${f(r.cpuMs.p99)} | ${f(r.systemMs.p50)} | ${f(r.wallMs.p50)}  ${f(r.waitMs.p50)}`,
      );
    }
  } finally {
    await stack.stop();
  }
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
