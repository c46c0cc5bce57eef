import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SimulatorControl } from '../simulator/portone/control-client';
import { DEFAULT_V2_STORE_ID, DEFAULT_V2_WEBHOOK_SECRET } from '../simulator/portone/defaults';
import { signV2Webhook } from '../simulator/portone/v2/signature';
import { baselineOrderKey } from './baseline/handler';
import { type Answer, send } from './http-client';
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

/**
 * A registered order (ours) with a V2 payment id it issued (POST
 * /orders/{merchant_uid}/payments), paid under that id at the simulator's V2 API.
 */
export interface V2PaidOrder {
  merchantUid: string;
  paymentId: string;
  transactionId: string;
}

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

/**
 * Orders registered through our POST /orders, each with a payment id issued
 * by POST /orders/{merchant_uid}/payments (stored in the order's
 * payment_ids, pre-registered at PortOne V2) and a paid card payment under
 * it at the simulator's V2 API. Run with the simulator at 0 ms latency.
 */
export const prepareV2PaidOrders = async (
  system: System,
  simulator: SimulatorControl,
  count: number,
): Promise<V2PaidOrder[]> => {
  const orders: V2PaidOrder[] = [];
  const indexes = Array.from({ length: count }, (_, i) => i);
  await runPool(indexes, SETUP_CONCURRENCY, async () => {
    const merchantUid = `bench-v2-${Date.now().toString(36)}-${sequence++}`;
    const amount = 1000 + (sequence % 50) * 100;
    await expectStatus(
      post(`${system.url}/orders`, { merchant_uid: merchantUid, amount, name: 'Bench order' }),
      [201],
    );
    const issued = await expectStatus(post(`${system.url}/orders/${merchantUid}/payments`), [201]);
    const { payment_id: paymentId } = JSON.parse(issued.body) as { payment_id: string };
    const payment = await simulator.v2.createPayment({ paymentId, amount, state: 'paid' });
    orders.push({ merchantUid, paymentId, transactionId: payment.transactionId });
  });
  system.dynamodb.reset();
  return orders;
};

/** POST of a JSON body (`body` serialised, or sent as it is when a string; none when undefined). */
const post = (url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
  send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
  });

const expectStatus = async (answer: Promise<Answer>, expected: number[]): Promise<Answer> => {
  const got = await answer;
  if (!expected.includes(got.status))
    throw new Error(`unexpected answer ${got.status}: ${got.body}`);
  return got;
};

/** The happy-path words each system answers; anything else means the bench measured a failure (bench/cpu.ts too). */
export const EXPECTED: Record<System['name'], Record<Route, string[]>> = {
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
    answer = await send(`${system.url}/payments/complete?${query}`);
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
  checkAnswer(`${system.name} ${route} of ${order.impUid}`, route, answer, accept);
  return ms;
};

/** Throws unless `answer` is the happy path's: 302 with `status=<word>`, or 200 with `{status: <word>}`. */
const checkAnswer = (what: string, route: Route, answer: Answer, accept: readonly string[]) => {
  const word =
    route === 'redirect'
      ? new URL(answer.location ?? 'http://x/').searchParams.get('status')
      : (JSON.parse(answer.body) as { status?: string }).status;
  const okStatus = route === 'redirect' ? 302 : 200;
  if (answer.status !== okStatus || !accept.includes(word ?? '')) {
    throw new Error(`${what}: ${answer.status} ${answer.location ?? answer.body}`);
  }
};

/** Signs V2 webhooks as PortOne does (the simulator's own signer, with its default secret). */
export const V2_WEBHOOK_SECRET = DEFAULT_V2_WEBHOOK_SECRET;

/**
 * A V2 Transaction.Paid delivery as PortOne sends it (webhook version
 * 2024-04-25, the simulator's body): the raw body and its Standard Webhooks
 * headers, signed now.
 */
export const signedV2Webhook = (
  order: Pick<V2PaidOrder, 'paymentId' | 'transactionId'>,
  secret = V2_WEBHOOK_SECRET,
): { body: string; headers: Record<string, string> } => {
  const body = JSON.stringify({
    type: 'Transaction.Paid',
    timestamp: new Date().toISOString(),
    data: {
      paymentId: order.paymentId,
      storeId: DEFAULT_V2_STORE_ID,
      transactionId: order.transactionId,
    },
  });
  const id = `msg_${randomBytes(12).toString('hex')}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': signV2Webhook(secret, id, timestamp, body),
    },
  };
};

/**
 * deliver's V2 counterpart, on ours: POST /v2/payments/complete `{paymentId}`,
 * the redirect GET /v2/payments/complete?paymentId=…, or a signed
 * Transaction.Paid to POST /v2/payments/webhook (signed before the clock starts).
 */
export const deliverV2 = async (
  system: System,
  route: Route,
  order: V2PaidOrder,
  accept: readonly string[] = EXPECTED.ours[route],
): Promise<number> => {
  const webhook = route === 'webhook' ? signedV2Webhook(order) : null;
  const started = performance.now();
  let answer: Answer;
  if (route === 'redirect') {
    const query = new URLSearchParams({
      paymentId: order.paymentId,
      transactionType: 'PAYMENT',
      txId: order.transactionId,
    });
    answer = await send(`${system.url}/v2/payments/complete?${query}`);
  } else if (webhook) {
    answer = await post(`${system.url}/v2/payments/webhook`, webhook.body, webhook.headers);
  } else {
    answer = await post(`${system.url}/v2/payments/complete`, { paymentId: order.paymentId });
  }
  const ms = performance.now() - started;
  checkAnswer(`${system.name} V2 ${route} of ${order.paymentId}`, route, answer, accept);
  return ms;
};
