import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DynamoDbOrderStore } from '../../../functions/adapters/dynamodb/dynamodb-order-store';
import type { Order, OrderStatus } from '../../../functions/domain/model/order';
import type { PaymentSettled } from '../../../functions/domain/model/settlement';
import { isSettledStatus } from '../../../functions/domain/rules/settlement';
import { resultWordOf } from '../../../functions/http/order-view';
import { followSettlements } from '../../../local/settlement-stream';
import type { Harness } from '../support/harness';
import type { Answer } from './driver';
import { runPool } from './driver';
import { BUYER_MARKERS, type Delivery, isV2Id, type Story } from './stories';

/**
 * What an answer may be for a delivery of this story. Without faults only
 * the forged payment's callback is a 4xx; with faults a 5xx is always allowed
 * (it is retried) and a redirect may say `pending` (the webhook settles it).
 * Answers the problem, or null when the answer is legal.
 */
export const judgeAnswer = (
  delivery: Delivery,
  answer: Answer,
  options: {
    faults: boolean;
    /**
     * Without injected faults: whether our PortOne client really gave up on
     * a call for this delivery's order while it was being answered (a
     * client-side timeout, seen in the service's log). Only then is a 5xx or
     * a `pending` redirect legal; the delivery is retried like a faulted one.
     */
    timedOut?: boolean;
  },
): string | null => {
  const { story } = delivery;
  const forged = story.expected.status === 'forgery';
  const words = new Set(
    story.path.filter((s) => s !== 'pending' && s !== 'forgery').map((s) => resultWordOf(s)),
  );
  const problem = (why: string) =>
    `${story.merchantUid} ${delivery.kind} of ${delivery.impUid}: ${answer.status} ${answer.word} (${why})`;
  const transient = options.faults || options.timedOut === true;
  if (answer.status >= 500) return transient ? null : problem('5xx without a fault');
  switch (delivery.kind) {
    case 'complete':
      if (forged) return answer.status === 400 && answer.word === 'forgery' ? null : problem('');
      return answer.status === 200 && words.has(answer.word as never) ? null : problem('');
    case 'redirect': {
      if (answer.status !== 302) return problem('not a redirect');
      if (transient && answer.word === 'pending') return null;
      if (forged) return answer.word === 'forgery' ? null : problem('');
      return words.has(answer.word as never) ? null : problem('');
    }
    case 'webhook': {
      if (answer.status !== 200) return problem('');
      const allowed = forged ? ['forgery'] : ['applied', 'duplicate', 'stale'];
      return allowed.includes(answer.word) ? null : problem('');
    }
  }
};

/**
 * PortOne calls our client gave up on for lack of an answer in time, as the
 * service logged them (`transient failure` or a `pending` redirect, whose
 * error says "no answer within"), for one order (null: any) from log line
 * `fromLine` on.
 */
export const clientTimeouts = (
  h: Harness,
  merchantUid: string | null,
  fromLine: number,
): number => {
  let count = 0;
  for (let i = fromLine; i < h.logs.length; i++) {
    const line = h.logs[i];
    if (!line || (merchantUid !== null && line.merchant_uid !== merchantUid)) continue;
    if (typeof line.error === 'string' && line.error.includes('no answer within')) count++;
  }
  return count;
};

