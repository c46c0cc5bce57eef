import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type HttpExchange, keepAliveExchange } from '../functions/adapters/portone/http-exchange';
import type { HttpEvent, HttpResult } from '../functions/http/types';

const READS = /^(Get|Query|Scan|BatchGet|TransactGet)/;
const WRITES = /^(Put|Update|Delete|BatchWrite|TransactWrite)/;

/** DynamoDB work as the bill sees it: requests by kind and capacity units. */
export interface DynamoDbCounts {
  commands: Record<string, number>;
  reads: number;
  writes: number;
  /** Read capacity units consumed (from ReturnConsumedCapacity). */
  rcu: number;
  /** Write capacity units consumed, secondary index writes included. */
  wcu: number;
  /** The part of `wcu` spent on secondary indexes. */
  indexWcu: number;
  /** Conditional writes refused: billed, but DynamoDB reports no capacity for them. */
  conditionFailures: number;
  /** Time spent waiting for DynamoDB (Local), ms. */
  ms: number;
}

const zero = (): DynamoDbCounts => ({
  commands: {},
  reads: 0,
  writes: 0,
  rcu: 0,
  wcu: 0,
  indexWcu: 0,
  conditionFailures: 0,
  ms: 0,
});

type Units = { CapacityUnits?: number };
type Capacity = Units & {
  GlobalSecondaryIndexes?: Record<string, Units>;
  LocalSecondaryIndexes?: Record<string, Units>;
};
const listOf = (capacity: Capacity | Capacity[] | undefined): Capacity[] =>
  Array.isArray(capacity) ? capacity : capacity ? [capacity] : [];
const sum = (units: Units[]) => units.reduce((total, u) => total + (u.CapacityUnits ?? 0), 0);
const indexUnits = (c: Capacity) =>
  sum(Object.values(c.GlobalSecondaryIndexes ?? {})) +
  sum(Object.values(c.LocalSecondaryIndexes ?? {}));

/**
 * A document client on DynamoDB Local (explicit endpoint, region and dummy
 * credentials: never anything else) whose every command is counted, with
 * `ReturnConsumedCapacity: 'INDEXES'` added by this bench-only middleware so
 * that capacity (table and indexes) is summed as DynamoDB reports it.
 */
export const countingDocumentClient = (endpoint: string) => {
  let counts = zero();
  const base = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // The deployed client's settings (functions/runtime/deps.ts), for both systems.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
    maxAttempts: 3,
  });
  const client = DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      const isRead = READS.test(name);
      counts.commands[name] = (counts.commands[name] ?? 0) + 1;
      if (isRead) counts.reads++;
      else if (WRITES.test(name)) counts.writes++;
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
      const started = performance.now();
      try {
        const result = await next(args);
        const consumed = listOf(
          (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity,
        );
        if (isRead) counts.rcu += sum(consumed);
        else {
          counts.wcu += sum(consumed);
          counts.indexWcu += consumed.reduce((total, c) => total + indexUnits(c), 0);
        }
        return result;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') counts.conditionFailures++;
        throw error;
      } finally {
        counts.ms += performance.now() - started;
      }
    },
    { step: 'initialize', name: 'benchCountCommands' },
  );
  return {
    client,
    counts: () => counts,
    reset: () => {
      counts = zero();
    },
    destroy: () => base.destroy(),
  };
};

export type CountingClient = ReturnType<typeof countingDocumentClient>;

/** Ours' PortOne client as deployed (node:http keep-alive), timing every call until its body is read. */
export const timedExchange = (sink: { ms: number }): HttpExchange => {
  const exchange = keepAliveExchange();
  return async (url, init) => {
    const started = performance.now();
    const response = await exchange(url, init);
    const text = await response.text();
    sink.ms += performance.now() - started;
    return { status: response.status, text: () => Promise.resolve(text) };
  };
};

/** Global fetch (the baseline's client), timing every PortOne call until its body is read. */
export const timedFetch =
  (sink: { ms: number }): typeof fetch =>
  async (input, init) => {
    const started = performance.now();
    const response = await globalThis.fetch(input, init);
    const body = await response.arrayBuffer();
    sink.ms += performance.now() - started;
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

type Handler = (event: HttpEvent) => Promise<HttpResult>;

/** Time spent inside a handler, as Lambda bills it (not the HTTP round trip around it). */
export const timedHandler = (handler: Handler, sink: { durations: number[] }): Handler => {
  return async (event) => {
    const started = performance.now();
    try {
      return await handler(event);
    } finally {
      sink.durations.push(performance.now() - started);
    }
  };
};
