import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOrderStore } from '../adapters/dynamodb/dynamodb-order-store';
import { createPortOneClient } from '../adapters/portone';
import type { ConnectionOptions } from '../adapters/portone/connection';
import { createPortOneV2Client, type PortOneV2Client } from '../adapters/portone-v2/client';
import { withV2 } from '../adapters/portone-v2/gateway';
import { secretsManagerCredentials } from '../adapters/secrets/secrets-manager-credentials';
import { type Clock, systemClock } from '../domain/ports/clock';
import type { Log } from '../domain/ports/log';
import type { OrderStore } from '../domain/ports/order-store';
import type { PaymentGateway } from '../domain/ports/payment-gateway';
import { RecentlyUnknown } from '../domain/use-cases/recently-unknown';
import type { Config } from './config';

/** What every handler is built from; created once per container. */
export interface Runtime {
  config: Config;
  store: OrderStore;
  /** Both PortOne APIs behind one port: V2 payment ids go to V2 (adapters/portone-v2/gateway.ts). */
  gateway: PaymentGateway;
  /** PortOne V2 itself, for what only V2 does (pre-registering a payment id); null when not configured. */
  portoneV2: PortOneV2Client | null;
  clock: Clock;
  log: Log;
  /** imp_uids PortOne did not know, remembered by this container for a minute. */
  unknownPayments: RecentlyUnknown;
}

export const createDocumentClient = (
  config: Pick<Config, 'dynamodbEndpoint'>,
  clientConfig: DynamoDBClientConfig = {},
) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
      // Fail fast enough that a request, SDK retries included, answers well inside API Gateway's 30 s.
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
      maxAttempts: 3,
      ...clientConfig,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

/** Seams for the local stack and tests: an instrumented DynamoDB client, PortOne client hooks, a clock. */
export interface RuntimeOverrides {
  documentClient?: DynamoDBDocumentClient;
  /** Transport hooks for both PortOne clients (timing, a clock, call counts). */
  portone?: Partial<Omit<ConnectionOptions, 'baseUrl'>>;
  clock?: Clock;
}

export const createRuntime = (
  config: Config,
  log: Log,
  overrides: RuntimeOverrides = {},
): Runtime => {
  const clock = overrides.clock ?? systemClock;
  const v2 = config.portoneV2
    ? createPortOneV2Client({
        baseUrl: config.portoneV2.apiUrl,
        secret: config.portoneV2.apiSecret,
        storeId: config.portoneV2.storeId,
        timeoutMs: config.portone.timeoutMs,
        ...overrides.portone,
      })
    : null;
  return {
    config,
    store: new DynamoDbOrderStore(
      overrides.documentClient ?? createDocumentClient(config),
      config.tableName,
    ),
    gateway: withV2(
      createPortOneClient({
        baseUrl: config.portone.apiUrl,
        credentials: portoneCredentials(config),
        timeoutMs: config.portone.timeoutMs,
        ...overrides.portone,
      }),
      v2,
    ),
    portoneV2: v2,
    clock,
    log,
    unknownPayments: new RecentlyUnknown(clock),
  };
};

/**
 * In AWS the key pair is read from Secrets Manager; the read starts now, at
 * cold start, so the first request rarely waits for it, and is cached for
 * the life of the container.
 */
const portoneCredentials = (config: Config) => {
  const { credentials } = config.portone;
  if (!('secretArn' in credentials)) return credentials;
  const provider = secretsManagerCredentials(
    new SecretsManagerClient({ maxAttempts: 3 }),
    credentials.secretArn,
  );
  provider().catch(() => {}); // a failure is retried, and reported, by the first request
  return provider;
};

/** The verification module's dependencies (docs/design.md §2), shared by complete, redirect and webhook. */
export const verificationDeps = (runtime: Runtime) => ({
  gateway: runtime.gateway,
  store: runtime.store,
  clock: runtime.clock,
  log: runtime.log,
  unknownPayments: runtime.unknownPayments,
  settings: {
    mode: runtime.config.portone.mode,
    autoCancelForgery: runtime.config.autoCancelForgery,
  },
});
