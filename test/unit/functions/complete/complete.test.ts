import { describe, expect, it } from 'vitest';
import { createCompleteHandler } from '../../../../functions/complete/complete';
import { IMP_UID_MESSAGE, PAYMENT_ID_MESSAGE } from '../../../../functions/domain/model/ids';
import { httpEvent, jsonAnswer, REQUEST_ID } from '../../../support/http-event';
import { anIssuedVbank, aPayment, T0 } from '../../../support/payments';
import { aWorld, type World } from '../../../support/world';
import { type EntryPoint, V2_PAYMENT_ID, verificationSuite } from '../verification-suite';

const build = (world: World, v2 = true) =>
  createCompleteHandler({ verification: world.deps, log: world.log, v2 });

const request = (ids: Record<string, string>, contentType = 'application/json') =>
  httpEvent({
    method: 'POST',
    path: '/payments/complete',
    body: JSON.stringify(ids),
    headers: { 'content-type': contentType },
  });

/** The public view complete answers with (docs/design.md §4.2). */
const view = (fields: Record<string, unknown>) => ({
  merchant_uid: 'order-1',
  status: 'paid',
  final: false,
  amount: 1000,
  currency: 'KRW',
  paid_amount: 1000,
  cancel_amount: 0,
  pay_method: 'card',
  vbank: null,
  fail_reason: null,
  ...fields,
});

const upstream = {
  statusCode: 502,
  body: {
    status: 'upstream_error',
    message: `PortOne could not be reached or gave no usable answer; please retry later (request id ${REQUEST_ID})`,
  },
};

const issued = anIssuedVbank();

