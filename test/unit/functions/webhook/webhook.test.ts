import { describe, expect, it } from 'vitest';
import { IMP_UID_MESSAGE } from '../../../../functions/domain/model/ids';
import { LOG_LINES } from '../../../../functions/domain/model/log-lines';
import { createWebhookHandler } from '../../../../functions/webhook/webhook';
import { httpEvent, jsonAnswer, REQUEST_ID } from '../../../support/http-event';
import { aPayment } from '../../../support/payments';
import { aWorld, type World } from '../../../support/world';
import { type EntryPoint, verificationSuite } from '../verification-suite';

const PORTONE_IP = '52.78.100.19';

const build = (world: World, allowedIps: string[] = []) =>
  createWebhookHandler({ verification: world.deps, log: world.log, allowedIps });

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
    unknownPayment: ok('ignored', 'PortOne does not know this imp_uid'),
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
