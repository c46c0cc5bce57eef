import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
import { registerOrder } from '../../../../../functions/domain/use-cases/register-order';
import { aWorld } from '../../../../support/world';

const terms = { merchant_uid: 'order-1', amount: 1000, currency: 'KRW', name: 'Coffee beans' };

const registration = (prepare = true) => {
  const w = aWorld();
  return { ...w, deps: { ...w.deps, settings: { prepare } } };
};

describe('registerOrder', () => {
  it('creates the order with one write and pre-registers its amount at PortOne', async () => {
    const w = registration();

    const result = await registerOrder(w.deps, terms);

    expect(result).toMatchObject({
      created: true,
      order: { merchant_uid: 'order-1', amount: 1000, status: 'pending', prepared: true },
    });
    expect(w.gateway.calls).toEqual([
      {
        method: 'preparePayment',
        request: { merchantUid: 'order-1', amount: 1000, currency: 'KRW' },
      },
    ]);
    expect(w.store.calls).toEqual(['createOrder']);
    expect(w.store.writes).toBe(1);
  });

  it('creates the order without PortOne when pre-registration is off', async () => {
    const w = registration(false);

    const result = await registerOrder(w.deps, terms);

    expect(result).toMatchObject({ created: true, order: { prepared: true } });
    expect(w.gateway.calls).toEqual([]);
  });

  it('asks PortOne on the first repeat, records it, and answers later repeats alone', async () => {
    const w = registration();
    await registerOrder(w.deps, terms);
    w.gateway.calls.length = 0;

    const repeat = await registerOrder(w.deps, terms);

    expect(repeat).toMatchObject({ created: false, order: { amount: 1000, prepared: true } });
    expect(w.gateway.calls.map((call) => call.method)).toEqual(['preparePayment', 'getPrepared']);
    expect(w.store.get('order-1')?.prepared).toBe(true);
    w.gateway.calls.length = 0;
    const writes = w.store.writes;

    const third = await registerOrder(w.deps, terms);

    expect(third).toMatchObject({ created: false, order: { prepared: true } });
    expect(w.gateway.calls).toEqual([]);
    expect(w.store.writes).toBe(writes);
  });

  it('answers a repeat without PortOne when pre-registration is off', async () => {
    const w = registration(false);
    await registerOrder(w.deps, terms);

    const repeat = await registerOrder(w.deps, terms);

    expect(repeat).toMatchObject({ created: false, order: { prepared: true } });
    expect(w.gateway.calls).toEqual([]);
    expect(w.store.writes).toBe(1);
  });

  it.each([
    ['another amount', { amount: 2000 }],
    ['another currency', { currency: 'USD' }],
  ])('refuses the same order with %s', async (_, change) => {
    const w = registration();
    await registerOrder(w.deps, terms);

    await expect(registerOrder(w.deps, { ...terms, ...change })).rejects.toThrow(
      new ConflictError('order order-1 is already registered with amount 1000 KRW'),
    );
    expect(w.store.get('order-1')).toMatchObject({ amount: 1000, currency: 'KRW' });
  });

  it('keeps the order unprepared while PortOne is down, and completes it on the repeat', async () => {
    const w = registration();
    w.gateway.failNext('preparePayment', new UpstreamUnavailableError('PortOne answered 503'));

    await expect(registerOrder(w.deps, terms)).rejects.toThrow(UpstreamUnavailableError);
    expect(w.store.get('order-1')?.prepared).toBe(false);

    const repeat = await registerOrder(w.deps, terms);

    expect(repeat).toMatchObject({ created: true, order: { prepared: true } });
    expect(w.gateway.preparedFor('order-1')).toEqual({
      merchantUid: 'order-1',
      amount: 1000,
      currency: 'KRW',
    });
  });

  it('accepts an amount an earlier, failed call already pre-registered', async () => {
    const w = registration();
    await w.gateway.preparePayment({ merchantUid: 'order-1', amount: 1000, currency: 'KRW' });
    w.gateway.calls.length = 0;

    const result = await registerOrder(w.deps, terms);

    expect(result).toMatchObject({ created: true, order: { prepared: true } });
    expect(w.gateway.calls.map((call) => call.method)).toEqual(['preparePayment', 'getPrepared']);
  });

  it('corrects a different amount pre-registered earlier', async () => {
    const w = registration();
    await w.gateway.preparePayment({ merchantUid: 'order-1', amount: 500, currency: 'KRW' });
    w.gateway.calls.length = 0;

    await registerOrder(w.deps, terms);

    expect(w.gateway.calls.map((call) => call.method)).toEqual([
      'preparePayment',
      'getPrepared',
      'updatePrepared',
    ]);
    expect(w.gateway.preparedFor('order-1')?.amount).toBe(1000);
  });

  it('treats an amount PortOne holds for a stored order as registered before', async () => {
    // The first call's prepare reached PortOne but its answer did not reach us.
    const w = registration();
    w.gateway.failNext('preparePayment', new UpstreamUnavailableError('PortOne timed out'));
    await expect(registerOrder(w.deps, terms)).rejects.toThrow(UpstreamUnavailableError);
    await w.gateway.preparePayment({ merchantUid: 'order-1', amount: 1000, currency: 'KRW' });

    const repeat = await registerOrder(w.deps, terms);

    expect(repeat).toMatchObject({ created: false, order: { prepared: true } });
    expect(w.store.get('order-1')?.prepared).toBe(true);
  });

  it('does not write again when a concurrent repeat recorded the flag first', async () => {
    const w = registration();
    await registerOrder(w.deps, terms);
    w.store.beforeNext('updateOrder', () => {
      const stored = w.store.get('order-1');
      if (stored) w.store.seed({ ...stored, prepared: true, rev: stored.rev + 1 });
    });
    const writes = w.store.writes;

    const result = await registerOrder(w.deps, terms);

    expect(result).toMatchObject({ created: false, order: { prepared: true, rev: 1 } });
    expect(w.store.writes).toBe(writes);
  });
});
