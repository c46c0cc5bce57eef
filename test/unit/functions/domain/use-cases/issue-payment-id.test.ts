import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotConfiguredError,
  NotFoundError,
  UpstreamUnavailableError,
} from '../../../../../functions/domain/model/errors';
import { orderOfPaymentId, PAYMENT_ID_PATTERN } from '../../../../../functions/domain/model/ids';
import type { OrderStatus } from '../../../../../functions/domain/model/order';
import type {
  PaymentIdRegistry,
  PreRegistration,
} from '../../../../../functions/domain/ports/payment-ids';
import { PAYMENT_ID_LIMIT } from '../../../../../functions/domain/rules/limits';
import { newPaymentId } from '../../../../../functions/domain/rules/payment-id';
import { issuePaymentId } from '../../../../../functions/domain/use-cases/issue-payment-id';
import { aWorld } from '../../../../support/world';

/** PortOne V2's pre-registration in memory: what it was asked, and a failure to script. */
class FakeRegistry implements PaymentIdRegistry {
  readonly calls: PreRegistration[] = [];
  /** The order as stored when each call came, to show the id was stored first. */
  readonly storedAtCall: (string[] | undefined)[] = [];
  failure: Error | null = null;
  constructor(private readonly storedIds: () => string[] | undefined = () => undefined) {}

  async preRegister(request: PreRegistration): Promise<void> {
    this.calls.push({ ...request });
    this.storedAtCall.push(this.storedIds());
    if (this.failure) throw this.failure;
  }
}

/** Random bytes from a list, so that ids are known in advance; then the bytes 0, 1, 2, ... */
const scriptedRandom = (...bytes: number[]) => {
  let next = 0;
  return (size: number) => Uint8Array.from({ length: size }, () => bytes.shift() ?? next++ % 256);
};

const setup = (options: { prepare?: boolean; v2?: boolean } = {}) => {
  const w = aWorld();
  const registry = new FakeRegistry(() => Object.keys(w.store.get('order-1')?.payment_ids ?? {}));
  const deps = {
    store: w.store,
    registry: options.v2 === false ? null : registry,
    random: (size: number) => new Uint8Array(randomBytes(size)),
    clock: w.clock.now,
    log: w.log,
    settings: { prepare: options.prepare ?? true },
  };
  return { ...w, registry, deps };
};

