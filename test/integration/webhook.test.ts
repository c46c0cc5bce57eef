import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, uid } from './support/harness';
import { bodyOf } from './support/wait';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('the webhook', () => {
  it('ignores the console\u2019s test call for an imp_uid PortOne does not know', async () => {
    const { deliveries } = await h.control.sendWebhook({
      imp_uid: 'imp_000000000000',
      merchant_uid: 'test-call',
      status: 'paid',
    });

    expect(deliveries[0]).toMatchObject({ status: 200 });
    expect(bodyOf(deliveries[0])).toMatchObject({ status: 'ignored' });
  });

  it('records a real payment for an unregistered order as an orphan and answers not_found with 200', async () => {
    const order = uid('unregistered');
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 1000,
      state: 'paid',
    });

    const response = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });
    const complete = await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'not_found' });
    expect(complete.status).toBe(404);
    expect(await complete.json()).toMatchObject({ status: 'not_found' });
    expect(await h.rawItem(`ORPHAN#${payment.imp_uid}`)).toMatchObject({
      merchant_uid: order,
      portone_status: 'paid',
      amount: 1000,
      final: true,
    });
    expect((await fetch(`${h.api.url}/orders/${order}`)).status).toBe(404);
  });

  it('uses nothing of the body but the two ids', async () => {
    const order = uid();
    await h.registerOrder(order, 1000);
    const failed = await h.control.createPayment({
      merchant_uid: order,
      amount: 1000,
      state: 'failed',
    });

    const response = await h.webhook({
      imp_uid: failed.imp_uid,
      merchant_uid: order,
      status: 'paid',
      amount: 1000,
    });

    expect(await response.json()).toEqual({ status: 'applied' });
    expect(await h.order(order)).toMatchObject({ status: 'failed' });
  });
});
