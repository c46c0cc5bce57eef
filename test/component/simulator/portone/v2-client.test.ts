import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPortOneV2Client } from '../../../../functions/adapters/portone-v2/client';
import {
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnauthorizedError,
} from '../../../../functions/domain/model/errors';
import {
  DEFAULT_V2_API_SECRET,
  DEFAULT_V2_STORE_ID,
  type RunningSimulator,
} from '../../../../simulator/portone';
import { startSim } from './support';

describe('our PortOne V2 client against the simulator', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await sim.control.reset();
  });

  const client = (secret = DEFAULT_V2_API_SECRET) =>
    createPortOneV2Client({ baseUrl: sim.v2Url, secret, storeId: DEFAULT_V2_STORE_ID });

  it('pre-registers, reads and cancels a payment in a round trip', async () => {
    const v2 = client();
    await v2.preRegister({ paymentId: 'order-1-p1', totalAmount: 15000, currency: 'KRW' });
    await sim.control.v2.createPayment({ paymentId: 'order-1-p1', amount: 15000, state: 'paid' });

    const payment = await v2.getPayment('order-1-p1');
    expect(payment).toMatchObject({
      status: 'PAID',
      id: 'order-1-p1',
      storeId: DEFAULT_V2_STORE_ID,
      channel: { type: 'LIVE' },
      amount: { total: 15000, cancelled: 0 },
      currency: 'KRW',
    });

    const cancellation = await v2.cancelPayment({
      paymentId: 'order-1-p1',
      amount: 5000,
      currentCancellableAmount: 15000,
      reason: 'refund',
    });
    expect(cancellation).toEqual({
      status: 'SUCCEEDED',
      id: expect.any(String),
      totalAmount: 5000,
    });
    expect(await v2.getPayment('order-1-p1')).toMatchObject({
      status: 'PARTIAL_CANCELLED',
      amount: { total: 15000, cancelled: 5000 },
    });
    expect((await sim.control.calls()).map((c) => [c.route, c.status, c.query])).toEqual([
      ['v2.preRegister', 200, ''],
      ['v2.getPayment', 200, `?storeId=${DEFAULT_V2_STORE_ID}`],
      ['v2.cancel', 200, ''],
      ['v2.getPayment', 200, `?storeId=${DEFAULT_V2_STORE_ID}`],
    ]);
  });

  it('reads a virtual account the client keeps', async () => {
    await sim.control.v2.createPayment({
      paymentId: 'o-vb',
      amount: 30000,
      state: 'virtual_account_issued',
    });
    const payment = await client().getPayment('o-vb');
    expect(payment.status).toBe('VIRTUAL_ACCOUNT_ISSUED');
    expect(payment.method).toMatchObject({ type: 'PaymentMethodVirtualAccount', bank: 'SHINHAN' });
  });

  it('maps the simulator’s refusals to the client’s errors', async () => {
    await sim.control.v2.createPayment({ paymentId: 'o-1', amount: 1000, state: 'paid' });
    await expect(client().getPayment('nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client('wrong').getPayment('o-1')).rejects.toBeInstanceOf(
      UpstreamUnauthorizedError,
    );
    const broken = await client()
      .cancelPayment({ paymentId: 'o-1', amount: 100, currentCancellableAmount: 900, reason: 'r' })
      .catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(UpstreamRejectedError);
    expect(broken).toMatchObject({ portoneCode: 'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN' });
    const paidAlready = await client()
      .preRegister({ paymentId: 'o-1', totalAmount: 1000, currency: 'KRW' })
      .catch((e: unknown) => e);
    expect(paidAlready).toMatchObject({ portoneCode: 'ALREADY_PAID' });
  });

  it('retries a read after a simulated gateway error', async () => {
    await sim.control.v2.createPayment({ paymentId: 'o-1', amount: 1000, state: 'paid' });
    await sim.control.injectFault({ route: 'v2.getPayment', kind: 'status', status: 502 });
    expect((await client().getPayment('o-1')).status).toBe('PAID');
    expect((await sim.control.calls()).map((c) => c.status)).toEqual([502, 200]);
  });
});
