import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { type Config, loadConfig } from '../functions/runtime/config';
import { createRuntime } from '../functions/runtime/deps';
import {
  completeHandler,
  ordersHandler,
  redirectHandler,
  webhookHandler,
} from '../functions/runtime/handlers';
import { createLogger, powertoolsLog } from '../functions/runtime/logger';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_V2_API_SECRET,
  DEFAULT_V2_STORE_ID,
  DEFAULT_V2_WEBHOOK_SECRET,
  startPortOneSimulator,
  V2_PREFIX,
} from '../simulator/portone';
import { localAdmin } from './admin';
import { startApiServer } from './api-server';
import {
  DynamoDbLocalExitedError,
  JavaNotStartedError,
  startDynamoDbLocal,
} from './dynamodb-local';
import { assertPortFree } from './ports';
import {
  type LocalReconcileSettings,
  localReconcileSettings,
  scheduleReconciler,
} from './reconcile-schedule';
import { javaError, javaExitedError, loadLocalSettings } from './settings';
import { followSettlements, type SettlementStream } from './settlement-stream';
import { createShopPages, type ShopOptions } from './shop';
import { bundleShopScripts } from './shop/bundle';
import { createPaymentsTable } from './table';

type Pages = (request: IncomingMessage, response: ServerResponse) => boolean;
const firstOf =
  (...pages: Pages[]): Pages =>
  (request, response) =>
    pages.some((serve) => serve(request, response));

export interface LocalStack {
  url: string;
  simulatorUrl: string | null;
  /** True when PortOne V2 runs against the simulator (its defaults, its signed webhooks). */
  v2OnSimulator: boolean;
  config: Config;
  /** How the reconciler runs on its local schedule. */
  reconciler: LocalReconcileSettings;
  stop(): Promise<void>;
}

type Env = Record<string, string | undefined>;

const PLACEHOLDER = 'http://127.0.0.1:1';

/**
 * V2 runs against the simulator when the simulator runs (PORTONE_API_URL
 * unset) and nothing names another V2: no URL of its own, no secrets from
 * Secrets Manager.
 */
const v2OnSimulator = (env: Env): boolean =>
  !env.PORTONE_API_URL && !env.PORTONE_V2_API_URL && !env.PORTONE_V2;

/** The embedded defaults; anything set in the environment wins. */
const withDefaults = (
  env: Env,
  base: string,
  dynamodbEndpoint: string | undefined,
  simulatorUrl: string | undefined,
): Env => ({
  TABLE_NAME: 'payments-local',
  RESULT_PAGE_URL: `${base}/result`,
  ALLOWED_ORIGINS: base,
  ...(env.PORTONE_API_URL
    ? {}
    : { PORTONE_API_KEY: DEFAULT_API_KEY, PORTONE_API_SECRET: DEFAULT_API_SECRET }),
  // The simulator's own secrets and store, so that V2 is on with nothing set by hand.
  ...(v2OnSimulator(env) && simulatorUrl
    ? {
        PORTONE_V2_API_URL: `${simulatorUrl}${V2_PREFIX}`,
        PORTONE_V2_API_SECRET: DEFAULT_V2_API_SECRET,
        PORTONE_V2_WEBHOOK_SECRET: DEFAULT_V2_WEBHOOK_SECRET,
        PORTONE_V2_STORE_ID: DEFAULT_V2_STORE_ID,
      }
    : {}),
  ...env,
  DYNAMODB_ENDPOINT: env.DYNAMODB_ENDPOINT ?? dynamodbEndpoint,
  PORTONE_API_URL: env.PORTONE_API_URL ?? simulatorUrl,
});

/**
 * The whole service on this machine, on embedded defaults (docs/design.md §6):
 * DynamoDB Local (or DYNAMODB_ENDPOINT), the PortOne simulator (unless
 * PORTONE_API_URL is set), and the API on 127.0.0.1:${PORT:-3000} handing
 * every route to the very handler that is deployed.
 */
