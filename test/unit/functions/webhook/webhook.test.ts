import { describe, expect, it } from 'vitest';
import { signedWebhooks } from '../../../../functions/adapters/portone-v2/signed-webhooks';
import { IMP_UID_MESSAGE } from '../../../../functions/domain/model/ids';
import { LOG_LINES } from '../../../../functions/domain/model/log-lines';
import { createWebhookHandler } from '../../../../functions/webhook/webhook';
import { httpEvent, jsonAnswer, REQUEST_ID } from '../../../support/http-event';
import { aPayment } from '../../../support/payments';
import { signedHeaders, V2_TEST_SECRET } from '../../../support/v2-webhooks';
import { aWorld, type World } from '../../../support/world';
import { type EntryPoint, V2_PAYMENT_ID, verificationSuite } from '../verification-suite';

const PORTONE_IP = '52.78.100.19';

const build = (
  world: World,
  allowedIps: string[] = [],
  v2: readonly string[] | null = [V2_TEST_SECRET],
) =>
  createWebhookHandler({
    verification: world.deps,
    log: world.log,
    allowedIps,
    v2: v2 ? signedWebhooks(v2) : null,
  });

const request = (body: string, sourceIp = PORTONE_IP) =>
  httpEvent({ method: 'POST', path: '/payments/webhook', body, sourceIp });

const ok = (status: string, message?: string) => ({
  statusCode: 200,
  body: message ? { status, message } : { status },
});

const upstream = (message: string) => ({
  statusCode: 502,
  body: { status: 'upstream_error', message },
});
const UPSTREAM = `PortOne could not be reached or gave no usable answer; please retry later (request id ${REQUEST_ID})`;

const webhook: EntryPoint<ReturnType<typeof jsonAnswer>> = {
  name: 'POST /payments/webhook',
  build,
  // PortOne's V1 body; only the two ids are believed.
  request: (ids) => request(JSON.stringify({ ...ids, status: 'paid' })),
  read: jsonAnswer,
  confirms: true,
  readsOrderFirst: false,
  expected: {
    paid: ok('applied'),
    vbankIssued: ok('applied'),
    failed: ok('applied'),
    forged: ok('forgery'),
    // 5xx: PortOne delivers again, and the repeat retries the cancellation.
    forgedCancelUnreachable: upstream(
      'cancelling a forged or duplicate payment failed; please retry',
    ),
    otherOrdersPayment: ok('forgery', 'the payment belongs to another order'),
    unknownPayment: ok('ignored', 'PortOne does not know this payment'),
    unregisteredOrder: ok('not_found', 'no such order is registered'),
    portoneDown: upstream(UPSTREAM),
    unverifiable: upstream(UPSTREAM),
    storageDown: {
      statusCode: 503,
      body: {
        status: 'unavailable',
        message: `the service is briefly unavailable; please retry (request id ${REQUEST_ID})`,
      },
    },
    badInput: {
      statusCode: 400,
      body: {
        status: 'invalid_request',
        message: `invalid request: ${IMP_UID_MESSAGE}`,
        issues: [{ path: 'imp_uid', message: IMP_UID_MESSAGE }],
      },
    },
  },
};

verificationSuite(webhook);

describe('POST /payments/webhook', () => {
  const paidDelivery = () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());
    return w;
  };
  const body = JSON.stringify({ imp_uid: 'imp_100000000001', merchant_uid: 'order-1' });

  it('answers a repeated delivery as duplicate', async () => {
    const w = paidDelivery();
    await build(w)(request(body));

    expect(jsonAnswer(await build(w)(request(body)))).toEqual(ok('duplicate'));
  });

  it('reads a form body', async () => {
    const w = paidDelivery();

    const answer = jsonAnswer(
      await build(w)(request('imp_uid=imp_100000000001&merchant_uid=order-1&status=paid')),
    );

    expect(answer).toEqual(ok('applied'));
  });

  it('refuses an address not on the allow-list, without asking PortOne', async () => {
    const w = paidDelivery();

    const answer = jsonAnswer(await build(w, [PORTONE_IP])(request(body, '203.0.113.9')));

    expect(answer).toEqual({
      statusCode: 403,
      body: { status: 'forbidden', message: 'this address may not call the webhook' },
    });
    expect(w.gateway.calls).toEqual([]);
  });

  it('lets an address on the allow-list in', async () => {
    const answer = jsonAnswer(await build(paidDelivery(), [PORTONE_IP])(request(body)));

    expect(answer).toEqual(ok('applied'));
  });

  it('logs every answer with its HTTP status, the line the 5xx alarm counts', async () => {
    const w = paidDelivery();

    await build(w)(request(body));

    expect(w.log.lines.filter((line) => line.message === LOG_LINES.webhookAnswered)).toEqual([
      {
        level: 'info',
        message: LOG_LINES.webhookAnswered,
        route: 'webhook',
        api: 'v1',
        api_request_id: REQUEST_ID,
        merchant_uid: 'order-1',
        imp_uid: 'imp_100000000001',
        result: 'recorded',
        outcome: 'applied',
        order_status: 'paid',
        http_status: 200,
      },
    ]);
  });
});

