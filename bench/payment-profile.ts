import type { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { orderKey } from '../functions/adapters/dynamodb/keys';
import { announceSettlements } from '../functions/domain/use-cases/announce-settlements';
import type { HttpEvent, HttpResult } from '../functions/http/types';
import { createRuntime } from '../functions/runtime/deps';
import { completeHandler, ordersHandler, webhookHandler } from '../functions/runtime/handlers';
import { createLogger, powertoolsLog, withLambdaContext } from '../functions/runtime/logger';
import { ACCESS_LOG_FORMAT } from '../lib/payments-api';
import { startApiServer } from '../local/api-server';
import { VERIFY_HEADERS } from '../local/shop/browser/verify-request';
import { sendsPreflight } from './cors-preflight';
import { countingDocumentClient } from './instrument';
import { itemBytes } from './item-size';
import { cpuScale } from './lambda-model';
import { type BenchStack, oursConfig, type System } from './stack';
import { deliver, type PaidOrder } from './workload';

/** The functions one PC card payment invokes behind API Gateway. */
type Handler = (event: HttpEvent) => Promise<HttpResult>;
const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;

export const PAYMENT_FUNCTIONS = ['orders', 'complete', 'webhook'] as const;
export type PaymentFunction = (typeof PAYMENT_FUNCTIONS)[number];

export interface FunctionProfile {
  /** Invocations per payment. */
  invocations: number;
  /** Per invocation, ms on this machine: inside the handler, and of it waiting for PortOne and DynamoDB. */
  handlerMs: number;
  waitMs: number;
  /** Bytes and lines the function's own logger wrote per invocation (Powertools JSON, Lambda context keys included). */
  logBytes: number;
  logLines: number;
}

/** What one whole payment (registration, the browser's callback, the webhook) costs, measured. */
export interface PaymentProfile {
  payments: number;
  order: 'webhook first' | 'complete first';
  functions: Record<PaymentFunction, FunctionProfile>;
  /** DynamoDB request units per payment (ConsumedCapacity, the recheck index included). */
  writeUnits: number;
  readUnits: number;
  indexWriteUnits: number;
  portoneCalls: number;
  /** One access log line as the stage writes it for a request of this payment (mean bytes). */
  accessLogBytes: number;
  /**
   * CORS preflights per payment: 1 when the page's POST to complete, with the
   * headers the shop sends, is not a simple request (bench/cors-preflight.ts).
   */
  preflights: number;
  /** What the `settled` function logs for this payment: its "payment settled" line, by the deployed logger. */
  settled: { logBytes: number; logLines: number; sampleLines: string[] };
  /** The paid, confirmed order item's billed size (bench/item-size.ts), overhead included. */
  orderItemBytes: number;
}

/**
 * Runs whole payments through ours with the deployed logger switched on, each
 * function behind its own Powertools Logger (service `payments-<name>`, the
 * level Powertools reads from the environment, INFO by default as deployed)
 * invoked with a Lambda context, so each line carries the keys it carries in
 * AWS; the lines go into a byte counter instead of stdout.
 */
export const measurePaymentProfile = async (
  stack: BenchStack,
  payments: number,
  order: PaymentProfile['order'],
): Promise<PaymentProfile> => {
  const dynamodb = countingDocumentClient(stack.dynamodbEndpoint);
  const config = oursConfig(stack.dynamodbEndpoint, stack.ours.tableName, stack.simulatorUrl);
  const taps = Object.fromEntries(
    PAYMENT_FUNCTIONS.map((name) => [name, countingLogger(`payments-${name}`)]),
  ) as Record<PaymentFunction, CountingLogger>;
  const times = Object.fromEntries(
    PAYMENT_FUNCTIONS.map((name) => [name, { handler: [] as number[], wait: [] as number[] }]),
  ) as Record<PaymentFunction, { handler: number[]; wait: number[] }>;
  const portone = { ms: 0 };
  const build = (name: PaymentFunction, make: (r: ReturnType<typeof createRuntime>) => Handler) => {
    const runtime = createRuntime(config, powertoolsLog(taps[name].logger), {
      documentClient: dynamodb.client,
      portone: {
        fetch: async (input, init) => {
          const started = performance.now();
          try {
            return await fetch(input, init);
          } finally {
            portone.ms += performance.now() - started;
          }
        },
      },
    });
    const handle = withLambdaContext(taps[name].logger, make(runtime));
    let invocation = 0;
    return async (event: HttpEvent) => {
      const before = { db: dynamodb.counts().ms, portone: portone.ms };
      const started = performance.now();
      try {
        return await handle(event, lambdaContext(name, invocation++));
      } finally {
        times[name].handler.push(performance.now() - started);
        times[name].wait.push(dynamodb.counts().ms - before.db + portone.ms - before.portone);
      }
    };
  };
  const api = await startApiServer({
    orders: build('orders', ordersHandler),
    complete: build('complete', completeHandler),
    webhook: build('webhook', webhookHandler),
    redirect: async () => ({ statusCode: 404, headers: {}, body: '' }),
  });
  const system: System = {
    ...stack.ours,
    url: api.url,
    dynamodb,
    handlerTimes: { durations: [] },
    portoneTime: { ms: 0 },
  };
  try {
    const routes =
      order === 'webhook first'
        ? (['webhook', 'complete'] as const)
        : (['complete', 'webhook'] as const);
    // One payment first, not counted: a container's first invocation fetches a token and opens its connections.
    for (const paid of await registerCounted(system, stack, 1))
      for (const route of routes) await deliver(system, route, paid);
    for (const name of PAYMENT_FUNCTIONS) {
      times[name].handler.length = 0;
      times[name].wait.length = 0;
      taps[name].reset();
    }
    await stack.simulator.clearCalls();
    dynamodb.reset();
    const registered = await registerCounted(system, stack, payments);
    for (const paid of registered) for (const route of routes) await deliver(system, route, paid);
    const counts = dynamodb.counts();
    const { settled, orderItemBytes } = await paidOrderFigures(
      config,
      stack,
      registered.at(-1)?.merchantUid ?? '',
    );
    const calls = await stack.simulator.calls();
    const functions = Object.fromEntries(
      PAYMENT_FUNCTIONS.map((name) => {
        const n = times[name].handler.length;
        return [
          name,
          {
            invocations: n / payments,
            handlerMs: mean(times[name].handler),
            waitMs: mean(times[name].wait),
            logBytes: taps[name].bytes / n,
            logLines: taps[name].lines / n,
          },
        ];
      }),
    ) as Record<PaymentFunction, FunctionProfile>;
    return {
      payments,
      order,
      functions,
      writeUnits: counts.wcu / payments,
      readUnits: counts.rcu / payments,
      indexWriteUnits: counts.indexWcu / payments,
      portoneCalls: calls.length / payments,
      preflights: sendsPreflight('POST', VERIFY_HEADERS) ? 1 : 0,
      settled,
      orderItemBytes,
      accessLogBytes: mean(
        ['POST /orders', 'POST /payments/complete', 'POST /payments/webhook'].map(
          accessLogLineBytes,
        ),
      ),
    };
  } finally {
    await api.close();
    dynamodb.destroy();
  }
};

/**
 * One paid order, read afresh (outside the counted units): its item's billed
 * size, and the `settled` function's lines for it, the order as the table's
 * stream shows it through the handler's use case with the deployed logger
 * and a publisher that accepts everything.
 */
const paidOrderFigures = async (
  config: ReturnType<typeof oursConfig>,
  stack: BenchStack,
  merchantUid: string,
): Promise<Pick<PaymentProfile, 'settled' | 'orderItemBytes'>> => {
  const reader = countingDocumentClient(stack.dynamodbEndpoint);
  try {
    const tap = countingLogger('payments-settled');
    const { store } = createRuntime(config, powertoolsLog(tap.logger), {
      documentClient: reader.client,
    });
    const after = await store.findOrder(merchantUid);
    if (!after) throw new Error(`${merchantUid} is not in the table`);
    const log = powertoolsLog(tap.logger);
    await withLambdaContext(tap.logger, () =>
      announceSettlements([{ id: '1', before: null, after }], {
        publisher: { publish: async () => {} },
        log,
      }),
    )(undefined, lambdaContext('settled', 0));
    const raw = await reader.client.send(
      new GetCommand({ TableName: config.tableName, Key: orderKey(merchantUid) }),
    );
    if (!raw.Item) throw new Error(`${merchantUid} has no item`);
    return {
      settled: { logBytes: tap.bytes, logLines: tap.lines, sampleLines: [...tap.written] },
      orderItemBytes: itemBytes(raw.Item),
    };
  } finally {
    reader.destroy();
  }
};

/**
 * Registered one at a time through ours' POST /orders (pre-registration at
 * PortOne included), each with a paid card payment at the simulator, counted
 * as part of the payment: preparePaidOrders registers 16 at once and resets the counts.
 */
const registerCounted = async (system: System, stack: BenchStack, payments: number) => {
  const orders: PaidOrder[] = [];
  for (let i = 0; i < payments; i++) {
    const merchantUid = `bench-all-in-${Date.now().toString(36)}-${i}`;
    const amount = 1000 + (i % 50) * 100;
    const answer = await fetch(`${system.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ merchant_uid: merchantUid, amount, name: 'Bench order' }),
    });
    if (answer.status !== 201)
      throw new Error(`POST /orders answered ${answer.status}: ${await answer.text()}`);
    const payment = await stack.simulator.createPayment({
      merchant_uid: merchantUid,
      amount,
      state: 'paid',
      pay_method: 'card',
    });
    orders.push({ merchantUid, impUid: payment.imp_uid });
  }
  return orders;
};

interface CountingLogger {
  logger: Logger;
  readonly bytes: number;
  readonly lines: number;
  /** Every line written since the last reset, as CloudWatch would ingest it. */
  readonly written: string[];
  reset(): void;
}

/** A Powertools Logger whose lines are counted (bytes as CloudWatch ingests them: UTF-8, plus the newline). */
const countingLogger = (serviceName: string): CountingLogger => {
  const logger = createLogger(serviceName);
  const tap = {
    logger,
    bytes: 0,
    lines: 0,
    written: [] as string[],
    reset: () => {
      tap.bytes = 0;
      tap.lines = 0;
      tap.written.length = 0;
    },
  };
  const count = (line: unknown) => {
    tap.written.push(String(line));
    tap.bytes += Buffer.byteLength(String(line), 'utf8') + 1;
    tap.lines++;
  };
  // Powertools prints through its own console (Logger.printLog); bench-only.
  (logger as unknown as { console: Record<string, (line: unknown) => void> }).console = {
    debug: count,
    info: count,
    warn: count,
    error: count,
    log: count,
    trace: count,
  };
  return tap;
};

/** A Lambda context shaped like AWS's, so the logger adds the same keys it adds there. */
const lambdaContext = (name: string, invocation: number): Context =>
  ({
    functionName: `PortOnePayments-prod-${name}Function1A2B3C4D-AbCdEfGhIjKl`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-2:123456789012:function:PortOnePayments-prod-${name}Function1A2B3C4D-AbCdEfGhIjKl`,
    memoryLimitInMB: '512',
    awsRequestId: `0f1e2d3c-4b5a-6978-8a9b-${invocation.toString(16).padStart(12, '0')}`,
    logGroupName: `/aws/lambda/PortOnePayments-prod-${name}`,
    logStreamName: '2026/12/03/[$LATEST]0123456789abcdef0123456789abcdef',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 28_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  }) as Context;

/** The stage's access log line (lib/payments-api.ts's format) with values as API Gateway fills them in. */
export const accessLogLineBytes = (routeKey: string): number => {
  const values: Record<string, string> = {
    '$context.requestId': 'Ab1Cd2Ef3Gh4I=',
    '$context.requestTime': '03/Dec/2026:06:12:34 +0000',
    '$context.identity.sourceIp': '52.78.100.19',
    '$context.routeKey': routeKey,
    '$context.status': '200',
    '$context.protocol': 'HTTP/1.1',
    '$context.responseLength': '212',
    '$context.responseLatency': '41',
    '$context.integrationLatency': '39',
    '$context.integrationStatus': '200',
    '$context.integrationErrorMessage': '-',
    '$context.identity.userArn': routeKey.includes('/orders')
      ? 'arn:aws:iam::123456789012:role/shop-backend'
      : '-',
  };
  const line = JSON.stringify(
    Object.fromEntries(Object.entries(ACCESS_LOG_FORMAT).map(([k, v]) => [k, values[v] ?? v])),
  );
  return Buffer.byteLength(line, 'utf8') + 1;
};

/** Billed ms of one invocation at `memoryMb`: the waits as measured, the CPU stretched (bench/lambda-model.ts), rounded up. */
export const billedMsAt = (profile: FunctionProfile, memoryMb: number): number =>
  Math.ceil(profile.waitMs + Math.max(0, profile.handlerMs - profile.waitMs) * cpuScale(memoryMb));