export const startLocalStack = async (env: Env = process.env): Promise<LocalStack> => {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    const { port, java, dynamodbPath } = loadLocalSettings(env);
    // Fail before starting Java and the simulator, with one clear message.
    loadConfig(withDefaults(env, `http://127.0.0.1:${port}`, PLACEHOLDER, PLACEHOLDER));
    const reconciler = localReconcileSettings(env);
    await assertPortFree(port);
    const base = `http://127.0.0.1:${port}`;
    // The shop's page scripts are bundled while Java and the simulator start, off the path to ready.
    const shopScripts = bundleShopScripts();
    shopScripts.catch(() => {}); // awaited below; an early failure is not "unhandled" meanwhile

    const dynamodb = env.DYNAMODB_ENDPOINT
      ? null
      : await startDynamoDbLocal({
          ...(dynamodbPath ? { dbPath: dynamodbPath } : {}),
          ...(java ? { java } : {}),
        }).catch((error: unknown) => {
          // Without JAVA the fix is installing Java (start.ts says so); with it, JAVA is wrong.
          if (java && error instanceof JavaNotStartedError) throw javaError(java, error.code);
          if (java && error instanceof DynamoDbLocalExitedError) {
            throw javaExitedError(java, error.code, error.output);
          }
          throw error;
        });
    if (dynamodb) stops.push(dynamodb.stop);
    const simulator = env.PORTONE_API_URL
      ? null
      : await startPortOneSimulator({
          quiet: true,
          webhookUrl: `${base}/payments/webhook`,
          v2WebhookUrl: `${base}/v2/payments/webhook`,
        });
    if (simulator) stops.push(simulator.close);

    const config = loadConfig(withDefaults(env, base, dynamodb?.endpoint, simulator?.url));
    // DynamoDB Local accepts any credentials; never reach for instance metadata.
    process.env.AWS_REGION ??= 'local';
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
    process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
    // Node 20 is supported here (README); the SDK's 9-line notice that its 2027
    // releases need Node 22 would bury the URLs. Its own switch (@aws-sdk/core).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const endpoint = config.dynamodbEndpoint ?? undefined;
    const admin = new DynamoDBClient({ endpoint });
    const streams = new DynamoDBStreamsClient({ endpoint });
    stops.push(async () => {
      admin.destroy();
      streams.destroy();
    });
    await createPaymentsTable(admin, config.tableName);

    const runtime = createRuntime(config, powertoolsLog(createLogger('payments-local')));
    // The local subscriber of "payment settled" events: a log line each, and GET /__local/events.
    const settlements: SettlementStream | null = await followSettlements({
      dynamodb: admin,
      streams,
      tableName: config.tableName,
      log: runtime.log,
    }).catch((error: unknown) => {
      console.warn(`settlement events are off: ${(error as Error).message}`);
      return null;
    });
    if (settlements) stops.push(settlements.stop);
    const scripts = await shopScripts;
    const api = await startApiServer(
      {
        complete: completeHandler(runtime),
        redirect: redirectHandler(runtime),
        webhook: webhookHandler(runtime),
        orders: ordersHandler(runtime),
      },
      {
        port,
        allowedOrigins: config.allowedOrigins,
        pages: firstOf(
          localAdmin(runtime, settlements),
          createShopPages({
            apiBase: base,
            sdkScriptUrl: simulator
              ? `${simulator.url}/v1/iamport.js`
              : 'https://cdn.iamport.kr/v1/iamport.js',
            impCode: env.IMP_CODE ?? 'imp00000000',
            v2: v2ShopOptions(env, config, simulator?.url ?? null),
            simulatorUrl: simulator?.url ?? null,
            scripts,
          }),
        ),
      },
    );
    stops.push(api.close);
    // Stopped before the API and the table: a run under way finishes first.
    stops.push(scheduleReconciler(runtime, reconciler));
    return {
      url: api.url,
      simulatorUrl: simulator?.url ?? null,
      v2OnSimulator: Boolean(simulator) && v2OnSimulator(env),
      config,
      reconciler,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

/**
 * What the shop's V2 checkout needs: the SDK that matches the V2 API (the
 * simulator's stand-in or PortOne's CDN), the store and a channel key (the
 * simulator treats a key containing "test" as a test channel, which live mode
 * refuses, hence a neutral default). Null when V2 is off: the shop pays V1 only.
 */
const v2ShopOptions = (
  env: Env,
  config: Config,
  simulatorUrl: string | null,
): ShopOptions['v2'] => {
  const v2 = config.portoneV2;
  if (!v2) return null;
  const onSimulator = simulatorUrl !== null && v2OnSimulator(env);
  return {
    sdkScriptUrl: onSimulator
      ? `${simulatorUrl}/v2-browser-sdk.js`
      : 'https://cdn.portone.io/v2/browser-sdk.js',
    storeId: v2.storeId ?? '',
    channelKey: env.PORTONE_V2_CHANNEL_KEY ?? 'channel-key-demo-shop',
  };
};
