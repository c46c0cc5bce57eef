import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, uid } from './support/harness';
import { bodyOf } from './support/wait';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('a virtual-account payment', () => {
  it('is issued by the redirect, then paid when the deposit webhook arrives', async () => {
    // Prepare
    const order = uid();
    await h.registerOrder(order, 45000);
    const issued = await h.control.createPayment({
      merchant_uid: order,
      amount: 45000,
      state: 'vbank_issued',
      pay_method: 'vbank',
    });

    // Act: the browser comes back, then PortOne notifies the issue and later the deposit
    const redirect = await h.redirect(
      `imp_uid=${issued.imp_uid}&merchant_uid=${order}&imp_success=true`,
    );
    const issueWebhook = await h.control.sendWebhook({ imp_uid: issued.imp_uid });
    const afterIssue = await h.order(order);
    await h.control.advanceClock(3600);
    await h.control.deposit(issued.imp_uid);
    const depositWebhook = await h.control.sendWebhook({ imp_uid: issued.imp_uid });

    // Assess
    expect(redirect.headers.get('location')).toContain('status=vbankIssued');
    expect(bodyOf(issueWebhook.deliveries[0])).toEqual({ status: 'applied' });
    expect(afterIssue).toMatchObject({
      status: 'vbank_issued',
      final: true,
      pay_method: 'vbank',
      vbank: { bank: issued.vbank_name, number: issued.vbank_num, holder: issued.vbank_holder },
    });
    expect(afterIssue.vbank?.due).toBe(new Date(issued.vbank_date * 1000).toISOString());
    expect(bodyOf(depositWebhook.deliveries[0])).toEqual({ status: 'applied' });
    expect(await h.order(order)).toMatchObject({ status: 'paid', final: true, paid_amount: 45000 });
  });

  it('is settled by webhooks alone when the browser never comes back', async () => {
    const order = uid();
    await h.registerOrder(order, 33000);
    const issued = await h.control.createPayment({
      merchant_uid: order,
      amount: 33000,
      state: 'vbank_issued',
      pay_method: 'vbank',
    });

    const issue = await h.control.sendWebhook({
      imp_uid: issued.imp_uid,
      status: 'ready',
      format: 'form',
    });
    const pending = await h.order(order);
    await h.control.advanceClock(86_400);
    await h.control.deposit(issued.imp_uid);
    const deposit = await h.control.sendWebhook({
      imp_uid: issued.imp_uid,
      status: 'paid',
      format: 'form',
    });

    expect(bodyOf(issue.deliveries[0])).toEqual({ status: 'applied' });
    expect(pending).toMatchObject({ status: 'vbank_issued', final: true, paid_amount: 0 });
    expect(bodyOf(deposit.deliveries[0])).toEqual({ status: 'applied' });
    const paid = await h.order(order);
    expect(paid).toMatchObject({ status: 'paid', final: true, paid_amount: 33000 });
    expect(paid.history.map((e) => `${e.source}:${e.from}->${e.to}`)).toEqual([
      'webhook:pending->vbank_issued',
      'webhook:vbank_issued->paid',
    ]);
  });

  it('ignores a late issue webhook after the deposit (stale)', async () => {
    const order = uid();
    await h.registerOrder(order, 10000);
    const issued = await h.control.createPayment({
      merchant_uid: order,
      amount: 10000,
      state: 'vbank_issued',
      pay_method: 'vbank',
    });
    await h.control.advanceClock(60);
    await h.control.deposit(issued.imp_uid);

    const deposit = await h.control.sendWebhook({ imp_uid: issued.imp_uid });
    const complete = await h.complete({ imp_uid: issued.imp_uid, merchant_uid: order });

    expect(bodyOf(deposit.deliveries[0])).toEqual({ status: 'applied' });
    expect(await complete.json()).toMatchObject({ status: 'success', order: { final: true } });
  });
});
