import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../functions/domain/use-cases/reconcile';
import { verificationDeps } from '../../functions/runtime/deps';
import { type Harness, startHarness, uid } from './support/harness';

/**
 * docs/design.md §2.1: a duplicate payment is cancelled only while another
 * payment of the order still holds the order's money, as PortOne shows it
 * at that moment. We never refund the last payment that pays an order.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.control.clearFaults());

const MINUTE = 60_000;
const reconcileIn = (ms: number) =>
  reconcile({ ...verificationDeps(h.runtime), clock: () => new Date(Date.now() + ms) });

/** Order paid twice: A first, B 20 seconds later. */
const paidTwice = async (amount = 12000) => {
  const order = uid();
  await h.registerOrder(order, amount);
  const first = await h.control.createPayment({ merchant_uid: order, amount, state: 'paid' });
  await h.control.advanceClock(20);
  const second = await h.control.createPayment({ merchant_uid: order, amount, state: 'paid' });
  return { order, first, second };
};

describe('a duplicate payment', () => {
  it('is not refunded once the first payment was refunded meanwhile: it pays the order instead', async () => {
    // Prepare: both payments known; our cancel of B fails
    const { order, first, second } = await paidTwice();
    await h.control.sendWebhook({ imp_uid: first.imp_uid });
    await h.control.injectFault({ route: 'cancel', kind: 'status', status: 503, times: 1 });
    await h.control.sendWebhook({ imp_uid: second.imp_uid });

    // Act: support refunds A in the console, its webhook arrives; then our retry runs
    await h.control.advanceClock(60);
    await h.control.consoleCancel(first.imp_uid, { reason: '고객 요청' });
    await h.control.sendWebhook({ imp_uid: first.imp_uid, status: 'cancelled' });
    await h.control.sendWebhook({ imp_uid: second.imp_uid });
    await reconcileIn(11 * MINUTE);

    // Assess: B still holds the money and is the order's payment
    expect(await h.control.getPayment(second.imp_uid)).toMatchObject({
      status: 'paid',
      cancel_amount: 0,
    });
    const view = await h.order(order);
    expect(view).toMatchObject({ status: 'paid', imp_uid: second.imp_uid });
    expect(view.attempts.find((a) => a.imp_uid === second.imp_uid)).toMatchObject({
      verdict: 'ok',
      current: true,
    });
  });

  it('is refunded as soon as both are known while the first still holds the money', async () => {
    const { order, first, second } = await paidTwice();

    await h.control.sendWebhook({ imp_uid: second.imp_uid });
    await h.control.sendWebhook({ imp_uid: first.imp_uid });

    expect(await h.control.getPayment(second.imp_uid)).toMatchObject({ cancel_amount: 12000 });
    expect(await h.control.getPayment(first.imp_uid)).toMatchObject({ cancel_amount: 0 });
    expect(await h.order(order)).toMatchObject({ status: 'paid', imp_uid: first.imp_uid });
  });
});
