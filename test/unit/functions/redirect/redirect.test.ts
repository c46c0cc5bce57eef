import { describe, expect, it } from 'vitest';
import { createRedirectHandler } from '../../../../functions/redirect/redirect';
import { httpEvent, redirectAnswer } from '../../../support/http-event';
import { aPayment } from '../../../support/payments';
import { aWorld, type World } from '../../../support/world';
import { type EntryPoint, V2_PAYMENT_ID, verificationSuite } from '../verification-suite';

const RESULT_PAGE_URL = 'https://shop.example/payments/result';

const build = (world: World, v2 = true) =>
  createRedirectHandler({
    verification: world.deps,
    resultPageUrl: RESULT_PAGE_URL,
    log: world.log,
    v2,
  });

const request = (query: string) => httpEvent({ method: 'GET', path: '/payments/complete', query });

/** The result page, told the order and one status word; nothing else is ever possible. */
const page = (status: string, merchantUid: string | null = 'order-1') => ({
  statusCode: 302,
  page: RESULT_PAGE_URL,
  query: (merchantUid ? { merchant_uid: merchantUid, status } : { status }) as Record<
    string,
    string
  >,
});

const redirect: EntryPoint<ReturnType<typeof redirectAnswer>> = {
  name: 'GET /payments/complete',
  build,
  request: (ids) => request(`${new URLSearchParams(ids)}&imp_success=true`),
  read: redirectAnswer,
  confirms: false,
  readsOrderFirst: true,
  expected: {
    paid: page('success'),
    vbankIssued: page('vbankIssued'),
    failed: page('failed'),
    forged: page('forgery'),
    forgedCancelUnreachable: page('forgery'),
    otherOrdersPayment: page('forgery'),
    unknownPayment: page('not_found'),
    unregisteredOrder: page('not_found'),
    // The webhook settles it; the result page polls.
    portoneDown: page('pending'),
    unverifiable: page('pending'),
    storageDown: page('pending'),
    badInput: page('invalid_request'),
  },
};

verificationSuite(redirect);

const v2Request = (query: string) =>
  httpEvent({ method: 'GET', path: '/v2/payments/complete', query });

verificationSuite({
  ...redirect,
  name: 'GET /v2/payments/complete',
  api: 'v2',
  // PortOne V2's redirectUrl return; transactionType, txId and code are its hints, never read.
  request: (ids) =>
    v2Request(`paymentId=${encodeURIComponent(ids.imp_uid)}&transactionType=PAYMENT&txId=tx-1`),
  expected: {
    ...redirect.expected,
    // A malformed id names no order, so none is echoed.
    badInput: page('invalid_request', null),
  },
});

describe('GET /v2/payments/complete', () => {
  it('answers failed without asking PortOne when there is no paymentId', async () => {
    const w = aWorld();

    const answer = redirectAnswer(await build(w)(v2Request('code=FAILURE_TYPE_PG&message=closed')));

    expect(answer).toEqual(page('failed', null));
    expect(w.gateway.calls).toEqual([]);
  });

  it('never trusts code: a paid payment returned with a failure code is success', async () => {
    const w = aWorld();
    const order = w.registered(1000);
    w.store.seed({ ...order, payment_ids: { [V2_PAYMENT_ID]: order.created_at } });
    w.gateway.add(aPayment({ api: 'v2', imp_uid: V2_PAYMENT_ID }));

    const answer = redirectAnswer(
      await build(w)(v2Request(`paymentId=${V2_PAYMENT_ID}&code=FAILURE_TYPE_PG&message=x`)),
    );

    expect(answer).toEqual(page('success'));
  });

  it('answers pending, asking PortOne nothing, while V2 is not configured', async () => {
    const w = aWorld();

    const answer = redirectAnswer(await build(w, false)(v2Request(`paymentId=${V2_PAYMENT_ID}`)));

    expect(answer).toEqual(page('pending'));
    expect(w.gateway.calls).toEqual([]);
  });
});

describe('GET /payments/complete', () => {
  it('answers failed without asking PortOne when there is no imp_uid (the window never opened)', async () => {
    const w = aWorld();
    w.registered(1000);

    const answer = redirectAnswer(
      await build(w)(request('merchant_uid=order-1&imp_success=false&error_msg=closed')),
    );

    expect(answer).toEqual(page('failed'));
    expect(w.gateway.calls).toEqual([]);
    expect(w.store.writes).toBe(0);
  });

  it('never trusts the success flag: a paid payment reported as false is success', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());

    const answer = redirectAnswer(
      await build(w)(
        request('imp_uid=imp_100000000001&merchant_uid=order-1&imp_success=false&error_code=F400'),
      ),
    );

    expect(answer).toEqual(page('success'));
  });

  it('does not echo a malformed merchant_uid', async () => {
    const answer = redirectAnswer(
      await build(aWorld())(request('imp_uid=imp_1&merchant_uid=%3Cscript%3E')),
    );

    expect(answer).toEqual(page('invalid_request', null));
  });

  it('stays on the result page whatever else the query says', async () => {
    const answer = redirectAnswer(
      await build(aWorld())(request('imp_uid=imp_1&merchant_uid=x&redirect=https://evil.example')),
    );

    expect(answer).toEqual(page('not_found', 'x'));
  });

  it('logs why it answered pending', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment({ sandbox: null }));

    await build(w)(request('imp_uid=imp_100000000001&merchant_uid=order-1'));

    expect(
      w.log.lines
        .filter((line) => line.route === 'redirect' && line.level === 'warn')
        .map((line) => line.message),
    ).toEqual([
      'PortOne answer without the sandbox flag; not verified',
      'redirect could not verify; answering pending',
    ]);
  });
});
