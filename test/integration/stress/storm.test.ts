import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  Tally,
  withoutPrefixes,
  withPrefix,
} from './driver';
import { generateStories, schedule, seededRandom } from './stories';

/**
 * Issue item 3, the delivery storm: every order's complete, redirect and
 * three copies of each webhook, shuffled with the PortOne-side changes and
 * sent at a concurrency of at least 50 through the HTTP API. Small in
 * `npm test`; `npm run test:stress` runs 2,000 orders.
 */
const ORDERS = Number(process.env.STRESS_ORDERS ?? 150);
const CONCURRENCY = Math.max(50, Number(process.env.STRESS_CONCURRENCY ?? 50));
const SEED = Number(process.env.STRESS_SEED ?? 20_240_601);
const MINUTE = 60_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('a delivery storm', () => {
  it(
    `ends every one of ${ORDERS} orders in its correct state, with no 5xx and one cancellation per forged or duplicate payment`,
    async () => {
      // Prepare
      const random = seededRandom(SEED);
      const stories = generateStories(ORDERS, random, 'storm');
      const tasks = schedule(stories, random);
      const deliveries = tasks.filter((t) => t.kind === 'delivery').length;
      const sender = createSender(h.api.url, CONCURRENCY * 2);
      const observer = observerStore(h);
      const settlements = await startSettlementWatch(h);
      const monotonic = new Monotonic();
      const tally = new Tally();
      const problems: string[] = [];
      const note = (problem: string | null) => {
        if (problem && problems.length < 50) problems.push(problem);
      };
      await runPool(stories, CONCURRENCY, async (story) => {
        const answer = await sender.register(story);
        tally.add(`orders.${answer.status}`);
        if (answer.status !== 201) note(`${story.merchantUid}: POST /orders ${answer.status}`);
      });

      // Act
      const watch = startObserver(
        (id) => observer.store.findOrder(id),
        stories,
        monotonic,
        seededRandom(SEED + 1),
      );
      const started = performance.now();
      await playTimeline(h, tasks, CONCURRENCY, async (delivery) => {
        const answer = await sender.deliver(delivery);
        record(tally, delivery, answer);
        note(judgeAnswer(delivery, answer, { faults: false }));
      });
      const stormMs = performance.now() - started;
      await watch.stop();
      await h.sim.state.webhooks.settle(); // the cancellation notices PortOne sends us
      const dueBeforeReconcile = await dueByKind(h, stories, new Date(Date.now() + 11 * MINUTE));
      const { passes, total: report } = await settleLater(h);
      await h.sim.state.webhooks.settle();
      const final = await checkFinalStates(h, stories, (id) => h.runtime.store.findOrder(id));
      for (const story of stories)
        monotonic.check(story, await observer.store.findOrder(story.merchantUid));
      const cancelNotices = h.control.webhookLog();
      const cancelCalls = (await h.control.calls()).filter((c) => c.route === 'cancel').length;
      await settlements.drain();
      await settlements.stop();
      const announced = checkSettlementEvents(stories, settlements.events);
      const logs = leaksInLogs(h);
      await sender.close();
      observer.close();

      // Report
      const notices = await cancelNotices;
      const noticeStatus = new Tally();
      for (const entry of notices) {
        noticeStatus.add('error' in entry.outcome ? 'error' : String(entry.outcome.status));
      }
      const sent = tally.sum('class.');
      console.log(
        JSON.stringify(
          {
            storm: {
              orders: ORDERS,
              seed: SEED,
              concurrency: CONCURRENCY,
              stories: countBy(stories.map((s) => s.kind)),
              requests: sent,
              deliveries,
              runTimeMs: Math.round(stormMs),
              requestsPerSecond: Math.round((sent / stormMs) * 1000),
              answersByStatus: withPrefix(tally.toJSON(), 'status.'),
              answersByRoute: withoutPrefixes(tally.toJSON(), ['status.', 'class.', 'orders.']),
              webhookDuplicateOrStale:
                tally.sum('webhook.200 duplicate') + tally.sum('webhook.200 stale'),
              cancelCallsToPortOne: cancelCalls,
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
      expect(problems).toEqual([]);
      expect(tally.sum('class.5xx')).toBe(0);
      expect(sent).toBe(deliveries);
      expect(noticeStatus.toJSON()).toEqual({ '200': notices.length });
      expect(watch.errors).toEqual([]);
      expect(monotonic.violations).toEqual([]);
      expect(report.failed).toBe(0);
      expect(final.refundsOfLastPayment).toBe(0);
      expect(final.doubleCancellations).toBe(0);
      expect(final.problems).toEqual([]);
      expect(announced.problems).toEqual([]);
      expect(logs.leaks).toEqual([]);
    },
    Math.max(120_000, ORDERS * 450),
  );
});
