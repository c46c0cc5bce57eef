import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { orderKey } from '../functions/adapters/dynamodb/keys';
import { TABLE_DESIGN } from '../functions/adapters/dynamodb/table-design';
import { keepAliveExchange } from '../functions/adapters/portone/http-exchange';
import { SDK_LOGGER_MIDDLEWARE } from '../functions/runtime/deps';
import { DEFAULT_API_KEY, DEFAULT_API_SECRET } from '../simulator/portone/defaults';
import type { LimitSample } from './limit-summary';
import type { BenchStack } from './stack';
import { runPool } from './stats';
import { deliver, preparePaidOrders } from './workload';

type Item = Record<string, AttributeValue>;
const PK = TABLE_DESIGN.partitionKey;
/** Untimed iterations before each slice: the bare client's connection, DynamoDB Local's and V8's warm-up. */
const WARMUP = 5;

/**
 * The physical limit of a payment verification, measured directly from
 * this process: one PortOne payment lookup over a node:http keep-alive
 * connection (the deployed client's HTTP client, without the client) and one conditional UpdateItem
 * through a bare DynamoDBClient on the same DynamoDB Local, plus the
 * GetItem complete and redirect must make first. Nothing of ours runs in
 * between: no handler, no API adapter, no document client.
 *
 * It is measured in slices, one right before each of ours' sequential
 * blocks, so that each route is judged against the limit on the same
 * machine state: DynamoDB Local's write time drifts by a millisecond or
 * more over a run (4.8 ms p50 in one block, 3.3 ms a minute later), more
 * than the margin the target leaves.
 *
 * The item and the write are an order's own: one order is registered
 * through ours and confirmed by its webhook; every iteration updates a
 * copy of the registered item into the confirmed one (every attribute
 * that changed, set; every one that went, removed: the recheck index
 * moves as ours' does), under the fast path's existence, amount and
 * currency condition and a new attempt's.
 */
export const openLimit = async (
  stack: BenchStack,
  latencyMs: number,
  slices: number,
  perSlice: number,
) => {
  const tableName = stack.ours.tableName;
  const client = new DynamoDBClient({
    endpoint: stack.dynamodbEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // The deployed client's settings (functions/runtime/deps.ts).
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
    maxAttempts: 3,
  });
  // As deployed: without the logger middleware's filter over every input and output.
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  const { order, update, uids } = await prepareLimitItems(
    stack,
    client,
    `limit-${latencyMs}`,
    slices * (WARMUP + perSlice),
  ).catch((error: unknown) => {
    client.destroy();
    throw error;
  });
  const read = readItem(client, tableName);
  const lookup = await portoneLookup(stack.simulatorUrl, order.impUid);
  return {
    /** The next slice: untimed warm-up iterations (the client has been idle), then `perSlice` timed. */
    slice: async (): Promise<LimitSample[]> => {
      const samples: LimitSample[] = [];
      for (const [i, uid] of uids.splice(0, WARMUP + perSlice).entries()) {
        let started = performance.now();
        await read(uid);
        const getItemMs = performance.now() - started;
        started = performance.now();
        await lookup();
        const portoneMs = performance.now() - started;
        started = performance.now();
        await client.send(
          new UpdateItemCommand({ TableName: tableName, Key: rawKey(uid), ...update }),
        );
        const updateItemMs = performance.now() - started;
        if (i >= WARMUP) samples.push({ getItemMs, portoneMs, updateItemMs });
      }
      return samples;
    },
    close: () => client.destroy(),
  };
};

const readItem = (client: DynamoDBClient, tableName: string) => async (merchantUid: string) =>
  (
    await client.send(
      new GetItemCommand({ TableName: tableName, Key: rawKey(merchantUid), ConsistentRead: true }),
    )
  ).Item as Item;

/**
 * One order registered through ours and confirmed by its webhook, the
 * UpdateItem that turns its registered item into the confirmed one, and
 * `count` copies of the registered item to apply it to.
 */
