// GET /shop/webhooks/{merchant_uid}: the result page's count of webhook
// deliveries, read from the simulator's log through the shop.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopPages, type ShopOptions } from '../../../../local/shop/index';
import { type RunningSimulator, startPortOneSimulator } from '../../../../simulator/portone';

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** A server whose only routes are the shop's; anything else answers 404 "fell through". */
const startShop = async (simulatorUrl: string | null) => {
  const options: ShopOptions = {
    // Never called by this route.
    apiBase: 'http://127.0.0.1:9',
    sdkScriptUrl: 'http://127.0.0.1:9/v1/iamport.js',
    impCode: 'imp00000000',
    simulatorUrl,
  };
  const pages = createShopPages(options);
  const server = createServer((req, res) => {
    if (!pages(req, res)) res.writeHead(404).end('fell through');
  });
  const url = await listen(server);
  return { url, close: () => closeServer(server) };
};

let sim: RunningSimulator;
let target: Server;
let targetUrl: string;
let shop: Awaited<ReturnType<typeof startShop>>;
beforeAll(async () => {
  sim = await startPortOneSimulator({ quiet: true });
  // Where the simulator delivers: answers 200, or 500 for merchant_uids ending in "-down".
  target = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    res.writeHead(body.includes('-down') ? 500 : 200).end();
  });
  targetUrl = `${await listen(target)}/webhook`;
  shop = await startShop(sim.url);
});
afterAll(async () => {
  await shop?.close();
  await sim?.close();
  if (target) await closeServer(target);
});

const deliver = (merchantUid: string) =>
  sim.control.sendWebhook({
    imp_uid: `imp_${merchantUid}`,
    merchant_uid: merchantUid,
    url: targetUrl,
  });

const getDeliveries = async (base: string, merchantUid: string) => {
  const response = await fetch(`${base}/shop/webhooks/${merchantUid}`);
  return { status: response.status, body: await response.json() };
};

describe('GET /shop/webhooks/{merchant_uid}', () => {
  it('answers the deliveries the simulator logged for that order only, oldest first', async () => {
    // Prepare
    await deliver('route-a-1');
    await deliver('route-b-1');
    await deliver('route-a-1');
    // Act
    const answer = await getDeliveries(shop.url, 'route-a-1');
    // Assess
    expect(answer).toEqual({
      status: 200,
      body: {
        deliveries: [
          { at: expect.any(String), status: 200 },
          { at: expect.any(String), status: 200 },
        ],
      },
    });
    const [first, second] = answer.body.deliveries as { at: string }[];
    expect(Date.parse(first?.at ?? '')).toBeLessThanOrEqual(Date.parse(second?.at ?? ''));
  });

  it('carries the status the payments API answered each delivery', async () => {
    await deliver('route-c-down');
    expect((await getDeliveries(shop.url, 'route-c-down')).body).toEqual({
      deliveries: [{ at: expect.any(String), status: 500 }],
    });
  });

  it('leaves out a V2 delivery the simulator skipped (mode none): it never arrived', async () => {
    // Prepare
    const paymentId = 'route-v2-1.abcdefghij012345';
    await sim.control.v2.createPayment({ paymentId, amount: 1000, state: 'paid' });
    await sim.control.v2.sendWebhook({ paymentId, url: targetUrl, mode: 'none' });
    await sim.control.v2.sendWebhook({ paymentId, url: targetUrl });
    await sim.control.v2.settleWebhooks();
    // Act
    const answer = await getDeliveries(shop.url, 'route-v2-1');
    // Assess
    expect(answer.body).toEqual({ deliveries: [{ at: expect.any(String), status: 200 }] });
  });

  it('answers an empty list for an order no webhook named', async () => {
    expect(await getDeliveries(shop.url, 'route-none')).toEqual({
      status: 200,
      body: { deliveries: [] },
    });
  });

  it('decodes the merchant_uid from the path', async () => {
    await deliver('route d');
    expect((await getDeliveries(shop.url, 'route%20d')).body.deliveries).toHaveLength(1);
  });

  it('answers 400 for a path that does not decode', async () => {
    expect(await getDeliveries(shop.url, '%E0%A4%A')).toEqual({
      status: 400,
      body: { message: 'malformed merchant_uid' },
    });
  });

  it('answers null (no count to show) when no simulator runs, e.g. against the real test channel', async () => {
    const real = await startShop(null);
    try {
      expect(await getDeliveries(real.url, 'route-a-1')).toEqual({
        status: 200,
        body: { deliveries: null },
      });
    } finally {
      await real.close();
    }
  });

  it('answers 502 when the simulator is unreachable', async () => {
    const lonely = await startShop('http://127.0.0.1:9');
    try {
      expect(await getDeliveries(lonely.url, 'route-a-1')).toEqual({
        status: 502,
        body: { message: 'the simulator is unreachable' },
      });
    } finally {
      await lonely.close();
    }
  });

  it('leaves other methods and deeper paths to the next handler', async () => {
    for (const [method, path] of [
      ['POST', '/shop/webhooks/route-a-1'],
      ['GET', '/shop/webhooks/'],
      ['GET', '/shop/webhooks/a/b'],
    ] as const) {
      const response = await fetch(`${shop.url}${path}`, { method });
      expect([method, path, response.status, await response.text()]).toEqual([
        method,
        path,
        404,
        'fell through',
      ]);
    }
  });
});