const complete: EntryPoint<ReturnType<typeof jsonAnswer>> = {
  name: 'POST /payments/complete',
  build,
  request: (ids) => request(ids),
  read: jsonAnswer,
  confirms: false,
  readsOrderFirst: true,
  expected: {
    paid: { statusCode: 200, body: { status: 'success', order: view({}) } },
    vbankIssued: {
      statusCode: 200,
      body: {
        status: 'vbankIssued',
        order: view({
          status: 'vbank_issued',
          paid_amount: 0,
          pay_method: 'vbank',
          vbank: {
            bank: issued.vbank_name,
            number: issued.vbank_num,
            holder: issued.vbank_holder,
            due: new Date(issued.vbank_date * 1000).toISOString(),
          },
        }),
      },
    },
    failed: {
      statusCode: 200,
      body: {
        status: 'failed',
        message: 'card declined',
        order: view({ status: 'failed', paid_amount: 0, fail_reason: 'card declined' }),
      },
    },
    forged: {
      statusCode: 400,
      body: { status: 'forgery', message: 'the paid amount differs from the order amount' },
    },
    forgedCancelUnreachable: {
      statusCode: 400,
      body: { status: 'forgery', message: 'the paid amount differs from the order amount' },
    },
    otherOrdersPayment: {
      statusCode: 400,
      body: { status: 'forgery', message: 'the payment belongs to another order' },
    },
    unknownPayment: {
      statusCode: 404,
      body: { status: 'not_found', message: 'PortOne does not know this payment' },
    },
    unregisteredOrder: {
      statusCode: 404,
      body: { status: 'not_found', message: 'no such order is registered' },
    },
    portoneDown: upstream,
    unverifiable: upstream,
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

verificationSuite(complete);

const v2Request = (body: Record<string, string>, contentType = 'application/json') =>
  httpEvent({
    method: 'POST',
    path: '/v2/payments/complete',
    body: JSON.stringify(body),
    headers: { 'content-type': contentType },
  });

verificationSuite({
  ...complete,
  name: 'POST /v2/payments/complete',
  api: 'v2',
  // The V2 page posts what PortOne.requestPayment answered: the paymentId alone.
  request: (ids) => v2Request({ paymentId: ids.imp_uid }),
  expected: {
    ...complete.expected,
    badInput: {
      statusCode: 400,
      body: {
        status: 'invalid_request',
        message: `invalid request: ${PAYMENT_ID_MESSAGE}`,
        issues: [{ path: 'paymentId', message: PAYMENT_ID_MESSAGE }],
      },
    },
  },
});

describe('POST /v2/payments/complete', () => {
  const issuedOrder = (w: World) => {
    const order = w.registered(1000);
    w.store.seed({ ...order, payment_ids: { [V2_PAYMENT_ID]: order.created_at } });
  };

  it('accepts our spelling payment_id, in a form body too', async () => {
    const w = aWorld();
    issuedOrder(w);
    w.gateway.add(aPayment({ api: 'v2', imp_uid: V2_PAYMENT_ID }));
    const form = httpEvent({
      method: 'POST',
      path: '/v2/payments/complete',
      body: `payment_id=${V2_PAYMENT_ID}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    const answer = jsonAnswer(await build(w)(form));

    expect(answer).toEqual({ statusCode: 200, body: { status: 'success', order: view({}) } });
    expect(w.store.get('order-1')?.attempts[V2_PAYMENT_ID]).toMatchObject({ api: 'v2' });
  });

  it('answers 503 not_configured, asking PortOne nothing, while V2 is not configured', async () => {
    const w = aWorld();
    issuedOrder(w);

    const answer = jsonAnswer(await build(w, false)(v2Request({ paymentId: V2_PAYMENT_ID })));

    expect(answer).toEqual({
      statusCode: 503,
      body: {
        status: 'not_configured',
        message:
          'PortOne V2 is not configured: set PORTONE_V2_API_SECRET and PORTONE_V2_WEBHOOK_SECRET',
      },
    });
    expect(w.gateway.calls).toEqual([]);
  });

  it('still serves V1 on its own route while V2 is not configured', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());

    const answer = jsonAnswer(
      await build(w, false)(request({ imp_uid: 'imp_100000000001', merchant_uid: 'order-1' })),
    );

    expect(answer).toMatchObject({ statusCode: 200, body: { status: 'success' } });
  });
});

describe('POST /payments/complete', () => {
  it('reads a form body labelled application/json, as the seeds’ jQuery example sends it', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());
    const form = httpEvent({
      method: 'POST',
      path: '/payments/complete',
      body: 'imp_uid=imp_100000000001&merchant_uid=order-1',
      headers: { 'content-type': 'application/json' },
    });

    const answer = jsonAnswer(await build(w)(form));

    expect(answer).toEqual({ statusCode: 200, body: { status: 'success', order: view({}) } });
  });

  it('answers a late failed attempt on a paid order with success', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());
    await build(w)(request({ imp_uid: 'imp_100000000001', merchant_uid: 'order-1' }));
    w.gateway.add(
      aPayment({ imp_uid: 'imp_100000000009', status: 'failed', paid_at: 0, failed_at: T0 + 30 }),
    );

    const late = jsonAnswer(
      await build(w)(request({ imp_uid: 'imp_100000000009', merchant_uid: 'order-1' })),
    );

    expect(late).toMatchObject({ statusCode: 200, body: { status: 'success' } });
  });

  it('names every problem of a body without valid ids', async () => {
    const answer = jsonAnswer(
      await build(aWorld())(
        httpEvent({ method: 'POST', path: '/payments/complete', body: '{"imp_uid": 1}' }),
      ),
    );

    expect(answer).toEqual({
      statusCode: 400,
      body: {
        status: 'invalid_request',
        message: 'invalid request: imp_uid must be a string; merchant_uid is required',
        issues: [
          { path: 'imp_uid', message: 'imp_uid must be a string' },
          { path: 'merchant_uid', message: 'merchant_uid is required' },
        ],
      },
    });
  });

  it('logs each answer with the route and request id', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());

    await build(w)(request({ imp_uid: 'imp_100000000001', merchant_uid: 'order-1' }));

    expect(w.log.lines.filter((line) => line.message === 'complete answered')).toEqual([
      {
        level: 'info',
        message: 'complete answered',
        route: 'complete',
        api: 'v1',
        api_request_id: REQUEST_ID,
        merchant_uid: 'order-1',
        imp_uid: 'imp_100000000001',
        result: 'recorded',
        answer: '200 success',
      },
    ]);
  });
});
