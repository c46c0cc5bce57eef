import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, uid } from './support/harness';

let h: Harness;
beforeAll(async () => {
  // PortOne's published V1 sources plus loopback, where this test's requests come from.
  h = await startHarness({
    env: { WEBHOOK_ALLOWED_IPS: '52.78.100.19,52.78.48.223,52.78.5.241,127.0.0.1' },
  });
});
afterAll(() => h.close());

describe('the optional webhook allow-list', () => {
  it('lets a listed address in', async () => {
    const order = uid();
    await h.registerOrder(order, 1000);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 1000,
      state: 'paid',
    });

    const response = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: order });

    expect(await response.json()).toEqual({ status: 'applied' });
  });

  it('refuses any other address with 403 and looks nothing up', async () => {
    const limited = await startHarness({ env: { WEBHOOK_ALLOWED_IPS: '52.78.100.19' } });
    try {
      limited.resetCounts();
      const response = await limited.webhook({ imp_uid: 'imp_1', merchant_uid: 'order-1' });

      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ status: 'forbidden' });
      expect(limited.portoneCalls).toEqual({});
      expect(limited.dynamodbCalls).toEqual({});
    } finally {
      await limited.close();
    }
  });
});
