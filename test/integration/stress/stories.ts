import type { AttemptStatus, OrderStatus, Verdict } from '../../../functions/domain/model/order';
import { ATTEMPT_LIMIT } from '../../../functions/domain/rules/limits';
import type { CreatePaymentInput } from '../../../simulator/portone/types';

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

/** A change on PortOne's side (the buyer paying, a deposit, the console). */
export type Action =
  | { kind: 'create'; input: CreatePaymentInput }
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
 */
export const generateStories = (count: number, random: () => number, tag: string): Story[] => {
  const stories: Story[] = [];
  let deliveryId = 0;
  for (let index = 0; index < count; index++) {
    const kind = STORY_KINDS[index % STORY_KINDS.length] as StoryKind;
    const merchantUid = `${tag}-${String(index).padStart(5, '0')}`;
    const amount = 100 * (10 + Math.floor(random() * 990));
    const impUid = (n: number) => `imp_${tag}${String(index).padStart(5, '0')}_${n}`;
    const create = (n: number, extra: Partial<CreatePaymentInput>): Action => ({
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
    });
    const story: Story = {
      index,
      kind,
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
        // V1 sends no webhook for a failed payment.
        ...(hint ? (['webhook', 'webhook', 'webhook'] as const) : []),
      ];
      story.steps.push({
        action,
        deliveries: kinds.map((deliveryKind) => ({
          id: deliveryId++,
          story,
          step: story.steps.length,
          kind: deliveryKind,
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
        step(create(1, { state: 'failed', pay_method: method }), impUid(1), true, null);
        step(create(2, { pay_method: method }), impUid(2), true, 'paid');
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
        step(create(2, { pay_method: method }), impUid(2), true, 'paid');
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
        step(create(1, { state: 'failed', pay_method: method }), impUid(1), true, null);
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
