import type { AttemptStatus, OrderStatus, Verdict } from '../../../functions/domain/model/order';
import { ATTEMPT_LIMIT } from '../../../functions/domain/rules/limits';
import type { CreatePaymentInput } from '../../../simulator/portone/types';
import type { V2CreatePaymentInput } from '../../../simulator/portone/v2/types';

/**
 * Random payment stories with their expected end state, for the delivery
 * storm and the fault suite. Everything is drawn from one seeded RNG so that
 * a failing run can be replayed with the same STRESS_SEED.
 */

/** mulberry32: small, fast, good enough to shuffle deliveries reproducibly. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

export const STORY_KINDS = [
  'card_paid',
  'card_failed_then_paid',
  'vbank_deposited',
  'vbank_issued',
  'forgery',
  'paid_then_cancelled',
  'paid_then_partially_cancelled',
  'duplicate_payment',
  'failed_only',
  // PortOne as it really behaves (docs/design.md §2.1, I8, I9):
  'duplicate_pending_cancel',
  'forgery_refused_for_now',
  'failed_then_paid_later',
  'late_deposit',
  'abandoned_windows',
  'merchant_refund',
] as const;
export type StoryKind = (typeof STORY_KINDS)[number];

/** Which PortOne API a payment attempt goes through. */
export type Api = 'v1' | 'v2';

/**
 * A V2 payment id before the order issued it: the story is written with
 * this placeholder, and `resolveSlot` puts the id `POST
 * /orders/{merchant_uid}/payments` answered everywhere it stands.
 */
export const V2_SLOT_PREFIX = 'v2-slot-';
export const isV2Id = (id: string): boolean => id.includes('.') || id.startsWith(V2_SLOT_PREFIX);

/** Stories that need V1's PG behaviours (late approval, pending or refused cancels, many windows). */
const V1_ONLY: ReadonlySet<StoryKind> = new Set([
  'duplicate_pending_cancel',
  'forgery_refused_for_now',
  'failed_then_paid_later',
  'abandoned_windows',
]);
const TWO_ATTEMPTS: ReadonlySet<StoryKind> = new Set([
  'card_failed_then_paid',
  'duplicate_payment',
]);

/**
 * The APIs of a story's attempts, by round (one round is one story of each
 * kind): V1, V2, then both (first attempt V1 and second V2 for one of the
 * two-attempt kinds, the other way round for the other, swapped in the next
 * such round); a story V2 cannot play stays V1.
 */
export const apisOf = (kind: StoryKind, index: number): Api[] => {
  if (V1_ONLY.has(kind)) return ['v1'];
  const round = Math.floor(index / STORY_KINDS.length);
  switch (round % 3) {
    case 0:
      return ['v1'];
    case 1:
      return ['v2'];
    default:
      if (!TWO_ATTEMPTS.has(kind)) return [round % 2 === 0 ? 'v2' : 'v1'];
      // Both directions in every such round: V1 then V2 for one kind, V2 then V1 for the other.
      return (kind === 'duplicate_payment') === (Math.floor(round / 3) % 2 === 0)
        ? ['v2', 'v1']
        : ['v1', 'v2'];
  }
};

/** A change on PortOne's side (the buyer paying, a deposit, the console). */
export type Action =
  | { kind: 'create'; input: CreatePaymentInput; nextSecond?: boolean }
  /** Issue a V2 payment id for the order (`slot` until then), then the buyer pays with it. */
  | {
      kind: 'createV2';
      slot: string;
      merchantUid: string;
      input: Omit<V2CreatePaymentInput, 'paymentId'>;
      /** Paid in a later second than the story's previous payment (the first paid wins, I5). */
      nextSecond?: boolean;
      /** The id the order issued for the slot (resolveSlot). */
      paymentId?: string;
    }
  | { kind: 'deposit'; impUid: string }
  | { kind: 'consoleCancel'; impUid: string; amount?: number }
  /** The merchant's backend refunds the order, sending the same request several times at once. */
  | { kind: 'refund'; merchantUid: string; requestId: string; amount?: number; copies: number };

export type DeliveryKind = 'complete' | 'redirect' | 'webhook';