describe('issuePaymentId', () => {
  it('answers a new id of the order, stored with its issue time, each call', async () => {
    const w = setup();
    w.registered(25000, 'order-1', 'KRW');

    const first = await issuePaymentId(w.deps, 'order-1');
    const second = await issuePaymentId(w.deps, 'order-1');

    expect(first).toEqual({
      payment_id: expect.stringMatching(PAYMENT_ID_PATTERN),
      merchant_uid: 'order-1',
      amount: 25000,
      currency: 'KRW',
    });
    expect(orderOfPaymentId(first.payment_id)).toBe('order-1');
    expect(second.payment_id).not.toBe(first.payment_id);
    expect(w.store.get('order-1')?.payment_ids).toEqual({
      [first.payment_id]: '2025-11-13T02:15:00.000Z',
      [second.payment_id]: '2025-11-13T02:15:00.000Z',
    });
  });

  it('stores the id before pre-registering it with the order amount and currency', async () => {
    const w = setup();
    w.registered(18000, 'order-1', 'USD');

    const issued = await issuePaymentId(w.deps, 'order-1');

    expect(w.registry.calls).toEqual([
      { paymentId: issued.payment_id, totalAmount: 18000, currency: 'USD' },
    ]);
    expect(w.registry.storedAtCall).toEqual([[issued.payment_id]]);
  });

  it('does not call PortOne when pre-registration is off', async () => {
    const w = setup({ prepare: false });
    w.registered();

    const issued = await issuePaymentId(w.deps, 'order-1');

    expect(w.registry.calls).toEqual([]);
    expect(Object.keys(w.store.get('order-1')?.payment_ids ?? {})).toEqual([issued.payment_id]);
  });

  it('fails with PortOne down, the id stored but never answered', async () => {
    const w = setup();
    w.registered();
    w.registry.failure = new UpstreamUnavailableError('PortOne answered 503');

    await expect(issuePaymentId(w.deps, 'order-1')).rejects.toThrow(UpstreamUnavailableError);
    expect(Object.keys(w.store.get('order-1')?.payment_ids ?? {})).toHaveLength(1);
    expect(w.registry.calls).toHaveLength(1);
  });

  it('refuses an unknown order, writing nothing', async () => {
    const w = setup();

    await expect(issuePaymentId(w.deps, 'order-1')).rejects.toThrow(
      new NotFoundError('order order-1 is not registered'),
    );
    expect(w.store.writes).toBe(0);
    expect(w.registry.calls).toEqual([]);
  });

  it.each<OrderStatus>(['paid', 'partially_cancelled', 'cancelled'])(
    'refuses an order that is %s, saying it is paid',
    async (status) => {
      const w = setup();
      w.store.seed({ ...w.registered(), status });

      await expect(issuePaymentId(w.deps, 'order-1')).rejects.toThrow(
        new ConflictError(
          `order order-1 is already paid (status ${status}); no new payment may start`,
        ),
      );
      expect(w.store.get('order-1')?.payment_ids).toEqual({});
      expect(w.registry.calls).toEqual([]);
    },
  );

  it.each<OrderStatus>(['pending', 'failed', 'vbank_issued'])(
    'issues an id for an order that is %s',
    async (status) => {
      const w = setup();
      w.store.seed({ ...w.registered(), status });

      const issued = await issuePaymentId(w.deps, 'order-1');

      expect(Object.keys(w.store.get('order-1')?.payment_ids ?? {})).toEqual([issued.payment_id]);
    },
  );

  it(`refuses the id beyond ${PAYMENT_ID_LIMIT}, keeping every issued one`, async () => {
    const w = setup({ prepare: false });
    w.registered();
    for (let i = 0; i < PAYMENT_ID_LIMIT; i++) await issuePaymentId(w.deps, 'order-1');

    await expect(issuePaymentId(w.deps, 'order-1')).rejects.toThrow(
      new ConflictError(
        `order order-1 already has the maximum of ${PAYMENT_ID_LIMIT} payment ids; register a new order`,
      ),
    );
    expect(Object.keys(w.store.get('order-1')?.payment_ids ?? {})).toHaveLength(PAYMENT_ID_LIMIT);
  });

  it('refuses without PortOne V2, touching nothing', async () => {
    const w = setup({ v2: false });
    w.registered();

    await expect(issuePaymentId(w.deps, 'order-1')).rejects.toThrow(
      new NotConfiguredError('PortOne V2 is not configured'),
    );
    expect(w.store.calls).toEqual([]);
    expect(w.store.get('order-1')?.payment_ids).toEqual({});
  });

  it('keeps an id issued concurrently, adding its own to the newer order', async () => {
    const w = setup({ prepare: false });
    w.registered();
    w.store.beforeNext('updateOrder', () => {
      const stored = w.store.get('order-1');
      if (stored) {
        w.store.seed({ ...stored, payment_ids: { 'order-1.concurrent000000': 'x' }, rev: 1 });
      }
    });

    const issued = await issuePaymentId(w.deps, 'order-1');

    expect(w.store.get('order-1')?.payment_ids).toEqual({
      'order-1.concurrent000000': 'x',
      [issued.payment_id]: '2025-11-13T02:15:00.000Z',
    });
  });

  it('refuses when a concurrent write paid the order first', async () => {
    const w = setup();
    w.registered();
    w.store.beforeNext('updateOrder', () => {
      const stored = w.store.get('order-1');
      if (stored) w.store.seed({ ...stored, status: 'paid', rev: 1 });
    });

    await expect(issuePaymentId(w.deps, 'order-1')).rejects.toThrow(ConflictError);
    expect(w.store.get('order-1')?.payment_ids).toEqual({});
  });

  it('opens the order to the reconciler again when it had settled', async () => {
    const w = setup({ prepare: false });
    w.store.seed({ ...w.registered(), status: 'failed', final: true, check_at: null });

    await issuePaymentId(w.deps, 'order-1');

    expect(w.store.get('order-1')?.check_at).toBe('2025-11-13T02:25:00.000Z');
  });
});

describe('newPaymentId', () => {
  it('maps random bytes to a-z0-9 after the merchant_uid and a dot', () => {
    const id = newPaymentId('order-1', scriptedRandom(0, 25, 26, 35, 36, 71));

    expect(id).toBe('order-1.az09a9abcdefghij');
    expect(id).toMatch(PAYMENT_ID_PATTERN);
  });

  it('skips bytes of 252 and above, so that every character is equally likely', () => {
    const id = newPaymentId('o', scriptedRandom(252, 253, 255, 251));

    expect(id).toBe('o.9abcdefghijklmno');
  });
});
