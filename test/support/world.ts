import type { Order } from '../../functions/domain/model/order';
import type { PortOneMode } from '../../functions/domain/model/portone-mode';
import { newOrder } from '../../functions/domain/rules/new-order';
import { RecentlyUnknown } from '../../functions/domain/use-cases/recently-unknown';
import type { VerificationDeps } from '../../functions/domain/use-cases/verify-payment';
import { FakeClock } from '../fakes/clock';
import { recordingLog } from '../fakes/log';
import { InMemoryOrderStore } from '../fakes/order-store';
import { FakePaymentGateway } from '../fakes/payment-gateway';

export interface WorldOptions {
  mode?: PortOneMode;
  autoCancelForgery?: boolean;
}

/**
 * The use cases' world in memory: one clock, the fakes of the ports wired to
 * it, and the dependencies the verification, cancellation and reconcile use
 * cases take (the same shape functions/runtime/deps.ts builds for Lambda).
 */
export const aWorld = (options: WorldOptions = {}) => {
  const clock = new FakeClock();
  const store = new InMemoryOrderStore();
  const gateway = new FakePaymentGateway(clock.now);
  const log = recordingLog();
  const deps: VerificationDeps = {
    gateway,
    store,
    clock: clock.now,
    log,
    settings: {
      mode: options.mode ?? 'live',
      autoCancelForgery: options.autoCancelForgery ?? true,
    },
    unknownPayments: new RecentlyUnknown(clock.now),
  };
  /** Registers an order as POST /orders would (prepared), at the clock's time. */
  const registered = (amount = 1000, merchantUid = 'order-1', currency = 'KRW'): Order => {
    const order = newOrder({
      merchant_uid: merchantUid,
      amount,
      currency,
      name: 'Coffee beans',
      prepared: true,
      now: clock.iso(),
    });
    store.seed(order);
    return order;
  };
  return { clock, store, gateway, log, deps, registered };
};

export type World = ReturnType<typeof aWorld>;
