import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultInput } from '../../../simulator/portone/types';
import { type Harness, startHarness } from '../support/harness';
import {
  checkFinalStates,
  checkSettlementEvents,
  dueByKind,
  judgeAnswer,
  leaksInLogs,
  Monotonic,
  observerStore,
  settlementReport,
  startObserver,
  startSettlementWatch,
} from './checks';
import {
  countBy,
  createSender,
  playTimeline,
  record,
  runPool,
  settleLater,
  settleWebhooks,
  Tally,
} from './driver';
import { type Delivery, generateStories, pick, schedule, seededRandom } from './stories';

/**
 * Issue item 2: the mixed workload of the storm while PortOne answers 5xx,
 * times out, resets connections or refuses tokens on a share of calls, and
 * DynamoDB fails at the client edge (throttling, 500s, answers lost after
 * the write). Throughout: only legal answers (5xx for anything transient)
 * and only legal order states. Then the faults stop, every 5xx is retried
 * (as PortOne and browsers would), the reconciler runs, and every order must
 * be exactly where its story ends.
 */
const ORDERS = Number(process.env.STRESS_FAULT_ORDERS ?? 60);
const CONCURRENCY = Math.max(50, Number(process.env.STRESS_CONCURRENCY ?? 50));
const SEED = Number(process.env.STRESS_SEED ?? 20_240_601) + 1_000;
/** Share of DynamoDB commands failed before they are sent, and after they took effect. */
const DDB_FAULT_BEFORE = 0.12;
const DDB_FAULT_AFTER = 0.04;
/**
 * Per-call timeout to PortOne. The whole stack and the load run in one Node
 * process here, so under 50 concurrent requests a healthy call can take a
 * few hundred ms: 300 ms would turn load into timeouts. 'slow' faults wait
 * 1.2–3× this, so they always exceed it.
 */
const PORTONE_TIMEOUT_MS = 1_000;
const MINUTE = 60_000;

let faultsOn = false;
const ddbFaults = new Tally();
const ddbRandom = seededRandom(SEED + 1);

/** The errors the SDK raises, shaped as it shapes them (name, $fault, $metadata). */
const dynamodbFault = (command: string, phase: 'before' | 'after'): Error | undefined => {
  if (!faultsOn) return undefined;
  const roll = ddbRandom();
  if (phase === 'after') {
    if (roll >= DDB_FAULT_AFTER) return undefined;
    ddbFaults.add(`after.${command}.InternalServerError`);
    return new InternalServerError({
      message: 'simulated: the answer was lost after the command took effect',
      $metadata: { httpStatusCode: 500 },
    });
  }
  if (roll >= DDB_FAULT_BEFORE) return undefined;
  const kind = pick(ddbRandom, ['throttling', 'throughput', 'internal'] as const);
  ddbFaults.add(`before.${command}.${kind}`);
  const $metadata = { httpStatusCode: kind === 'internal' ? 500 : 400 };
  switch (kind) {
    case 'throttling':
      return new ThrottlingException({ message: 'simulated: rate exceeded', $metadata });
    case 'throughput':
      return new ProvisionedThroughputExceededException({
        message: 'simulated: throughput exceeded',
        $metadata,
      });
    case 'internal':
      return new InternalServerError({ message: 'simulated: internal error', $metadata });
  }
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    env: { PORTONE_TIMEOUT_MS: String(PORTONE_TIMEOUT_MS) },
    dynamodbFault,
    v2: true,
  });
});
afterAll(async () => {
  faultsOn = false;
  await h?.close();
});

/** One PortOne fault of a random kind, on a random route, for the next 1–3 matching calls. */
const randomFault = (random: () => number): FaultInput => {
  // findPayment is left out: only the reconciler calls it, after the faults.
  // '*' matches V2's routes too; V2 needs no token.
  const roll0 = random();
  const route: FaultInput['route'] =
    roll0 < 0.45
      ? '*'
      : roll0 < 0.65
        ? 'getPayment'
        : roll0 < 0.8
          ? 'v2.getPayment'
          : roll0 < 0.87
            ? 'cancel'
            : roll0 < 0.93
              ? 'v2.cancel'
              : 'getToken';
  const times = 1 + Math.floor(random() * 3);
  const roll = random();
  if (roll < 0.4) {
    return { route, kind: 'status', status: pick(random, [500, 502, 503, 504, 429]), times };
  }
  if (roll < 0.65) {
    // Longer than our per-call timeout: the client gives up, PortOne still acts.
    return {
      route,
      kind: 'slow',
      delayMs: Math.round(PORTONE_TIMEOUT_MS * (1.2 + random() * 1.8)),
      times,
    };
  }
  if (roll < 0.85) return { route, kind: 'unauthorized', times };
  return { route, kind: 'reset', times };
};

