import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENT_ID_PATTERN } from '../../functions/domain/model/ids';
import { verifyPayment } from '../../functions/domain/use-cases/verify-payment';
import { verificationDeps } from '../../functions/runtime/deps';
import { type Harness, startHarness, uid } from './support/harness';

let h: Harness;
let v1Only: Harness;
beforeAll(async () => {
  [h, v1Only] = await Promise.all([
    startHarness({ v2: true, env: { PORTONE_PREPARE: 'true' } }),
    startHarness(),
  ]);
});
afterAll(() => Promise.all([h.close(), v1Only.close()]));

const storedIds = async (merchantUid: string) => {
  const item = await h.rawItem(`ORDER#${merchantUid}`);
  return Object.keys((item?.payment_ids as Record<string, string> | undefined) ?? {}).sort();
};

describe('POST /orders/{merchant_uid}/payments', () => {
  it('answers 201 with a new id per call; two concurrent calls store two distinct ids', async () => {
    const order = uid();
    await h.registerOrder(order, 25000);

    const answers = await Promise.all([h.issuePaymentId(order), h.issuePaymentId(order, '{}')]);
    const bodies = await Promise.all(answers.map((a) => a.json()));

    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    for (const body of bodies) {
      expect(body).toEqual({
        payment_id: expect.stringMatching(PAYMENT_ID_PATTERN),
        merchant_uid: order,
        amount: 25000,
        currency: 'KRW',
      });
    }
    const ids = bodies.map((b) => b.payment_id as string).sort();
    expect(new Set(ids).size).toBe(2);
    expect(await storedIds(order)).toEqual(ids);
  });

  it('pre-registers each id at PortOne V2 with the order amount and currency', async () => {
    const order = uid();
    await h.registerOrder(order, 18000);

    const { payment_id } = await (await h.issuePaymentId(order)).json();

    expect(await h.control.v2.getPreRegistration(payment_id)).toMatchObject({
      paymentId: payment_id,
      totalAmount: 18000,
      currency: 'KRW',
    });
  });

  it('answers 502 while PortOne V2 is down, the id stored but unanswered', async () => {
    const order = uid();
    await h.registerOrder(order, 5000);
    await h.control.injectFault({ route: 'v2.preRegister', kind: 'status', status: 503, times: 5 });

    const failed = await h.issuePaymentId(order);
    await h.control.clearFaults(); // the client's retries need not use them all

    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({ status: 'upstream_error' });
    expect(await storedIds(order)).toHaveLength(1);
  });

  it('answers 404 for an unknown order, 400 for a malformed merchant_uid', async () => {
    const unknown = await h.issuePaymentId(uid());
    const malformed = await h.issuePaymentId('not%20valid');

    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: 'not_found' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ status: 'invalid_request' });
  });

  it('accepts a payment made at PortOne under an issued id, then refuses new ids for the paid order', async () => {
    const order = uid();
    await h.registerOrder(order, 12000);
    const { payment_id } = await (await h.issuePaymentId(order)).json();
    await h.control.v2.createPayment({ paymentId: payment_id, amount: 12000, state: 'paid' });

    const result = await verifyPayment(
      verificationDeps(h.runtime),
      { impUid: payment_id, merchantUid: order },
      'webhook',
    );
    const view = await h.order(order);
    const again = await h.issuePaymentId(order);

    expect(result).toMatchObject({ kind: 'recorded', outcome: 'applied' });
    expect(view).toMatchObject({ status: 'paid', imp_uid: null, payment_id });
    expect(view.attempts).toMatchObject([{ api: 'v2', imp_uid: null, payment_id, current: true }]);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      status: 'conflict',
      message: expect.stringContaining('already paid'),
    });
  });

  it('answers 503 not_configured without PortOne V2, naming its variables', async () => {
    const order = uid();
    await v1Only.registerOrder(order, 1000);

    const answer = await v1Only.issuePaymentId(order);

    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({
      status: 'not_configured',
      message: expect.stringMatching(/PORTONE_V2_API_SECRET.*PORTONE_V2_WEBHOOK_SECRET/),
    });
  });
});
