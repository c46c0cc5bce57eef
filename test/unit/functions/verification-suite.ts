import { describe, expect, it } from 'vitest';
import {
  StorageUnavailableError,
  UpstreamUnavailableError,
} from '../../../functions/domain/model/errors';
import type { PortOnePayment } from '../../../functions/domain/model/portone-payment';
import type { HttpEvent, HttpResult } from '../../../functions/http/types';
import { aFailedPayment, anIssuedVbank, aPayment } from '../../support/payments';
import { aWorld, type World } from '../../support/world';

/**
 * One verification, three entry points (docs/design.md §4.2): complete,
 * redirect and webhook share the verification module, so they must agree
 * on every scenario below; only each one's HTTP answer differs. Each entry
 * point's test file runs this suite with its own expected answers, the way
 * stripe-node runs one webhook suite against each of its entry points.
 */
export type Scenario =
  | 'paid'
  | 'vbankIssued'
  | 'failed'
  | 'forged'
  | 'forgedCancelUnreachable'
  | 'otherOrdersPayment'
  | 'unknownPayment'
  | 'unregisteredOrder'
  | 'portoneDown'
  | 'unverifiable'
  | 'storageDown'
  | 'badInput';

export interface EntryPoint<A> {
  name: string;
  build(world: World): (event: HttpEvent) => Promise<HttpResult>;
  /** The request that claims these ids (as given: they may be malformed). */
  request(ids: { imp_uid: string; merchant_uid: string }): HttpEvent;
  /** The answer in a form toEqual can compare. */
  read(result: HttpResult): A;
  /** The webhook confirms what it observes (I3); the browser routes are provisional. */
  confirms: boolean;
  /** The browser routes read the order first and never ask PortOne about an order never registered. */
  readsOrderFirst: boolean;
  /** Which PortOne API the entry point serves (default V1): V2 claims a payment id the order issued. */
  api?: 'v1' | 'v2';
  expected: Record<Scenario, A>;
}

/** The V2 payment id order-1 issued in every V2 scenario. */
export const V2_PAYMENT_ID = 'order-1.a1b2c3d4e5f6g7h8';

