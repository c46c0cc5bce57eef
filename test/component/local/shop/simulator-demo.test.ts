import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetPreRegistration, webhookDeliveries } from '../../../../local/shop/simulator-demo';
import { type RunningSimulator, startPortOneSimulator } from '../../../../simulator/portone';

let sim: RunningSimulator;
let target: Server;
let targetUrl: string;
beforeAll(async () => {
  sim = await startPortOneSimulator({ quiet: true });
  target = createServer((_, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/webhook`;
});
afterAll(async () => {
  await sim?.close();
  await new Promise<void>((resolve) => target?.close(() => resolve()));
});

describe('forgetPreRegistration', () => {
  it('makes the simulator forget a V1 amount prepared for the merchant_uid', async () => {
    // Prepare
    sim.state.store.prepare({ merchant_uid: 'shop-a-1', amount: 15000, currency: 'KRW' });
    // Act
    const answer = await forgetPreRegistration(sim.url, { merchant_uid: 'shop-a-1' });
    // Assess
    expect(answer).toEqual({ ok: true });
    expect(sim.state.store.getPrepared('shop-a-1')).toBeUndefined();
  });

  it('makes the simulator forget a V2 pre-registration for the payment id', async () => {
    const paymentId = 'shop-b-1.abcdefghij012345';
    sim.state.v2.store.preRegister({
      paymentId,
      totalAmount: 15000,
      taxFreeAmount: 0,
      currency: 'KRW',
      storeId: sim.state.v2.config.storeId,
    });
    const answer = await forgetPreRegistration(sim.url, {
      merchant_uid: 'shop-b-1',
      payment_id: paymentId,
    });
    expect(answer).toEqual({ ok: true });
    expect(sim.state.v2.store.getPreRegistration(paymentId)).toBeUndefined();
  });

  it('is fine when nothing was registered (PORTONE_PREPARE=false)', async () => {
    const order = { merchant_uid: 'shop-c-1', amount: 1, name: 'x' };
    expect(await forgetPreRegistration(sim.url, order)).toEqual({ ok: true });
  });

  it('says why when the simulator is unreachable', async () => {
    const order = { merchant_uid: 'shop-d-1', amount: 1, name: 'x' };
    expect(await forgetPreRegistration('http://127.0.0.1:9', order)).toMatchObject({ ok: false });
  });
});

describe('webhookDeliveries', () => {
  it('lists the deliveries for one order only, with the status the server answered', async () => {
    // Prepare
    for (const merchantUid of ['shop-e-1', 'shop-e-1', 'shop-f-1']) {
      await sim.control.sendWebhook({
        imp_uid: `imp_${merchantUid}`,
        merchant_uid: merchantUid,
        url: targetUrl,
      });
    }
    // Act
    const deliveries = await webhookDeliveries(sim.url, 'shop-e-1');
    // Assess
    expect(deliveries).toEqual([
      { at: expect.any(String), status: 200 },
      { at: expect.any(String), status: 200 },
    ]);
  });

  it('lists none for an order without webhooks', async () => {
    expect(await webhookDeliveries(sim.url, 'shop-none')).toEqual([]);
  });
});
