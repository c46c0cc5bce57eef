import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObservationContext } from '../../functions/domain/model/observation';
import type { Order, Source } from '../../functions/domain/model/order';
import type { PortOnePayment } from '../../functions/domain/model/portone-payment';
import { decide } from '../../functions/domain/rules/decide';
import { newOrder } from '../../functions/domain/rules/new-order';
import { reconcile } from '../../functions/domain/use-cases/reconcile';
import { verificationDeps } from '../../functions/runtime/deps';
import { aFailedPayment, anIssuedVbank, aPayment, T0 } from '../support/payments';
import { type Harness, startHarness, uid } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** The state that must not depend on delivery order: everything but the log of how it got there. */
const settled = (order: Order | null) => {
  if (!order) return null;
  const attempts = Object.fromEntries(
    Object.entries(order.attempts).map(([id, a]) => [
      id,
      {
        ...a,
        observed_at: undefined,
        cancellation: a.cancellation ? { ...a.cancellation, at: undefined } : null,
      },
    ]),
  );
  return {
    status: order.status,
    final: order.final,
    check_at: order.check_at,
    imp_uid: order.imp_uid,
    rank: order.rank,
    attempts,
  };
};

type Event = [PortOnePayment, Source];

/** A vbank issue, its deposit and a partial refund, plus an abandoned card attempt, each seen by several paths. */
const story = (merchantUid: string): Event[] => {
  const ids = { merchant_uid: merchantUid };
  const card = aFailedPayment({
    ...ids,
    imp_uid: 'imp_card',
    started_at: T0 - 100,
    failed_at: T0 - 90,
  });
  const issued = anIssuedVbank({ ...ids, imp_uid: 'imp_vbank' });
  const deposited = anIssuedVbank({
    ...ids,
    imp_uid: 'imp_vbank',
    status: 'paid',
    paid_at: T0 + 3600,
  });
  const refunded = anIssuedVbank({
    ...ids,
    imp_uid: 'imp_vbank',
    status: 'cancelled',
    paid_at: T0 + 3600,
    cancel_amount: 300,
    cancelled_at: T0 + 7200,
  });
  return [
    [card, 'complete'],
    [issued, 'redirect'],
    [issued, 'webhook'],
    [deposited, 'complete'],
    [deposited, 'webhook'],
    [deposited, 'webhook'],
    [refunded, 'webhook'],
    [refunded, 'redirect'],
  ];
};

const context = (source: Source): ObservationContext => ({
  source,
  mode: 'live',
  now: new Date().toISOString(),
});

const register = async (merchantUid: string) => {
  await h.runtime.store.createOrder(
    newOrder({
      merchant_uid: merchantUid,
      amount: 1000,
      currency: 'KRW',
      name: null,
      prepared: true,
      now: new Date().toISOString(),
    }),
  );
};

