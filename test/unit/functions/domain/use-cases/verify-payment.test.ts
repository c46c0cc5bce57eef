import { describe, expect, it } from 'vitest';
import {
  StorageUnavailableError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
import { LOG_LINES } from '../../../../../functions/domain/model/log-lines';
import { verifyPayment } from '../../../../../functions/domain/use-cases/verify-payment';
import { anIssuedVbank, aPayment, T0 } from '../../../../support/payments';
import { aWorld } from '../../../../support/world';

const IMP = 'imp_100000000001';
const claim = { impUid: IMP, merchantUid: 'order-1' };
const linesAbout = (lines: { message: string }[], message: string) =>
  lines.filter((line) => line.message === message);

describe('verifyPayment', () => {
  it('records a genuine paid payment as the order’s confirmed payment', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment());

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(result).toMatchObject({ kind: 'recorded', outcome: 'applied' });
    expect(w.store.get('order-1')).toMatchObject({ status: 'paid', final: true, imp_uid: IMP });
    expect(w.gateway.calls).toEqual([{ method: 'getPayment', impUid: IMP }]);
  });

  it('answers unknown_payment and writes nothing when PortOne does not know the imp_uid', async () => {
    const w = aWorld();
    w.registered();

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(result).toEqual({ kind: 'unknown_payment' });
    expect(w.store.writes).toBe(0);
  });

  it.each([
    ['unreachable', new UpstreamUnavailableError('PortOne answered 503')],
    ['refusing our credentials', new UpstreamUnauthorizedError('a fresh token was refused too')],
  ])(
    'propagates PortOne being %s, so that the caller answers 5xx, and writes nothing',
    async (_, error) => {
      const w = aWorld();
      w.registered();
      w.gateway.add(aPayment());
      w.gateway.failNext('getPayment', error);

      await expect(verifyPayment(w.deps, claim, 'webhook')).rejects.toBe(error);
      expect(w.store.writes).toBe(0);
    },
  );

  it('propagates a storage failure after the lookup', async () => {
    const w = aWorld();
    w.registered();
    w.gateway.add(aPayment());
    const error = new StorageUnavailableError('DynamoDB UpdateItem failed: ThrottlingException');
    w.store.failNext('recordObservation', error);

    await expect(verifyPayment(w.deps, claim, 'webhook')).rejects.toBe(error);
  });

  it('treats an answer without the sandbox flag in live mode as PortOne unreachable', async () => {
    const w = aWorld();
    w.registered();
    w.gateway.add(aPayment({ sandbox: null }));

    await expect(verifyPayment(w.deps, claim, 'webhook')).rejects.toThrow(UpstreamUnavailableError);
    expect(w.store.writes).toBe(0);
    expect(w.gateway.callsOf('cancelPayment')).toEqual([]);
    expect(
      linesAbout(w.log.lines, 'PortOne answer without the sandbox flag; not verified'),
    ).toEqual([
      {
        level: 'warn',
        message: 'PortOne answer without the sandbox flag; not verified',
        imp_uid: IMP,
      },
    ]);
  });

  it('accepts an answer without the sandbox flag in test mode', async () => {
    const w = aWorld({ mode: 'test' });
    w.registered();
    w.gateway.add(aPayment({ sandbox: null }));

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(result).toMatchObject({ kind: 'recorded', order: { status: 'paid' } });
  });

  it('cancels a forged payment whose amount was tampered with, for its whole balance', async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(w.gateway.callsOf('cancelPayment')).toEqual([
      {
        method: 'cancelPayment',
        request: {
          impUid: IMP,
          amount: 100,
          checksum: 100,
          reason: 'Payment verification failed (amount_mismatch)',
          enableWebhook: true,
        },
      },
    ]);
    expect(w.gateway.payment(IMP)).toMatchObject({ status: 'cancelled', cancel_amount: 100 });
    expect(result).toMatchObject({
      kind: 'recorded',
      outcome: 'applied',
      cancellationUnreachable: false,
      order: { status: 'forgery' },
      attempt: {
        verdict: 'forgery',
        forgery_reason: 'amount_mismatch',
        status: 'cancelled',
        cancellation: { state: 'done', kind: 'cancel', amount: 100, balance: 100, tries: 1 },
      },
    });
    expect(linesAbout(w.log.lines, LOG_LINES.forgeryDetected)).toEqual([
      {
        level: 'warn',
        message: LOG_LINES.forgeryDetected,
        forgery_reason: 'amount_mismatch',
        outcome: 'applied',
      },
    ]);
  });

  it.each([
    ['another currency', aPayment({ currency: 'USD' }), 'currency_mismatch'],
    ['a test channel in live mode', aPayment({ sandbox: true }), 'sandbox_in_live_mode'],
  ])('judges a payment on %s a forgery and cancels it', async (_, payment, reason) => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(payment);

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(result).toMatchObject({ attempt: { verdict: 'forgery', forgery_reason: reason } });
    expect(w.gateway.callsOf('cancelPayment').map((call) => call.request.amount)).toEqual([1000]);
  });

  it('revokes a forged virtual account before anything is deposited', async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(anIssuedVbank({ amount: 500 }));

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(w.gateway.calls.map((call) => call.method)).toEqual(['getPayment', 'revokeVbank']);
    expect(result).toMatchObject({
      order: { status: 'forgery' },
      attempt: { cancellation: { state: 'done', kind: 'revoke', amount: 500 } },
    });
  });

  it('leaves a forgery to a person when automatic cancellation is off', async () => {
    const w = aWorld({ autoCancelForgery: false });
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(w.gateway.callsOf('cancelPayment')).toEqual([]);
    expect(result).toMatchObject({
      attempt: {
        cancellation: {
          state: 'rejected',
          amount: 100,
          message:
            'automatic cancellation is off (AUTO_CANCEL_FORGERY=false): refund this payment in the PortOne console',
        },
      },
    });
    expect(
      linesAbout(w.log.lines, 'automatic cancellation is off; a person must refund the payment'),
    ).toHaveLength(1);
  });

  it('says a cancellation could not reach PortOne, so that the delivery is repeated', async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));
    w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('PortOne answered 503'));

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(result).toMatchObject({
      cancellationUnreachable: true,
      attempt: {
        cancellation: {
          state: 'failed',
          message: 'UpstreamUnavailableError: PortOne answered 503',
        },
      },
    });
    expect(w.gateway.payment(IMP).cancel_amount).toBe(0);
  });

  it('finishes the failed cancellation on the next delivery, with the balance PortOne shows', async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));
    w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('PortOne answered 503'));
    await verifyPayment(w.deps, claim, 'webhook');
    w.clock.advance(1_000);

    const repeat = await verifyPayment(w.deps, claim, 'webhook');

    expect(repeat).toMatchObject({
      outcome: 'duplicate',
      cancellationUnreachable: false,
      attempt: { cancellation: { state: 'done', tries: 2 } },
    });
    expect(
      w.gateway.callsOf('cancelPayment').map(({ request }) => [request.amount, request.checksum]),
    ).toEqual([
      [100, 100],
      [100, 100],
    ]);
    expect(w.gateway.payment(IMP).cancel_amount).toBe(100);
  });

  it('confirms the cancelled forgery on the next delivery, then answers duplicate, cancelling once', async () => {
    const w = aWorld();
    w.registered(30000);
    w.gateway.add(aPayment({ amount: 100 }));
    await verifyPayment(w.deps, claim, 'webhook');

    const second = await verifyPayment(w.deps, claim, 'webhook');
    const third = await verifyPayment(w.deps, claim, 'webhook');

    expect(second).toMatchObject({
      outcome: 'applied',
      attempt: { status: 'cancelled', final: true },
    });
    expect(third).toMatchObject({ kind: 'recorded', outcome: 'duplicate' });
    expect(w.gateway.callsOf('cancelPayment')).toHaveLength(1);
  });

  it('answers stale for an observation older than the one stored', async () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(aPayment({ status: 'cancelled', cancel_amount: 1000, cancelled_at: T0 + 60 }));
    await verifyPayment(w.deps, claim, 'webhook');
    w.gateway.add(aPayment());

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(result).toMatchObject({ outcome: 'stale', order: { status: 'cancelled' } });
  });

  it('writes nothing and cancels nothing for a payment presented with another order', async () => {
    const w = aWorld();
    w.registered(1000, 'order-1');
    w.registered(90000, 'order-2');
    w.gateway.add(aPayment({ merchant_uid: 'order-2', amount: 90000 }));

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(result).toMatchObject({ kind: 'merchant_mismatch' });
    expect(w.store.writes).toBe(0);
    expect(w.gateway.callsOf('cancelPayment')).toEqual([]);
    expect(linesAbout(w.log.lines, LOG_LINES.merchantMismatch)).toEqual([
      { level: 'warn', message: LOG_LINES.merchantMismatch, payment_merchant_uid: 'order-2' },
    ]);
  });

  it('keeps a real payment for an order never registered as an orphan', async () => {
    const w = aWorld();
    w.gateway.add(aPayment());

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(result).toMatchObject({ kind: 'orphan', payment: { imp_uid: IMP } });
    expect(w.store.orphans.get(IMP)).toMatchObject({ source: 'webhook', final: true });
    expect(w.store.get('order-1')).toBeUndefined();
  });

  it('gives each PortOne call the time left in the request, less the storage reserve', async () => {
    const w = aWorld();
    w.registered();
    w.gateway.add(aPayment());

    await verifyPayment({ ...w.deps, budget: { remainingMs: () => 5_000 } }, claim, 'webhook');

    expect(w.gateway.callOptions).toEqual([{ timeLimitMs: 4_000 }]);
  });
});

