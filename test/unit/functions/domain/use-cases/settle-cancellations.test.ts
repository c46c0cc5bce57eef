import { describe, expect, it } from 'vitest';
import {
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
import type { Order } from '../../../../../functions/domain/model/order';
import type { PortOnePayment } from '../../../../../functions/domain/model/portone-payment';
import type { CancellationDeps } from '../../../../../functions/domain/use-cases/cancel-at-portone';
import { refundOrder } from '../../../../../functions/domain/use-cases/refund-order';
import { settleCancellations } from '../../../../../functions/domain/use-cases/settle-cancellations';
import { PORTONE_MESSAGES } from '../../../../fakes/payment-gateway';
import { anIssuedVbank, aPayment, T0 } from '../../../../support/payments';
import { aWorld, type World } from '../../../../support/world';

const IMP = 'imp_100000000001';
const SECOND = 'imp_100000000002';
const MINUTE = 60_000;
const OFF_MESSAGE =
  'automatic cancellation is off (AUTO_CANCEL_FORGERY=false): refund this payment in the PortOne console';

const observe = async (w: World, payment: PortOnePayment) => {
  await w.store.recordObservation(payment, { source: 'webhook', mode: 'live', now: w.clock.iso() });
};

/** An order of 30000 with two forged payments at PortOne (100 and 200), neither cancelled yet. */
const twoForgeries = async (
  second: PortOnePayment = aPayment({ imp_uid: SECOND, amount: 200, started_at: T0 + 40 }),
) => {
  const w = aWorld();
  w.registered(30000);
  const first = aPayment({ amount: 100 });
  w.gateway.add(first, second);
  await observe(w, first);
  await observe(w, second);
  return w;
};

const stored = (w: World): Order => w.store.get('order-1') as Order;
const settle = (w: World, deps: CancellationDeps = w.deps) => settleCancellations(deps, stored(w));
const manual = (w: World): CancellationDeps => ({
  ...w.deps,
  settings: { ...w.deps.settings, autoCancelForgery: false },
});
const cancelsSent = (w: World) =>
  w.gateway.callsOf('cancelPayment').map(({ request }) => [request.impUid, request.amount]);

describe('settleCancellations', () => {
  it('cancels every forged payment of the order whose cancellation is due', async () => {
    const w = await twoForgeries();

    const report = await settle(w);

    expect(cancelsSent(w)).toEqual([
      [IMP, 100],
      [SECOND, 200],
    ]);
    expect(report).toMatchObject({ unreachable: false, deferred: false });
    expect(report.order.attempts[IMP]?.cancellation?.state).toBe('done');
    expect(report.order.attempts[SECOND]?.cancellation?.state).toBe('done');
    expect(stored(w).owes_cancellation).toBe(false);
  });

  it('does nothing, and defers nothing, for an order with nothing to cancel', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());
    await observe(w, aPayment());
    const writes = w.store.writes;

    // Even with no time left: nothing owed is nothing deferred.
    const report = await settle(w, { ...w.deps, budget: { remainingMs: () => 0 } });

    expect(report).toEqual({ order: stored(w), unreachable: false, deferred: false });
    expect(w.gateway.calls).toEqual([]);
    expect(w.store.writes).toBe(writes);
    expect(w.log.lines).toEqual([]);
  });

  it('skips a cancellation whose retry is not due yet, and takes it up once it is', async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));
    await observe(w, aPayment({ amount: 100 }));
    const later = () => new UpstreamRejectedError(PORTONE_MESSAGES.cancelLater, 1);
    w.gateway.failNext('cancelPayment', later(), later());
    await settle(w); // fails, due again at once
    w.clock.advance(10 * MINUTE);
    await settle(w); // fails again 10 minutes in: due 10 minutes later
    const callsSoFar = w.gateway.calls.length;

    w.clock.advance(5 * MINUTE);
    const early = await settle(w);

    expect(w.gateway.calls).toHaveLength(callsSoFar);
    expect(early.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'failed', tries: 2 });

    w.clock.advance(5 * MINUTE);
    const due = await settle(w);

    expect(cancelsSent(w)).toEqual([
      [IMP, 100],
      [IMP, 100],
      [IMP, 100],
    ]);
    expect(due.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'done', tries: 3 });
  });

  it('reports a step that could not reach PortOne, and still runs the others', async () => {
    const w = await twoForgeries();
    w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('PortOne answered 503'));

    const report = await settle(w);

    expect(report).toMatchObject({ unreachable: true, deferred: false });
    expect(report.order.attempts[IMP]?.cancellation?.state).toBe('failed');
    expect(report.order.attempts[SECOND]?.cancellation?.state).toBe('done');
  });

  it('leaves what does not fit in the time left for later, and says so', async () => {
    const w = await twoForgeries();
    // Time enough for one cancellation only.
    const budget = { remainingMs: () => (w.gateway.calls.length === 0 ? 10_000 : 1_000) };

    const report = await settle(w, { ...w.deps, budget });

    expect(cancelsSent(w)).toEqual([[IMP, 100]]);
    expect(report).toMatchObject({ unreachable: false, deferred: true });
    expect(report.order.attempts[SECOND]?.cancellation).toBeNull();
    expect(stored(w).owes_cancellation).toBe(true);
    expect(w.log.lines.filter((line) => line.level === 'info').at(-1)).toEqual({
      level: 'info',
      message: 'cancellations left for the next delivery or the reconciler',
      merchant_uid: 'order-1',
    });
  });

  it('leaves forged payments to a person when automatic cancellation is off', async () => {
    const w = await twoForgeries(anIssuedVbank({ imp_uid: SECOND, amount: 200 }));
    const writes = w.store.writes;
    const at = w.clock.iso();

    const report = await settle(w, manual(w));

    expect(w.gateway.calls).toEqual([]);
    expect(w.store.writes).toBe(writes + 1);
    expect(report.order.attempts[IMP]?.cancellation).toEqual({
      state: 'rejected',
      kind: 'cancel',
      at,
      amount: 100,
      balance: 100,
      message: OFF_MESSAGE,
      since: at,
      tries: 0,
      accepted: false,
      next_at: null,
    });
    expect(report.order.attempts[SECOND]?.cancellation).toMatchObject({
      state: 'rejected',
      kind: 'revoke',
      amount: 200,
    });
    expect(report.order).toMatchObject({ owes_cancellation: false });
    expect(w.log.lines).toEqual([
      {
        level: 'warn',
        message: 'automatic cancellation is off; a person must refund the payment',
        imp_uid: IMP,
        verdict: 'forgery',
      },
      {
        level: 'warn',
        message: 'automatic cancellation is off; a person must refund the payment',
        imp_uid: SECOND,
        verdict: 'forgery',
      },
    ]);

    await settle(w, manual(w));

    expect(w.store.writes).toBe(writes + 1);
    expect(w.log.lines).toHaveLength(2);
  });

  it('still follows a cancellation PortOne accepted once automatic cancellation is off', async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));
    await observe(w, aPayment({ amount: 100 }));
    w.gateway.approveCancelsLater(IMP);
    await settle(w);
    w.gateway.applyLateCancels(IMP);
    w.clock.advance(10 * MINUTE);

    const report = await settle(w, manual(w));

    expect(w.gateway.calls.map((call) => call.method)).toEqual(['cancelPayment', 'getPayment']);
    expect(report.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'done', tries: 1 });
    expect(w.log.lines.map((line) => line.message)).not.toContain(
      'automatic cancellation is off; a person must refund the payment',
    );
  });

  it('sends a merchant refund again once its retry is due, automatic cancellation off or not', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());
    await observe(w, aPayment());
    w.gateway.failNext('cancelPayment', new UpstreamRejectedError(PORTONE_MESSAGES.cancelLater, 1));
    const first = await refundOrder(w.deps, 'order-1', {
      requestId: 'r-1',
      reason: 'customer asked',
      amount: 300,
      refundAccount: null,
    });
    expect(first).toMatchObject({ kind: 'failed' });

    const report = await settle(w, manual(w));

    expect(
      w.gateway.callsOf('cancelPayment').map(({ request }) => [request.amount, request.checksum]),
    ).toEqual([
      [300, 1000],
      [300, 1000],
    ]);
    expect(report.order.refunds).toMatchObject([{ request_id: 'r-1', state: 'done', tries: 2 }]);
    expect(report.order).toMatchObject({ status: 'partially_cancelled' });
  });
});
