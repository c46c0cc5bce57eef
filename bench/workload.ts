import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SimulatorControl } from '../simulator/portone';
import { baselineOrderKey } from './baseline/handler';
import type { System } from './stack';
import { runPool } from './stats';

/** A registered order with a paid card payment at the simulator, not yet reported to anyone. */
export interface PaidOrder {
  merchantUid: string;
  impUid: string;
}

export type Route = 'complete' | 'webhook' | 'redirect';
export const ROUTES: readonly Route[] = ['complete', 'webhook', 'redirect'];
/** The buyer's browser reports (POST and GET /payments/complete): they read the order first. */
export type BrowserRoute = Exclude<Route, 'webhook'>;
export const BROWSER_ROUTES: readonly BrowserRoute[] = ['complete', 'redirect'];

let sequence = 0;
const SETUP_CONCURRENCY = 16;

/**
 * Orders registered the way each system registers them (ours through its
 * trusted POST /orders, pre-registration at PortOne included; the baseline
 * by writing the order item, as the docs' shop does), each with a paid card
 * payment at the simulator. Run with the simulator at 0 ms latency.
 */
export const preparePaidOrders = async (
  system: System,
  simulator: SimulatorControl,
  count: number,
): Promise<PaidOrder[]> => {
  const orders: PaidOrder[] = [];
  const indexes = Array.from({ length: count }, (_, i) => i);
  await runPool(indexes, SETUP_CONCURRENCY, async () => {
    const merchantUid = `bench-${system.name}-${Date.now().toString(36)}-${sequence++}`;
    const amount = 1000 + (sequence % 50) * 100;
    if (system.name === 'ours') {
      await expectStatus(
        post(`${system.url}/orders`, { merchant_uid: merchantUid, amount, name: 'Bench order' }),
        [201],
      );
    } else {
      await system.dynamodb.client.send(
        new PutCommand({
          TableName: system.tableName,
          Item: {
            ...baselineOrderKey(merchantUid),
            merchant_uid: merchantUid,
            amount,
            currency: 'KRW',
            name: 'Bench order',
            status: 'ready',
          },
        }),
      );
    }
    const payment = await simulator.createPayment({
      merchant_uid: merchantUid,
      amount,
      state: 'paid',
      pay_method: 'card',
    });
    orders.push({ merchantUid, impUid: payment.imp_uid });
  });
  // The counts of setup work must not be charged to the first measured events.
  system.dynamodb.reset();
  return orders;
};

interface Answer {
  status: number;
  body: string;
  location: string | null;
}

const post = async (url: string, body: unknown): Promise<Answer> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.text(), location: null };
};

const expectStatus = async (answer: Promise<Answer>, expected: number[]): Promise<Answer> => {
  const got = await answer;
  if (!expected.includes(got.status))
    throw new Error(`unexpected answer ${got.status}: ${got.body}`);
  return got;
};

/** The happy-path words each system answers; anything else means the bench measured a failure. */
const EXPECTED: Record<System['name'], Record<Route, string[]>> = {
  ours: { complete: ['success'], webhook: ['applied'], redirect: ['success'] },
  baseline: { complete: ['success'], webhook: ['success'], redirect: ['success'] },
};

/**
 * One browser report or PortOne notification for `order`, as the real
 * caller sends it; answers the round-trip time in ms. Throws unless the
 * answer is the happy path's, so that a fast failure is never measured as speed.
 */
export const deliver = async (
  system: System,
  route: Route,
  order: PaidOrder,
  accept: readonly string[] = EXPECTED[system.name][route],
): Promise<number> => {
  const started = performance.now();
  let answer: Answer;
  if (route === 'redirect') {
    const query = new URLSearchParams({
      imp_uid: order.impUid,
      merchant_uid: order.merchantUid,
      imp_success: 'true',
    });
    const response = await fetch(`${system.url}/payments/complete?${query}`, {
      redirect: 'manual',
    });
    answer = {
      status: response.status,
      body: await response.text(),
      location: response.headers.get('location'),
    };
  } else {
    const path = route === 'complete' ? '/payments/complete' : '/payments/webhook';
    const body = {
      imp_uid: order.impUid,
      merchant_uid: order.merchantUid,
      ...(route === 'webhook' ? { status: 'paid' } : {}),
    };
    answer = await post(`${system.url}${path}`, body);
  }
  const ms = performance.now() - started;
  const word =
    route === 'redirect'
      ? new URL(answer.location ?? 'http://x/').searchParams.get('status')
      : (JSON.parse(answer.body) as { status?: string }).status;
  const okStatus = route === 'redirect' ? 302 : 200;
  if (answer.status !== okStatus || !accept.includes(word ?? '')) {
    throw new Error(
      `${system.name} ${route} of ${order.impUid}: ${answer.status} ${answer.location ?? answer.body}`,
    );
  }
  return ms;
};