/** One request to our API: the browser's callback or redirect, or one copy of PortOne's webhook. */
export interface Delivery {
  id: number;
  story: Story;
  step: number;
  kind: DeliveryKind;
  /** The API of the attempt; a V2 delivery goes to the /v2/ routes, its webhook signed by the simulator. */
  api: Api;
  /** V1: the imp_uid; V2: the paymentId (a slot until the order issued it). */
  impUid: string;
  /** The webhook body's `status` (PortOne's hint; the service must not trust it). */
  hint: string;
}

export interface Step {
  action: Action;
  deliveries: Delivery[];
}

export interface ExpectedAttempt {
  status: AttemptStatus;
  verdict: Verdict;
  cancel_amount: number;
  /** We cancelled it (forged or duplicate): our cancellation must have ended `done`. */
  cancelledByUs: boolean;
}

export interface Story {
  index: number;
  kind: StoryKind;
  /** The APIs of its attempts, in order: one entry when all attempts share it. */
  apis: readonly Api[];
  merchantUid: string;
  amount: number;
  steps: Step[];
  /** The order's statuses in story order: a read may stay or move forward, never back. */
  path: readonly OrderStatus[];
  expected: {
    status: OrderStatus;
    final: boolean;
    impUid: string;
    attempts: Record<string, ExpectedAttempt>;
  };
  /** imp_uid → length of PortOne's cancel_history at the end (absent: 0). */
  cancellations: Record<string, { count: number; amount: number }>;
  /** Old closed windows are dropped from the order (I9). */
  dropsAttempts?: boolean;
  /** The amount the merchant's refund returned. */
  refunded?: number;
}

/** The buyer's personal data given to PortOne; none of it may reach a log line. */
export const buyerOf = (index: number) => ({
  buyer_name: `김구매자${index}`,
  buyer_email: `buyer-${index}@example.com`,
  buyer_tel: `010-5555-${String(index % 10_000).padStart(4, '0')}`,
});
export const BUYER_MARKERS = ['구매자', '@example.com', '010-5555-'];

/** Closed payment windows per `abandoned_windows` story: by the hundred in the full run. */
export const WINDOWS = Number(process.env.STRESS_WINDOWS ?? 25);

/** Seconds from the start of a run after which the delayed PortOne behaviours have all happened. */
export const LATE_AFTER_SECONDS = 120;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * `count` stories, kinds spread evenly (so that small runs still have every
 * kind), amounts and details random. `tag` keeps ids of two suites apart.
 * With `v2` the stories of later rounds pay through PortOne V2, or through
 * both APIs (apisOf); without it every story is V1.
 */
