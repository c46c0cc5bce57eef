import { describe, expect, it } from 'vitest';
import {
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
import { LOG_LINES } from '../../../../../functions/domain/model/log-lines';
import type { Decision } from '../../../../../functions/domain/model/observation';
import type { Order } from '../../../../../functions/domain/model/order';
import type { PortOnePayment } from '../../../../../functions/domain/model/portone-payment';
import { claimed } from '../../../../../functions/domain/rules/cancellation';
import {
  advanceCancellation,
  type Slot,
  type StepReport,
  withRecord,
} from '../../../../../functions/domain/use-cases/cancel-at-portone';
import { refundOrder } from '../../../../../functions/domain/use-cases/refund-order';
import { PORTONE_MESSAGES } from '../../../../fakes/payment-gateway';
import { anIssuedVbank, aPayment, T0 } from '../../../../support/payments';
import { aWorld, type World } from '../../../../support/world';

const IMP = 'imp_100000000001';
const SECOND = 'imp_100000000002';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const slot: Slot = { type: 'attempt', impUid: IMP };

/** Records a payment as the webhook would, without the cancellation step that follows it. */
const observe = async (w: World, payment: PortOnePayment): Promise<Order> => {
  const decision = (await w.store.recordObservation(payment, {
    source: 'webhook',
    mode: 'live',
    now: w.clock.iso(),
  })) as Decision;
  return decision.order;
};

/** An order of 30000 paid 100 at PortOne (a tampered amount): a forgery owed a cancellation. */
const forged = async (payment: PortOnePayment = aPayment({ amount: 100 })) => {
  const w = aWorld();
  w.registered(30000);
  w.gateway.add(payment);
  const order = await observe(w, payment);
  return { w, order };
};

const stored = (w: World): Order => w.store.get('order-1') as Order;
const cancellationOf = (w: World, impUid = IMP) => stored(w).attempts[impUid]?.cancellation;
/** The next step, from the order as stored now (as settle-cancellations reads it). */
const step = (w: World, at: Slot = slot) => advanceCancellation(w.deps, stored(w), at, 'cancel');
const cancelsSent = (w: World) =>
  w.gateway.callsOf('cancelPayment').map(({ request }) => [request.amount, request.checksum]);
const errorLines = (w: World) => w.log.lines.filter((line) => line.level === 'error');

describe('advanceCancellation of a forged payment', () => {
  it('cancels a forged payment for its balance, with the balance as checksum', async () => {
    const { w, order } = await forged(
      aPayment({ amount: 100, status: 'cancelled', cancel_amount: 30, cancelled_at: T0 + 30 }),
    );

    const report = await advanceCancellation(w.deps, order, slot, 'cancel');

    expect(w.gateway.callsOf('cancelPayment')).toEqual([
      {
        method: 'cancelPayment',
        request: {
          impUid: IMP,
          amount: 70,
          checksum: 70,
          reason: 'Payment verification failed (amount_mismatch)',
          enableWebhook: true,
        },
      },
    ]);
    expect(report).toMatchObject({ unreachable: false, deferred: false });
    expect(report.order.attempts[IMP]).toMatchObject({
      status: 'cancelled',
      cancel_amount: 100,
      cancellation: { state: 'done', kind: 'cancel', amount: 70, balance: 70, tries: 1 },
    });
    expect(stored(w).owes_cancellation).toBe(false);
    const fields = { imp_uid: IMP, amount: 70, kind: 'cancel', slot: 'attempt' };
    expect(w.log.lines).toEqual([
      { level: 'info', message: 'cancellation done', ...fields },
      { level: 'warn', message: 'cancelled a payment that failed verification', ...fields },
    ]);
  });

  it('rejects a cancellation PortOne refuses for good, and logs the alarm line', async () => {
    const { w, order } = await forged();
    w.gateway.failNext(
      'cancelPayment',
      new UpstreamRejectedError(PORTONE_MESSAGES.cancelUnsupported, 1),
    );

    const report = await advanceCancellation(w.deps, order, slot, 'cancel');

    expect(report.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'rejected',
      message: PORTONE_MESSAGES.cancelUnsupported,
      next_at: null,
      tries: 1,
    });
    expect(stored(w)).toMatchObject({ owes_cancellation: false, check_at: null });
    expect(errorLines(w)).toEqual([
      {
        level: 'error',
        message: LOG_LINES.cancellationRejected,
        imp_uid: IMP,
        amount: 100,
        kind: 'cancel',
        slot: 'attempt',
        error: PORTONE_MESSAGES.cancelUnsupported,
      },
    ]);
    expect(w.gateway.payment(IMP).cancel_amount).toBe(0);
  });

  it('retries a temporary refusal with backoff, never before it is due', async () => {
    const { w, order } = await forged();
    const t0 = w.clock.iso();
    const later = () => new UpstreamRejectedError(PORTONE_MESSAGES.cancelLater, 1);
    w.gateway.failNext('cancelPayment', later(), later());

    const first = await advanceCancellation(w.deps, order, slot, 'cancel');
    expect(first.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'failed',
      message: PORTONE_MESSAGES.cancelLater,
      next_at: t0, // the first failure is retried at once
    });
    expect(
      w.log.lines.filter(
        (line) => line.message === 'PortOne refused the cancellation for now; it will be retried',
      ),
    ).toEqual([
      {
        level: 'warn',
        message: 'PortOne refused the cancellation for now; it will be retried',
        imp_uid: IMP,
        amount: 100,
        kind: 'cancel',
        slot: 'attempt',
        error: PORTONE_MESSAGES.cancelLater,
      },
    ]);

    w.clock.advance(10 * MINUTE);
    await step(w);
    // Failed 10 minutes after it began: waits as long again.
    expect(cancellationOf(w)).toMatchObject({
      state: 'failed',
      tries: 2,
      since: t0,
      next_at: new Date(Date.parse(t0) + 20 * MINUTE).toISOString(),
    });

    w.clock.advance(5 * MINUTE);
    const early = await step(w);
    expect(cancelsSent(w)).toHaveLength(2);
    expect(early.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'failed', tries: 2 });

    w.clock.advance(5 * MINUTE);
    await step(w);
    expect(cancelsSent(w)).toEqual([
      [100, 100],
      [100, 100],
      [100, 100],
    ]);
    expect(cancellationOf(w)).toMatchObject({ state: 'done', tries: 3 });
  });

  it('looks at the payment when the balance moved, and retries with the balance PortOne shows', async () => {
    const { w, order } = await forged();
    // Someone refunded 30 in the console; we still hold the balance as 100.
    w.gateway.update(IMP, { status: 'cancelled', cancel_amount: 30, cancelled_at: T0 + 30 });

    const first = await advanceCancellation(w.deps, order, slot, 'cancel');

    expect(w.gateway.calls.map((call) => call.method)).toEqual(['cancelPayment', 'getPayment']);
    expect(first.order.attempts[IMP]).toMatchObject({
      cancel_amount: 30,
      cancellation: { state: 'failed', message: PORTONE_MESSAGES.checksum(70, 100) },
    });
    expect(
      w.log.lines.find(
        (line) =>
          line.message ===
          'PortOne refused the cancellation; it will be retried with the balance it shows',
      ),
    ).toMatchObject({ level: 'warn', balance: 70, amount: 100 });

    const second = await step(w);

    expect(cancelsSent(w)).toEqual([
      [100, 100],
      [70, 70],
    ]);
    expect(second.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'done',
      amount: 70,
      balance: 70,
      tries: 2,
    });
    expect(w.gateway.payment(IMP).cancel_amount).toBe(100);
  });

  it('takes code 0 as accepted until PortOne shows the money returned, never sending twice', async () => {
    const { w, order } = await forged();
    w.gateway.approveCancelsLater(IMP);
    const t0 = w.clock.iso();

    const first = await advanceCancellation(w.deps, order, slot, 'cancel');
    expect(first.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'requested',
      accepted: true,
      next_at: new Date(Date.parse(t0) + 10 * MINUTE).toISOString(),
    });
    expect(w.log.lines.map((line) => line.message)).toEqual([
      'cancellation accepted by PortOne; waiting for it to show',
    ]);

    w.clock.advance(10 * MINUTE);
    const waiting = await step(w);
    expect(waiting.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'requested',
      accepted: true,
    });

    w.gateway.applyLateCancels(IMP);
    w.clock.advance(10 * MINUTE);
    const shown = await step(w);

    expect(shown.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'done',
      message: 'PortOne shows the money returned',
      tries: 1,
    });
    expect(cancelsSent(w)).toEqual([[100, 100]]);
    expect(w.gateway.calls.map((call) => call.method)).toEqual([
      'cancelPayment',
      'getPayment',
      'getPayment',
    ]);
  });

  it('does not send again a cancellation whose answer was lost: it looks and finds it done', async () => {
    const { w, order } = await forged();
    w.gateway.loseNextAnswer('cancelPayment', new UpstreamUnavailableError('socket hang up'));

    const lost = await advanceCancellation(w.deps, order, slot, 'cancel');
    expect(lost).toMatchObject({ unreachable: true, deferred: false });
    expect(lost.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'failed',
      message: 'UpstreamUnavailableError: socket hang up',
    });
    expect(w.log.lines).toEqual([
      {
        level: 'warn',
        message: 'cancellation could not reach PortOne; it will be retried',
        imp_uid: IMP,
        amount: 100,
        kind: 'cancel',
        slot: 'attempt',
        error: 'UpstreamUnavailableError: socket hang up',
      },
    ]);

    const next = await step(w);

    expect(w.gateway.calls.map((call) => call.method)).toEqual(['cancelPayment', 'getPayment']);
    expect(next).toMatchObject({ unreachable: false });
    expect(next.order.attempts[IMP]).toMatchObject({
      status: 'cancelled',
      cancellation: { state: 'done', tries: 1 },
    });
    expect(w.gateway.payment(IMP).cancel_amount).toBe(100);
  });

  it('looks before sending again after a network error that did not take effect', async () => {
    const { w, order } = await forged();
    w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('PortOne answered 503'));

    const failed = await advanceCancellation(w.deps, order, slot, 'cancel');
    const next = await step(w);

    expect(failed.unreachable).toBe(true);
    expect(w.gateway.calls.map((call) => call.method)).toEqual([
      'cancelPayment',
      'getPayment',
      'cancelPayment',
    ]);
    expect(next.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'done', tries: 2 });
    expect(w.gateway.payment(IMP).cancel_amount).toBe(100);
  });

  it('sends nothing while PortOne cannot be looked at after an earlier call', async () => {
    const { w, order } = await forged();
    w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('PortOne answered 503'));
    await advanceCancellation(w.deps, order, slot, 'cancel');
    w.gateway.failNext('getPayment', new UpstreamUnavailableError('PortOne answered 503'));

    const next = await step(w);

    expect(next.unreachable).toBe(true);
    expect(w.gateway.calls.map((call) => call.method)).toEqual(['cancelPayment', 'getPayment']);
    expect(cancellationOf(w)).toMatchObject({ state: 'failed', tries: 1 });
    expect(w.log.lines.at(-1)).toEqual({
      level: 'warn',
      message: 'PortOne could not be asked about a cancellation; it will be retried',
      imp_uid: IMP,
      error: 'UpstreamUnavailableError: PortOne answered 503',
    });
  });

  it('takes a refusal for a payment already refunded in the console as done, without a retry', async () => {
    const { w, order } = await forged();
    w.gateway.update(IMP, { status: 'cancelled', cancel_amount: 100, cancelled_at: T0 + 30 });

    const report = await advanceCancellation(w.deps, order, slot, 'cancel');

    expect(w.gateway.calls.map((call) => call.method)).toEqual(['cancelPayment', 'getPayment']);
    expect(report.order.attempts[IMP]).toMatchObject({
      status: 'cancelled',
      cancellation: { state: 'done', next_at: null },
    });
    expect(w.log.lines.filter((line) => line.level !== 'info')).toEqual([]);
  });

  it('keeps the outcome of a caller that took over an expired claim over the first caller’s late failure', async () => {
    const { w, order } = await forged();
    w.gateway.approveCancelsLater(IMP);
    // The first call hangs past the lease, then fails; meanwhile another caller takes over.
    w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('timeout'));
    let takeover: StepReport | undefined;
    w.gateway.pauseNext('cancelPayment', async () => {
      w.clock.advance(61_000);
      takeover = await step(w);
    });

    const first = await advanceCancellation(w.deps, order, slot, 'cancel');

    expect(takeover?.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'requested',
      accepted: true,
      tries: 2,
    });
    expect(first.unreachable).toBe(true);
    expect(cancellationOf(w)).toMatchObject({ state: 'requested', accepted: true, tries: 2 });

    w.gateway.applyLateCancels(IMP);
    w.clock.advance(10 * MINUTE);
    await step(w);

    expect(cancelsSent(w)).toHaveLength(2);
    expect(cancellationOf(w)).toMatchObject({ state: 'done', tries: 2 });
    expect(w.gateway.payment(IMP).cancel_amount).toBe(100);
  });

  it('rejects an accepted cancellation PortOne has not shown for 7 days', async () => {
    const { w, order } = await forged();
    w.gateway.approveCancelsLater(IMP);
    const since = w.clock.iso();
    await advanceCancellation(w.deps, order, slot, 'cancel');

    w.clock.advance(7 * DAY + MINUTE);
    const report = await step(w);

    const message = `PortOne accepted this cancellation on ${since} but has not shown the money returned for 7 days; check it in the PortOne console`;
    expect(report.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'rejected',
      message,
      next_at: null,
    });
    expect(cancelsSent(w)).toEqual([[100, 100]]);
    expect(errorLines(w)).toEqual([
      {
        level: 'error',
        message: LOG_LINES.cancellationRejected,
        imp_uid: IMP,
        amount: 100,
        kind: 'cancel',
        slot: 'attempt',
        error: message,
      },
    ]);
  });

  it('keeps following an accepted cancellation within the 7 days', async () => {
    const { w, order } = await forged();
    w.gateway.approveCancelsLater(IMP);
    await advanceCancellation(w.deps, order, slot, 'cancel');

    w.clock.advance(7 * DAY - MINUTE);
    const report = await step(w);

    expect(report.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'requested',
      accepted: true,
    });
    expect(errorLines(w)).toEqual([]);
  });

  it('rejects a cancellation that kept failing for 7 days, without sending it again', async () => {
    const { w, order } = await forged();
    w.gateway.failNext('cancelPayment', new UpstreamRejectedError(PORTONE_MESSAGES.cancelLater, 1));
    await advanceCancellation(w.deps, order, slot, 'cancel');

    w.clock.advance(7 * DAY + MINUTE);
    const report = await step(w);

    const message = `the cancellation could not be completed within 7 days (last: ${PORTONE_MESSAGES.cancelLater})`;
    expect(report.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'rejected', message });
    expect(cancelsSent(w)).toHaveLength(1);
    expect(errorLines(w)).toMatchObject([
      { message: LOG_LINES.cancellationRejected, error: message },
    ]);
  });

  it('defers a step with too little time left, calling nothing and writing nothing', async () => {
    const { w, order } = await forged();
    const writes = w.store.writes;

    const report = await advanceCancellation(
      { ...w.deps, budget: { remainingMs: () => 2_499 } },
      order,
      slot,
      'cancel',
    );

    expect(report).toEqual({ order, unreachable: false, deferred: true });
    expect(w.gateway.calls).toEqual([]);
    expect(w.store.writes).toBe(writes);
  });

  it('starts a step with just enough time, giving PortOne the time left less the reserve', async () => {
    const { w, order } = await forged();

    const report = await advanceCancellation(
      { ...w.deps, budget: { remainingMs: () => 2_500 } },
      order,
      slot,
      'cancel',
    );

    expect(report.deferred).toBe(false);
    expect(w.gateway.callOptions).toEqual([{ timeLimitMs: 1_500 }]);
    expect(report.order.attempts[IMP]?.cancellation?.state).toBe('done');
  });

  it('lets only one of two concurrent callers call PortOne', async () => {
    const { w, order } = await forged();

    const [a, b] = await Promise.all([
      advanceCancellation(w.deps, order, slot, 'cancel'),
      advanceCancellation(w.deps, order, slot, 'cancel'),
    ]);

    expect(cancelsSent(w)).toEqual([[100, 100]]);
    expect(a.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'done', tries: 1 });
    // The second saw the first's claim and left it alone.
    expect(b.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'requested', tries: 1 });
    expect(cancellationOf(w)).toMatchObject({ state: 'done', tries: 1 });
  });

  it('does nothing for a caller holding an old copy of an order already cancelled', async () => {
    const { w, order } = await forged();
    await advanceCancellation(w.deps, order, slot, 'cancel');

    const late = await advanceCancellation(w.deps, order, slot, 'cancel');

    expect(cancelsSent(w)).toEqual([[100, 100]]);
    expect(late.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'done', tries: 1 });
  });

  it('takes over a claim whose caller vanished only once its lease ran out', async () => {
    const { w } = await forged();
    const at = w.clock.iso();
    await w.store.updateOrder('order-1', (current) =>
      withRecord(
        current,
        slot,
        claimed(null, { kind: 'cancel', amount: 100, balance: 100 }, at),
        at,
      ),
    );

    w.clock.advance(30_000);
    const within = await step(w);
    expect(cancelsSent(w)).toEqual([]);
    expect(within.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'requested',
      tries: 1,
    });

    w.clock.advance(31_000);
    const after = await step(w);
    expect(cancelsSent(w)).toEqual([[100, 100]]);
    expect(after.order.attempts[IMP]?.cancellation).toMatchObject({ state: 'done', tries: 2 });
  });
});