/** The order store over a second, fault-free client: how the tests look without being faulted. */
export const observerStore = (h: Harness) => {
  const base = new DynamoDBClient({
    endpoint: inject('ddbEndpoint'),
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  const client = DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { store: new DynamoDbOrderStore(client, h.tableName), close: () => base.destroy() };
};

interface Snapshot {
  statusIndex: number;
  attempts: Record<string, { version: string; final: boolean; verdict: string; status: string }>;
}

/**
 * I2–I4 seen from outside, on every read of an order: its status is one its
 * story can be in and never moves back along the story; no attempt
 * disappears, goes back to an older observation, loses `final` for the same
 * observation, or loses a forgery/duplicate verdict; no foreign imp_uid.
 */
export class Monotonic {
  private readonly last = new Map<number, Snapshot>();
  readonly violations: string[] = [];
  reads = 0;

  check(story: Story, order: Order | null): void {
    this.reads++;
    const fail = (why: string) => {
      if (this.violations.length < 50) this.violations.push(`${story.merchantUid}: ${why}`);
    };
    if (!order) {
      fail('order missing');
      return;
    }
    const statusIndex = story.path.indexOf(order.status as OrderStatus);
    if (statusIndex < 0) fail(`status ${order.status} is not in the story ${story.path.join('→')}`);
    const previous = this.last.get(story.index);
    if (previous && statusIndex < previous.statusIndex) {
      fail(`status went back from ${story.path[previous.statusIndex]} to ${order.status}`);
    }
    const known = new Set(story.steps.flatMap((s) => s.deliveries.map((d) => d.impUid)));
    for (const [impUid, attempt] of Object.entries(order.attempts)) {
      if (!known.has(impUid)) fail(`foreign attempt ${impUid}`);
      if (story.expected.status === 'forgery' && attempt.verdict !== 'forgery') {
        fail(`forged payment ${impUid} has verdict ${attempt.verdict}`);
      }
    }
    for (const [impUid, before] of Object.entries(previous?.attempts ?? {})) {
      const now = order.attempts[impUid];
      if (!now) {
        // I9: an old closed window may be dropped; nothing else ever is.
        const droppable = story.dropsAttempts && before.status === 'failed';
        if (!droppable) fail(`attempt ${impUid} disappeared`);
        continue;
      }
      if (now.version < before.version) fail(`attempt ${impUid} went back to an older observation`);
      if (now.version === before.version && before.final && !now.final) {
        fail(`attempt ${impUid} lost final for the same observation`);
      }
      if (before.verdict !== 'ok' && now.verdict !== before.verdict) {
        fail(`attempt ${impUid} verdict ${before.verdict} became ${now.verdict}`);
      }
    }
    this.last.set(story.index, {
      statusIndex: Math.max(statusIndex, previous?.statusIndex ?? 0),
      attempts: Object.fromEntries(
        Object.entries(order.attempts).map(([impUid, a]) => [
          impUid,
          { version: a.version, final: a.final, verdict: a.verdict, status: a.status },
        ]),
      ),
    });
  }
}

/** Reads random orders in the background until stopped; every read goes through `Monotonic`. */
export const startObserver = (
  read: (merchantUid: string) => Promise<Order | null>,
  stories: readonly Story[],
  monotonic: Monotonic,
  random: () => number,
  { batch = 8, pauseMs = 20 } = {},
) => {
  let running = true;
  const errors: string[] = [];
  const loop = (async () => {
    while (running) {
      const chosen = new Set<Story>();
      for (let i = 0; i < batch; i++) {
        chosen.add(stories[Math.floor(random() * stories.length)] as Story);
      }
      await Promise.all(
        [...chosen].map(async (story) => {
          try {
            monotonic.check(story, await read(story.merchantUid));
          } catch (error) {
            errors.push(String(error));
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    errors,
    stop: async () => {
      running = false;
      await loop;
    },
  };
};

/**
 * The end state of every order against its story: status, final, current
 * attempt, every attempt's status, verdict and cancelled amount, our own
 * cancellations done, nothing owed, and at PortOne exactly the expected
 * cancellations (never two).
 */
export const checkFinalStates = async (
  h: Harness,
  stories: readonly Story[],
  read: (merchantUid: string) => Promise<Order | null>,
  options: { lenientCancellationRecords?: boolean } = {},
): Promise<{
  problems: string[];
  byStatus: Record<string, number>;
  reconciled: number;
  staleCancellationRecords: string[];
  /** Payments PortOne cancelled more than once. */
  doubleCancellations: number;
  /** Orders left with no money after we refunded one of their payments as a duplicate. */
  refundsOfLastPayment: number;
  /** Orders with any problem. */
  wrongFinalStates: number;
}> => {
  let doubleCancellations = 0;
  let refundsOfLastPayment = 0;
  const wrong = new Set<string>();
  const problems: string[] = [];
  const staleCancellationRecords: string[] = [];
  const byStatus: Record<string, number> = {};
  let reconciled = 0;
  const fail = (story: Story, why: string) => {
    wrong.add(story.merchantUid);
    problems.push(`${story.merchantUid} (${story.kind}): ${why}`);
  };
  await runPool(stories, 32, async (story) => {
    const order = await read(story.merchantUid);
    if (!order) return void fail(story, 'order missing');
    byStatus[order.status] = (byStatus[order.status] ?? 0) + 1;
    if (order.history.some((entry) => entry.source === 'reconcile')) reconciled++;
    const { expected } = story;
    if (order.status !== expected.status)
      fail(story, `status ${order.status}, expected ${expected.status}`);
    if (order.final !== expected.final) fail(story, `final ${order.final}`);
    if (order.imp_uid !== expected.impUid)
      fail(story, `current ${order.imp_uid}, expected ${expected.impUid}`);
    if (order.owes_cancellation) fail(story, 'still owes a cancellation');
    // Still watched: an open virtual account, and an order without an outcome yet
    // (PortOne may approve a failed or pending payment later, I8).
    const watched =
      order.status === 'vbank_issued' || order.status === 'failed' || order.status === 'pending';
    const settled = watched ? order.check_at !== null : order.check_at === null;
    if (!settled) fail(story, `check_at ${order.check_at}`);
    const attemptIds = Object.keys(order.attempts).sort();
    const expectedIds = Object.keys(expected.attempts).sort();
    if (attemptIds.join() !== expectedIds.join()) {
      fail(story, `attempts ${attemptIds.join()} expected ${expectedIds.join()}`);
    }
    for (const [impUid, want] of Object.entries(expected.attempts)) {
      const got = order.attempts[impUid];
      if (!got) continue;
      if (got.status !== want.status)
        fail(story, `${impUid} status ${got.status}, expected ${want.status}`);
      if (got.verdict !== want.verdict)
        fail(story, `${impUid} verdict ${got.verdict}, expected ${want.verdict}`);
      if (got.cancel_amount !== want.cancel_amount) {
        fail(story, `${impUid} cancel_amount ${got.cancel_amount}, expected ${want.cancel_amount}`);
      }
      if (want.cancelledByUs && got.cancellation?.state !== 'done') {
        // When our cancel reached PortOne but its outcome was not recorded (a
        // timeout, a DynamoDB error), the next observation must still close
        // the record; `lenientCancellationRecords` only counts such records.
        const stale =
          (got.cancellation?.state === 'requested' || got.cancellation?.state === 'failed') &&
          got.status === 'cancelled';
        if (stale && options.lenientCancellationRecords) {
          staleCancellationRecords.push(
            `${story.merchantUid} ${impUid}: ${JSON.stringify(got.cancellation)}`,
          );
        } else {
          fail(story, `${impUid} cancellation ${JSON.stringify(got.cancellation)}`);
        }
      }
      if (!want.cancelledByUs && got.cancellation) fail(story, `${impUid} was cancelled by us`);
      const api = isV2Id(impUid) ? 'v2' : 'v1';
      if (got.api !== api) fail(story, `${impUid} recorded as ${got.api}, paid through ${api}`);
      if (impUid === expected.impUid && !got.final && expected.final)
        fail(story, `${impUid} not final`);
    }
    if (story.kind === 'vbank_issued' && !order.attempts[expected.impUid]?.vbank?.number) {
      fail(story, 'no virtual account number');
    }
    if (story.refunded !== undefined) {
      const [refund, ...more] = order.refunds;
      if (refund?.state !== 'done' || more.length > 0 || refund.amount !== story.refunded) {
        fail(story, `merchant refunds ${JSON.stringify(order.refunds)}`);
      }
    }
    const atPortOne = await Promise.all(expectedIds.map((impUid) => portOneView(h, impUid)));
    const ourDuplicateRefund = atPortOne.some((p) =>
      p.cancel_history.some((entry) => entry.reason === DUPLICATE_REASON),
    );
    if (ourDuplicateRefund && atPortOne.every((p) => p.cancel_amount >= p.amount)) {
      refundsOfLastPayment++;
      fail(story, 'we refunded the payment that paid the order');
    }
    for (const impUid of expectedIds) {
      const payment = await portOneView(h, impUid);
      const want = story.cancellations[impUid] ?? { count: 0, amount: 0 };
      if (payment.cancel_history.length > 1) doubleCancellations++;
      if (payment.cancel_history.length !== want.count) {
        fail(story, `${impUid} cancelled ${payment.cancel_history.length} times at PortOne`);
      }
      if (payment.cancel_amount !== want.amount) {
        fail(
          story,
          `${impUid} cancel_amount at PortOne ${payment.cancel_amount}, expected ${want.amount}`,
        );
      }
    }
  });
  return {
    problems,
    byStatus,
    reconciled,
    staleCancellationRecords,
    doubleCancellations,
    refundsOfLastPayment,
    wrongFinalStates: wrong.size,
  };
};

/** A payment as PortOne shows it, in V1's terms whichever API it went through. */
const portOneView = async (
  h: Harness,
  id: string,
): Promise<{
  amount: number;
  cancel_amount: number;
  cancel_history: { reason: string | null }[];
}> => {
  if (!isV2Id(id)) return h.control.getPayment(id);
  const payment = await h.control.v2.getPayment(id);
  return {
    amount: payment.amount.total,
    cancel_amount: payment.amount.cancelled,
    cancel_history: (payment.cancellations ?? []).map((c) => ({ reason: c.reason })),
  };
};

/** The reason our automatic cancellation of a duplicate gives PortOne (functions/domain/rules/cancellation.ts). */
const DUPLICATE_REASON = 'Duplicate payment for an order that is already paid';

/**
 * Searches the captured log lines for the PortOne secret, any access token
 * (the simulator's are 40 hex digits) and the buyers' personal data.
 */
export const leaksInLogs = (h: Harness): { lines: number; bytes: number; leaks: string[] } => {
  const credentials = h.runtime.config.portone.credentials;
  const secret = 'apiSecret' in credentials ? credentials.apiSecret : '';
  const text = JSON.stringify(h.logs);
  const leaks: string[] = [];
  const around = (index: number) => text.slice(Math.max(0, index - 120), index + 60);
  if (secret && text.includes(secret))
    leaks.push(`the API secret: …${around(text.indexOf(secret))}`);
  const token = /[0-9a-f]{40}/i.exec(text);
  if (token) leaks.push(`a 40-hex token: …${around(token.index)}`);
  for (const marker of BUYER_MARKERS) {
    const at = text.indexOf(marker);
    if (at >= 0) leaks.push(`buyer data "${marker}": …${around(at)}`);
  }
  return { lines: h.logs.length, bytes: text.length, leaks };
};

/** The orders the reconciler will take at `at`, counted by story kind (the report's "why"). */
export const dueByKind = async (
  h: Harness,
  stories: readonly Story[],
  at: Date,
): Promise<Record<string, number>> => {
  const kinds = new Map(stories.map((s) => [s.merchantUid, s.kind]));
  const counts: Record<string, number> = {};
  for (const id of await h.runtime.store.listDue(at.toISOString(), 100_000)) {
    const kind = kinds.get(id) ?? 'other';
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
};

/** The part of the storm's and the fault suite's reports that describes how everything settled. */
export const settlementReport = (parts: {
  monotonic: Monotonic;
  dueBeforeReconcile: unknown;
  report: unknown;
  final: Awaited<ReturnType<typeof checkFinalStates>>;
  logs: ReturnType<typeof leaksInLogs>;
}) => ({
  observerReads: parts.monotonic.reads,
  dueBeforeReconcile: parts.dueBeforeReconcile,
  reconcile: parts.report,
  ordersTouchedByReconciler: parts.final.reconciled,
  staleCancellationRecords: {
    count: parts.final.staleCancellationRecords.length,
    examples: parts.final.staleCancellationRecords.slice(0, 3),
  },
  finalStatuses: parts.final.byStatus,
  wrongFinalStates: parts.final.wrongFinalStates,
  doubleCancellations: parts.final.doubleCancellations,
  refundsOfLastPayment: parts.final.refundsOfLastPayment,
  logs: { lines: parts.logs.lines, bytes: parts.logs.bytes, leaks: parts.logs.leaks.length },
});

/** Reads the harness table's stream as the deployed `settled` function would, without faults. */
export const startSettlementWatch = async (h: Harness) => {
  const local = {
    endpoint: inject('ddbEndpoint'),
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const dynamodb = new DynamoDBClient(local);
  const streams = new DynamoDBStreamsClient(local);
  const stream = await followSettlements({
    dynamodb,
    streams,
    tableName: h.tableName,
    log: h.runtime.log,
    pollMs: 250,
  });
  return {
    events: stream.events,
    drain: () => stream.drain(),
    stop: async () => {
      await stream.stop();
      dynamodb.destroy();
      streams.destroy();
    },
  };
};

/**
 * Exactly one event per outcome an order reached: no id twice, every event an
 * outcome of the story's path, and an order that ended final with a settled
 * outcome announced with it.
 */
export const checkSettlementEvents = (
  stories: readonly Story[],
  events: readonly PaymentSettled[],
): { events: number; byStatus: Record<string, number>; problems: string[] } => {
  const problems: string[] = [];
  const byOrder = new Map<string, PaymentSettled[]>();
  const byStatus: Record<string, number> = {};
  for (const event of events) {
    byOrder.set(event.merchant_uid, [...(byOrder.get(event.merchant_uid) ?? []), event]);
    byStatus[event.status] = (byStatus[event.status] ?? 0) + 1;
  }
  for (const story of stories) {
    const announced = byOrder.get(story.merchantUid) ?? [];
    const ids = announced.map((event) => event.id);
    const why = (text: string) => problems.push(`${story.merchantUid} (${story.kind}): ${text}`);
    if (new Set(ids).size !== ids.length) why(`announced twice: ${ids.join(', ')}`);
    for (const event of announced) {
      if (!story.path.includes(event.status)) why(`announced ${event.status}, not in its story`);
    }
    const { status, final } = story.expected;
    const expectAnnounced = final && isSettledStatus(status);
    if (expectAnnounced && !announced.some((event) => event.status === status)) {
      why(`ended ${status} but was never announced so`);
    }
    if (!expectAnnounced && announced.some((event) => event.status === status)) {
      why(`announced ${status} although it never became final with it`);
    }
  }
  return { events: events.length, byStatus, problems };
};