/** A V2 delivery (webhook version 2024-04-25), signed now with the test secret unless told otherwise. */
const v2Body = (paymentId: string, type = 'Transaction.Paid') =>
  JSON.stringify({
    type,
    timestamp: '2026-12-03T10:00:00.000Z',
    data: { paymentId, storeId: 'store-1', transactionId: 'tx-1' },
  });
const v2Request = (body: string, headers: Record<string, string> = signedHeaders(body)) =>
  httpEvent({ method: 'POST', path: '/v2/payments/webhook', body, headers });

verificationSuite({
  ...webhook,
  name: 'POST /v2/payments/webhook',
  api: 'v2',
  request: (ids) => {
    // A malformed id cannot be our issued one: the signed body carries it, and it is not looked up.
    return v2Request(v2Body(ids.imp_uid));
  },
  expected: {
    ...webhook.expected,
    // A signed event for an id that is not of our shape belongs to another system of the merchant's.
    badInput: ok('ignored'),
  },
});

describe('POST /v2/payments/webhook', () => {
  const issued = () => {
    const w = aWorld();
    const order = w.registered(1000);
    w.store.seed({ ...order, payment_ids: { [V2_PAYMENT_ID]: order.created_at } });
    w.gateway.add(aPayment({ api: 'v2', imp_uid: V2_PAYMENT_ID }));
    return w;
  };
  const body = v2Body(V2_PAYMENT_ID);

  it('verifies a delivery signed with the second secret while the first is rotated out', async () => {
    const w = issued();
    const next = `whsec_${Buffer.from('the next secret, 24 byte').toString('base64')}`;

    const answer = await build(
      w,
      [],
      [V2_TEST_SECRET, next],
    )(v2Request(body, signedHeaders(body, { secret: next })));

    expect(jsonAnswer(answer)).toEqual(ok('applied'));
    expect(w.store.get('order-1')).toMatchObject({ status: 'paid', final: true });
  });

  it.each([
    [
      'a wrong signature',
      () =>
        signedHeaders(body, { secret: `whsec_${Buffer.from('x'.repeat(24)).toString('base64')}` }),
    ],
    [
      'a timestamp 6 minutes old',
      () => signedHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 360 }),
    ],
    ['no signature headers', () => ({ 'content-type': 'application/json' })],
  ])('refuses %s with 401, asking PortOne nothing and writing nothing', async (_case, headers) => {
    const w = issued();

    const answer = jsonAnswer(await build(w)(v2Request(body, headers())));

    expect(answer).toEqual({
      statusCode: 401,
      body: {
        status: 'invalid_signature',
        message: 'the webhook signature is missing, wrong or too old',
      },
    });
    expect(w.gateway.calls).toEqual([]);
    expect(w.store.writes).toBe(0);
    expect(
      w.log.lines.filter((line) => line.message === LOG_LINES.webhookSignatureRefused),
    ).toHaveLength(1);
  });

  it('refuses a body changed after signing', async () => {
    const w = issued();
    const headers = signedHeaders(body);

    const answer = await build(w)(
      v2Request(body.replace('Transaction.Paid', 'Transaction.Failed'), headers),
    );

    expect(answer.statusCode).toBe(401);
    expect(w.gateway.calls).toEqual([]);
  });

  it('answers ignored to a signed event of another type, asking PortOne nothing', async () => {
    const w = issued();
    const other = JSON.stringify({
      type: 'BillingKey.Issued',
      timestamp: 'x',
      data: { billingKey: 'b-1' },
    });

    expect(jsonAnswer(await build(w)(v2Request(other)))).toEqual(ok('ignored'));
    expect(w.gateway.calls).toEqual([]);
  });

  it('refuses a signed body that is not JSON with 400', async () => {
    const w = issued();
    const form = `paymentId=${V2_PAYMENT_ID}`;

    const answer = jsonAnswer(await build(w)(v2Request(form, signedHeaders(form))));

    expect(answer).toMatchObject({ statusCode: 400, body: { status: 'invalid_request' } });
    expect(w.gateway.calls).toEqual([]);
  });

  it('answers 503 not_configured while V2 is not configured, so that PortOne retries', async () => {
    const w = issued();

    const answer = jsonAnswer(await build(w, [], null)(v2Request(body)));

    expect(answer).toMatchObject({ statusCode: 503, body: { status: 'not_configured' } });
    expect(w.gateway.calls).toEqual([]);
  });

  it('is not held to the V1 address allow-list: the signature says it is PortOne', async () => {
    const w = issued();

    const answer = await build(w, [PORTONE_IP])(
      httpEvent({
        method: 'POST',
        path: '/v2/payments/webhook',
        body,
        headers: signedHeaders(body),
        sourceIp: '52.78.5.241',
      }),
    );

    expect(jsonAnswer(answer)).toEqual(ok('applied'));
  });
});