export const generateStories = (
  count: number,
  random: () => number,
  tag: string,
  options: { v2?: boolean } = {},
): Story[] => {
  const stories: Story[] = [];
  let deliveryId = 0;
  for (let index = 0; index < count; index++) {
    const kind = STORY_KINDS[index % STORY_KINDS.length] as StoryKind;
    const merchantUid = `${tag}-${String(index).padStart(5, '0')}`;
    const amount = 100 * (10 + Math.floor(random() * 990));
    const apis: Api[] = options.v2 ? apisOf(kind, index) : ['v1'];
    const apiOf = (n: number): Api => (apis.length === 1 ? apis[0] : apis[n - 1]) ?? 'v1';
    const impUid = (n: number) =>
      apiOf(n) === 'v2'
        ? `${V2_SLOT_PREFIX}${tag}${String(index).padStart(5, '0')}-${n}`
        : `imp_${tag}${String(index).padStart(5, '0')}_${n}`;
    const create = (n: number, extra: Partial<CreatePaymentInput>, nextSecond = false): Action => {
      if (apiOf(n) === 'v2') {
        const state = extra.state ?? 'paid';
        const method = extra.pay_method ?? 'card';
        return {
          kind: 'createV2',
          slot: impUid(n),
          merchantUid,
          input: {
            amount: extra.amount ?? amount,
            state: state === 'vbank_issued' ? 'virtual_account_issued' : (state as 'paid'),
            payMethod:
              method === 'vbank' ? 'VIRTUAL_ACCOUNT' : method === 'trans' ? 'TRANSFER' : 'CARD',
            orderName: `Stress order ${index}`,
          },
          ...(nextSecond ? { nextSecond } : {}),
        };
      }
      return {
        kind: 'create',
        input: {
          merchant_uid: merchantUid,
          amount,
          state: 'paid',
          imp_uid: impUid(n),
          name: `Stress order ${index}`,
          ...buyerOf(index),
          ...extra,
        },
        ...(nextSecond ? { nextSecond } : {}),
      };
    };
    /** V2 notifies a failed payment (Transaction.Failed); V1 does not. */
    const failHint = (n: number) => (apiOf(n) === 'v2' ? 'failed' : null);
    /** Both APIs in one story: the second payment is made in a later second (the first paid wins). */
    const later = apis.length > 1;
    const story: Story = {
      index,
      kind,
      apis,
      merchantUid,
      amount,
      steps: [],
      path: [],
      expected: { status: 'pending', final: true, impUid: impUid(1), attempts: {} },
      cancellations: {},
    };
    const step = (action: Action, impUidOf: string, browser: boolean, hint: string | null) => {
      const kinds: DeliveryKind[] = [
        ...(browser ? (['complete', 'redirect'] as const) : []),
        // V1 sends no webhook for a failed payment (failHint: V2 does).
        ...(hint ? (['webhook', 'webhook', 'webhook'] as const) : []),
      ];
      story.steps.push({
        action,
        deliveries: kinds.map((deliveryKind) => ({
          id: deliveryId++,
          story,
          step: story.steps.length,
          kind: deliveryKind,
          api: isV2Id(impUidOf) ? ('v2' as const) : ('v1' as const),
          impUid: impUidOf,
          hint: hint ?? '',
        })),
      });
    };
    const ok = (status: AttemptStatus, cancel_amount = 0): ExpectedAttempt => ({
      status,
      verdict: 'ok',
      cancel_amount,
      cancelledByUs: false,
    });
    const method = random() < 0.3 ? 'trans' : 'card';
    switch (kind) {
      case 'card_paid':
        step(create(1, { pay_method: method }), impUid(1), true, 'paid');
        story.path = ['pending', 'paid'];
        story.expected.status = 'paid';
        story.expected.attempts = { [impUid(1)]: ok('paid') };
        break;
      case 'card_failed_then_paid':
        step(create(1, { state: 'failed', pay_method: method }), impUid(1), true, failHint(1));
        step(create(2, { pay_method: method }, later), impUid(2), true, 'paid');
        story.path = ['pending', 'failed', 'paid'];
        story.expected.status = 'paid';
        story.expected.impUid = impUid(2);
        story.expected.attempts = { [impUid(1)]: ok('failed'), [impUid(2)]: ok('paid') };
        break;
      case 'vbank_deposited':
        step(create(1, { state: 'vbank_issued', pay_method: 'vbank' }), impUid(1), true, 'ready');
        step({ kind: 'deposit', impUid: impUid(1) }, impUid(1), false, 'paid');
        story.path = ['pending', 'vbank_issued', 'paid'];
        story.expected.status = 'paid';
        story.expected.attempts = { [impUid(1)]: ok('paid') };
        break;
      case 'vbank_issued':
        step(create(1, { state: 'vbank_issued', pay_method: 'vbank' }), impUid(1), true, 'ready');
        story.path = ['pending', 'vbank_issued'];
        story.expected.status = 'vbank_issued';
        story.expected.attempts = { [impUid(1)]: ok('vbank_issued') };
        break;
      case 'forgery': {
        // The buyer edited the amount in the page: PortOne charged what it was told.
        const tampered = Math.max(100, Math.round(amount / 1000) * 100);
        step(create(1, { amount: tampered, pay_method: method }), impUid(1), true, 'paid');
        story.path = ['pending', 'forgery'];
        story.expected.status = 'forgery';
        story.expected.attempts = {
          [impUid(1)]: {
            status: 'cancelled',
            verdict: 'forgery',
            cancel_amount: tampered,
            cancelledByUs: true,
          },
        };
        story.cancellations = { [impUid(1)]: { count: 1, amount: tampered } };
        break;
      }
      case 'paid_then_cancelled':
        step(create(1, { pay_method: method }), impUid(1), true, 'paid');
        step({ kind: 'consoleCancel', impUid: impUid(1) }, impUid(1), false, 'cancelled');
        story.path = ['pending', 'paid', 'cancelled'];
        story.expected.status = 'cancelled';
        story.expected.attempts = { [impUid(1)]: ok('cancelled', amount) };
        story.cancellations = { [impUid(1)]: { count: 1, amount } };
        break;
      case 'paid_then_partially_cancelled': {
        const partial = 100 * (1 + Math.floor(random() * (amount / 100 - 1)));
        step(create(1, { pay_method: method }), impUid(1), true, 'paid');
        step(
          { kind: 'consoleCancel', impUid: impUid(1), amount: partial },
          impUid(1),
          false,
          'cancelled',
        );
        story.path = ['pending', 'paid', 'partially_cancelled'];
        story.expected.status = 'partially_cancelled';
        story.expected.attempts = { [impUid(1)]: ok('partially_cancelled', partial) };
        story.cancellations = { [impUid(1)]: { count: 1, amount: partial } };
        break;
      }
      case 'duplicate_payment':
        // The buyer paid twice (two tabs): the first payment stays, the second is refunded.
        step(create(1, { pay_method: method }), impUid(1), true, 'paid');
        step(create(2, { pay_method: method }, later), impUid(2), true, 'paid');
        story.path = ['pending', 'paid'];
        story.expected.status = 'paid';
        story.expected.attempts = {
          [impUid(1)]: ok('paid'),
          [impUid(2)]: {
            status: 'cancelled',
            verdict: 'duplicate',
            cancel_amount: amount,
            cancelledByUs: true,
          },
        };
        story.cancellations = { [impUid(2)]: { count: 1, amount } };
        break;
      case 'failed_only':
        step(create(1, { state: 'failed', pay_method: method }), impUid(1), true, failHint(1));
        story.path = ['pending', 'failed'];
        story.expected.status = 'failed';
        story.expected.attempts = { [impUid(1)]: ok('failed') };
        break;
      case 'duplicate_pending_cancel':
        // The second payment's PG (paypal_v2) approves cancels only later.
        step(create(1, { pay_method: method }), impUid(1), true, 'paid');
        step(
          create(2, {
            pg_provider: 'paypal_v2',
            behavior: { cancel: 'pending', cancelDelaySeconds: LATE_AFTER_SECONDS / 2 },
          }),
          impUid(2),
          true,
          'paid',
        );
        story.path = ['pending', 'paid'];
        story.expected.status = 'paid';
        story.expected.attempts = {
          [impUid(1)]: ok('paid'),
          [impUid(2)]: {
            status: 'cancelled',
            verdict: 'duplicate',
            cancel_amount: amount,
            cancelledByUs: true,
          },
        };
        story.cancellations = { [impUid(2)]: { count: 1, amount } };
        break;
      case 'forgery_refused_for_now': {
        // ksnet-style: the PG refuses cancels for a while; we must retry, not give up.
        const tampered = Math.max(100, Math.round(amount / 1000) * 100);
        step(
          create(1, {
            amount: tampered,
            pg_provider: 'ksnet',
            behavior: { refuseCancelUntil: nowSeconds() + LATE_AFTER_SECONDS / 2 },
          }),
          impUid(1),
          true,
          'paid',
        );
        story.path = ['pending', 'forgery'];
        story.expected.status = 'forgery';
        story.expected.attempts = {
          [impUid(1)]: {
            status: 'cancelled',
            verdict: 'forgery',
            cancel_amount: tampered,
            cancelledByUs: true,
          },
        };
        story.cancellations = { [impUid(1)]: { count: 1, amount: tampered } };
        break;
      }
      case 'failed_then_paid_later':
        // Paymentwall/PayPal: first failed, approved later; that webhook is lost.
        step(
          create(1, {
            state: 'failed',
            pg_provider: 'paymentwall',
            behavior: { payAt: nowSeconds() + LATE_AFTER_SECONDS / 2 },
          }),
          impUid(1),
          true,
          null,
        );
        story.path = ['pending', 'failed', 'paid'];
        story.expected.status = 'paid';
        story.expected.attempts = { [impUid(1)]: ok('paid') };
        break;
      case 'late_deposit':
        // The deposit's webhook is lost: the reconciler finds it at the deadline.
        step(create(1, { state: 'vbank_issued', pay_method: 'vbank' }), impUid(1), true, 'ready');
        step({ kind: 'deposit', impUid: impUid(1) }, impUid(1), false, null);
        story.path = ['pending', 'vbank_issued', 'paid'];
        story.expected.status = 'paid';
        story.expected.attempts = { [impUid(1)]: ok('paid') };
        break;
      case 'abandoned_windows': {
        // The buyer opens and closes the window again and again, then pays.
        const firstStart = nowSeconds() - 10 * WINDOWS;
        for (let n = 1; n <= WINDOWS; n++) {
          step(
            create(n, { state: 'failed', pay_method: method, started_at: firstStart + n }),
            impUid(n),
            true,
            null,
          );
        }
        const paid = WINDOWS + 1;
        step(create(paid, { pay_method: method }), impUid(paid), true, 'paid');
        story.path = ['pending', 'failed', 'paid'];
        story.expected.status = 'paid';
        story.expected.impUid = impUid(paid);
        // I9: the paid attempt and the newest closed windows, ATTEMPT_LIMIT in all.
        const kept = Math.min(WINDOWS, ATTEMPT_LIMIT - 1);
        story.expected.attempts = { [impUid(paid)]: ok('paid') };
        for (let n = WINDOWS - kept + 1; n <= WINDOWS; n++) {
          story.expected.attempts[impUid(n)] = ok('failed');
        }
        story.dropsAttempts = true;
        break;
      }
      case 'merchant_refund': {
        const partial = random() < 0.5;
        const refunded = partial ? 100 * (1 + Math.floor(random() * (amount / 100 - 1))) : amount;
        step(create(1, { pay_method: method }), impUid(1), true, 'paid');
        step(
          {
            kind: 'refund',
            merchantUid,
            requestId: `refund-${index}`,
            ...(partial ? { amount: refunded } : {}),
            copies: 3,
          },
          impUid(1),
          false,
          null,
        );
        const status = partial ? 'partially_cancelled' : 'cancelled';
        story.path = ['pending', 'paid', status];
        story.expected.status = status;
        story.expected.attempts = { [impUid(1)]: ok(status, refunded) };
        story.cancellations = { [impUid(1)]: { count: 1, amount: refunded } };
        story.refunded = refunded;
        break;
      }
    }
    stories.push(story);
  }
  return stories;
};

