import { Agent, request } from 'undici';
import { hasCancellationWork } from '../../../functions/domain/rules/cancellation';
import { CANCELLATION_RETRY_LONGEST_MS } from '../../../functions/domain/rules/timing';
import { type ReconcileReport, reconcile } from '../../../functions/domain/use-cases/reconcile';
import { verificationDeps } from '../../../functions/runtime/deps';
import type { V2SimulatorControl } from '../../../simulator/portone/v2/control-client';
import type { Harness } from '../support/harness';
import { RESULT_PAGE_URL } from '../support/harness';
import {
  type Action,
  type Delivery,
  isV2Id,
  LATE_AFTER_SECONDS,
  resolveSlot,
  type Story,
  type Task,
} from './stories';

/** One answer of our API, reduced to what the checks need. */
export interface Answer {
  status: number;
  /** `status` of a JSON body, or the `status` parameter of a redirect's Location. */
  word: string;
  location?: string;
}

export interface Sent {
  delivery: Delivery;
  answer: Answer;
}

/**
 * HTTP to the API with enough sockets for the pool (undici's Agent,
 * keep-alive). V2 webhooks are signed, so the simulator sends them
 * (`v2.sendWebhook`) and the answer is read from its delivery log.
 */
export const createSender = (baseUrl: string, connections: number, v2: V2SimulatorControl) => {
  const agent = new Agent({ connections, pipelining: 1, keepAliveTimeout: 10_000 });
  const send = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string; location?: string }> => {
    const response = await request(`${baseUrl}${path}`, {
      method,
      dispatcher: agent,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    const location = response.headers.location;
    return {
      status: response.statusCode,
      text,
      ...(typeof location === 'string' ? { location } : {}),
    };
  };

  const deliverV2 = async (delivery: Delivery): Promise<Answer> => {
    const paymentId = delivery.impUid;
    switch (delivery.kind) {
      case 'complete':
        return jsonAnswer(await send('POST', '/v2/payments/complete', { paymentId }));
      case 'webhook': {
        // One copy in three comes twice with the same webhook-id (Standard Webhooks' at-least-once).
        const mode = delivery.id % 3 === 0 ? 'duplicate' : 'normal';
        const entries = await v2.sendWebhook({ paymentId, mode });
        const answers = entries.map(({ outcome }): Answer => {
          if ('skipped' in outcome) return { status: 0, word: '(skipped)' };
          if ('error' in outcome) return { status: 0, word: '(no answer)' };
          return jsonAnswer({ status: outcome.status, text: outcome.body });
        });
        // The judge sees the worst copy: a failed one, else the last (the duplicate).
        const worst = answers.find((a) => a.status !== 200) ?? answers.at(-1);
        return worst ?? { status: 0, word: '(not sent)' };
      }
      case 'redirect':
        return redirectAnswer(
          await send('GET', `/v2/payments/complete?${new URLSearchParams({ paymentId })}`),
        );
    }
  };

  const deliver = async (delivery: Delivery): Promise<Answer> => {
    if (delivery.api === 'v2') return deliverV2(delivery);
    const ids = { imp_uid: delivery.impUid, merchant_uid: delivery.story.merchantUid };
    switch (delivery.kind) {
      case 'complete':
        return jsonAnswer(await send('POST', '/payments/complete', ids));
      case 'webhook':
        return jsonAnswer(
          await send('POST', '/payments/webhook', { ...ids, status: delivery.hint }),
        );
      case 'redirect': {
        const query = new URLSearchParams({ ...ids, imp_success: 'true' });
        return redirectAnswer(await send('GET', `/payments/complete?${query}`));
      }
    }
  };

  const register = async (story: Story): Promise<Answer> =>
    jsonAnswer(
      await send('POST', '/orders', {
        merchant_uid: story.merchantUid,
        amount: story.amount,
        currency: 'KRW',
        name: `Stress order ${story.index}`,
      }),
    );

  return { deliver, register, close: () => agent.close() };
};

const redirectAnswer = (answer: { status: number; location?: string }): Answer => {
  let word = '';
  if (answer.location?.startsWith(`${RESULT_PAGE_URL}?`)) {
    word = new URL(answer.location).searchParams.get('status') ?? '';
  }
  return {
    status: answer.status,
    word,
    ...(answer.location ? { location: answer.location } : {}),
  };
};

const jsonAnswer = (answer: { status: number; text: string }): Answer => {
  let word = '';
  try {
    word = String((JSON.parse(answer.text) as { status?: unknown }).status ?? '');
  } catch {
    word = '(not json)';
  }
  return { status: answer.status, word };
};

/** Runs `work` over `items` with at most `concurrency` in flight, in list order. */
export const runPool = async <T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
};

/** Until the next second of the clock: a payment made now is paid later than one made before. */
const nextSecond = () =>
  new Promise((resolve) => setTimeout(resolve, 1_020 - (Date.now() % 1_000)));

/**
 * `POST /orders/{merchant_uid}/payments` as the shop's backend calls it
 * before opening a V2 window, repeated while it answers 5xx (DynamoDB
 * faults). An id whose answer was lost stays issued and unused, as in life.
 */