describe('advanceCancellation of a forged virtual account', () => {
  it('revokes a forged virtual account for its whole amount', async () => {
    const { w, order } = await forged(anIssuedVbank({ amount: 500 }));

    const report = await advanceCancellation(w.deps, order, slot, 'cancel');

    expect(w.gateway.calls).toEqual([{ method: 'revokeVbank', impUid: IMP }]);
    expect(w.gateway.payment(IMP).status).toBe('cancelled');
    expect(report.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'done',
      kind: 'revoke',
      amount: 500,
      tries: 1,
    });
  });

  it('rejects a refused revocation while PortOne still shows the account waiting', async () => {
    const { w, order } = await forged(anIssuedVbank({ amount: 500 }));
    w.gateway.failNext(
      'revokeVbank',
      new UpstreamRejectedError(PORTONE_MESSAGES.vbankNotRevocable, 1),
    );

    const report = await advanceCancellation(w.deps, order, slot, 'cancel');

    expect(w.gateway.calls.map((call) => call.method)).toEqual(['revokeVbank', 'getPayment']);
    expect(report.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'rejected',
      kind: 'revoke',
      message: PORTONE_MESSAGES.vbankNotRevocable,
    });
    expect(errorLines(w)).toEqual([
      {
        level: 'error',
        message: LOG_LINES.cancellationRejected,
        imp_uid: IMP,
        amount: 500,
        kind: 'revoke',
        slot: 'attempt',
        error: PORTONE_MESSAGES.vbankNotRevocable,
      },
    ]);
  });

  it('cancels a forged virtual account the buyer paid before it could be revoked', async () => {
    const { w, order } = await forged(anIssuedVbank({ amount: 500 }));
    w.gateway.update(IMP, { status: 'paid', paid_at: T0 + 100 });

    const refused = await advanceCancellation(w.deps, order, slot, 'cancel');
    expect(refused.order.attempts[IMP]).toMatchObject({ status: 'paid', cancellation: null });
    expect(errorLines(w)).toEqual([]);

    const next = await step(w);

    expect(w.gateway.calls.map((call) => call.method)).toEqual([
      'revokeVbank',
      'getPayment',
      'cancelPayment',
    ]);
    expect(cancelsSent(w)).toEqual([[500, 500]]);
    expect(next.order.attempts[IMP]?.cancellation).toMatchObject({
      state: 'done',
      kind: 'cancel',
      amount: 500,
    });
  });
});

