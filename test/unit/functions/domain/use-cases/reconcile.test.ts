import { describe, expect, it } from 'vitest';
import {
  ItemTooLargeError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
import { LOG_LINES } from '../../../../../functions/domain/model/log-lines';
import type { Order } from '../../../../../functions/domain/model/order';
import type { PortOnePayment } from '../../../../../functions/domain/model/portone-payment';
import { reconcile } from '../../../../../functions/domain/use-cases/reconcile';
import { aFailedPayment, anIssuedVbank, aPayment, T0 } from '../../../../support/payments';
import { aWorld, type World } from '../../../../support/world';

const IMP = 'imp_100000000001';
const SECOND = 'imp_100000000002';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The reconciler's first look at an order nobody confirmed: 10 minutes after its last write. */
const RECHECK_AFTER = 10 * MINUTE;

const stored = (w: World, merchantUid = 'order-1'): Order => w.store.get(merchantUid) as Order;
const isoIn = (w: World, ms: number) => new Date(Date.parse(w.clock.iso()) + ms).toISOString();
const report = (fields: Partial<Awaited<ReturnType<typeof reconcile>>>) => ({
  due: 0,
  settled: 0,
  open: 0,
  skipped: 0,
  failed: 0,
  ...fields,
});
const observe = (w: World, payment: PortOnePayment, source: 'webhook' | 'complete') =>
  w.store.recordObservation(payment, { source, mode: 'live', now: w.clock.iso() });

describe('reconcile', () => {
  it('confirms a payment whose webhook never came, and stops watching the order', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());
    w.clock.advance(RECHECK_AFTER);

    const result = await reconcile(w.deps);

    expect(result).toEqual(report({ due: 1, settled: 1 }));
    expect(w.gateway.calls).toEqual([
      { method: 'findPayments', merchantUid: 'order-1', status: 'paid' },
      { method: 'findPayments', merchantUid: 'order-1', status: 'cancelled' },
      { method: 'findPayment', merchantUid: 'order-1' },
    ]);
    expect(stored(w)).toMatchObject({ status: 'paid', final: true, imp_uid: IMP, check_at: null });
    expect(stored(w).history.at(-1)).toMatchObject({ source: 'reconcile', final: true });
    expect(w.log.lines).toEqual([
      {
        level: 'info',
        message: 'order reconciled',
        merchant_uid: 'order-1',
        route: 'reconcile',
        outcome: 'settled',
      },
      { level: 'info', message: 'reconciliation finished', ...report({ due: 1, settled: 1 }) },
    ]);
  });

  it('looks at nothing before an order’s recheck time', async () => {
    const w = aWorld();
    w.registered(1000);
    w.clock.advance(RECHECK_AFTER - 1);

    expect(await reconcile(w.deps)).toEqual(report({}));
    expect(w.gateway.calls).toEqual([]);
  });

  describe('with a look-ahead (the local schedule)', () => {
    const LOOK_AHEAD = RECHECK_AFTER - 30_000;

    it('confirms a failed window 30 s after it was reported, writing the real time', async () => {
      // Prepare
      const w = aWorld();
      w.registered(1000);
      const failed = aFailedPayment({ imp_uid: IMP });
      w.gateway.add(failed);
      await observe(w, failed, 'complete');
      w.clock.advance(30_000);

      // Act
      const result = await reconcile(w.deps, { lookAheadMs: LOOK_AHEAD });

      // Assess
      expect(result).toEqual(report({ due: 1, settled: 0, open: 1 }));
      expect(stored(w)).toMatchObject({ status: 'failed', final: true });
      expect(stored(w).history.at(-1)).toMatchObject({ source: 'reconcile', at: w.clock.iso() });
      expect((stored(w).check_at ?? '') > isoIn(w, LOOK_AHEAD)).toBe(true);
    });

    it('moves an abandoned checkout it looked at early out of the look-ahead', async () => {
      // Prepare
      const w = aWorld();
      w.registered(1000);
      w.clock.advance(30_000);

      // Act
      const first = await reconcile(w.deps, { lookAheadMs: LOOK_AHEAD });
      const second = await reconcile(w.deps, { lookAheadMs: LOOK_AHEAD });

      // Assess
      expect(first).toEqual(report({ due: 1, open: 1 }));
      expect(second).toEqual(report({}));
      expect(stored(w).check_at).toBe(isoIn(w, HOUR));
    });

    it('still looks at nothing whose recheck time lies beyond it', async () => {
      const w = aWorld();
      w.registered(1000);
      w.clock.advance(30_000 - 1);

      expect(await reconcile(w.deps, { lookAheadMs: LOOK_AHEAD })).toEqual(report({}));
      expect(w.gateway.calls).toEqual([]);
    });
  });

  it('takes at most `limit` due orders in one run', async () => {
    const w = aWorld();
    w.registered(1000, 'order-1');
    w.registered(1000, 'order-2');
    w.registered(1000, 'order-3');
    w.clock.advance(RECHECK_AFTER);

    const result = await reconcile(w.deps, { limit: 2, concurrency: 1 });

    expect(result).toEqual(report({ due: 2, open: 2 }));
    expect(stored(w, 'order-3').check_at).toBe(w.clock.iso());
  });

  it('looks again at an abandoned checkout after as long as it has waited, and stops after 7 days', async () => {
    const w = aWorld();
    const order = w.registered(1000);
    w.clock.advance(RECHECK_AFTER);

    const first = await reconcile(w.deps);

    expect(first).toEqual(report({ due: 1, open: 1 }));
    expect(stored(w)).toMatchObject({ status: 'pending', check_at: isoIn(w, HOUR), attempts: {} });

    w.clock.set(new Date(Date.parse(order.created_at) + 7 * DAY + MINUTE).toISOString());
    const last = await reconcile(w.deps);

    expect(last).toEqual(report({ due: 1, settled: 1 }));
    expect(stored(w).check_at).toBeNull();
  });

  it('watches an issued virtual account until its deadline, without writing what it already holds', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(anIssuedVbank());
    w.clock.advance(RECHECK_AFTER);
    const deadline = new Date((T0 + 3 * 86_400) * 1000).toISOString();

    const first = await reconcile(w.deps);

    expect(first).toEqual(report({ due: 1, open: 1 }));
    expect(stored(w)).toMatchObject({ status: 'vbank_issued', final: true, check_at: deadline });

    w.clock.set(deadline);
    w.clock.advance(MINUTE);
    w.store.calls.length = 0;
    const atDeadline = await reconcile(w.deps);

    expect(atDeadline).toEqual(report({ due: 1, open: 1 }));
    expect(w.store.calls).not.toContain('recordObservation');
    // Past its deadline: looked at for a grace period, first after 10 minutes.
    expect(stored(w).check_at).toBe(isoIn(w, 10 * MINUTE));

    w.clock.set(deadline);
    w.clock.advance(2 * DAY + MINUTE);
    const expired = await reconcile(w.deps);

    expect(expired).toEqual(report({ due: 1, settled: 1 }));
    expect(stored(w)).toMatchObject({ status: 'vbank_issued', check_at: null });
  });

  it('looks up an attempt it holds unconfirmed that PortOne’s lists do not show', async () => {
    const w = aWorld();
    w.registered(1000);
    const failed = aFailedPayment({ imp_uid: IMP });
    const paid = aPayment({ imp_uid: SECOND, started_at: T0 + 40, paid_at: T0 + 50 });
    w.gateway.add(failed, paid);
    await observe(w, failed, 'complete');
    w.clock.advance(RECHECK_AFTER);

    const result = await reconcile(w.deps);

    expect(result).toEqual(report({ due: 1, settled: 1 }));
    expect(w.gateway.callsOf('getPayment')).toEqual([{ method: 'getPayment', impUid: IMP }]);
    expect(stored(w)).toMatchObject({ status: 'paid', imp_uid: SECOND, final: true });
    expect(stored(w).attempts[IMP]).toMatchObject({ status: 'failed', final: true });
  });

  it('confirms an unconfirmed attempt besides the current one, looking it up by imp_uid', async () => {
    const w = aWorld();
    w.registered(1000);
    const failed = aFailedPayment({ imp_uid: IMP });
    const vbank = anIssuedVbank({ imp_uid: SECOND, started_at: T0 + 40 });
    w.gateway.add(failed, vbank);
    await observe(w, failed, 'complete');
    await observe(w, vbank, 'webhook');
    w.clock.set(new Date((T0 + 3 * 86_400) * 1000).toISOString()); // the deposit deadline

    await reconcile(w.deps);

    expect(w.gateway.callsOf('getPayment')).toEqual([{ method: 'getPayment', impUid: IMP }]);
    expect(stored(w)).toMatchObject({ status: 'vbank_issued', imp_uid: SECOND });
    expect(stored(w).attempts[IMP]).toMatchObject({ status: 'failed', final: true });
  });

  it('records a deposit whose webhook was lost when it looks at the virtual account', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(anIssuedVbank());
    await observe(w, anIssuedVbank(), 'webhook');
    w.gateway.update(IMP, { status: 'paid', paid_at: T0 + 3600 });
    w.clock.set(new Date((T0 + 3 * 86_400) * 1000).toISOString());

    const result = await reconcile(w.deps);

    expect(result).toEqual(report({ due: 1, settled: 1 }));
    expect(stored(w)).toMatchObject({ status: 'paid', final: true, check_at: null });
  });

  it('cancels a forged payment it finds, and confirms the cancellation on its next run', async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));
    w.clock.advance(RECHECK_AFTER);

    const first = await reconcile(w.deps);

    expect(first).toEqual(report({ due: 1, open: 1 }));
    expect(
      w.gateway.callsOf('cancelPayment').map(({ request }) => [request.amount, request.checksum]),
    ).toEqual([[100, 100]]);
    expect(stored(w).attempts[IMP]).toMatchObject({
      status: 'cancelled',
      final: false,
      cancellation: { state: 'done' },
    });

    w.clock.advance(RECHECK_AFTER);
    const second = await reconcile(w.deps);

    expect(second).toEqual(report({ due: 1, settled: 1 }));
    expect(w.gateway.callsOf('cancelPayment')).toHaveLength(1);
    expect(stored(w)).toMatchObject({ status: 'forgery', final: true, check_at: null });
  });

  it('retries a cancellation that could not reach PortOne on a later run', async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));
    w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('PortOne answered 503'));
    w.clock.advance(RECHECK_AFTER);

    const first = await reconcile(w.deps);

    expect(first).toEqual(report({ due: 1, open: 1 }));
    expect(stored(w).attempts[IMP]?.cancellation).toMatchObject({ state: 'failed', tries: 1 });
    expect(stored(w).check_at).toBe(w.clock.iso()); // due again at once

    await reconcile(w.deps);

    expect(w.gateway.callsOf('cancelPayment')).toHaveLength(2);
    expect(stored(w).attempts[IMP]?.cancellation).toMatchObject({ state: 'done', tries: 2 });
    expect(w.gateway.payment(IMP).cancel_amount).toBe(100);
  });

  it('skips an order another writer moved on since the index was read', async () => {
    const w = aWorld();
    w.registered(1000);
    w.clock.advance(RECHECK_AFTER);
    const later = isoIn(w, HOUR);
    w.store.beforeNext('findOrder', () => w.store.seed({ ...stored(w), check_at: later }));

    const result = await reconcile(w.deps);

    expect(result).toEqual(report({ due: 1, skipped: 1 }));
    expect(w.gateway.calls).toEqual([]);
    expect(stored(w).check_at).toBe(later);
  });

  it('counts an order PortOne could not answer for as failed, and backs it off run after run', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());
    w.clock.advance(RECHECK_AFTER);
    const unavailable = () => new UpstreamUnavailableError('PortOne answered 503');
    w.gateway.failNext('findPayments', unavailable());

    const first = await reconcile(w.deps);

    expect(first).toEqual(report({ due: 1, failed: 1 }));
    expect(stored(w)).toMatchObject({
      status: 'pending',
      check_at: isoIn(w, 10 * MINUTE),
      recheck_failures: 1,
    });
    expect(w.log.lines.find((line) => line.level === 'warn')).toEqual({
      level: 'warn',
      message: 'order could not be reconciled; it is looked at again later',
      merchant_uid: 'order-1',
      route: 'reconcile',
      error: 'UpstreamUnavailableError: PortOne answered 503',
      retry_at: isoIn(w, 10 * MINUTE),
    });

    w.clock.advance(10 * MINUTE);
    w.gateway.failNext('findPayment', unavailable());
    await reconcile(w.deps);

    expect(stored(w)).toMatchObject({ check_at: isoIn(w, 20 * MINUTE), recheck_failures: 2 });

    w.clock.advance(20 * MINUTE);
    const recovered = await reconcile(w.deps);

    expect(recovered).toEqual(report({ due: 1, settled: 1 }));
    expect(stored(w)).toMatchObject({ status: 'paid', check_at: null, recheck_failures: 0 });
  });

  it('waits at most 6 hours after many failures in a row', async () => {
    const w = aWorld();
    w.registered(1000);
    w.store.seed({ ...stored(w), recheck_failures: 7 });
    w.clock.advance(RECHECK_AFTER);
    w.gateway.failNext('findPayments', new UpstreamUnavailableError('PortOne answered 503'));

    await reconcile(w.deps);

    expect(stored(w)).toMatchObject({ check_at: isoIn(w, 6 * HOUR), recheck_failures: 8 });
  });

  it('fails an order whose payment does not say whether it was made on a test channel', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment({ sandbox: null }));
    w.clock.advance(RECHECK_AFTER);

    const result = await reconcile(w.deps);

    expect(result).toEqual(report({ due: 1, failed: 1 }));
    expect(stored(w)).toMatchObject({ status: 'pending', attempts: {}, recheck_failures: 1 });
    expect(w.log.lines.find((line) => line.level === 'warn')).toMatchObject({
      error: `UpstreamUnavailableError: PortOne did not say whether payment ${IMP} was made on a test channel`,
    });
  });

  it('logs the item-too-large alarm line when the order can no longer be written', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());
    w.clock.advance(RECHECK_AFTER);
    w.store.failNext('recordObservation', new ItemTooLargeError('item size has exceeded 400 KB'));

    const result = await reconcile(w.deps);

    expect(result).toEqual(report({ due: 1, failed: 1 }));
    expect(w.log.lines.filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        message: LOG_LINES.itemTooLarge,
        merchant_uid: 'order-1',
        route: 'reconcile',
        error: 'item size has exceeded 400 KB',
      },
    ]);
    expect(stored(w).recheck_failures).toBe(1);
  });

  it('reconciles the other orders when one fails', async () => {
    const w = aWorld();
    w.registered(1000, 'order-1');
    w.registered(1000, 'order-2');
    w.gateway.add(aPayment(), aPayment({ imp_uid: SECOND, merchant_uid: 'order-2' }));
    w.clock.advance(RECHECK_AFTER);
    w.gateway.failNext('findPayments', new UpstreamUnavailableError('PortOne answered 503'));

    const result = await reconcile(w.deps, { concurrency: 1 });

    expect(result).toEqual(report({ due: 2, settled: 1, failed: 1 }));
    expect(stored(w, 'order-1')).toMatchObject({ status: 'pending', recheck_failures: 1 });
    expect(stored(w, 'order-2')).toMatchObject({ status: 'paid', final: true, check_at: null });
  });

  describe('V2 payments', () => {
    const V2_ID = 'order-1.a1b2c3d4e5f6g7h8';
    const UNUSED = 'order-1.zzzzzzzzzzzzzzzz';
    const issued = (w: World, ...ids: string[]) =>
      w.store.seed({
        ...stored(w),
        payment_ids: Object.fromEntries(ids.map((id) => [id, w.clock.iso()])),
      });

    it('finds a V2 payment whose webhook and callback were both lost, by the id the order issued', async () => {
      const w = aWorld();
      w.registered(1000);
      issued(w, V2_ID, UNUSED);
      w.gateway.add(aPayment({ api: 'v2', imp_uid: V2_ID }));
      w.clock.advance(RECHECK_AFTER);

      const result = await reconcile(w.deps);

      expect(result).toEqual(report({ due: 1, settled: 1 }));
      expect(w.gateway.calls.filter((call) => call.method === 'getPayment')).toEqual([
        { method: 'getPayment', impUid: V2_ID },
        // Never used: PortOne does not know it, and that is no failure.
        { method: 'getPayment', impUid: UNUSED },
      ]);
      expect(stored(w)).toMatchObject({
        status: 'paid',
        final: true,
        imp_uid: V2_ID,
        check_at: null,
      });
      expect(stored(w).attempts[V2_ID]).toMatchObject({ api: 'v2', final: true });
    });

    it('stops asking about an issued id once the horizon has passed', async () => {
      const w = aWorld();
      w.registered(1000);
      issued(w, UNUSED);
      w.clock.advance(8 * DAY);
      w.store.seed({ ...stored(w), check_at: w.clock.iso() });

      await reconcile(w.deps);

      expect(w.gateway.calls.filter((call) => call.method === 'getPayment')).toEqual([]);
    });
  });
});