describe('the stored state', () => {
  it('is the same for every ordering of a vbank issue, deposit and refund (property)', async () => {
    // The expected end state, from the pure decision function in the natural order.
    let expected = newOrder({
      merchant_uid: 'x',
      amount: 1000,
      currency: 'KRW',
      name: null,
      prepared: true,
      now: new Date().toISOString(),
    });
    for (const [payment, source] of story('x'))
      expected = decide(expected, payment, context(source)).order;
    expect(expected).toMatchObject({
      status: 'partially_cancelled',
      final: true,
      imp_uid: 'imp_vbank',
    });

    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(story('x'), { minLength: 8, maxLength: 8 }),
        async (shuffled) => {
          const merchantUid = uid('perm');
          await register(merchantUid);
          for (const [payment, source] of shuffled) {
            await h.runtime.store.recordObservation(
              { ...payment, merchant_uid: merchantUid },
              context(source),
            );
          }
          const stored = await h.runtime.store.findOrder(merchantUid);
          expect(settled(stored)).toEqual(settled({ ...expected, merchant_uid: merchantUid }));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is the same when every delivery of the story arrives at once', async () => {
    const results = new Set<string>();
    for (let round = 0; round < 5; round++) {
      const merchantUid = uid('burst');
      await register(merchantUid);
      await Promise.all(
        story(merchantUid).map(([payment, source]) =>
          h.runtime.store.recordObservation(payment, context(source)),
        ),
      );
      results.add(JSON.stringify(settled(await h.runtime.store.findOrder(merchantUid))));
    }
    expect(results.size).toBe(1);
    expect(JSON.parse([...results][0] ?? 'null')).toMatchObject({
      status: 'partially_cancelled',
      final: true,
    });
  });

  it('elects the first paid attempt whichever of two payments arrives first (property)', async () => {
    const first = aPayment({ imp_uid: 'imp_first', paid_at: T0 + 10 });
    const second = aPayment({ imp_uid: 'imp_second', started_at: T0 + 20, paid_at: T0 + 30 });
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray<Event>(
          [
            [first, 'webhook'],
            [second, 'complete'],
            [second, 'webhook'],
            [first, 'redirect'],
          ],
          {
            minLength: 4,
            maxLength: 4,
          },
        ),
        async (events) => {
          const merchantUid = uid('dup');
          await register(merchantUid);
          for (const [payment, source] of events) {
            await h.runtime.store.recordObservation(
              { ...payment, merchant_uid: merchantUid },
              context(source),
            );
          }
          const stored = await h.runtime.store.findOrder(merchantUid);
          expect(stored?.imp_uid).toBe('imp_first');
          expect(stored?.attempts.imp_second?.verdict).toBe('duplicate');
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('across the payments of one order (property)', () => {
  type Step = 'completeA' | 'webhookA' | 'completeB' | 'webhookB' | 'consoleRefundA' | 'refund';
  const DUPLICATE_REASON = 'Duplicate payment for an order that is already paid';

  it('never refunds the last payment, never twice, and ends as PortOne holds it', async () => {
    const steps: Step[] = [
      'completeA',
      'webhookA',
      'completeB',
      'webhookB',
      'consoleRefundA',
      'refund',
      'refund',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(steps, { minLength: 4, maxLength: steps.length }),
        async (plan) => {
          // Prepare: A paid first, B 20 seconds later, both for the whole order
          const order = uid('both');
          await h.registerOrder(order, 6000);
          const a = await h.control.createPayment({
            merchant_uid: order,
            amount: 6000,
            state: 'paid',
          });
          await h.control.advanceClock(20);
          const b = await h.control.createPayment({
            merchant_uid: order,
            amount: 6000,
            state: 'paid',
          });
          let aEmptiedAt: number | null = null;
          let bAutoRefundedAt: number | null = null;

          // Act, watching PortOne after every step
          for (const [index, step] of plan.entries()) {
            await runStep(step, order, a.imp_uid, b.imp_uid);
            const [pa, pb] = await Promise.all([
              h.control.getPayment(a.imp_uid),
              h.control.getPayment(b.imp_uid),
            ]);
            if (aEmptiedAt === null && pa.cancel_amount >= pa.amount) aEmptiedAt = index;
            if (
              bAutoRefundedAt === null &&
              pb.cancel_history.some((c) => c.reason === DUPLICATE_REASON)
            ) {
              bAutoRefundedAt = index;
            }
          }
          // every notice eventually arrives, and the reconciler runs
          await h.control.sendWebhook({ imp_uid: a.imp_uid });
          await h.control.sendWebhook({ imp_uid: b.imp_uid });
          await reconcile({
            ...verificationDeps(h.runtime),
            clock: () => new Date(Date.now() + 11 * 60_000),
          });
          await h.sim.state.webhooks.settle();

          // Assess
          const [pa, pb] = await Promise.all([
            h.control.getPayment(a.imp_uid),
            h.control.getPayment(b.imp_uid),
          ]);
          const view = await h.order(order);
          // never the last payment: B is refunded as a duplicate only while A still held the money
          if (bAutoRefundedAt !== null && aEmptiedAt !== null) {
            expect(bAutoRefundedAt, JSON.stringify(plan)).toBeLessThan(aEmptiedAt);
          }
          // never twice: no payment returns more than it took, the merchant's refund happens once
          for (const p of [pa, pb]) expect(p.cancel_amount).toBeLessThanOrEqual(p.amount);
          const merchantRefunds = [...pa.cancel_history, ...pb.cancel_history].filter(
            (c) => c.reason === '주문 취소',
          );
          expect(merchantRefunds.length).toBeLessThanOrEqual(1);
          // the end state is what PortOne holds
          const holding = [pa, pb].filter((p) => p.cancel_amount < p.amount);
          expect(holding.length, JSON.stringify(plan)).toBeLessThanOrEqual(1);
          if (holding.length === 1) {
            expect(view.imp_uid, JSON.stringify(plan)).toBe(holding[0]?.imp_uid);
            expect(['paid', 'partially_cancelled']).toContain(view.status);
          } else {
            expect(view.status, JSON.stringify(plan)).toBe('cancelled');
          }
          expect(view.final).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });

  const runStep = async (step: Step, order: string, a: string, b: string) => {
    switch (step) {
      case 'completeA':
        return h.complete({ imp_uid: a, merchant_uid: order });
      case 'completeB':
        return h.complete({ imp_uid: b, merchant_uid: order });
      case 'webhookA':
        return h.control.sendWebhook({ imp_uid: a });
      case 'webhookB':
        return h.control.sendWebhook({ imp_uid: b });
      case 'consoleRefundA':
        // support refunds A; refused when it is refunded already
        return h.control.consoleCancel(a, { reason: '콘솔 환불' }).catch(() => undefined);
      case 'refund':
        return h.refund(order, { request_id: 'merchant-1', reason: '주문 취소' });
    }
  };
});

describe('over HTTP', () => {
  it('ends in one state when ten copies of the webhook race complete and redirect', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 3; round++) {
      // Prepare
      const order = uid('race');
      await h.registerOrder(order, 2200);
      const payment = await h.control.createPayment({
        merchant_uid: order,
        amount: 2200,
        state: 'paid',
      });

      // Act
      const [webhooks, complete, redirect] = await Promise.all([
        h.control.sendWebhook({ imp_uid: payment.imp_uid, copies: 10, concurrent: true }),
        h.complete({ imp_uid: payment.imp_uid, merchant_uid: order }),
        h.redirect(`imp_uid=${payment.imp_uid}&merchant_uid=${order}&imp_success=true`),
      ]);

      // Assess
      const statuses = webhooks.deliveries.map(
        (d) => JSON.parse((d as { body: string }).body).status,
      );
      expect(statuses.filter((s) => s === 'applied')).toHaveLength(1);
      expect(statuses.filter((s) => s !== 'applied').every((s) => s === 'duplicate')).toBe(true);
      expect(complete.status).toBe(200);
      expect(redirect.headers.get('location')).toContain('status=success');
      const view = await h.order(order);
      expect(view).toMatchObject({ status: 'paid', final: true, imp_uid: payment.imp_uid });
      outcomes.add(
        JSON.stringify({ status: view.status, final: view.final, attempts: view.attempts.length }),
      );
    }
    expect(outcomes.size).toBe(1);
  });

  it('records every one of many windows reported at once, without a conflict answered 5xx', async () => {
    // A checkout window opened and closed again and again, each attempt's
    // callback and redirect arriving together: the reports of one order race.
    const order = uid('windows');
    await h.registerOrder(order, 1500);
    const windows = await Promise.all(
      Array.from({ length: 16 }, () =>
        h.control.createPayment({
          merchant_uid: order,
          amount: 1500,
          state: 'failed',
          fail_reason: '[결제포기] 사용자가 결제를 취소하셨습니다',
        }),
      ),
    );

    const answers = await Promise.all(
      windows.flatMap((w) => [
        h.complete({ imp_uid: w.imp_uid, merchant_uid: order }),
        h.redirect(`imp_uid=${w.imp_uid}&merchant_uid=${order}`),
      ]),
    );

    expect(answers.map((a) => a.status).filter((status) => status >= 500)).toEqual([]);
    const redirects = answers.filter((a) => a.status === 302);
    expect(redirects.map((a) => a.headers.get('location'))).toEqual(
      redirects.map(() => expect.stringContaining('status=failed')),
    );
    expect((await h.order(order)).attempts).toHaveLength(16);
  });
});