describe('advanceCancellation of a duplicate payment', () => {
  /** order-1 paid twice: the first payment is the order's, the second a duplicate. */
  const paidTwice = async () => {
    const w = aWorld();
    w.registered(1000);
    const first = aPayment({ imp_uid: IMP });
    const second = aPayment({ imp_uid: SECOND, started_at: T0 + 40, paid_at: T0 + 50 });
    w.gateway.add(first, second);
    await observe(w, first);
    const order = await observe(w, second);
    return { w, order };
  };
  const duplicate: Slot = { type: 'attempt', impUid: SECOND };

  it('cancels the duplicate once PortOne shows the other payment still holds the money', async () => {
    const { w, order } = await paidTwice();
    expect(order.attempts[SECOND]?.verdict).toBe('duplicate');

    const report = await advanceCancellation(w.deps, order, duplicate, 'cancel');

    expect(w.gateway.calls).toEqual([
      { method: 'getPayment', impUid: IMP },
      {
        method: 'cancelPayment',
        request: {
          impUid: SECOND,
          amount: 1000,
          checksum: 1000,
          reason: 'Duplicate payment for an order that is already paid',
          enableWebhook: true,
        },
      },
    ]);
    expect(report.order).toMatchObject({ status: 'paid', imp_uid: IMP });
    expect(report.order.attempts[SECOND]?.cancellation?.state).toBe('done');
  });

  it('drops the duplicate’s cancellation when the other payment was refunded: it now pays the order', async () => {
    const { w, order } = await paidTwice();
    w.gateway.failNext('cancelPayment', new UpstreamRejectedError(PORTONE_MESSAGES.cancelLater, 1));
    await advanceCancellation(w.deps, order, duplicate, 'cancel');
    w.gateway.update(IMP, { status: 'cancelled', cancel_amount: 1000, cancelled_at: T0 + 60 });

    const report = await step(w, duplicate);

    expect(cancelsSent(w)).toEqual([[1000, 1000]]);
    expect(w.gateway.payment(SECOND).cancel_amount).toBe(0);
    expect(report.order).toMatchObject({
      status: 'paid',
      imp_uid: SECOND,
      owes_cancellation: false,
    });
    expect(report.order.attempts[SECOND]).toMatchObject({
      verdict: 'ok',
      cancellation: {
        state: 'failed',
        next_at: null,
        message: 'no longer needed: PortOne shows this payment is the one that pays the order',
      },
    });
    expect(errorLines(w)).toEqual([]);
  });

  it('drops, without an alarm, a duplicate’s cancellation failing for 7 days once the duplicate pays the order', async () => {
    const { w, order } = await paidTwice();
    w.gateway.failNext('cancelPayment', new UpstreamRejectedError(PORTONE_MESSAGES.cancelLater, 1));
    await advanceCancellation(w.deps, order, duplicate, 'cancel');
    // The first payment is refunded in the console; nobody tells us.
    w.gateway.update(IMP, { status: 'cancelled', cancel_amount: 1000, cancelled_at: T0 + 60 });

    w.clock.advance(7 * DAY + MINUTE);
    const report = await step(w, duplicate);

    expect(report.order).toMatchObject({
      status: 'paid',
      imp_uid: SECOND,
      owes_cancellation: false,
    });
    expect(report.order.attempts[SECOND]?.cancellation).toMatchObject({
      state: 'failed',
      next_at: null,
      message: 'no longer needed: PortOne shows this payment is the one that pays the order',
    });
    expect(errorLines(w)).toEqual([]);
    expect(cancelsSent(w)).toEqual([[1000, 1000]]);
  });

  it('does not cancel a duplicate it cannot check against the other payment', async () => {
    const { w, order } = await paidTwice();
    w.gateway.failNext('getPayment', new UpstreamUnavailableError('PortOne answered 503'));

    const report = await advanceCancellation(w.deps, order, duplicate, 'cancel');

    expect(report.unreachable).toBe(true);
    expect(cancelsSent(w)).toEqual([]);
    expect(stored(w).attempts[SECOND]?.cancellation).toBeNull();
  });
});