export const issuePaymentId = async (h: Harness, merchantUid: string): Promise<string> => {
  for (let attempt = 1; attempt <= 50; attempt++) {
    try {
      const response = await h.issuePaymentId(merchantUid);
      const body = (await response.json()) as { payment_id?: string };
      if (response.status === 201 && body.payment_id) return body.payment_id;
      if (response.status < 500) {
        throw new Error(`POST /orders/${merchantUid}/payments: ${response.status}`);
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('POST /orders/')) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`POST /orders/${merchantUid}/payments never answered 201`);
};

/**
 * The shop issues a V2 payment id when it opens a window: every window of the
 * story is open before its first payment (two tabs, for a duplicate), since
 * a paid order issues no more ids.
 */
const issueSlots = async (h: Harness, story: Story): Promise<void> => {
  for (const { action } of story.steps) {
    if (action.kind === 'createV2' && !action.paymentId) {
      resolveSlot(story, action.slot, await issuePaymentId(h, action.merchantUid));
    }
  }
};

export const performAction = async (h: Harness, action: Action, story: Story): Promise<void> => {
  // V2's deposit and console cancel send no webhook by themselves here: the
  // story's own deliveries are those webhooks, on the shuffled timeline.
  const quiet = { webhookMode: 'none' as const };
  switch (action.kind) {
    case 'create':
      if (action.nextSecond) await nextSecond();
      await h.control.createPayment(action.input);
      return;
    case 'createV2': {
      const paymentId = action.paymentId ?? (await issuePaymentId(h, action.merchantUid));
      resolveSlot(story, action.slot, paymentId);
      if (action.nextSecond) await nextSecond();
      await h.control.v2.createPayment({ paymentId, ...action.input });
      return;
    }
    case 'deposit':
      if (isV2Id(action.impUid)) await h.control.v2.deposit(action.impUid, quiet);
      else await h.control.deposit(action.impUid);
      return;
    case 'consoleCancel': {
      const options = {
        ...(action.amount !== undefined ? { amount: action.amount } : {}),
        reason: 'console cancel (stress)',
      };
      if (isV2Id(action.impUid))
        await h.control.v2.consoleCancel(action.impUid, { ...options, ...quiet });
      else await h.control.consoleCancel(action.impUid, options);
      return;
    }
    case 'refund':
      // While the service cannot know the payment yet (its deliveries got 5xx),
      // the merchant tries again later: finishRefunds.
      if (!(await refundUntilDone(h, action, 40))) unfinished(h).push(action);
      return;
  }
};

/**
 * The merchant's backend refunding an order it knows is paid: several
 * identical requests at once (a retrying client), repeated while the
 * service does not know the payment yet (409) or answers 5xx, until one
 * says the refund is done or under way. Never a second request_id.
 */
type Refund = Extract<Action, { kind: 'refund' }>;
const refundsLeft = new WeakMap<Harness, Refund[]>();
const unfinished = (h: Harness): Refund[] => {
  const list = refundsLeft.get(h) ?? [];
  refundsLeft.set(h, list);
  return list;
};

/** Repeats the refunds the timeline could not finish; answers how many there were. */
export const finishRefunds = async (h: Harness): Promise<number> => {
  const left = unfinished(h).splice(0);
  for (const action of left) {
    if (!(await refundUntilDone(h, action, 400))) {
      throw new Error(`refund ${action.requestId} never ended`);
    }
  }
  return left.length;
};

const refundUntilDone = async (h: Harness, action: Refund, rounds: number): Promise<boolean> => {
  const body = JSON.stringify({
    request_id: action.requestId,
    reason: 'stress refund',
    ...(action.amount !== undefined ? { amount: action.amount } : {}),
  });
  for (let round = 0; round < rounds; round++) {
    const answers = await Promise.all(
      Array.from({ length: action.copies }, async () => {
        try {
          const response = await fetch(`${h.api.url}/orders/${action.merchantUid}/cancel`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          await response.arrayBuffer();
          return response.status;
        } catch {
          return 0;
        }
      }),
    );
    // 202: PortOne has it, or a request whose answer was lost holds the claim; the
    // reconciler finishes it (the final checks want it done).
    if (answers.some((status) => status === 200 || status === 202)) return true;
    if (answers.some((status) => status === 422))
      throw new Error(`refund ${action.requestId} rejected`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
};

/**
 * Plays the timeline: PortOne-side actions through the simulator's control
 * API, deliveries through our HTTP API. A delivery waits for the action it
 * reports (which always started earlier, so the pool cannot deadlock).
 */
export const playTimeline = async (
  h: Harness,
  tasks: readonly Task[],
  concurrency: number,
  deliver: (delivery: Delivery) => Promise<void>,
): Promise<void> => {
  const done = new Map<string, Promise<void>>();
  const key = (story: Story, step: number) => `${story.index}:${step}`;
  await runPool(tasks, concurrency, async (task) => {
    if (task.kind === 'action') {
      const previous = task.step > 0 ? done.get(key(task.story, task.step - 1)) : undefined;
      const action = task.story.steps[task.step]?.action;
      if (!action) throw new Error(`no step ${task.step} in story ${task.story.index}`);
      const promise = (async () => {
        await previous;
        if (task.step === 0) await issueSlots(h, task.story);
        await performAction(h, action, task.story);
      })();
      done.set(key(task.story, task.step), promise);
      await promise;
      return;
    }
    const { delivery } = task;
    const action = done.get(key(delivery.story, delivery.step));
    if (!action) throw new Error(`delivery ${delivery.id} scheduled before its action`);
    await action;
    await deliver(delivery);
  });
};

/** Waits for the webhooks PortOne still sends on its own (cancel notices), of both APIs. */
export const settleWebhooks = async (h: Harness): Promise<void> => {
  await h.sim.state.webhooks.settle();
  await h.sim.state.v2.webhooks.settle();
};

/** Counters for the report. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(key: string, by = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  /** Sum of keys starting with `prefix`. */
  sum(prefix: string): number {
    let total = 0;
    for (const [key, value] of this.counts) if (key.startsWith(prefix)) total += value;
    return total;
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Answers by status code, by route and status code, and the webhook and redirect words. */
export const record = (tally: Tally, delivery: Delivery, answer: Answer): void => {
  tally.add(`status.${answer.status}`);
  tally.add(`class.${Math.floor(answer.status / 100)}xx`);
  tally.add(`${delivery.kind}.${answer.status}${answer.word ? ` ${answer.word}` : ''}`);
};

/** How many times each value occurs. */
export const countBy = (values: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};

/** The counts whose key starts with `prefix`, keyed by the rest of the key. */
export const withPrefix = (counts: Record<string, number>, prefix: string) =>
  Object.fromEntries(
    Object.entries(counts)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );

/** The counts whose key starts with none of `prefixes`. */
export const withoutPrefixes = (counts: Record<string, number>, prefixes: readonly string[]) =>
  Object.fromEntries(
    Object.entries(counts).filter(([key]) => !prefixes.some((p) => key.startsWith(p))),
  );

const MINUTE = 60_000;
/** The reconciler's schedule after the deliveries: soon, later, and past the virtual-account deadlines. */
const RECONCILE_PASSES_MS = [11 * MINUTE, 40 * MINUTE, 3 * 24 * 60 * MINUTE + 60 * MINUTE];
/** Later passes, only while a cancellation is still unfinished (well inside the 7-day horizon). */
const CATCH_UP_PASSES = 4;

/** Whether some order due by then still owes or follows a cancellation or refund. */
const cancellationWorkDue = async (h: Harness, ms: number): Promise<boolean> => {
  const due = await h.runtime.store.listDue(new Date(Date.now() + ms).toISOString(), 100_000);
  for (const merchantUid of due) {
    const order = await h.runtime.store.findOrder(merchantUid);
    if (order && hasCancellationWork(order)) return true;
  }
  return false;
};

/**
 * After the deliveries: PortOne's delayed behaviours happen (the simulator's
 * clock moves past every refusal window, late approval and late cancel),
 * and the reconciler runs as its schedule would over the next days. Answers
 * each pass's report and their sum.
 */
export const settleLater = async (
  h: Harness,
): Promise<{ passes: ReconcileReport[]; total: ReconcileReport }> => {
  await settleWebhooks(h);
  await finishRefunds(h);
  const passes: ReconcileReport[] = [];
  const pass = async (ms: number) => {
    // PortOne's time moves on between passes too: a cancel first accepted in a pass completes by the next.
    await h.control.advanceClock(LATE_AFTER_SECONDS + 60);
    passes.push(
      await reconcile(
        { ...verificationDeps(h.runtime), clock: () => new Date(Date.now() + ms) },
        { limit: 100_000, concurrency: 8 },
      ),
    );
    await settleWebhooks(h);
  };
  for (const ms of RECONCILE_PASSES_MS) await pass(ms);
  // The reconciler keeps running on its schedule: a cancellation whose call
  // timed out in the last pass (this process carries the whole load, so a
  // healthy PortOne call can still exceed its timeout) is retried by a later
  // one, at most CANCELLATION_RETRY_LONGEST_MS on. Without these passes the
  // outcome would depend on whether the last pass happened to hit a timeout.
  const last = RECONCILE_PASSES_MS[RECONCILE_PASSES_MS.length - 1] ?? 0;
  for (let extra = 1; extra <= CATCH_UP_PASSES; extra++) {
    const ms = last + extra * (CANCELLATION_RETRY_LONGEST_MS + MINUTE);
    if (!(await cancellationWorkDue(h, ms))) break;
    await pass(ms);
  }
  const total = { due: 0, settled: 0, open: 0, skipped: 0, failed: 0 };
  for (const pass of passes) {
    for (const key of Object.keys(total) as (keyof ReconcileReport)[]) total[key] += pass[key];
  }
  return { passes, total };
};
