import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPortOneClient } from '../../../../../functions/adapters/portone';
import { createPortOneV2Client } from '../../../../../functions/adapters/portone-v2/client';
import { withV2 } from '../../../../../functions/adapters/portone-v2/gateway';
import {
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_V2_API_SECRET,
  type RunningSimulator,
  startPortOneSimulator,
} from '../../../../../simulator/portone';

const PAYMENT_ID = 'order-7.a1b2c3d4e5f6g7h8';

/** One gateway for both APIs against the real simulator over HTTP, as functions/runtime/deps.ts wires it. */
describe('the gateway for both PortOne APIs', () => {
  let sim: RunningSimulator;
  const gateway = (v2 = true) =>
    withV2(
      createPortOneClient({
        baseUrl: sim.url,
        credentials: { apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_API_SECRET },
      }),
      v2 ? createPortOneV2Client({ baseUrl: sim.v2Url, secret: DEFAULT_V2_API_SECRET }) : null,
    );

  beforeAll(async () => {
    sim = await startPortOneSimulator({ quiet: true });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await sim.control.reset();
  });

  it('reads an issued V2 payment id through V2, in the domain’s words, for the order it was issued for', async () => {
    await sim.control.v2.createPayment({ paymentId: PAYMENT_ID, amount: 15000, state: 'paid' });

    const payment = await gateway().getPayment(PAYMENT_ID);

    expect(payment).toMatchObject({
      api: 'v2',
      imp_uid: PAYMENT_ID,
      merchant_uid: 'order-7',
      status: 'paid',
      amount: 15000,
      cancel_amount: 0,
      currency: 'KRW',
      sandbox: false,
      pay_method: 'card',
    });
    expect(payment.paid_at).toBeGreaterThan(0);
    expect(payment.changed_at).toBeGreaterThanOrEqual(payment.paid_at);
  });

  it('reads every other id through V1', async () => {
    const v1 = await sim.control.createPayment({
      merchant_uid: 'order-7',
      amount: 1000,
      state: 'paid',
    });

    const payment = await gateway().getPayment(v1.imp_uid);

    expect(payment).toMatchObject({ api: 'v1', imp_uid: v1.imp_uid, merchant_uid: 'order-7' });
  });

  it('answers NotFoundError for an issued id PortOne V2 never saw', async () => {
    await expect(gateway().getPayment(PAYMENT_ID)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('cancels through V2 with the balance as currentCancellableAmount, then shows the payment', async () => {
    await sim.control.v2.createPayment({ paymentId: PAYMENT_ID, amount: 15000, state: 'paid' });

    const after = await gateway().cancelPayment({
      impUid: PAYMENT_ID,
      amount: 5000,
      checksum: 15000,
      reason: 'customer asked',
    });

    expect(after).toMatchObject({
      api: 'v2',
      status: 'cancelled',
      amount: 15000,
      cancel_amount: 5000,
    });
  });

  it('passes V2’s refusal of a stale balance on as an UpstreamRejectedError with its type', async () => {
    await sim.control.v2.createPayment({ paymentId: PAYMENT_ID, amount: 15000, state: 'paid' });

    const refusal = await gateway()
      .cancelPayment({ impUid: PAYMENT_ID, amount: 5000, checksum: 9000, reason: 'x' })
      .catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(UpstreamRejectedError);
    expect((refusal as UpstreamRejectedError).portoneCode).toBe(
      'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN',
    );
    expect((await sim.control.v2.getPayment(PAYMENT_ID)).status).toBe('PAID');
  });

  it('refuses to revoke a V2 virtual account, which V2 cannot close by API', async () => {
    const refusal = await gateway()
      .revokeVbank(PAYMENT_ID)
      .catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(UpstreamRejectedError);
    expect((refusal as UpstreamRejectedError).portoneCode).toBe(
      'V2_VIRTUAL_ACCOUNT_CLOSE_UNSUPPORTED',
    );
  });

  it('answers a V2 id like an outage while V2 is not configured, so that it is retried', async () => {
    await expect(gateway(false).getPayment(PAYMENT_ID)).rejects.toBeInstanceOf(
      UpstreamUnavailableError,
    );
  });
});