describe('advanceCancellation of a merchant refund', () => {
  const refundSlot: Slot = { type: 'refund', requestId: 'r-1' };
  const refunded = async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());
    await observe(w, aPayment());
    return w;
  };
  const ask = { requestId: 'r-1', reason: 'customer asked', amount: 400, refundAccount: null };

  it('sends a failed refund again with its own amount and the balance PortOne shows', async () => {
    const w = await refunded();
    w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('PortOne answered 503'));
    await refundOrder(w.deps, 'order-1', ask);

    const report = await step(w, refundSlot);

    expect(w.gateway.calls.map((call) => call.method)).toEqual([
      'cancelPayment',
      'getPayment',
      'cancelPayment',
    ]);
    expect(w.gateway.callsOf('cancelPayment').at(-1)?.request).toEqual({
      impUid: IMP,
      amount: 400,
      checksum: 1000,
      reason: 'customer asked',
      enableWebhook: true,
    });
    expect(report.order.refunds).toMatchObject([{ state: 'done', tries: 2, amount: 400 }]);
    expect(report.order).toMatchObject({ status: 'partially_cancelled' });
    // Only our own automatic cancellations are logged as cancelling a failed verification.
    expect(w.log.lines.map((line) => line.message)).not.toContain(
      'cancelled a payment that failed verification',
    );
  });

  it('rejects a refund PortOne accepted but never showed for 7 days, with the alarm line', async () => {
    const w = await refunded();
    w.gateway.approveCancelsLater(IMP);
    const since = w.clock.iso();
    expect(await refundOrder(w.deps, 'order-1', ask)).toMatchObject({ kind: 'requested' });

    w.clock.advance(7 * DAY + MINUTE);
    const report = await step(w, refundSlot);

    const message = `PortOne accepted this cancellation on ${since} but has not shown the money returned for 7 days; check it in the PortOne console`;
    expect(report.order.refunds).toMatchObject([
      { state: 'rejected', message, next_at: null, refund_account: null },
    ]);
    expect(errorLines(w)).toEqual([
      {
        level: 'error',
        message: LOG_LINES.cancellationRejected,
        imp_uid: IMP,
        amount: 400,
        kind: 'cancel',
        slot: 'refund',
        error: message,
      },
    ]);
    expect(cancelsSent(w)).toEqual([[400, 1000]]);
  });
});
