import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOrderStore } from '../adapters/dynamodb/dynamodb-order-store';
import { createPortOneClient, type PortOneClientOptions } from '../adapters/portone';
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
  gateway: PaymentGateway;
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
  portone?: Partial<PortOneClientOptions>;
  clock?: Clock;
}

export const createRuntime = (
  config: Config,
  log: Log,
  overrides: RuntimeOverrides = {},
): Runtime => {
  const clock = overrides.clock ?? systemClock;
  return {
    config,
    store: new DynamoDbOrderStore(
      overrides.documentClient ?? createDocumentClient(config),
      config.tableName,
    ),
    gateway: createPortOneClient({
      baseUrl: config.portone.apiUrl,
      credentials: portoneCredentials(config),
      timeoutMs: config.portone.timeoutMs,
      ...overrides.portone,
    }),
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
