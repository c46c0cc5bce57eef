import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOrderStore } from '../adapters/dynamodb/dynamodb-order-store';
import { createPortOneClient } from '../adapters/portone';
import type { ConnectionOptions } from '../adapters/portone/connection';
import { createPortOneV2Client, type PortOneV2Client } from '../adapters/portone-v2/client';
import { withV2 } from '../adapters/portone-v2/gateway';
import type { WebhookSecrets } from '../adapters/portone-v2/signed-webhooks';
import {
  type SecretDocument,
  secretsManagerDocument,
  v1Credentials,
  v2Secrets,
} from '../adapters/secrets/secrets-manager-credentials';
import { type Clock, systemClock } from '../domain/ports/clock';
import type { Log } from '../domain/ports/log';
import type { OrderStore } from '../domain/ports/order-store';
import type { PaymentGateway } from '../domain/ports/payment-gateway';
import { RecentlyUnknown } from '../domain/use-cases/recently-unknown';
import type { Config } from './config';
import { webhookSecrets as webhookSecretsRule } from './setting-rules';

/** What every handler is built from; created once per container. */
export interface Runtime {
  config: Config;
  store: OrderStore;
  /** Both PortOne APIs behind one port: V2 payment ids go to V2 (adapters/portone-v2/gateway.ts). */
  gateway: PaymentGateway;
  /** PortOne V2 itself, for what only V2 does (pre-registering a payment id); null when not configured. */
  portoneV2: PortOneV2Client | null;
  /** What the V2 webhook's signatures are checked against; null when V2 is not configured. */
  v2WebhookSecrets: WebhookSecrets | null;
  clock: Clock;
  log: Log;
  /** imp_uids PortOne did not know, remembered by this container for a minute. */
  unknownPayments: RecentlyUnknown;
}

export const createDocumentClient = (
  config: Pick<Config, 'dynamodbEndpoint'>,
  clientConfig: DynamoDBClientConfig = {},
) => {
  const client = new DynamoDBClient({
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    // Fail fast enough that a request, SDK retries included, answers well inside API Gateway's 30 s.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
    maxAttempts: 3,
    ...clientConfig,
  });
  // The SDK's logger middleware runs its sensitive-data filter over every
  // command's input and output to hand them to the client's logger, which
  // discards them (none is configured): CPU on every request for nothing
  // (npm run bench, CPU phase). Our adapters log what matters themselves.
  if (!clientConfig.logger) client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
};

/** The name the AWS SDK gives its logger middleware (@aws-sdk/middleware-logger). */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

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
  const secrets = portoneSecrets(config, log, clock);
  const v2 =
    config.portoneV2 && secrets.v2
      ? createPortOneV2Client({
          baseUrl: config.portoneV2.apiUrl,
          secret: secrets.v2.apiSecret,
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
        credentials: secrets.v1,
        timeoutMs: config.portone.timeoutMs,
        ...overrides.portone,
      }),
      v2,
    ),
    portoneV2: v2,
    v2WebhookSecrets: secrets.v2?.webhookSecrets ?? null,
    clock,
    log,
    unknownPayments: new RecentlyUnknown(clock),
  };
};

/**
 * A delivery no secret signed makes the webhook read the secret again, in
 * case the console's secret was rotated and stored since; at most this
 * often, so that forged deliveries cannot make every request a Secrets
 * Manager call.
 */
const WEBHOOK_SECRETS_REFRESH_MS = 60_000;

/**
 * Both APIs' secrets. In AWS they are fields of one Secrets Manager secret,
 * read once per container for both (adapters/secrets): the read starts now,
 * at cold start, so the first request rarely waits for it, and is cached for
 * the life of the container, read again only when PortOne refuses what it
 * held. Local runs pass them in the environment.
 */
const portoneSecrets = (config: Config, log: Log, clock: Clock) => {
  let document: SecretDocument | undefined;
  const documentOf = (secretArn: string) => {
    document ??= secretsManagerDocument(new SecretsManagerClient({ maxAttempts: 3 }), secretArn);
    return document;
  };

  const v1Pair = config.portone.credentials;
  const v1 = 'secretArn' in v1Pair ? v1Credentials(documentOf(v1Pair.secretArn)) : v1Pair;
  if (typeof v1 === 'function') v1().catch(() => {}); // a failure is retried, and reported, by the first request

  const v2Config = config.portoneV2?.credentials;
  if (v2Config === undefined) return { v1, v2: null };
  if (!('secretArn' in v2Config)) {
    return {
      v1,
      v2: { apiSecret: v2Config.apiSecret, webhookSecrets: v2Config.webhookSecrets },
    };
  }
  const provider = v2Secrets(documentOf(v2Config.secretArn), {
    webhookSecrets: webhookSecretsRule,
  });
  // The same read as V1's above; only V2's fields are checked here. Said once
  // now, so that a deployment with V2 on and its fields not stored shows in
  // the logs before PortOne's first webhook; each V2 request reports it too.
  provider().catch((error: unknown) =>
    log.warn('PortOne V2 is on but its secrets are not usable yet', {
      reason: error instanceof Error ? error.message : String(error),
    }),
  );
  let refreshedAt = Number.NEGATIVE_INFINITY;
  const webhookSecrets: WebhookSecrets = Object.assign(
    () => provider().then((secrets) => secrets.webhookSecrets),
    {
      refresh: () => {
        const now = clock().getTime();
        if (now - refreshedAt < WEBHOOK_SECRETS_REFRESH_MS) return;
        refreshedAt = now;
        provider.invalidate();
      },
    },
  );
  return {
    v1,
    v2: {
      apiSecret: Object.assign(() => provider().then((secrets) => secrets.apiSecret), {
        invalidate: provider.invalidate,
      }),
      webhookSecrets: webhookSecrets,
    },
  };
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
