// verifyBrowserReport (functions/domain/use-cases/verify-payment.ts): what
// complete and redirect add to the webhook's verification.
import { describe, expect, it } from 'vitest';
import {
  verifyBrowserReport,
  verifyPayment,
} from '../../../../../functions/domain/use-cases/verify-payment';
import { aPayment } from '../../../../support/payments';
import { aWorld } from '../../../../support/world';

const IMP = 'imp_100000000001';
const claim = { impUid: IMP, merchantUid: 'order-1' };

describe('verifyBrowserReport', () => {
  it('answers an order never registered without asking PortOne', async () => {
    const w = aWorld();
    w.gateway.add(aPayment());

    const result = await verifyBrowserReport(w.deps, claim, 'complete');

    expect(result).toEqual({ kind: 'unregistered' });
    expect(w.gateway.calls).toEqual([]);
    expect(w.store.orphans.size).toBe(0);
  });

  it('records a paid payment provisionally', async () => {
    const w = aWorld();
    w.registered();
    w.gateway.add(aPayment());

    const result = await verifyBrowserReport(w.deps, claim, 'redirect');

    expect(result).toMatchObject({
      kind: 'recorded',
      outcome: 'applied',
      order: { status: 'paid', final: false },
    });
    expect(w.store.calls).toEqual(['findOrder', 'recordObservation']);
  });

  it('answers from the order, with no PortOne call and no write, once the webhook confirmed it', async () => {
    const w = aWorld();
    w.registered();
    w.gateway.add(aPayment());
    await verifyPayment(w.deps, claim, 'webhook');
    const writes = w.store.writes;
    w.gateway.calls.length = 0;

    const result = await verifyBrowserReport(w.deps, claim, 'complete');

    expect(result).toMatchObject({
      kind: 'recorded',
      outcome: 'duplicate',
      order: { status: 'paid', final: true },
      cancellationUnreachable: false,
    });
    expect(w.gateway.calls).toEqual([]);
    expect(w.store.writes).toBe(writes);
  });

  it('asks PortOne again while the stored observation is only provisional', async () => {
    const w = aWorld();
    w.registered();
    w.gateway.add(aPayment());
    await verifyBrowserReport(w.deps, claim, 'complete');

    const result = await verifyBrowserReport(w.deps, claim, 'redirect');

    expect(result).toMatchObject({ outcome: 'duplicate' });
    expect(w.gateway.callsOf('getPayment')).toHaveLength(2);
  });

  it('remembers an imp_uid PortOne does not know, so that a repeat costs no lookup', async () => {
    const w = aWorld();
    w.registered();

    const first = await verifyBrowserReport(w.deps, claim, 'complete');
    const second = await verifyBrowserReport(w.deps, claim, 'redirect');

    expect([first, second]).toEqual([{ kind: 'unknown_payment' }, { kind: 'unknown_payment' }]);
    expect(w.gateway.calls).toEqual([{ method: 'getPayment', impUid: IMP }]);
  });

  it('looks the imp_uid up again once the memory forgets it', async () => {
    const w = aWorld();
    w.registered();
    await verifyBrowserReport(w.deps, claim, 'complete');
    w.gateway.add(aPayment());
    w.clock.advance(60_000);

    const result = await verifyBrowserReport(w.deps, claim, 'complete');

    expect(result).toMatchObject({ kind: 'recorded', order: { status: 'paid' } });
  });

  it('never lets the browser’s memory stop the webhook from looking up', async () => {
    const w = aWorld();
    w.registered();
    await verifyBrowserReport(w.deps, claim, 'complete');
    w.gateway.add(aPayment());

    const result = await verifyPayment(w.deps, claim, 'webhook');

    expect(result).toMatchObject({ kind: 'recorded', order: { status: 'paid', final: true } });
  });
});
