/**
 * The cold-start burst (issue 15 item 5): N fresh processes at once, each a
 * real cold start of a production bundle (built with the deployed esbuild
 * options, lib/bundling.ts) handling one real paid order, then exiting, as
 * N new Lambda containers would on a sudden burst. Counted: token fetches
 * at PortOne, reads of the PortOne secret, time from spawn to answer, errors.
 *
 * `npm run bench:burst` (or `npx tsx bench/burst.ts`) runs it alone;
 * BURST_PROCESSES=N sets the burst's size (default 50; BENCH_SIZE=smoke: 3).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { createRuntime } from '../functions/runtime/deps';
import {
  completeHandler,
  ordersHandler,
  redirectHandler,
  webhookHandler,
} from '../functions/runtime/handlers';
import { esbuildOptions } from '../lib/bundling';
import { startApiServer } from '../local/api-server';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { createPaymentsTable } from '../local/table';
import { DEFAULT_API_KEY, DEFAULT_API_SECRET } from '../simulator/portone/defaults';
import { silentLog } from '../test/fakes/log';
import { BUILD_DIR, REPO_ROOT } from './bundles';
import { type Counter, startPortOneTap, startSecretsCounter } from './burst-counters';
import { formatBurst } from './burst-report';
import {
  type BurstResults,
  type BurstRun,
  type ProcessOutcome,
  summarizeBurst,
} from './burst-summary';
import {
  ANSWER_MARK,
  type BurstRoute,
  burstEvent,
  parseAnswer,
  workerScript,
} from './burst-worker';
import { coldImportEnv } from './cold-import';
import { countingDocumentClient } from './instrument';
import { startSimulatorProcess } from './simulator-process';
import { sizeFromEnv } from './sizes';
import { oursConfig, type System } from './stack';
import { type PaidOrder, preparePaidOrders } from './workload';

export type { BurstResults, BurstRun } from './burst-summary';

export const BURST_ROUTES: readonly BurstRoute[] = ['webhook', 'complete'];
/** PortOne's latency during the burst: the realistic round trip the latency targets use. */
export const BURST_PORTONE_LATENCY_MS = 30;
/** A worker that has not answered by then is killed and counted as an error. */
const WORKER_TIMEOUT_MS = 120_000;

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:portone-burst';
const ORIGIN = 'https://shop.example';

export interface BurstOptions {
  processes: number;
  routes?: readonly BurstRoute[];
  /** Use this DynamoDB (Local) instead of starting one. */
  dynamodbEndpoint?: string;
  progress?: (line: string) => void;
}

/** The burst size: BURST_PROCESSES, else 50 at the full size and 3 at BENCH_SIZE=smoke. */
export const burstProcesses = (
  size: 'full' | 'smoke',
  given: string | undefined = process.env.BURST_PROCESSES,
): number => {
  if (given === undefined || given === '') return size === 'smoke' ? 3 : 50;
  const count = Number(given);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new Error(`BURST_PROCESSES must be an integer from 1 to 1000, got "${given}"`);
  }
  return count;
};

/** The route's production bundle, built as `cdk deploy` builds it, into its own folder. */
const buildBundle = async (route: BurstRoute): Promise<string> => {
  const dir = join(BUILD_DIR, 'burst', route);
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'index.js');
  await build(esbuildOptions(join(REPO_ROOT, 'functions', route, 'handler.ts'), outfile));
  return outfile;
};