export const verificationSuite = <A>(entry: EntryPoint<A>) => {
  const api = entry.api ?? 'v1';
  // The claimed payment: V1's imp_uid, or V2's issued payment id (the request carries it as `imp_uid` here).
  const IMP = api === 'v2' ? V2_PAYMENT_ID : 'imp_100000000001';
  const ids = { imp_uid: IMP, merchant_uid: 'order-1' };
  const answer = async (world: World, request = entry.request(ids)) =>
    entry.read(await entry.build(world)(request));
  /** PortOne's payment in the entry's API, under the claimed id. */
  const held = (payment: PortOnePayment): PortOnePayment => ({ ...payment, api, imp_uid: IMP });
  /** An order registered (and, for V2, with the claimed payment id issued). */
  const registered = (world: World, amount: number) => {
    const order = world.registered(amount);
    if (api === 'v2') world.store.seed({ ...order, payment_ids: { [IMP]: order.created_at } });
  };

  describe(`${entry.name}: the shared verification`, () => {
    it('answers a paid payment that matches its order as paid', async () => {
      const w = aWorld();
      registered(w, 1000);
      w.gateway.add(held(aPayment()));

      expect(await answer(w)).toEqual(entry.expected.paid);
      expect(w.store.get('order-1')).toMatchObject({
        status: 'paid',
        final: entry.confirms,
        imp_uid: IMP,
      });
    });

    it('answers an issued virtual account as issued', async () => {
      const w = aWorld();
      registered(w, 1000);
      w.gateway.add(held(anIssuedVbank()));

      expect(await answer(w)).toEqual(entry.expected.vbankIssued);
      expect(w.store.get('order-1')?.status).toBe('vbank_issued');
    });

    it('answers a declined payment as failed', async () => {
      const w = aWorld();
      registered(w, 1000);
      w.gateway.add(held(aFailedPayment()));

      expect(await answer(w)).toEqual(entry.expected.failed);
      expect(w.store.get('order-1')?.status).toBe('failed');
    });

    it('cancels a forged payment with its whole balance as checksum', async () => {
      const w = aWorld();
      registered(w, 30000);
      w.gateway.add(held(aPayment({ amount: 100 })));

      expect(await answer(w)).toEqual(entry.expected.forged);
      expect(w.gateway.callsOf('cancelPayment').map(({ request }) => request)).toEqual([
        {
          impUid: IMP,
          amount: 100,
          checksum: 100,
          reason: 'Payment verification failed (amount_mismatch)',
          enableWebhook: true,
        },
      ]);
      expect(w.store.get('order-1')).toMatchObject({ status: 'forgery' });
      expect(w.gateway.payment(IMP)).toMatchObject({ status: 'cancelled', cancel_amount: 100 });
    });

    it('keeps a forgery whose cancellation could not reach PortOne, to be retried', async () => {
      const w = aWorld();
      registered(w, 30000);
      w.gateway.add(held(aPayment({ amount: 100 })));
      w.gateway.failNext('cancelPayment', new UpstreamUnavailableError('PortOne answered 503'));

      expect(await answer(w)).toEqual(entry.expected.forgedCancelUnreachable);
      expect(w.store.get('order-1')?.attempts[IMP]?.cancellation?.state).toBe('failed');
    });

    it('writes and cancels nothing for a payment of another order', async () => {
      const w = aWorld();
      if (api === 'v1') {
        w.registered(1000, 'order-1');
        w.registered(90000, 'order-2');
        w.gateway.add(aPayment({ merchant_uid: 'order-2', amount: 90000 }));
      } else {
        // V2's form of it: a payment under an id of our shape that the order never issued.
        w.registered(1000, 'order-1');
        w.gateway.add(held(aPayment()));
      }

      expect(await answer(w)).toEqual(entry.expected.otherOrdersPayment);
      expect(w.store.writes).toBe(0);
      expect(w.gateway.callsOf('cancelPayment')).toEqual([]);
    });

    it('answers an imp_uid PortOne does not know, writing nothing', async () => {
      const w = aWorld();
      registered(w, 1000);

      expect(await answer(w)).toEqual(entry.expected.unknownPayment);
      expect(w.store.writes).toBe(0);
    });

    it('answers a payment for an order never registered', async () => {
      const w = aWorld();
      w.gateway.add(held(aPayment()));

      expect(await answer(w)).toEqual(entry.expected.unregisteredOrder);
      // The browser routes do not ask PortOne; the webhook keeps the real payment for support.
      expect(w.gateway.calls).toHaveLength(entry.readsOrderFirst ? 0 : 1);
      expect([...w.store.orphans.keys()]).toEqual(entry.readsOrderFirst ? [] : [IMP]);
    });

    it('answers so that the result is retried when PortOne is down, writing nothing', async () => {
      const w = aWorld();
      registered(w, 1000);
      w.gateway.add(held(aPayment()));
      w.gateway.failNext('getPayment', new UpstreamUnavailableError('PortOne answered 503'));

      expect(await answer(w)).toEqual(entry.expected.portoneDown);
      expect(w.store.writes).toBe(0);
    });

    it('answers like an outage for a live payment whose channel PortOne does not state', async () => {
      const w = aWorld();
      registered(w, 1000);
      w.gateway.add(held(aPayment({ sandbox: null })));

      expect(await answer(w)).toEqual(entry.expected.unverifiable);
      expect(w.store.writes).toBe(0);
    });

    it('answers so that the result is retried when storage is down', async () => {
      const w = aWorld();
      registered(w, 1000);
      w.gateway.add(held(aPayment()));
      const error = new StorageUnavailableError('DynamoDB failed: ThrottlingException');
      w.store.failNext('findOrder', error);
      w.store.failNext('recordObservation', error);

      expect(await answer(w)).toEqual(entry.expected.storageDown);
    });

    it('refuses a malformed payment id without asking PortOne', async () => {
      const w = aWorld();
      registered(w, 1000);

      const result = await answer(w, entry.request({ ...ids, imp_uid: '../../evil' }));

      expect(result).toEqual(entry.expected.badInput);
      expect(w.gateway.calls).toEqual([]);
    });
  });
};