/**
 * The order issued the V2 payment id for `slot`: the id takes the slot's
 * place in the story's actions, deliveries and expectations.
 */
export const resolveSlot = (story: Story, slot: string, paymentId: string): void => {
  const swap = (id: string) => (id === slot ? paymentId : id);
  const rekey = <T>(record: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [swap(key), value]));
  for (const step of story.steps) {
    const { action } = step;
    if (action.kind === 'deposit' || action.kind === 'consoleCancel') {
      action.impUid = swap(action.impUid);
    }
    if (action.kind === 'createV2' && action.slot === slot) action.paymentId = paymentId;
    for (const delivery of step.deliveries) delivery.impUid = swap(delivery.impUid);
  }
  story.expected.impUid = swap(story.expected.impUid);
  story.expected.attempts = rekey(story.expected.attempts);
  story.cancellations = rekey(story.cancellations);
};

export type Task =
  | { kind: 'action'; story: Story; step: number; at: number }
  | { kind: 'delivery'; delivery: Delivery; at: number };

/**
 * Every action and delivery of every story on one shuffled timeline. A
 * story's actions keep their order; each delivery comes after the action it
 * reports, at a random lag, so it may arrive after the story moved on (a
 * stale notice) and among every other order's traffic.
 */
export const schedule = (stories: readonly Story[], random: () => number): Task[] => {
  const tasks: Task[] = [];
  for (const story of stories) {
    const times = story.steps.map(() => random()).sort((a, b) => a - b);
    story.steps.forEach((step, index) => {
      const at = times[index] as number;
      tasks.push({ kind: 'action', story, step: index, at });
      for (const delivery of step.deliveries) {
        tasks.push({ kind: 'delivery', delivery, at: at + 1e-9 + random() * 0.25 });
      }
    });
  }
  return tasks.sort((a, b) => a.at - b.at);
};
