import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { OrderView } from '../../../functions/http/order-view';
import { loadConfig } from '../../../functions/runtime/config';
import { createRuntime, type Runtime } from '../../../functions/runtime/deps';
import {
  completeHandler,
  ordersHandler,
  redirectHandler,
  webhookHandler,
} from '../../../functions/runtime/handlers';
import { type RunningApi, startApiServer } from '../../../local/api-server';
import { createPaymentsTable } from '../../../local/table';
import {
  DEFAULT_V2_API_SECRET,
  DEFAULT_V2_WEBHOOK_SECRET,
  type RunningSimulator,
  type SimulatorControl,
  startPortOneSimulator,
} from '../../../simulator/portone';
import { captureLog, type LogLine } from '../../support/capture-log';

export const RESULT_PAGE_URL = 'https://shop.example/payments/result';
export const SHOP_ORIGIN = 'https://shop.example';

export interface Harness {
  api: RunningApi;
  sim: RunningSimulator;
  control: SimulatorControl;
  runtime: Runtime;
  tableName: string;
  logs: LogLine[];
  /** DynamoDB commands sent, by name (GetCommand, UpdateCommand, ...). */
  dynamodbCalls: Record<string, number>;
  /** PortOne HTTP calls made by our client, by route. */
  portoneCalls: Record<string, number>;
  resetCounts(): void;
  registerOrder(merchantUid: string, amount: number, currency?: string): Promise<Response>;
  complete(body: unknown, init?: { contentType?: string; origin?: string }): Promise<Response>;
  redirect(query: string): Promise<Response>;
  webhook(body: unknown, contentType?: string): Promise<Response>;
  /** `POST /orders/{merchant_uid}/payments`: a V2 payment id for one checkout attempt. */
  issuePaymentId(merchantUid: string, body?: string): Promise<Response>;
  /** `POST /orders/{merchant_uid}/cancel`: the merchant's refund. */
  refund(merchantUid: string, body: unknown): Promise<Response>;
  order(merchantUid: string): Promise<OrderView>;
  /** An item exactly as stored, read around the service (for orphans and storage checks). */
  rawItem(pk: string): Promise<Record<string, unknown> | undefined>;
  /** Writes an item exactly as given, around the service (items from an older version, oversized items). */
  putRawItem(item: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /**
   * DynamoDB failures injected at the client edge (the service's document
   * client, which `rawItem` shares). Called with 'before' ahead of every
   * command: an Error it answers is thrown instead of sending the command
   * (throttling, a 500). Called with 'after' once the command succeeded: an
   * Error answered then is thrown although the command took effect (an
   * answer lost on the way back).
   */
  dynamodbFault?: (commandName: string, phase: 'before' | 'after') => Error | undefined;
  /** PortOne V2 on, against the simulator's V2 API with its default secrets; its signed webhooks go to the V2 route. Default: V1 only. */
  v2?: boolean;
}

/**
 * The whole service on loopback: DynamoDB Local (one table per harness), the
 * PortOne simulator over real HTTP, and the four handlers behind the local
 * API Gateway adapter. The simulator's webhooks go to the harness's API.
 */
export const startHarness = async (options: HarnessOptions = {}): Promise<Harness> => {
  const endpoint = inject('ddbEndpoint');
  const tableName = `payments-${randomUUID().slice(0, 8)}`;
  const dynamodbCalls: Record<string, number> = {};
  const portoneCalls: Record<string, number> = {};
  const base = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await createPaymentsTable(base, tableName);
  const documentClient = DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true },
  });
  documentClient.middlewareStack.add(
    (next, context) => (args) => {
      const name = String(context.commandName);
      dynamodbCalls[name] = (dynamodbCalls[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const { dynamodbFault } = options;
  if (dynamodbFault) {
    documentClient.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName);
        const before = dynamodbFault(name, 'before');
        if (before) throw before;
        const result = await next(args);
        const after = dynamodbFault(name, 'after');
        if (after) throw after;
        return result;
      },
      { step: 'initialize', name: 'injectFaults' },
    );
  }

  const sim = await startPortOneSimulator({ quiet: true });
  const config = loadConfig({
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    PORTONE_API_URL: sim.url,
    PORTONE_API_KEY: 'imp_apikey',
    PORTONE_API_SECRET:
      'ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f',
    PORTONE_TIMEOUT_MS: '1000',
    RESULT_PAGE_URL,
    ALLOWED_ORIGINS: SHOP_ORIGIN,
    PORTONE_PREPARE: 'false',
    ...(options.v2
      ? {
          PORTONE_V2_API_URL: sim.v2Url,
          PORTONE_V2_API_SECRET: DEFAULT_V2_API_SECRET,
          PORTONE_V2_WEBHOOK_SECRET: DEFAULT_V2_WEBHOOK_SECRET,
        }
      : {}),
    ...options.env,
  });
  const log = captureLog();
  const runtime = createRuntime(config, log, {
    documentClient,
    portone: {
      onCall: ({ route }) => {
        portoneCalls[route] = (portoneCalls[route] ?? 0) + 1;
      },
    },
  });
  const api = await startApiServer(
    {
      complete: completeHandler(runtime),
      redirect: redirectHandler(runtime),
      webhook: webhookHandler(runtime),
      orders: ordersHandler(runtime),
    },
    { allowedOrigins: config.allowedOrigins },
  );
  await sim.control.configure({ webhookUrl: `${api.url}/payments/webhook` });
  if (options.v2) {
    // No automatic re-sends: a test that refuses a delivery must not see it again later.
    await sim.control.v2.configure({
      webhookUrl: `${api.url}/v2/payments/webhook`,
      webhookMaxRetries: 0,
    });
  }

  const post = (path: string, body: unknown, contentType = 'application/json', origin?: string) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(origin ? { origin } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  return {
    api,
    sim,
    control: sim.control,
    runtime,
    tableName,
    logs: log.lines,
    dynamodbCalls,
    portoneCalls,
    resetCounts: () => {
      for (const key of Object.keys(dynamodbCalls)) delete dynamodbCalls[key];
      for (const key of Object.keys(portoneCalls)) delete portoneCalls[key];
    },
    registerOrder: (merchantUid, amount, currency = 'KRW') =>
      post('/orders', {
        merchant_uid: merchantUid,
        amount,
        currency,
        name: `Order ${merchantUid}`,
      }),
    complete: (body, init = {}) =>
      post('/payments/complete', body, init.contentType ?? 'application/json', init.origin),
    redirect: (query) => fetch(`${api.url}/payments/complete?${query}`, { redirect: 'manual' }),
    webhook: (body, contentType = 'application/json') =>
      post('/payments/webhook', body, contentType),
    issuePaymentId: (merchantUid, body = '') => post(`/orders/${merchantUid}/payments`, body),
    refund: (merchantUid, body) => post(`/orders/${merchantUid}/cancel`, body),
    order: async (merchantUid) => {
      const response = await fetch(`${api.url}/orders/${merchantUid}`);
      if (response.status !== 200)
        throw new Error(`GET /orders/${merchantUid}: ${response.status}`);
      return (await response.json()) as OrderView;
    },
    rawItem: async (pk) =>
      (await documentClient.send(new GetCommand({ TableName: tableName, Key: { pk } }))).Item,
    putRawItem: async (item) => {
      await documentClient.send(new PutCommand({ TableName: tableName, Item: item }));
    },
    close: async () => {
      await api.close();
      await sim.close();
      base.destroy();
    },
  };
};

/** A fresh merchant_uid per test, so tests sharing a harness never meet. */
export const uid = (prefix = 'order') => `${prefix}-${randomUUID().slice(0, 12)}`;
