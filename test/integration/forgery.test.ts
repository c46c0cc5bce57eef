import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../functions/domain/use-cases/reconcile';
import { verificationDeps } from '../../functions/runtime/deps';
import { type Harness, startHarness, uid } from './support/harness';
import { bodyOf, eventually } from './support/wait';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const cancelCalls = async () =>
  (await h.control.calls()).filter((c) => c.route === 'cancel').length;

describe('a forged payment', () => {
  it('with a tampered amount is answered forgery and cancelled once with the right checksum', async () => {
    // Prepare
    const order = uid();
    await h.registerOrder(order, 30000);
    const forged = await h.control.createPayment({
      merchant_uid: order,
      amount: 100,
      state: 'paid',
    });
    await h.control.clearCalls();

    // Act
    const complete = await h.complete({ imp_uid: forged.imp_uid, merchant_uid: order });
    const webhooks = await h.control.sendWebhook({
      imp_uid: forged.imp_uid,
      copies: 3,
      concurrent: true,
    });

    // Assess
    expect(complete.status).toBe(400);
    expect(await complete.json()).toEqual({
      status: 'forgery',
      message: 'the paid amount differs from the order amount',
    });
    expect(webhooks.deliveries.map((d) => bodyOf(d).status)).toEqual([
      'forgery',
      'forgery',
      'forgery',
    ]);
    // one structured line per request that saw it: the production stack's forgery metric counts these
    const sightings = h.logs.filter(
      (l) => l.message === 'forgery detected' && l.imp_uid === forged.imp_uid,
    );
    expect(sightings.length).toBeGreaterThanOrEqual(4); // + the cancellation webhook, whenever it lands
    expect(sightings[0]).toMatchObject({ merchant_uid: order, forgery_reason: 'amount_mismatch' });
    const payment = await h.control.getPayment(forged.imp_uid);
    expect(payment).toMatchObject({ status: 'cancelled', cancel_amount: 100 });
    expect(payment.cancel_history).toHaveLength(1);
    expect(await cancelCalls()).toBe(1);
    const view = await h.order(order);
    expect(view.status).toBe('forgery');
    expect(view.attempts[0]).toMatchObject({
      imp_uid: forged.imp_uid,
      verdict: 'forgery',
      forgery_reason: 'amount_mismatch',
      cancellation: { state: 'done', amount: 100 },
    });
    // the cancellation webhook PortOne sends back confirms the cancelled state
    await eventually(async () =>
      expect((await h.order(order)).attempts[0]).toMatchObject({
        status: 'cancelled',
        final: true,
      }),
    );
  });

  it('with another currency is a forgery', async () => {
    const order = uid();
    await h.registerOrder(order, 30);
    const forged = await h.control.createPayment({
      merchant_uid: order,
      amount: 30,
      currency: 'USD',
      state: 'paid',
    });

    const webhook = await h.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });

    expect(await webhook.json()).toEqual({ status: 'forgery' });
    expect((await h.order(order)).attempts[0]).toMatchObject({
      forgery_reason: 'currency_mismatch',
    });
    expect(await h.control.getPayment(forged.imp_uid)).toMatchObject({ status: 'cancelled' });
  });

  it('made on a test channel is a forgery in live mode', async () => {
    const order = uid();
    await h.registerOrder(order, 5000);
    const sandbox = await h.control.createPayment({
      merchant_uid: order,
      amount: 5000,
      state: 'paid',
      sandbox: true,
    });

    const complete = await h.complete({ imp_uid: sandbox.imp_uid, merchant_uid: order });

    expect(complete.status).toBe(400);
    expect(await complete.json()).toMatchObject({ status: 'forgery' });
    expect((await h.order(order)).attempts[0]).toMatchObject({
      forgery_reason: 'sandbox_in_live_mode',
    });
  });

  it('presented for another order writes nothing to either order and cancels nothing', async () => {
    const cheap = uid('cheap');
    const dear = uid('dear');
    await h.registerOrder(cheap, 1000);
    await h.registerOrder(dear, 90000);
    const genuine = await h.control.createPayment({
      merchant_uid: cheap,
      amount: 1000,
      state: 'paid',
    });
    await h.control.clearCalls();

    const complete = await h.complete({ imp_uid: genuine.imp_uid, merchant_uid: dear });
    const webhook = await h.webhook({ imp_uid: genuine.imp_uid, merchant_uid: dear });

    expect(complete.status).toBe(400);
    expect(await complete.json()).toMatchObject({ status: 'forgery' });
    expect(await webhook.json()).toMatchObject({ status: 'forgery' });
    expect(await h.order(dear)).toMatchObject({ status: 'pending', attempts: [], history: [] });
    expect(await h.order(cheap)).toMatchObject({ status: 'pending', attempts: [] });
    expect((await h.control.calls()).filter((c) => c.route === 'cancel')).toEqual([]);
    expect(await h.control.getPayment(genuine.imp_uid)).toMatchObject({ status: 'paid' });
  });
});