describe('verifyPayment with two paid payments for one order', () => {
  const FIRST = 'imp_100000000001';
  const SECOND = 'imp_100000000002';
  const twoPayments = () => {
    const w = aWorld();
    w.registered(1000);
    w.gateway.add(
      aPayment({ imp_uid: FIRST }),
      aPayment({ imp_uid: SECOND, started_at: T0 + 40, paid_at: T0 + 50 }),
    );
    return w;
  };

  it('cancels the second payment once PortOne shows the first still holds the money', async () => {
    const w = twoPayments();
    await verifyPayment(w.deps, { impUid: FIRST, merchantUid: 'order-1' }, 'webhook');
    w.gateway.calls.length = 0;

    const result = await verifyPayment(
      w.deps,
      { impUid: SECOND, merchantUid: 'order-1' },
      'webhook',
    );

    expect(w.gateway.calls).toEqual([
      { method: 'getPayment', impUid: SECOND },
      { method: 'getPayment', impUid: FIRST },
      {
        method: 'cancelPayment',
        request: {
          impUid: SECOND,
          amount: 1000,
          checksum: 1000,
          reason: 'Duplicate payment for an order that is already paid',
          enableWebhook: true,
        },
      },
    ]);
    expect(result).toMatchObject({
      order: { status: 'paid', imp_uid: FIRST },
      attempt: { status: 'cancelled', cancellation: { state: 'done' } },
    });
    expect(linesAbout(w.log.lines, LOG_LINES.duplicatePayment)).toEqual([
      {
        level: 'warn',
        message: LOG_LINES.duplicatePayment,
        current_imp_uid: FIRST,
        outcome: 'applied',
      },
    ]);
  });

  it('never refunds the last payment: the duplicate pays the order once the first was refunded', async () => {
    const w = twoPayments();
    await verifyPayment(w.deps, { impUid: FIRST, merchantUid: 'order-1' }, 'webhook');
    w.gateway.update(FIRST, { status: 'cancelled', cancel_amount: 1000, cancelled_at: T0 + 60 });

    const result = await verifyPayment(
      w.deps,
      { impUid: SECOND, merchantUid: 'order-1' },
      'webhook',
    );

    expect(w.gateway.callsOf('cancelPayment')).toEqual([]);
    expect(result).toMatchObject({
      order: { status: 'paid', imp_uid: SECOND },
      attempt: { verdict: 'ok', cancellation: null },
    });
  });
});