export const runBurst = async (options: BurstOptions): Promise<BurstResults> => {
  const routes = options.routes ?? BURST_ROUTES;
  const progress = options.progress ?? (() => {});
  const stops: (() => Promise<void>)[] = [];
  try {
    const bundles = new Map<BurstRoute, string>();
    for (const route of routes) bundles.set(route, await buildBundle(route));

    const dynamodb = options.dynamodbEndpoint ? null : await startDynamoDbLocal();
    if (dynamodb) stops.push(dynamodb.stop);
    const endpoint = options.dynamodbEndpoint ?? (dynamodb?.endpoint as string);
    const tableName = `burst-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const admin = new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await createPaymentsTable(admin, tableName);
    admin.destroy();

    const simulator = await startSimulatorProcess();
    stops.push(simulator.stop);
    const tap = await startPortOneTap(simulator.url);
    stops.push(tap.stop);
    const secrets = await startSecretsCounter({
      arn: SECRET_ARN,
      value: JSON.stringify({ apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_API_SECRET }),
    });
    stops.push(secrets.stop);
    const registrar = await startRegistrar(endpoint, tableName, simulator.url);
    stops.push(registrar.stop);

    const runs: BurstRun[] = [];
    for (const route of routes) {
      progress(`burst: registering ${options.processes} paid orders for ${route}`);
      await simulator.control.setLatency(0);
      const orders = await preparePaidOrders(
        registrar.system,
        simulator.control,
        options.processes,
      );
      await simulator.control.setLatency(BURST_PORTONE_LATENCY_MS);
      await simulator.control.clearCalls();
      tap.reset();
      secrets.reset();
      progress(`burst: ${options.processes} fresh ${route} processes at once`);
      const env = workerEnv({
        dynamodbEndpoint: endpoint,
        tableName,
        portoneUrl: tap.url,
        secrets,
      });
      const started = performance.now();
      const outcomes = await Promise.all(
        orders.map((order) => runWorker(bundles.get(route) as string, route, order, env)),
      );
      const wallMs = performance.now() - started;
      const calls = await simulator.control.calls();
      runs.push(
        summarizeBurst({
          route,
          portoneLatencyMs: BURST_PORTONE_LATENCY_MS,
          outcomes,
          portone: tap.seen(),
          secrets: secrets.seen(),
          simulatorTokenFetches: calls.filter((call) => call.route === 'getToken').length,
          wallMs,
        }),
      );
    }
    return { processes: options.processes, cores: availableParallelism(), runs };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
};

/**
 * What a deployed function's environment holds (lib/service-function.ts):
 * the key pair is not in it, only the secret's ARN, so each container reads
 * it from Secrets Manager, here the counting stand-in. The SDK finds that
 * endpoint in AWS_ENDPOINT_URL_SECRETS_MANAGER (its service-specific
 * endpoint setting), so the bundle needs no seam; region and dummy
 * credentials are explicit, and no config file or instance metadata is read.
 */
const workerEnv = (input: {
  dynamodbEndpoint: string;
  tableName: string;
  portoneUrl: string;
  secrets: Counter;
}): Record<string, string> => {
  const { PORTONE_API_KEY: _key, PORTONE_API_SECRET: _secret, ...base } = coldImportEnv();
  return {
    ...base,
    TABLE_NAME: input.tableName,
    DYNAMODB_ENDPOINT: input.dynamodbEndpoint,
    PORTONE_API_URL: input.portoneUrl,
    PORTONE_SECRET_ARN: SECRET_ARN,
    // DynamoDB Local keeps one database per access key and region: the registrar's.
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: input.secrets.url,
    AWS_CONFIG_FILE: join(BUILD_DIR, 'burst', 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(BUILD_DIR, 'burst', 'no-aws-credentials'),
    RESULT_PAGE_URL: `${ORIGIN}/payments/result`,
    ALLOWED_ORIGINS: ORIGIN,
    // Silent as in the cold-import timings; BURST_LOG_LEVEL=WARN shows why a worker failed.
    POWERTOOLS_LOG_LEVEL: process.env.BURST_LOG_LEVEL ?? 'SILENT',
  };
};

/** One fresh process: spawn, wait for its answer and its exit. */
const runWorker = (
  bundle: string,
  route: BurstRoute,
  order: PaidOrder,
  env: Record<string, string>,
): Promise<ProcessOutcome> =>
  new Promise((resolve) => {
    const spawnedAt = performance.now();
    let answeredAt: number | null = null;
    let stdout = '';
    let stderr = '';
    const child = spawn(
      process.execPath,
      ['-e', workerScript(bundle, burstEvent(route, order, ORIGIN))],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), WORKER_TIMEOUT_MS);
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      answeredAt ??= stdout.includes('\n') && parseAnswer(stdout) ? performance.now() : null;
    });
    child.stderr?.on('data', (chunk) => (stderr = `${stderr}${chunk}`.slice(-2000)));
    child.on('error', (error) => (stderr += String(error)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        spawnToAnswerMs: answeredAt === null ? null : answeredAt - spawnedAt,
        answer: parseAnswer(stdout),
        exitCode: code,
        stderr: `${stderr}${stdout
          .split('\n')
          .filter((l) => !l.startsWith(ANSWER_MARK))
          .join('\n')}`,
      });
    });
  });

/**
 * Registers the burst's orders the way the shop does (POST /orders, the
 * amount pre-registered at PortOne), through our handlers in this process:
 * set-up only, its token fetch and prepare calls are cleared before the burst.
 */
const startRegistrar = async (endpoint: string, tableName: string, portoneUrl: string) => {
  const dynamodb = countingDocumentClient(endpoint);
  const runtime = createRuntime(
    // The bench's own configuration of ours (bench/stack.ts), V2 included: registration is the same.
    oursConfig(endpoint, tableName, portoneUrl),
    silentLog,
    { documentClient: dynamodb.client },
  );
  const api = await startApiServer({
    complete: completeHandler(runtime),
    redirect: redirectHandler(runtime),
    webhook: webhookHandler(runtime),
    orders: ordersHandler(runtime),
  });
  const system: System = {
    name: 'ours',
    url: api.url,
    tableName,
    dynamodb,
    handlerTimes: { durations: [] },
    portoneTime: { ms: 0 },
  };
  return {
    system,
    stop: async () => {
      await api.close();
      dynamodb.destroy();
    },
  };
};

const main = async () => {
  process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
  const results = await runBurst({
    processes: burstProcesses(sizeFromEnv().name),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(formatBurst(results));
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
