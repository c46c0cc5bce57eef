import { describe, expect, it } from 'vitest';
import {
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
import { LOG_LINES } from '../../../../../functions/domain/model/log-lines';
import {
  type RefundRequest,
  refundOrder,
} from '../../../../../functions/domain/use-cases/refund-order';
import { verifyPayment } from '../../../../../functions/domain/use-cases/verify-payment';
import { PORTONE_MESSAGES } from '../../../../fakes/payment-gateway';
import { aPayment, T0 } from '../../../../support/payments';
import { aWorld } from '../../../../support/world';

const IMP = 'imp_100000000001';
const ask = (fields: Partial<RefundRequest> = {}): RefundRequest => ({
  requestId: 'r-1',
  reason: 'customer asked',
  amount: null,
  refundAccount: null,
  ...fields,
});

/** An order paid 1000 and confirmed by the webhook. */
const paidOrder = async (payment = aPayment()) => {
  const w = aWorld();
  w.registered(1000);
  w.gateway.add(payment);
  await verifyPayment(w.deps, { impUid: IMP, merchantUid: 'order-1' }, 'webhook');
  w.gateway.calls.length = 0;
  w.clock.advance(60_000);
  return w;
};

const cancelsSent = (w: Awaited<ReturnType<typeof paidOrder>>) =>
  w.gateway.callsOf('cancelPayment').map(({ request }) => [request.amount, request.checksum]);

describe('refundOrder', () => {
  it('refunds the whole balance and answers done once PortOne shows it', async () => {
    const w = await paidOrder();

    const result = await refundOrder(w.deps, 'order-1', ask());

    expect(w.gateway.callsOf('cancelPayment').map(({ request }) => request)).toEqual([
      { impUid: IMP, amount: 1000, checksum: 1000, reason: 'customer asked', enableWebhook: true },
    ]);
    expect(result).toMatchObject({
      kind: 'done',
      order: { status: 'cancelled' },
      refund: { request_id: 'r-1', state: 'done', amount: 1000, balance: 1000, tries: 1 },
    });
  });

  it('refunds part of the balance, then the next part with the balance left as checksum', async () => {
    const w = await paidOrder();

    const first = await refundOrder(w.deps, 'order-1', ask({ amount: 300 }));
    const second = await refundOrder(w.deps, 'order-1', ask({ requestId: 'r-2', amount: 200 }));

    expect(cancelsSent(w)).toEqual([
      [300, 1000],
      [200, 700],
    ]);
    expect([first.kind, second.kind]).toEqual(['done', 'done']);
    expect(second).toMatchObject({ order: { status: 'partially_cancelled' } });
    expect(w.gateway.payment(IMP).cancel_amount).toBe(500);
  });

  it('refuses more than the refundable balance without calling PortOne', async () => {
    const w = await paidOrder();

    const result = await refundOrder(w.deps, 'order-1', ask({ amount: 5000 }));

    expect(result).toEqual({
      kind: 'conflict',
      message: 'amount 5000 is more than the refundable balance 1000',
    });
    expect(w.gateway.calls).toEqual([]);
  });

  it('refuses an order with nothing to refund', async () => {
    const w = aWorld();
    w.registered(1000);

    expect(await refundOrder(w.deps, 'order-1', ask())).toEqual({
      kind: 'conflict',
      message: 'nothing to refund: order order-1 is pending',
    });
  });

  it('throws NotFoundError for an order never registered', async () => {
    await expect(refundOrder(aWorld().deps, 'nope', ask())).rejects.toThrow(
      new NotFoundError('order nope is not registered'),
    );
  });

  it('answers a repeated request_id with the same refund and never refunds twice', async () => {
    const w = await paidOrder();
    await refundOrder(w.deps, 'order-1', ask());

    const repeat = await refundOrder(w.deps, 'order-1', ask());

    expect(repeat).toMatchObject({ kind: 'done', refund: { request_id: 'r-1' } });
    expect(cancelsSent(w)).toEqual([[1000, 1000]]);
  });

  it('refuses a request_id reused with other terms', async () => {
    const w = await paidOrder();
    await refundOrder(w.deps, 'order-1', ask());

    expect(await refundOrder(w.deps, 'order-1', ask({ amount: 10 }))).toEqual({
      kind: 'conflict',
      message:
        'request_id r-1 was used for another refund (amount the whole balance, reason "customer asked")',
    });
  });

  it('refuses a second refund while the first is under way', async () => {
    const w = await paidOrder();
    w.gateway.approveCancelsLater(IMP);
    await refundOrder(w.deps, 'order-1', ask({ amount: 100 }));

    expect(await refundOrder(w.deps, 'order-1', ask({ requestId: 'r-2' }))).toEqual({
      kind: 'conflict',
      message:
        'refund r-1 of this payment is still under way; repeat it to follow it, and ask again once it has ended',
    });
  });

  it('answers rejected, and raises the alarm, when PortOne refuses for good', async () => {
    const w = await paidOrder();
    w.gateway.failNext(
      'cancelPayment',
      new UpstreamRejectedError(PORTONE_MESSAGES.cancelUnsupported, 1),
    );

    const result = await refundOrder(w.deps, 'order-1', ask());

    expect(result).toMatchObject({
      kind: 'rejected',
      order: { status: 'paid' },
      refund: { state: 'rejected', message: PORTONE_MESSAGES.cancelUnsupported, next_at: null },
    });
    expect(w.log.lines.filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        message: LOG_LINES.cancellationRejected,
        imp_uid: IMP,
        amount: 1000,
        kind: 'cancel',
        slot: 'refund',
        error: PORTONE_MESSAGES.cancelUnsupported,
      },
    ]);
  });

  it('answers failed for a temporary refusal, and sends it again when the merchant repeats', async () => {
    const w = await paidOrder();
    w.gateway.failNext('cancelPayment', new UpstreamRejectedError(PORTONE_MESSAGES.cancelLater, 1));

    const first = await refundOrder(w.deps, 'order-1', ask());
    const repeat = await refundOrder(w.deps, 'order-1', ask());

    expect(first).toMatchObject({
      kind: 'failed',
      refund: { state: 'failed', message: PORTONE_MESSAGES.cancelLater },
    });
    expect(repeat).toMatchObject({ kind: 'done', refund: { tries: 2 } });
    expect(cancelsSent(w)).toEqual([
      [1000, 1000],
      [1000, 1000],
    ]);
  });

  it('answers failed while PortOne is unreachable', async () => {
    const w = await paidOrder();
    w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('PortOne answered 503'));

    const result = await refundOrder(w.deps, 'order-1', ask());

    expect(result).toMatchObject({
      kind: 'failed',
      refund: { state: 'failed', message: 'UpstreamUnavailableError: PortOne answered 503' },
    });
    expect(w.gateway.payment(IMP).cancel_amount).toBe(0);
  });

  it('does not send again a refund whose answer was lost: PortOne shows it done', async () => {
    const w = await paidOrder();
    w.gateway.loseNextAnswer('cancelPayment', new UpstreamUnavailableError('socket hang up'));
    await refundOrder(w.deps, 'order-1', ask());

    const repeat = await refundOrder(w.deps, 'order-1', ask());

    expect(repeat).toMatchObject({ kind: 'done', order: { status: 'cancelled' } });
    expect(cancelsSent(w)).toEqual([[1000, 1000]]);
    expect(w.gateway.payment(IMP).cancel_amount).toBe(1000);
  });

  it('answers requested until the PG approves a cancel it accepted, then done', async () => {
    const w = await paidOrder();
    w.gateway.approveCancelsLater(IMP);

    const accepted = await refundOrder(w.deps, 'order-1', ask());
    const stillWaiting = await refundOrder(w.deps, 'order-1', ask());
    w.gateway.applyLateCancels(IMP);
    const approved = await refundOrder(w.deps, 'order-1', ask());

    expect([accepted.kind, stillWaiting.kind, approved.kind]).toEqual([
      'requested',
      'requested',
      'done',
    ]);
    expect(accepted).toMatchObject({ refund: { accepted: true } });
    expect(cancelsSent(w)).toEqual([[1000, 1000]]);
  });

  it('sends a paid virtual account’s refund to the buyer’s account, then forgets the account', async () => {
    const w = await paidOrder(aPayment({ pay_method: 'vbank' }));
    const account = { holder: '홍길동', bank: '088', account: '110-123-456789', tel: null };

    const result = await refundOrder(w.deps, 'order-1', ask({ refundAccount: account }));

    expect(w.gateway.callsOf('cancelPayment').map(({ request }) => request.refundAccount)).toEqual([
      account,
    ]);
    expect(result).toMatchObject({ kind: 'done', refund: { refund_account: null } });
  });

  it('retries with the balance PortOne shows when a console refund moved it, then refuses too much and raises the alarm', async () => {
    const w = await paidOrder();
    w.gateway.update(IMP, { status: 'cancelled', cancel_amount: 200, cancelled_at: T0 + 200 });

    const first = await refundOrder(w.deps, 'order-1', ask());
    const repeat = await refundOrder(w.deps, 'order-1', ask());

    expect(first).toMatchObject({
      kind: 'failed',
      order: { status: 'partially_cancelled' },
      refund: { message: PORTONE_MESSAGES.checksum(800, 1000) },
    });
    expect(repeat).toMatchObject({
      kind: 'rejected',
      refund: { message: 'the refundable balance is now 800, less than the 1000 asked' },
    });
    expect(cancelsSent(w)).toEqual([[1000, 1000]]);
    // A refund that ends rejected, wherever it ends, raises the alarm a person acts on.
    expect(w.log.lines.filter((line) => line.level === 'error')).toEqual([
      {
        level: 'error',
        message: LOG_LINES.cancellationRejected,
        imp_uid: IMP,
        amount: 1000,
        kind: 'cancel',
        slot: 'refund',
        error: 'the refundable balance is now 800, less than the 1000 asked',
      },
    ]);
  });
});
