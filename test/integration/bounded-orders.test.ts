import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../functions/domain/model/order';
import { decide } from '../../functions/domain/rules/decide';
import { ATTEMPT_LIMIT } from '../../functions/domain/rules/limits';
import { newOrder } from '../../functions/domain/rules/new-order';
import { reconcile } from '../../functions/domain/use-cases/reconcile';
import { verificationDeps } from '../../functions/runtime/deps';
import { aFailedPayment } from '../support/payments';
import { type Harness, startHarness, uid } from './support/harness';

/**
 * I9: an order item stays far below DynamoDB's 400 KB whatever the number of
 * abandoned windows reported for it, and a paid observation can always be
 * written.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('an order with many abandoned checkout windows', () => {
  it('keeps a bounded number of attempts and still takes the real payment', async () => {
    // Prepare: 40 windows closed one after the other, each reported by the page
    const order = uid();
    await h.registerOrder(order, 5000);
    const windows: string[] = [];
    for (let i = 0; i < 40; i++) {
      const closed = await h.control.createPayment({
        merchant_uid: order,
        amount: 5000,
        state: 'failed',
      });
      windows.push(closed.imp_uid);
      await h.complete({ imp_uid: closed.imp_uid, merchant_uid: order });
      await h.control.advanceClock(5);
    }
    const paid = await h.control.createPayment({
      merchant_uid: order,
      amount: 5000,
      state: 'paid',
    });

    // Act
    const answer = await h.complete({ imp_uid: paid.imp_uid, merchant_uid: order });

    // Assess
    expect(answer.status).toBe(200);
    const view = await h.order(order);
    // ATTEMPT_LIMIT kept: the payment and the latest windows; the 21 oldest windows dropped.
    const kept = ATTEMPT_LIMIT - 1;
    expect(view).toMatchObject({
      status: 'paid',
      imp_uid: paid.imp_uid,
      dropped_attempts: windows.length - kept,
    });
    expect(view.attempts.map((a) => a.imp_uid).sort()).toEqual(
      [...windows.slice(-kept), paid.imp_uid].sort(),
    );
  });

  it('takes the real payment even when the stored order is near the item size limit', async () => {
    // Prepare: an order item written before attempts were bounded: 850 failed attempts (~390 KB)
    const merchantUid = uid();
    await h.registerOrder(merchantUid, 5000);
    let stored: Order = newOrder({
      merchant_uid: merchantUid,
      amount: 5000,
      currency: 'KRW',
      name: null,
      prepared: true,
      now: new Date().toISOString(),
    });
    const attempts: Order['attempts'] = {};
    for (let i = 0; i < 850; i++) {
      const failed = aFailedPayment({
        merchant_uid: merchantUid,
        imp_uid: `imp_${String(100_000_000_000 + i)}`,
        amount: 5000,
        started_at: 1_763_000_000 + i,
        failed_at: 1_763_000_001 + i,
        fail_reason: '[결제포기] 사용자가 결제를 취소하셨습니다',
      });
      const one = decide(stored, failed, {
        source: 'complete',
        mode: 'live',
        now: new Date().toISOString(),
      }).order;
      Object.assign(attempts, { [failed.imp_uid]: one.attempts[failed.imp_uid] });
      if (i === 849) stored = { ...one, attempts };
    }
    await h.putRawItem({ pk: `ORDER#${merchantUid}`, type: 'order', ...stored, check_at: null });
    const paid = await h.control.createPayment({
      merchant_uid: merchantUid,
      amount: 5000,
      state: 'paid',
    });

    // Act
    const complete = await h.complete({ imp_uid: paid.imp_uid, merchant_uid: merchantUid });
    const webhook = await h.webhook({ imp_uid: paid.imp_uid, merchant_uid: merchantUid });

    // Assess
    expect(complete.status).toBe(200);
    expect(webhook.status).toBe(200);
    const view = await h.order(merchantUid);
    // The payment and the 19 latest of the 850 windows kept; 831 dropped at the first write.
    const latest = Object.values(stored.attempts)
      .sort((a, b) => b.started_at - a.started_at)
      .slice(0, ATTEMPT_LIMIT - 1)
      .map((a) => a.imp_uid);
    expect(view).toMatchObject({
      status: 'paid',
      final: true,
      imp_uid: paid.imp_uid,
      dropped_attempts: 850 - (ATTEMPT_LIMIT - 1),
    });
    expect(view.attempts.map((a) => a.imp_uid).sort()).toEqual([...latest, paid.imp_uid].sort());
    const item = await h.rawItem(`ORDER#${merchantUid}`);
    // Its size depends on ids and timestamps; the bound is I9's "far below 400 KB".
    expect(JSON.stringify(item).length).toBeLessThan(40_000);
  });
});

describe('an order item DynamoDB no longer writes', () => {
  it('answers a permanent error with its alarm line, never a 503, and is not retried at once', async () => {
    // Prepare: an item that is already at the size limit for some other reason
    const merchantUid = uid();
    await h.registerOrder(merchantUid, 5000);
    const stored = await h.rawItem(`ORDER#${merchantUid}`);
    // DynamoDB counts names and values; 409,600 bytes in all, and the order needs ~1 KB more.
    const room = 409_600 - JSON.stringify(stored).length - 100;
    await h.putRawItem({ ...stored, legacy_notes: 'x'.repeat(room) });
    const paid = await h.control.createPayment({
      merchant_uid: merchantUid,
      amount: 5000,
      state: 'paid',
    });

    // Act
    const complete = await h.complete({ imp_uid: paid.imp_uid, merchant_uid: merchantUid });
    const webhook = await h.webhook({ imp_uid: paid.imp_uid, merchant_uid: merchantUid });

    // Assess
    for (const answer of [complete, webhook]) {
      expect(answer.status).toBe(500);
      expect(await answer.json()).toEqual({
        status: 'internal_error',
        message: expect.stringMatching(
          /^this order cannot be updated any more; the operator has been alerted \(request id [\w-]+\)$/,
        ),
      });
    }
    const alarmLines = h.logs.filter((line) => line.message === 'order item too large');
    expect(alarmLines.length).toBe(2);
    expect(alarmLines[0]).toMatchObject({ merchant_uid: merchantUid });

    // The reconciler fails on it too, and moves it out of the way instead of retrying every run
    const ahead = (ms: number) => new Date(Date.now() + ms);
    const due = await h.runtime.store.listDue(ahead(660_000).toISOString(), 10_000);
    const report = await reconcile({ ...verificationDeps(h.runtime), clock: () => ahead(660_000) });
    const dueSoon = await h.runtime.store.listDue(ahead(720_000).toISOString(), 10_000);
    const failedHere = h.logs.filter(
      (line) =>
        line.message === 'order could not be reconciled; it is looked at again later' &&
        line.merchant_uid === merchantUid,
    );
    expect(due).toContain(merchantUid);
    expect(failedHere).toMatchObject([{ error: expect.stringMatching(/^ItemTooLargeError: /) }]);
    expect(failedHere).toHaveLength(1);
    // It is the one failure; the earlier tests' orders due with it settle (PortOne is up).
    expect(report).toEqual({
      due: due.length,
      settled: due.length - 1,
      open: 0,
      skipped: 0,
      failed: 1,
    });
    expect(dueSoon).not.toContain(merchantUid);
    expect(h.logs.filter((line) => line.message === 'order item too large').length).toBe(3);
  });
});
