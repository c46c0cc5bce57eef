import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { HttpResult } from '../functions/http/types';
import { loadConfig } from '../functions/runtime/config';
import { createRuntime } from '../functions/runtime/deps';
import {
  completeHandler,
  ordersHandler,
  redirectHandler,
  webhookHandler,
} from '../functions/runtime/handlers';
import { type RunningApi, startApiServer } from '../local/api-server';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { createPaymentsTable } from '../local/table';
// Only the simulator's constants and types: its code (and undici) stays in its own process.
import type { SimulatorControl } from '../simulator/portone/control-client';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_V2_API_SECRET,
  DEFAULT_V2_WEBHOOK_SECRET,
  V2_PREFIX,
} from '../simulator/portone/defaults';
import { silentLog } from '../test/fakes/log';
import { createBaselineHandlers } from './baseline/handler';
import {
  type CountingClient,
  countingDocumentClient,
  timedExchange,
  timedFetch,
  timedHandler,
} from './instrument';
import { startSimulatorProcess } from './simulator-process';

export type SystemName = 'ours' | 'baseline';

/** One system under test, served by the local API adapter on its own port. */
export interface System {
  name: SystemName;
  url: string;
  tableName: string;
  dynamodb: CountingClient;
  /** Handler durations (ms) since the last reset, in arrival order. */
  handlerTimes: { durations: number[] };
  /** Time spent in PortOne calls (ms) since the last reset. */
  portoneTime: { ms: number };
}

export interface BenchStack {
  ours: System;
  baseline: System;
  simulator: SimulatorControl;
  /** Where the limit (bench/limit.ts) reaches DynamoDB Local and the simulator directly. */
  dynamodbEndpoint: string;
  simulatorUrl: string;
  /** Moves our PortOne client's clock (token expiry) forward; the simulator's is moved separately. */
  advanceOurClock(ms: number): void;
  stop(): Promise<void>;
}

export const RESULT_PAGE_URL = 'https://shop.example/payments/result';

/**
 * Both systems on loopback against one DynamoDB Local and one PortOne
 * simulator: ours exactly as local/stack.ts wires it (the deployed handler
 * builders and runtime), with PortOne V1 and V2 both on, the baseline through the same API adapter. Logging
 * is off for both, so the console stays readable and neither pays for it.
 */
export const startBenchStack = async (
  options: { dynamodbEndpoint?: string } = {},
): Promise<BenchStack> => {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    const dynamodb = options.dynamodbEndpoint ? null : await startDynamoDbLocal();
    if (dynamodb) stops.push(dynamodb.stop);
    const endpoint = options.dynamodbEndpoint ?? (dynamodb?.endpoint as string);
    const simulator = await startSimulatorProcess();
    stops.push(simulator.stop);

    const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const tables = { ours: `bench-ours-${suffix}`, baseline: `bench-baseline-${suffix}` };
    const admin = new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await createPaymentsTable(admin, tables.ours);
    await createPaymentsTable(admin, tables.baseline);
    admin.destroy();

    let clockOffsetMs = 0;
    const ours = await startOurs(endpoint, tables.ours, simulator.url, () => clockOffsetMs);
    stops.push(ours.stop);
    const baseline = await startBaseline(endpoint, tables.baseline, simulator.url);
    stops.push(baseline.stop);
    return {
      ours: ours.system,
      baseline: baseline.system,
      simulator: simulator.control,
      dynamodbEndpoint: endpoint,
      simulatorUrl: simulator.url,
      advanceOurClock: (ms) => {
        clockOffsetMs += ms;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

const serve = async (
  name: SystemName,
  tableName: string,
  dynamodb: CountingClient,
  start: (sink: System['handlerTimes'], portoneTime: System['portoneTime']) => Promise<RunningApi>,
) => {
  const handlerTimes = { durations: [] as number[] };
  const portoneTime = { ms: 0 };
  const api = await start(handlerTimes, portoneTime);
  return {
    system: { name, url: api.url, tableName, dynamodb, handlerTimes, portoneTime },
    stop: async () => {
      await api.close();
      dynamodb.destroy();
    },
  };
};

/** What a deployed function's environment holds, with defaults for everything else. */
export const oursEnv = (
  endpoint: string,
  tableName: string,
  portoneUrl: string,
): Record<string, string> => ({
  TABLE_NAME: tableName,
  DYNAMODB_ENDPOINT: endpoint,
  PORTONE_API_URL: portoneUrl,
  PORTONE_API_KEY: DEFAULT_API_KEY,
  PORTONE_API_SECRET: DEFAULT_API_SECRET,
  // PortOne V2 side by side (its /v2/ routes), against the simulator's V2 API.
  PORTONE_V2_API_URL: `${portoneUrl}${V2_PREFIX}`,
  PORTONE_V2_API_SECRET: DEFAULT_V2_API_SECRET,
  PORTONE_V2_WEBHOOK_SECRET: DEFAULT_V2_WEBHOOK_SECRET,
  RESULT_PAGE_URL,
  ALLOWED_ORIGINS: BENCH_ORIGIN,
});

/** The shop's origin, the one the bench's browser reports come from. */
export const BENCH_ORIGIN = 'https://shop.example';

/** Ours' configuration as its deployed functions read it from oursEnv. */
export const oursConfig = (endpoint: string, tableName: string, portoneUrl: string) =>
  loadConfig(oursEnv(endpoint, tableName, portoneUrl));

const startOurs = (
  endpoint: string,
  tableName: string,
  portoneUrl: string,
  offset: () => number,
) => {
  const dynamodb = countingDocumentClient(endpoint);
  return serve('ours', tableName, dynamodb, (sink, portoneTime) => {
    const config = oursConfig(endpoint, tableName, portoneUrl);
    const runtime = createRuntime(config, silentLog, {
      documentClient: dynamodb.client,
      // The token cache's clock, so the token phase can live through hours in seconds.
      portone: { now: () => performance.now() + offset(), fetch: timedExchange(portoneTime) },
    });
    return startApiServer({
      complete: timedHandler(completeHandler(runtime), sink),
      redirect: timedHandler(redirectHandler(runtime), sink),
      webhook: timedHandler(webhookHandler(runtime), sink),
      orders: ordersHandler(runtime),
    });
  });
};

const startBaseline = (endpoint: string, tableName: string, portoneUrl: string) => {
  const dynamodb = countingDocumentClient(endpoint);
  return serve('baseline', tableName, dynamodb, (sink, portoneTime) => {
    const handlers = createBaselineHandlers({
      portoneUrl,
      apiKey: DEFAULT_API_KEY,
      apiSecret: DEFAULT_API_SECRET,
      client: dynamodb.client,
      tableName,
      resultPageUrl: RESULT_PAGE_URL,
      fetch: timedFetch(portoneTime),
    });
    return startApiServer({
      complete: timedHandler(handlers.complete, sink),
      redirect: timedHandler(handlers.redirect, sink),
      webhook: timedHandler(handlers.webhook, sink),
      orders: async (): Promise<HttpResult> => ({ statusCode: 404, headers: {}, body: '' }),
    });
  });
};
