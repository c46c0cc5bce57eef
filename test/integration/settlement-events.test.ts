import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PaymentSettled } from '../../functions/domain/model/settlement';
import { PublishError } from '../../functions/domain/ports/settlement-publisher';
import {
  followSettlements,
  memoryPublisher,
  type SettlementStream,
} from '../../local/settlement-stream';
import { silentLog } from '../fakes/log';
import { type Harness, startHarness, uid } from './support/harness';

// Every client here talks to DynamoDB Local only.
const local = {
  endpoint: inject('ddbEndpoint'),
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
const dynamodb = new DynamoDBClient(local);
const streams = new DynamoDBStreamsClient(local);

let h: Harness;
let stream: SettlementStream;
const follow = (publisher = memoryPublisher()) =>
  followSettlements({ dynamodb, streams, tableName: h.tableName, log: silentLog, publisher });

beforeAll(async () => {
  // V2 on beside V1, as a merchant moving between them runs it: the stream knows no API.
  h = await startHarness({ v2: true });
  stream = await follow();
});
afterAll(async () => {
  await stream.stop();
  await h.close();
  dynamodb.destroy();
  streams.destroy();
});

const eventsOf = (events: readonly PaymentSettled[], order: string) =>
  events.filter((event) => event.merchant_uid === order);

const paidCard = async (amount = 12000) => {
  const order = uid();
  await h.registerOrder(order, amount);
  const payment = await h.control.createPayment({ merchant_uid: order, amount, state: 'paid' });
  return { order, payment };
};

describe('payment settled events, from the table stream', () => {
  it('announces a card payment once, whatever the deliveries', async () => {
    const { order, payment } = await paidCard();
    await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });
    await h.control.sendWebhook({ imp_uid: payment.imp_uid, copies: 3, concurrent: true });
    await h.redirect(`imp_uid=${payment.imp_uid}&merchant_uid=${order}&imp_success=true`);
    await stream.drain();

    expect(eventsOf(stream.events, order)).toEqual([
      {
        id: `${order}/paid`,
        merchant_uid: order,
        status: 'paid',
        settled_at: expect.any(String),
        order_amount: 12000,
        paid_amount: 12000,
        cancel_amount: 0,
        currency: 'KRW',
        previous: [],
      },
    ]);
  });

  it('announces nothing while an order is pending or provisional', async () => {
    const { order, payment } = await paidCard();
    await h.complete({ imp_uid: payment.imp_uid, merchant_uid: order });
    const untouched = uid();
    await h.registerOrder(untouched, 5000);
    await stream.drain();

    expect(eventsOf(stream.events, order)).toEqual([]);
    expect(eventsOf(stream.events, untouched)).toEqual([]);
  });

  it('announces a virtual account when the deposit arrives, not when it is issued', async () => {
    const order = uid();
    await h.registerOrder(order, 45000);
    const issued = await h.control.createPayment({
      merchant_uid: order,
      amount: 45000,
      state: 'vbank_issued',
      pay_method: 'vbank',
    });
    await h.control.sendWebhook({ imp_uid: issued.imp_uid });
    await stream.drain();
    const afterIssue = eventsOf(stream.events, order);
    await h.control.deposit(issued.imp_uid);
    await h.control.sendWebhook({ imp_uid: issued.imp_uid });
    await stream.drain();

    expect(afterIssue).toEqual([]);
    expect(eventsOf(stream.events, order).map((event) => event.status)).toEqual(['paid']);
  });

  it('announces a forged payment once as forgery, its cancellation included', async () => {
    const order = uid();
    await h.registerOrder(order, 30000);
    const forged = await h.control.createPayment({
      merchant_uid: order,
      amount: 100,
      state: 'paid',
    });
    await h.complete({ imp_uid: forged.imp_uid, merchant_uid: order });
    await h.control.sendWebhook({ imp_uid: forged.imp_uid, copies: 2 });
    await expect
      .poll(async () => (await h.control.getPayment(forged.imp_uid)).status)
      .toBe('cancelled');
    await h.control.sendWebhook({ imp_uid: forged.imp_uid });
    await stream.drain();

    expect(
      eventsOf(stream.events, order).map((event) => [
        event.status,
        event.paid_amount,
        event.order_amount,
      ]),
    ).toEqual([['forgery', 100, 30000]]);
  });

  it('announces a refund after the payment, naming the earlier outcome', async () => {
    const { order, payment } = await paidCard(8000);
    await h.control.sendWebhook({ imp_uid: payment.imp_uid });
    await h.control.consoleCancel(payment.imp_uid);
    await h.control.sendWebhook({ imp_uid: payment.imp_uid, copies: 2 });
    await stream.drain();

    expect(eventsOf(stream.events, order).map((event) => [event.id, event.previous])).toEqual([
      [`${order}/paid`, []],
      [`${order}/cancelled`, ['paid']],
    ]);
  });

  it('never names a payment that is later refunded as a duplicate', async () => {
    // Prepare: paid twice, A first; B's webhook arrives before A's
    const order = uid();
    await h.registerOrder(order, 12000);
    const first = await h.control.createPayment({
      merchant_uid: order,
      amount: 12000,
      state: 'paid',
    });
    await h.control.advanceClock(20);
    const second = await h.control.createPayment({
      merchant_uid: order,
      amount: 12000,
      state: 'paid',
    });

    // Act
    await h.control.sendWebhook({ imp_uid: second.imp_uid });
    await h.control.sendWebhook({ imp_uid: first.imp_uid });
    await h.control.sendWebhook({ imp_uid: second.imp_uid, status: 'cancelled' });
    await stream.drain();

    // Assess: one paid event; nothing in any event names the refunded duplicate
    expect(await h.control.getPayment(second.imp_uid)).toMatchObject({ cancel_amount: 12000 });
    const events = eventsOf(stream.events, order);
    expect(events.map((event) => event.id)).toEqual([`${order}/paid`]);
    expect(JSON.stringify(events)).not.toContain(second.imp_uid);
  });

  it('loses nothing written while no reader ran, and a second reader repeats the same ids', async () => {
    const { order, payment } = await paidCard();
    await h.control.sendWebhook({ imp_uid: payment.imp_uid });
    await stream.drain();

    // A reader starting from scratch (a crash, a redeploy) reads the whole stream again.
    const late = await follow();
    await late.drain();
    await late.stop();

    expect(eventsOf(late.events, order)).toEqual(eventsOf(stream.events, order));
    expect(new Set(late.events.map((event) => event.id))).toEqual(
      new Set(stream.events.map((event) => event.id)),
    );
    expect(late.events.length).toBe(new Set(late.events.map((event) => event.id)).size);
  });

  it('reads a batch again from the change whose event failed to publish', async () => {
    const failing = memoryPublisher();
    let failures = 2;
    const publisher = {
      events: failing.events,
      async publish(batch: readonly PaymentSettled[]) {
        if (failures-- > 0) throw new PublishError('EventBridge unavailable', 0);
        await failing.publish(batch);
      },
    };
    const reader = await follow(publisher);
    await reader.drain();
    await reader.drain();
    await reader.stop();

    expect(new Set(reader.events.map((event) => event.id))).toEqual(
      new Set(stream.events.map((event) => event.id)),
    );
  });
});

