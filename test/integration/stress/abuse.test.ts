import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UNKNOWN_CAPACITY,
  UNKNOWN_FOR_MS,
} from '../../../functions/domain/use-cases/recently-unknown';
import { ROUTES, routeKeyOf } from '../../../lib/api-edge';
import { resolveConfig, throttleOf } from '../../../lib/config';
import { type Harness, startHarness } from '../support/harness';
import {
  checkFinalStates,
  dueByKind,
  judgeAnswer,
  leaksInLogs,
  Monotonic,
  observerStore,
  settlementReport,
  startObserver,
} from './checks';
import {
  type Answer,
  countBy,
  createSender,
  playTimeline,
  record,
  runPool,
  settleLater,
  Tally,
  withoutPrefixes,
  withPrefix,
} from './driver';
import {
  type CallCause,
  causeOf,
  createFloodPlan,
  createFloodSender,
  FLOOD_IMP_PREFIX,
  FLOOD_MERCHANT_PREFIX,
  type FloodRequest,
  judgeFlood,
  Pacer,
  REUSE_FOR_MS,
  registeredLookups,
  scanTable,
  type Timed,
  wordOf,
} from './flood';
import {
  type Delivery,
  generateStories,
  STORY_KINDS,
  schedule,
  seededRandom,
  WINDOWS,
} from './stories';

/**
 * The abuse scenario: the storm's real payments (orders registered, paid at
 * PortOne, reported by complete, redirect and PortOne's webhooks, with
 * duplicates and stale notices) while anyone floods the three public routes
 * at STRESS_ABUSE_FACTOR times the real request rate: made-up payments for
 * orders never registered, made-up payments for real orders, one made-up id
 * over and over, made-up webhooks, malformed bodies and queries. Every
 * PortOne call the simulator logs is put down to its cause by the flood's
 * id prefixes. The local API Gateway has no throttle, so every flood request
 * reaches the functions: the worst case for them; the budgets API Gateway
 * would apply are printed from the stack's own configuration.
 */
const ORDERS = Number(process.env.STRESS_ABUSE_ORDERS ?? 30);
const FACTOR = Number(process.env.STRESS_ABUSE_FACTOR ?? 5);
const CONCURRENCY = Math.max(50, Number(process.env.STRESS_CONCURRENCY ?? 50));
/** Flood requests in flight at most; real requests wait while the flood lags (see Pacer). */
const FLOOD_CONCURRENCY = Number(process.env.STRESS_ABUSE_CONCURRENCY ?? 2 * CONCURRENCY);
const SEED = Number(process.env.STRESS_SEED ?? 20_240_601) + 2_000;
/**
 * PortOne's per-call timeout: the service's default (functions/runtime/config.ts),
 * not the harness's 1 s. Here the real payments, the flood, the functions
 * and the PortOne simulator share one Node process, so the flood's CPU
 * delays a healthy PortOne answer past 1 s; in AWS each request has its own
 * container and the flood cannot slow the real payments' calls.
 */
const PORTONE_TIMEOUT_MS = Number(process.env.STRESS_ABUSE_PORTONE_TIMEOUT_MS ?? 5_000);
const MINUTE = 60_000;
/** Real deliveries to expect (every kind but one has a few; abandoned windows have two per window). */
const EXPECTED_DELIVERIES = ORDERS * (6 + (2 * (WINDOWS + 1)) / STORY_KINDS.length);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { PORTONE_TIMEOUT_MS: String(PORTONE_TIMEOUT_MS) } });
});
afterAll(() => h?.close());

/** What API Gateway would apply per route in AWS (lib/config.ts defaults, lib/api-edge.ts budgets). */
const throttleSettings = () => {
  const config = resolveConfig({ resultPageUrl: 'https://shop.example/r' });
  return {
    emulatedLocally: false,
    stage: { rateLimit: config.throttleRate, burstLimit: config.throttleBurst },
    routes: Object.fromEntries(
      ROUTES.map((route) => [
        routeKeyOf(route),
        { budget: route.budget, ...throttleOf(config, route.budget) },
      ]),
    ),
  };
};