describe('with AUTO_CANCEL_FORGERY=false', () => {
  it('flags the forgery and cancels nothing', async () => {
    const manual = await startHarness({ env: { AUTO_CANCEL_FORGERY: 'false' } });
    try {
      const order = uid();
      await manual.registerOrder(order, 30000);
      const forged = await manual.control.createPayment({
        merchant_uid: order,
        amount: 100,
        state: 'paid',
      });

      const webhook = await manual.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });

      expect(await webhook.json()).toEqual({ status: 'forgery' });
      expect(await manual.control.getPayment(forged.imp_uid)).toMatchObject({ status: 'paid' });
      expect((await manual.control.calls()).filter((c) => c.route === 'cancel')).toEqual([]);
    } finally {
      await manual.close();
    }
  });

  it('stops rechecking a confirmed forgery, which a person refunds', async () => {
    const manual = await startHarness({ env: { AUTO_CANCEL_FORGERY: 'false' } });
    try {
      const order = uid();
      await manual.registerOrder(order, 30000);
      const forged = await manual.control.createPayment({
        merchant_uid: order,
        amount: 100,
        state: 'paid',
      });
      await manual.webhook({ imp_uid: forged.imp_uid, merchant_uid: order });
      const dueIn = async (ms: number) =>
        (
          await manual.runtime.store.listDue(new Date(Date.now() + ms).toISOString(), 10_000)
        ).includes(order);

      const report = await reconcile({
        ...verificationDeps(manual.runtime),
        clock: () => new Date(Date.now() + 11 * 60_000),
      });

      expect(report.failed).toBe(0);
      expect(await dueIn(30 * 60_000)).toBe(false);
      expect(await dueIn(10 * 24 * 3600_000)).toBe(false);
      expect(await manual.order(order)).toMatchObject({ status: 'forgery', final: true });
      expect(await manual.control.getPayment(forged.imp_uid)).toMatchObject({ status: 'paid' });
    } finally {
      await manual.close();
    }
  });
});

describe('an answer that does not say whether it came from a test channel', () => {
  it('pays nothing in live mode: it is answered like an outage, and nothing is written or cancelled', async () => {
    const h = await startHarness();
    try {
      // Prepare: PortOne's answer lacks `sandbox` (as before 2026)
      const order = uid();
      await h.registerOrder(order, 5000);
      const payment = await h.control.createPayment({
        merchant_uid: order,
        amount: 5000,
        state: 'paid',
        behavior: { omitSandbox: true },
      });

      // Act
      const complete = await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });
      const webhook = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });
      const redirect = await h.redirect(`imp_uid=${payment.imp_uid}&merchant_uid=${order}`);

      // Assess
      expect(complete.status).toBe(502);
      expect(await complete.json()).toMatchObject({ status: 'upstream_error' });
      expect(webhook.status).toBe(502);
      expect(redirect.headers.get('location')).toContain('status=pending');
      expect(await h.order(order)).toMatchObject({ status: 'pending', attempts: [] });
      expect((await h.control.calls()).filter((c) => c.route === 'cancel')).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('is accepted in test mode, where test-channel payments are allowed', async () => {
    const h = await startHarness({ env: { PORTONE_MODE: 'test' } });
    try {
      const order = uid();
      await h.registerOrder(order, 5000);
      const payment = await h.control.createPayment({
        merchant_uid: order,
        amount: 5000,
        state: 'paid',
        behavior: { omitSandbox: true },
      });

      const complete = await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });

      expect(await complete.json()).toMatchObject({ status: 'success' });
    } finally {
      await h.close();
    }
  });
});
