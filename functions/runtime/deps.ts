import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOrderStore } from '../adapters/dynamodb/dynamodb-order-store';
import { createPortOneClient, type PortOneClientOptions } from '../adapters/portone';
import { type Clock, systemClock } from '../domain/clock';
import type { Log } from '../domain/logger';
import type { OrderStore } from '../domain/order-store';
import type { PaymentGateway } from '../domain/payment-gateway';
import type { Config } from './config';

/** What every handler is built from; created once per container. */
export interface Runtime {
  config: Config;
  store: OrderStore;
  gateway: PaymentGateway;
  clock: Clock;
  log: Log;
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
): Runtime => ({
  config,
  store: new DynamoDbOrderStore(
    overrides.documentClient ?? createDocumentClient(config),
    config.tableName,
  ),
  gateway: createPortOneClient({
    baseUrl: config.portone.apiUrl,
    apiKey: config.portone.apiKey,
    apiSecret: config.portone.apiSecret,
    timeoutMs: config.portone.timeoutMs,
    ...overrides.portone,
  }),
  clock: overrides.clock ?? systemClock,
  log,
});

/** The verification module's dependencies (DESIGN.md §2), shared by complete, redirect and webhook. */
export const verificationDeps = (runtime: Runtime) => ({
  gateway: runtime.gateway,
  store: runtime.store,
  clock: runtime.clock,
  log: runtime.log,
  settings: {
    mode: runtime.config.portone.mode,
    autoCancelForgery: runtime.config.autoCancelForgery,
  },
});