describe('a flood on the public routes during a storm of real payments', () => {
  it(
    `ends all ${ORDERS} real orders correctly, answers every real webhook 200 and spends no PortOne call on flooded unregistered orders, at ${FACTOR}× the real request rate`,
    async () => {
      // Prepare
      const random = seededRandom(SEED);
      const stories = generateStories(ORDERS, random, 'abuse');
      const tasks = schedule(stories, random);
      const deliveries = tasks.filter((t) => t.kind === 'delivery').length;
      const realWebhooks = tasks.filter(
        (t) => t.kind === 'delivery' && t.delivery.kind === 'webhook',
      ).length;
      const sender = createSender(h.api.url, CONCURRENCY * 2, h.control.v2);
      const floodSender = createFloodSender(h.api.url, FLOOD_CONCURRENCY);
      const observer = observerStore(h);
      const monotonic = new Monotonic();
      const tally = new Tally();
      const floodTally = new Tally();
      const problems: string[] = [];
      const floodProblems: string[] = [];
      const note = (list: string[], problem: string | null) => {
        if (problem && list.length < 50) list.push(problem);
      };
      await runPool(stories, CONCURRENCY, async (story) => {
        const answer = await sender.register(story);
        tally.add(`orders.${answer.status}`);
        if (answer.status !== 201)
          note(problems, `${story.merchantUid}: POST /orders ${answer.status}`);
      });
      await h.control.clearCalls();
      await h.control.clearWebhookLog();
      h.resetCounts();

      /** PortOne sends the webhooks (so that its log holds each one's answer); the browser the rest. */
      const deliverReal = async (delivery: Delivery): Promise<Answer> => {
        if (delivery.kind !== 'webhook') return sender.deliver(delivery);
        const { deliveries: outcomes } = await h.control.sendWebhook({
          imp_uid: delivery.impUid,
          merchant_uid: delivery.story.merchantUid,
          status: delivery.hint,
        });
        const [outcome] = outcomes;
        if (!outcome || 'error' in outcome) return { status: 0, word: outcome?.error ?? 'none' };
        return { status: outcome.status, word: wordOf(outcome.body) };
      };

      // Act
      const watch = startObserver(
        (id) => observer.store.findOrder(id),
        stories,
        monotonic,
        seededRandom(SEED + 1),
      );
      const pacer = new Pacer(FACTOR, FACTOR * 10);
      const next = createFloodPlan(
        seededRandom(SEED + 2),
        stories.map((s) => s.merchantUid),
        () => performance.now(),
      );
      const timedRegistered: Timed[] = [];
      const realLatency: number[] = [];
      const floodLatency: number[] = [];
      let floodWellFormedWebhooks = 0;
      let floodLastAnswer = 0;
      const started = performance.now();
      const flood = Promise.all(
        Array.from({ length: FLOOD_CONCURRENCY }, async () => {
          while (await pacer.take()) {
            const request: FloodRequest = next();
            const start = performance.now();
            let answer: Answer;
            try {
              answer = await floodSender.send(request);
            } catch (error) {
              answer = { status: 0, word: String(error) };
            }
            const end = performance.now();
            floodLatency.push(end - start);
            floodLastAnswer = Math.max(floodLastAnswer, end);
            floodTally.add(`status.${answer.status}`);
            floodTally.add(`class.${Math.floor(answer.status / 100)}xx`);
            floodTally.add(`kind.${request.kind}`);
            floodTally.add(`route.${request.route}.${answer.status} ${answer.word}`);
            if (request.flaw) floodTally.add(`flaw.${request.flaw}`);
            note(floodProblems, judgeFlood(request, answer));
            if (request.kind === 'webhook' || request.kind === 'webhook_same') {
              floodWellFormedWebhooks++;
            }
            if (
              (request.kind === 'registered' || request.kind === 'same_registered') &&
              request.impUid
            ) {
              timedRegistered.push({ impUid: request.impUid, start, end });
            }
          }
        }),
      );
      try {
        await playTimeline(h, tasks, CONCURRENCY, async (delivery) => {
          await pacer.beforeReal();
          const start = performance.now();
          const answer = await deliverReal(delivery);
          realLatency.push(performance.now() - start);
          record(tally, delivery, answer);
          note(problems, judgeAnswer(delivery, answer, { faults: false }));
        });
      } finally {
        pacer.finish();
      }
      const realMs = performance.now() - started;
      await flood;
      const floodMs = floodLastAnswer - started;
      await watch.stop();
      await h.sim.state.webhooks.settle();
      const webhookLog = await h.control.webhookLog();
      const dueBeforeReconcile = await dueByKind(h, stories, new Date(Date.now() + 11 * MINUTE));
      const { passes, total: report } = await settleLater(h);
      await h.sim.state.webhooks.settle();
      const final = await checkFinalStates(h, stories, (id) => h.runtime.store.findOrder(id));
      for (const story of stories)
        monotonic.check(story, await observer.store.findOrder(story.merchantUid));
      const calls = await h.control.calls();
      const notices = await h.control.webhookLog();
      const items = await scanTable(h.tableName);
      const logs = leaksInLogs(h);
      await sender.close();
      await floodSender.close();
      observer.close();

      // Report
      const callsByCause = new Tally();
      const callsByCauseAndRoute = new Tally();
      const callsById = new Map<CallCause, Map<string, number>>();
      for (const call of calls) {
        const { cause, impUid } = causeOf(call);
        callsByCause.add(cause);
        callsByCauseAndRoute.add(`${cause}.${call.route}`);
        if (impUid) {
          const ids = callsById.get(cause) ?? new Map<string, number>();
          ids.set(impUid, (ids.get(impUid) ?? 0) + 1);
          callsById.set(cause, ids);
        }
      }
      const registered = registeredLookups(
        timedRegistered,
        callsById.get('registered') ?? new Map(),
      );
      const floodRequests = floodTally.sum('class.');
      const realSent = tally.sum('class.');
      const realDeliveryLog = webhookLog.filter((entry) => entry.trigger === 'control');
      const realWebhookStatus = new Tally();
      for (const entry of realDeliveryLog) {
        realWebhookStatus.add('error' in entry.outcome ? 'error' : String(entry.outcome.status));
      }
      const noticeStatus = new Tally();
      for (const entry of notices.filter((e) => e.trigger === 'cancel')) {
        noticeStatus.add('error' in entry.outcome ? 'error' : String(entry.outcome.status));
      }
      const floodInWebhookLog = notices.filter((entry) =>
        JSON.stringify(entry.fields).includes(FLOOD_IMP_PREFIX),
      ).length;
      const floodItems = items.filter((item) => {
        const text = JSON.stringify(item);
        return text.includes(FLOOD_IMP_PREFIX) || text.includes(`"${FLOOD_MERCHANT_PREFIX}`);
      });
      const itemsByKind = countBy(items.map((item) => String(item.pk).split('#')[0] ?? ''));
      const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
      const throttle = throttleSettings();
      /** Each public route's share of both loads, next to the bucket API Gateway would give it. */
      const perRoute = Object.fromEntries(
        (
          [
            ['POST /payments/complete', 'complete', ['complete_json', 'complete_form']],
            ['GET /payments/complete', 'redirect', ['redirect']],
            ['POST /payments/webhook', 'webhook', ['webhook_json', 'webhook_form']],
          ] as const
        ).map(([routeKey, realKind, floodRoutes]) => {
          const real = tally.sum(`${realKind}.`);
          const flooded = floodRoutes.reduce((sum, r) => sum + floodTally.sum(`route.${r}.`), 0);
          return [
            routeKey,
            {
              realPerSecond: perSecond(real, realMs),
              floodPerSecond: perSecond(flooded, floodMs),
              awsRateLimit: throttle.routes[routeKey]?.rateLimit,
            },
          ];
        }),
      );
      const { problems: registeredProblems, ...registeredReport } = registered;
      console.log(
        JSON.stringify(
          {
            abuse: {
              orders: ORDERS,
              seed: SEED,
              concurrency: CONCURRENCY,
              floodConcurrency: FLOOD_CONCURRENCY,
              factor: FACTOR,
              portoneTimeoutMs: PORTONE_TIMEOUT_MS,
              throttleInAws: throttle,
              perRoute,
              stories: countBy(stories.map((s) => s.kind)),
              real: {
                requests: realSent,
                deliveries,
                runTimeMs: Math.round(realMs),
                requestsPerSecond: perSecond(realSent, realMs),
                latencyMs: percentiles(realLatency),
                answersByStatus: withPrefix(tally.toJSON(), 'status.'),
                answersByRoute: withoutPrefixes(tally.toJSON(), ['status.', 'class.', 'orders.']),
              },
              flood: {
                requests: floodRequests,
                runTimeMs: Math.round(floodMs),
                requestsPerSecond: perSecond(floodRequests, floodMs),
                timesTheRealRate: Number(
                  (
                    perSecond(floodRequests, floodMs) / Math.max(1, perSecond(realSent, realMs))
                  ).toFixed(2),
                ),
                latencyMs: percentiles(floodLatency),
                byKind: withPrefix(floodTally.toJSON(), 'kind.'),
                malformedByFlaw: withPrefix(floodTally.toJSON(), 'flaw.'),
                answersByStatus: withPrefix(floodTally.toJSON(), 'status.'),
                answersByRoute: withPrefix(floodTally.toJSON(), 'route.'),
                fiveXx: floodTally.sum('class.5xx'),
              },
              portone: {
                calls: calls.length,
                byCause: callsByCause.toJSON(),
                byCauseAndRoute: callsByCauseAndRoute.toJSON(),
                clientCallsByRoute: { ...h.portoneCalls },
                a_browserFloodUnregisteredOrders: {
                  requests:
                    floodTally.get('kind.unregistered') + floodTally.get('kind.same_unregistered'),
                  calls: callsByCause.get('unregistered'),
                },
                b_browserFloodRegisteredOrders: {
                  ...registeredReport,
                  idReusedForMs: REUSE_FOR_MS,
                  serviceRemembersForMs: UNKNOWN_FOR_MS,
                  serviceRemembersAtMost: UNKNOWN_CAPACITY,
                },
                c_webhookFlood: {
                  deliveries: floodWellFormedWebhooks,
                  distinctIds: callsById.get('webhook')?.size ?? 0,
                  calls: callsByCause.get('webhook'),
                  requestsPerSecond: perSecond(floodWellFormedWebhooks, floodMs),
                },
                malformedFlood: {
                  requests: floodTally.get('kind.malformed'),
                  calls: callsByCause.get('malformed') + callsByCause.get('flood'),
                },
              },
              realWebhookDeliveries: {
                sent: realWebhooks,
                logged: realDeliveryLog.length,
                byStatus: realWebhookStatus.toJSON(),
                requestsPerSecond: perSecond(realWebhooks, realMs),
              },
              cancelNoticesFromPortOne: noticeStatus.toJSON(),
              floodIdsInPortOneWebhookLog: floodInWebhookLog,
              table: { items: items.length, byKind: itemsByKind, floodItems: floodItems.length },
              dynamodbCommands: { ...h.dynamodbCalls },
              ...settlementReport({ monotonic, dueBeforeReconcile, report: passes, final, logs }),
            },
          },
          null,
          2,
        ),
      );

      // Assess
      if (process.env.STRESS_DEBUG) {
        for (const line of h.logs) {
          if (line.level === 'warn' || line.level === 'error') console.log(JSON.stringify(line));
        }
      }
      expect(problems).toEqual([]);
      expect(tally.sum('class.5xx')).toBe(0);
      expect(realSent).toBe(deliveries);
      expect(realDeliveryLog.length).toBe(realWebhooks);
      expect(realWebhookStatus.toJSON()).toEqual({ '200': realWebhooks });
      expect(noticeStatus.get('200')).toBe(noticeStatus.sum(''));
      expect(watch.errors).toEqual([]);
      expect(monotonic.violations).toEqual([]);
      expect(report.failed).toBe(0);
      expect(final.refundsOfLastPayment).toBe(0);
      expect(final.doubleCancellations).toBe(0);
      expect(final.problems).toEqual([]);
      expect(final.wrongFinalStates).toBe(0);
      // The flood ran, as large as asked for.
      expect(floodRequests).toBeGreaterThanOrEqual(FACTOR * realSent);
      expect(floodProblems).toEqual([]);
      expect(floodTally.sum('class.5xx')).toBe(0);
      // (a) An order never registered costs no PortOne call, however often it is claimed.
      expect(callsByCause.get('unregistered')).toBe(0);
      // (b) A made-up id for a real order: looked up, then remembered.
      expect(registeredProblems).toEqual([]);
      // (c) The webhook looks up every delivery, once.
      expect(callsByCause.get('webhook')).toBe(floodWellFormedWebhooks);
      expect(callsByCause.get('malformed') + callsByCause.get('flood')).toBe(0);
      // Nothing of the flood was stored or reached PortOne's notices.
      expect(floodItems.map((item) => String(item.pk))).toEqual([]);
      expect(floodInWebhookLog).toBe(0);
      expect(logs.leaks).toEqual([]);
    },
    Math.max(120_000, EXPECTED_DELIVERIES * (1 + FACTOR) * 40),
  );
});

/** p50, p90, p99 and the maximum, whole milliseconds. */
const percentiles = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(sorted.at(-1) ?? 0) };
};
