import type { CallRecord } from '../simulator/portone';
import type { DynamoDbCounts } from './instrument';
import type { BenchStack, System } from './stack';
import { runPool, type Summary, summarize } from './stats';
import { deliver, deliverV2, type PaidOrder, type Route, type V2PaidOrder } from './workload';

/** What one event cost, averaged over a block of events. */
export interface OpsPerEvent {
  events: number;
  /** Every PortOne call, token fetches included. */
  portoneCalls: number;
  tokenFetches: number;
  portoneByRoute: Record<string, number>;
  reads: number;
  writes: number;
  rcu: number;
  wcu: number;
  /** Of `wcu`, the writes to the recheck index. */
  indexWcu: number;
  conditionFailures: number;
  commands: Record<string, number>;
  /** Mean ms per event waiting for PortOne and for DynamoDB, inside the handler. */
  portoneMs: number;
  dynamoDbMs: number;
}

export interface Block {
  system: System['name'];
  /** Set on ours' PortOne V2 blocks (the /v2/ routes); absent on V1's. */
  api?: 'v2';
  route: Route;
  concurrency: number;
  /** Client round trip through the local HTTP API, ms. */
  roundTrip: Summary;
  /** Inside the handler, ms, and the mean of it rounded up to 1 ms as Lambda bills. */
  handler: Summary & { billedMean: number };
  elapsedMs: number;
  eventsPerSecond: number;
  /**
   * CPU time of this process (the API server, the handlers and the load
   * generator; not the simulator or DynamoDB Local) per event, ms.
   */
  cpuMsPerEvent: number;
  /** Totals over the block (divide by `ops.events` for per event: see perEvent). */
  ops: OpsPerEvent;
  /**
   * Sequential blocks only (concurrency 1, where each wait belongs to one
   * event): per event, the PortOne and DynamoDB waits inside the handler and
   * the rest of its time (CPU, the event loop), for bench/lambda-model.ts.
   */
  parts?: { portoneMs: Summary; dynamoDbMs: Summary; restMs: Summary };
}

const perEvent = (
  events: number,
  calls: CallRecord[],
  db: DynamoDbCounts,
  portoneMs: number,
): OpsPerEvent => {
  const byRoute: Record<string, number> = {};
  for (const call of calls) byRoute[call.route] = (byRoute[call.route] ?? 0) + 1;
  const each = (n: number) => n / events;
  return {
    events,
    portoneCalls: each(calls.length),
    tokenFetches: each(byRoute.getToken ?? 0),
    portoneByRoute: Object.fromEntries(Object.entries(byRoute).map(([k, v]) => [k, each(v)])),
    reads: each(db.reads),
    writes: each(db.writes),
    rcu: each(db.rcu),
    wcu: each(db.wcu),
    indexWcu: each(db.indexWcu),
    conditionFailures: each(db.conditionFailures),
    commands: Object.fromEntries(Object.entries(db.commands).map(([k, v]) => [k, each(v)])),
    portoneMs: each(portoneMs),
    dynamoDbMs: each(db.ms),
  };
};

/**
 * Delivers `route` for every order with `concurrency` in flight and
 * measures it: round trips, handler time, and the PortOne calls (the
 * simulator's own call log) and DynamoDB requests the events caused.
 */
export const runBlock = (
  stack: BenchStack,
  system: System,
  route: Route,
  orders: readonly PaidOrder[],
  concurrency = 1,
): Promise<Block> =>
  measureBlock(stack, system, route, orders, concurrency, (order) => deliver(system, route, order));

/** runBlock on ours' V2 routes: the same figures, the block marked `api: 'v2'`. */
export const runV2Block = async (
  stack: BenchStack,
  system: System,
  route: Route,
  orders: readonly V2PaidOrder[],
): Promise<Block> => ({
  ...(await measureBlock(stack, system, route, orders, 1, (order) =>
    deliverV2(system, route, order),
  )),
  api: 'v2',
});