/**
 * Queues a random PortOne fault every 40–160 ms while the faulty phase lasts
 * (about one call in ten at this load), never more than a few at a time so
 * that faults for rarely called routes cannot pile up.
 */
const startInjector = (random: () => number) => {
  let running = true;
  let injected = 0;
  const loop = (async () => {
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, 40 + random() * 120));
      if (!running) break;
      if ((await h.control.faults()).length < 6) {
        await h.control.injectFault(randomFault(random));
        injected++;
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await h.control.clearFaults();
      return injected;
    },
  };
};

const shuffle = <T>(items: readonly T[], random: () => number): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

describe('under PortOne and DynamoDB faults', () => {
  it(
    `${ORDERS} orders stay legal throughout and all end correctly once retries and the reconciler ran`,
    async () => {
      // Prepare
      const random = seededRandom(SEED);
      const stories = generateStories(ORDERS, random, 'fault', { v2: true });
      const tasks = schedule(stories, random);
      const sender = createSender(h.api.url, CONCURRENCY * 2, h.control.v2);
      const observer = observerStore(h);
      const monotonic = new Monotonic();
      const tally = new Tally();
      const retryTally = new Tally();
      const problems: string[] = [];
      const note = (problem: string | null) => {
        if (problem && problems.length < 50) problems.push(problem);
      };
      await h.control.clearCalls();

      // Act 1: the faulty phase
      const commandsSent = () => Object.values(h.dynamodbCalls).reduce((sum, n) => sum + n, 0);
      const commandsBefore = commandsSent();
      faultsOn = true;
      const injector = startInjector(seededRandom(SEED + 2));
      const started = performance.now();
      await runPool(stories, CONCURRENCY, async (story) => {
        for (let attempt = 1; ; attempt++) {
          const answer = await sender.register(story);
          tally.add(`orders.${answer.status}`);
          if (answer.status === 200 || answer.status === 201) return;
          if (answer.status < 500 || attempt >= 50) {
            return note(`${story.merchantUid}: POST /orders ${answer.status} ${answer.word}`);
          }
        }
      });
      const watch = startObserver(
        (id) => observer.store.findOrder(id),
        stories,
        monotonic,
        seededRandom(SEED + 3),
      );
      const failed: Delivery[] = [];
      await playTimeline(h, tasks, CONCURRENCY, async (delivery) => {
        const answer = await sender.deliver(delivery);
        record(tally, delivery, answer);
        note(judgeAnswer(delivery, answer, { faults: true }));
        if (answer.status >= 500) failed.push(delivery);
      });
      const faultyMs = performance.now() - started;
      faultsOn = false;
      const faultyCommands = commandsSent() - commandsBefore;
      const portoneFaultsQueued = await injector.stop();
      await settleWebhooks(h);
      const calls = await h.control.calls();

      // Act 2: faults over; PortOne and the browsers retry what got a 5xx, then the reconciler runs
      let pending = failed;
      let rounds = 0;
      // (A 5xx here is still legal: the stack and the load share one process, so a call
      // can still time out under load; like PortOne, we then retry again.)
      while (pending.length > 0 && rounds < 10) {
        rounds++;
        const again: Delivery[] = [];
        await runPool(shuffle(pending, random), CONCURRENCY, async (delivery) => {
          const answer = await sender.deliver(delivery);
          record(retryTally, delivery, answer);
          note(judgeAnswer(delivery, answer, { faults: true }));
          if (answer.status >= 500) again.push(delivery);
        });
        pending = again;
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await settleWebhooks(h);
      const dueBeforeReconcile = await dueByKind(h, stories, new Date(Date.now() + 11 * MINUTE));
      const { passes, total: report } = await settleLater(h);
      await settleWebhooks(h);
      await watch.stop();
      // Started late on purpose: the stream holds every change, so nothing written before is lost.
      const settlements = await startSettlementWatch(h);
      await settlements.drain();
      await settlements.stop();
      const announced = checkSettlementEvents(stories, settlements.events);
      const final = await checkFinalStates(h, stories, (id) => h.runtime.store.findOrder(id), {
        lenientCancellationRecords: false,
      });
      for (const story of stories)
        monotonic.check(story, await observer.store.findOrder(story.merchantUid));
      const notices = await h.control.webhookLog();
      const logs = leaksInLogs(h);
      await sender.close();
      observer.close();

      // Report
      const portoneFaults = new Tally();
      for (const call of calls) if (call.fault) portoneFaults.add(`${call.fault}.${call.route}`);
      const noticeStatus = new Tally();
      for (const entry of notices) {
        noticeStatus.add('error' in entry.outcome ? 'error' : String(entry.outcome.status));
      }
      console.log(
        JSON.stringify(
          {
            faults: {
              orders: ORDERS,
              seed: SEED,
              concurrency: CONCURRENCY,
              storiesByKind: countBy(stories.map((s) => s.kind)),
              storiesByApi: countBy(stories.map((s) => s.apis.join('+'))),
              faultyPhaseMs: Math.round(faultyMs),
              requests: tally.sum('class.') + tally.sum('orders.'),
              answersByStatus: tally.toJSON(),
              portone: {
                calls: calls.length,
                faultedShare: Number(
                  (portoneFaults.sum('') / Math.max(1, calls.length)).toFixed(3),
                ),
                faultsQueued: portoneFaultsQueued,
                faultsHit: portoneFaults.sum(''),
                byKind: portoneFaults.toJSON(),
              },
              dynamodb: { faults: ddbFaults.sum(''), byKind: ddbFaults.toJSON() },
              fiveXxAnswers: tally.sum('class.5xx') + countAtLeast(tally, 'orders.', 500),
              retries: { rounds, sent: retryTally.sum('class.'), answers: retryTally.toJSON() },
              cancelNoticesFromPortOne: noticeStatus.toJSON(),
              ...settlementReport({ monotonic, dueBeforeReconcile, report: passes, final, logs }),
              settledEvents: { count: announced.events, byStatus: announced.byStatus },
            },
          },
          null,
          2,
        ),
      );

      // Assess
      if (process.env.STRESS_DEBUG) {
        const ids = new Set(
          [...problems, ...final.problems, ...final.staleCancellationRecords]
            .map((p) => p.split(' ')[0] ?? '')
            .slice(0, 3),
        );
        console.log([...problems, ...final.problems].join('\n'));
        for (const line of h.logs) {
          if (ids.has(String(line.merchant_uid))) console.log(JSON.stringify(line));
        }
      }
      expect(problems).toEqual([]);
      // How many calls meet a fault depends on how the concurrent load interleaves with the
      // injector: not fixed. Faults were met, never more than the 1-3 calls each was queued for,
      // and only of the kinds injected.
      expect(portoneFaults.sum('')).toBeGreaterThanOrEqual(1);
      expect(portoneFaults.sum('')).toBeLessThanOrEqual(3 * portoneFaultsQueued);
      for (const key of Object.keys(portoneFaults.toJSON())) {
        expect(key).toMatch(/^(status|slow|unauthorized|reset)\.(v2\.)?\w+$/);
      }
      // Both APIs met faults (a V2 route's key is `kind.v2.route`).
      expect(Object.keys(portoneFaults.toJSON()).some((k) => k.includes('.v2.'))).toBe(true);
      expect(Object.keys(portoneFaults.toJSON()).some((k) => !k.includes('.v2.'))).toBe(true);
      // DynamoDB: a share of the commands sent while faults were on, of the kinds injected.
      expect(ddbFaults.sum('')).toBeGreaterThanOrEqual(1);
      for (const phase of ['before.', 'after.']) {
        expect(ddbFaults.sum(phase), phase).toBeLessThanOrEqual(faultyCommands);
      }
      for (const key of Object.keys(ddbFaults.toJSON())) {
        expect(key).toMatch(
          /^(before\.\w+\.(throttling|throughput|internal)|after\.\w+\.InternalServerError)$/,
        );
      }
      expect(pending.map((d) => `${d.story.merchantUid} ${d.kind} ${d.impUid}`)).toEqual([]);
      expect(watch.errors).toEqual([]);
      expect(monotonic.violations).toEqual([]);
      expect(report.failed).toBe(0);
      expect(final.refundsOfLastPayment).toBe(0);
      expect(final.doubleCancellations).toBe(0);
      expect(final.problems).toEqual([]);
      expect(announced.problems).toEqual([]);
      expect(logs.leaks).toEqual([]);
    },
    Math.max(120_000, ORDERS * 1_500),
  );
});

const countAtLeast = (tally: Tally, prefix: string, status: number) =>
  Object.entries(tally.toJSON())
    .filter(([key]) => key.startsWith(prefix) && Number(key.slice(prefix.length)) >= status)
    .reduce((total, [, value]) => total + value, 0);