describe('payment settled events for PortOne V2 payments', () => {
  /** A registered order with a paid V2 payment under an id it issued. */
  const paidV2 = async (amount: number, order = uid()) => {
    if (!(await h.runtime.store.findOrder(order))) await h.registerOrder(order, amount);
    const paymentId = `${order}.${randomBytes(8).toString('hex')}`;
    await h.runtime.store.updateOrder(order, (stored) => ({
      ...stored,
      payment_ids: { ...stored.payment_ids, [paymentId]: new Date().toISOString() },
    }));
    await h.sim.control.v2.createPayment({ paymentId, amount, state: 'paid' });
    return { order, paymentId };
  };
  const v2Complete = (paymentId: string) =>
    fetch(`${h.api.url}/v2/payments/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paymentId }),
    });

  it('announces a V2 card payment once, whatever the deliveries', async () => {
    const { order, paymentId } = await paidV2(15000);
    await v2Complete(paymentId);
    await h.sim.control.v2.sendWebhook({ paymentId, mode: 'duplicate' });
    await h.sim.control.v2.sendWebhook({ paymentId });
    await stream.drain();

    expect(
      eventsOf(stream.events, order).map((event) => [event.id, event.paid_amount, event.previous]),
    ).toEqual([[`${order}/paid`, 15000, []]]);
  });

  it('announces a V2 refund made in the console after the payment', async () => {
    const { order, paymentId } = await paidV2(8000);
    await h.sim.control.v2.sendWebhook({ paymentId });
    await h.control.advanceClock(60);
    await h.sim.control.v2.consoleCancel(paymentId);
    await stream.drain();

    expect(eventsOf(stream.events, order).map((event) => [event.id, event.previous])).toEqual([
      [`${order}/paid`, []],
      [`${order}/cancelled`, ['paid']],
    ]);
  });

  it('announces one payment for an order paid by V1 and then by V2, the duplicate refunded', async () => {
    const { order, payment } = await paidCard(5000);
    await h.control.sendWebhook({ imp_uid: payment.imp_uid });
    await h.control.advanceClock(20);
    const { paymentId } = await paidV2(5000, order);
    await h.sim.control.v2.sendWebhook({ paymentId });
    await h.sim.control.v2.settleWebhooks();
    await stream.drain();

    expect(await h.sim.control.v2.getPayment(paymentId)).toMatchObject({ status: 'CANCELLED' });
    expect(eventsOf(stream.events, order).map((event) => event.id)).toEqual([`${order}/paid`]);
  });
});