const measureBlock = async <T>(
  stack: BenchStack,
  system: System,
  route: Route,
  orders: readonly T[],
  concurrency: number,
  send: (order: T) => Promise<number>,
): Promise<Block> => {
  await stack.simulator.clearCalls();
  system.dynamodb.reset();
  system.handlerTimes.durations.length = 0;
  system.portoneTime.ms = 0;
  const roundTrips: number[] = [];
  const waits: { portoneMs: number; dynamoDbMs: number }[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  await runPool(orders, concurrency, async (order) => {
    const before = { portone: system.portoneTime.ms, db: system.dynamodb.counts().ms };
    roundTrips.push(await send(order));
    waits.push({
      portoneMs: system.portoneTime.ms - before.portone,
      dynamoDbMs: system.dynamodb.counts().ms - before.db,
    });
  });
  const elapsedMs = performance.now() - started;
  const { user, system: kernel } = process.cpuUsage(cpu);
  const calls = await stack.simulator.calls();
  const durations = [...system.handlerTimes.durations];
  const billed = durations.reduce((sum, ms) => sum + Math.max(1, Math.ceil(ms)), 0);
  return {
    system: system.name,
    route,
    concurrency,
    roundTrip: summarize(roundTrips),
    handler: { ...summarize(durations), billedMean: billed / durations.length },
    elapsedMs,
    eventsPerSecond: (orders.length / elapsedMs) * 1000,
    cpuMsPerEvent: (user + kernel) / 1000 / orders.length,
    ops: perEvent(orders.length, calls, system.dynamodb.counts(), system.portoneTime.ms),
    ...(concurrency === 1 && durations.length === waits.length
      ? {
          parts: {
            portoneMs: summarize(waits.map((w) => w.portoneMs)),
            dynamoDbMs: summarize(waits.map((w) => w.dynamoDbMs)),
            restMs: summarize(
              durations.map(
                (ms, i) => ms - (waits[i]?.portoneMs ?? 0) - (waits[i]?.dynamoDbMs ?? 0),
              ),
            ),
          },
        }
      : {}),
  };
};

export interface TokenPolicy {
  events: number;
  spanMinutes: number;
  /** Minutes after the phase began at which our client fetched a token. */
  fetchedAtMinutes: number[];
  perThousandEvents: number;
  /** The most fetches inside any 25-minute window of the phase. */
  maxPer25Minutes: number;
  minGapMinutes: number | null;
}

/**
 * One warm container (our runtime) through `spanMinutes` of simulated time
 * in seconds: both the simulator's clock and our token cache's clock move
 * forward between webhook events, so every expiry and PortOne's
 * last-minute extension happen as they would over real hours.
 */
export const measureTokenPolicy = async (
  stack: BenchStack,
  orders: readonly PaidOrder[],
  events: number,
  spanMinutes: number,
): Promise<TokenPolicy> => {
  const stepSeconds = Math.max(1, Math.round((spanMinutes * 60) / events));
  await stack.simulator.setLatency(0);
  await stack.simulator.clearCalls();
  const startedAt = await stack.simulator.now();
  for (let i = 0; i < events; i++) {
    await stack.simulator.advanceClock(stepSeconds);
    stack.advanceOurClock(stepSeconds * 1000);
    // Repeated notifications for known payments: each is a full lookup, which is all this counts.
    await deliver(stack.ours, 'webhook', orders[i % orders.length] as PaidOrder, [
      'applied',
      'duplicate',
    ]);
  }
  const fetches = (await stack.simulator.calls())
    .filter((call) => call.route === 'getToken')
    .map((call) => (call.at - startedAt) / 60);
  const gaps = fetches.slice(1).map((at, i) => at - (fetches[i] as number));
  return {
    events,
    spanMinutes: (events * stepSeconds) / 60,
    fetchedAtMinutes: fetches,
    perThousandEvents: (fetches.length / events) * 1000,
    maxPer25Minutes: Math.max(
      0,
      ...fetches.map((t) => fetches.filter((u) => u >= t && u < t + 25).length),
    ),
    minGapMinutes: gaps.length ? Math.min(...gaps) : null,
  };
};