export const prepareLimitItems = async (
  stack: BenchStack,
  client: DynamoDBClient,
  prefix: string,
  count: number,
) => {
  const tableName = stack.ours.tableName;
  const [order] = await preparePaidOrders(stack.ours, stack.simulator, 1);
  if (!order) throw new Error('no order registered for the limit');
  const read = readItem(client, tableName);
  const registered = await read(order.merchantUid);
  await deliver(stack.ours, 'webhook', order);
  const confirmed = await read(order.merchantUid);
  const update = updateTo(registered, confirmed);
  const stamp = `${prefix}-${Date.now().toString(36)}`;
  const uids = Array.from({ length: count }, (_, i) => `${stamp}-${i}`);
  await runPool(uids, 8, async (uid) => {
    await client.send(new PutItemCommand({ TableName: tableName, Item: cloneAs(registered, uid) }));
  });
  return { order, update, uids };
};

export const rawKey = (merchantUid: string): Item => ({
  [PK]: { S: orderKey(merchantUid)[PK] as string },
});

const cloneAs = (item: Item, merchantUid: string): Item => ({
  ...item,
  ...rawKey(merchantUid),
  merchant_uid: { S: merchantUid },
});

const KEYS = new Set([PK, 'merchant_uid']);

/** The UpdateItem that turns `before` into `after` (key and merchant_uid aside), conditional as ours'. */
export const updateTo = (before: Item, after: Item) => {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const set: string[] = [];
  const remove: string[] = [];
  let n = 0;
  const name = (attribute: string) => {
    const alias = `#a${n++}`;
    names[alias] = attribute;
    return alias;
  };
  for (const [attribute, value] of Object.entries(after)) {
    if (KEYS.has(attribute) || JSON.stringify(before[attribute]) === JSON.stringify(value))
      continue;
    const alias = name(attribute);
    values[`:v${alias.slice(2)}`] = value;
    set.push(`${alias} = :v${alias.slice(2)}`);
  }
  for (const attribute of Object.keys(before)) {
    if (!KEYS.has(attribute) && !(attribute in after)) remove.push(name(attribute));
  }
  Object.assign(names, { '#amount': 'amount', '#currency': 'currency', '#att': 'attempts' });
  names['#imp'] = after.imp_uid?.S ?? 'none';
  Object.assign(values, {
    ':amount': before.amount as AttributeValue,
    ':currency': before.currency as AttributeValue,
  });
  return {
    UpdateExpression: [
      set.length ? `SET ${set.join(', ')}` : '',
      remove.length ? `REMOVE ${remove.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' '),
    ConditionExpression: `attribute_exists(${PK}) AND #amount = :amount AND #currency = :currency AND attribute_not_exists(#att.#imp)`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW' as const,
  };
};

/**
 * One V1 payment lookup as the deployed client makes it, through the same
 * HTTP client (functions/adapters/portone/http-exchange.ts, kept alive),
 * with a token fetched once beforehand (untimed, as ours caches its own).
 */
export const portoneTarget = async (baseUrl: string, impUid: string) => {
  const answer = await fetch(`${baseUrl}/users/getToken`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ imp_key: DEFAULT_API_KEY, imp_secret: DEFAULT_API_SECRET }),
  });
  const { response } = (await answer.json()) as { response: { access_token: string } };
  const headers = { accept: 'application/json', authorization: `Bearer ${response.access_token}` };
  const url = `${baseUrl}/payments/${encodeURIComponent(impUid)}?include_sandbox=true`;
  return { url, headers };
};

const portoneLookup = async (baseUrl: string, impUid: string) => {
  const { url, headers } = await portoneTarget(baseUrl, impUid);
  const exchange = keepAliveExchange();
  return async () => {
    const lookup = await exchange(url, {
      method: 'GET',
      headers,
      signal: AbortSignal.timeout(5000),
      redirect: 'error',
    });
    const text = await lookup.text();
    if (lookup.status !== 200) throw new Error(`limit: PortOne lookup ${lookup.status} ${text}`);
  };
};
