import type { Decision, ObservationContext } from '../../functions/domain/model/observation';
import type { Order } from '../../functions/domain/model/order';
import type { PortOnePayment } from '../../functions/domain/model/portone-payment';
import type { OrderStore } from '../../functions/domain/ports/order-store';
import { decide } from '../../functions/domain/rules/decide';
import { isConfirmingSource, observationVersion } from '../../functions/domain/rules/observation';

type Method = keyof OrderStore;

/** A payment kept for an order never registered, as the DynamoDB adapter keeps it. */
export interface StoredOrphan {
  payment: PortOnePayment;
  source: ObservationContext['source'];
  version: string;
  final: boolean;
  observed_at: string;
}

/**
 * The OrderStore port in memory, for unit tests of the use cases. It stores
 * and nothing more: what an observation does to an order is `decide`'s, the
 * very function the DynamoDB adapter runs (its single-write fast path is an
 * optimisation that the integration tests hold to `decide`). Orders are
 * copied in and out, as a database would, so a test cannot change a stored
 * order by accident.
 *
 * Not evidence that storage works: the DynamoDB Local tests
 * (test/integration/) are.
 */
export class InMemoryOrderStore implements OrderStore {
  private readonly orders = new Map<string, Order>();
  readonly orphans = new Map<string, StoredOrphan>();
  /** Every call, by method name, in order. */
  readonly calls: Method[] = [];
  private readonly failures = new Map<Method, Error[]>();
  private readonly hooks = new Map<Method, (() => void)[]>();

  /** Puts an order as it is, around the use cases (a state that is long to reach otherwise). */
  seed(order: Order): void {
    this.orders.set(order.merchant_uid, structuredClone(order));
  }

  /** The order as stored, or undefined. */
  get(merchantUid: string): Order | undefined {
    const order = this.orders.get(merchantUid);
    return order && structuredClone(order);
  }

  /** The next call of `method` throws `error` (e.g. StorageUnavailableError), once per error given. */
  failNext(method: Method, ...errors: Error[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  /** Runs `hook` just before the next call of `method` touches the data: a concurrent writer. */
  beforeNext(method: Method, hook: () => void): void {
    this.hooks.set(method, [...(this.hooks.get(method) ?? []), hook]);
  }

  /** Writes that changed an order or an orphan. */
  get writes(): number {
    return this.writeCount;
  }
  private writeCount = 0;

  async findOrder(merchantUid: string): Promise<Order | null> {
    this.enter('findOrder');
    return this.get(merchantUid) ?? null;
  }

  async createOrder(order: Order): Promise<{ created: boolean; order: Order }> {
    this.enter('createOrder');
    const stored = this.get(order.merchant_uid);
    if (stored) return { created: false, order: stored };
    this.write(order);
    return { created: true, order: structuredClone(order) };
  }

  async recordObservation(
    payment: PortOnePayment,
    context: ObservationContext,
  ): Promise<Decision | null> {
    this.enter('recordObservation');
    const stored = this.get(payment.merchant_uid);
    if (!stored) return null;
    const decision = decide(stored, payment, context);
    if (decision.outcome === 'applied') this.write(decision.order);
    return structuredClone(decision);
  }

  async updateOrder(
    merchantUid: string,
    change: (order: Order) => Order | null,
  ): Promise<{ order: Order; written: boolean } | null> {
    this.enter('updateOrder');
    const stored = this.get(merchantUid);
    if (!stored) return null;
    const next = change(stored);
    if (!next) return { order: stored, written: false };
    const written = { ...next, rev: stored.rev + 1 };
    this.write(written);
    return { order: structuredClone(written), written: true };
  }

  async listDue(now: string, limit: number): Promise<string[]> {
    this.enter('listDue');
    return [...this.orders.values()]
      .filter((order) => order.check_at !== null && order.check_at <= now)
      .sort((a, b) => (a.check_at as string).localeCompare(b.check_at as string))
      .slice(0, limit)
      .map((order) => order.merchant_uid);
  }

  async postpone(merchantUid: string, checkAt: string, failures: number): Promise<void> {
    this.enter('postpone');
    const stored = this.get(merchantUid);
    // No revision bump, like the adapter's targeted write.
    if (stored) this.write({ ...stored, check_at: checkAt, recheck_failures: failures });
  }

  async recordOrphan(payment: PortOnePayment, context: ObservationContext): Promise<void> {
    this.enter('recordOrphan');
    const version = observationVersion(payment);
    const final = isConfirmingSource(context.source);
    const held = this.orphans.get(payment.imp_uid);
    // The adapter's write condition: a newer observation, or the same one confirmed.
    const newer =
      !held || held.version < version || (held.version === version && final && !held.final);
    if (!newer) return;
    this.orphans.set(payment.imp_uid, {
      payment: structuredClone(payment),
      source: context.source,
      version,
      final,
      observed_at: context.now,
    });
    this.writeCount++;
  }

  private enter(method: Method): void {
    this.calls.push(method);
    const hooks = this.hooks.get(method);
    const hook = hooks?.shift();
    if (hook) hook();
    const error = this.failures.get(method)?.shift();
    if (error) throw error;
  }

  private write(order: Order): void {
    this.orders.set(order.merchant_uid, structuredClone(order));
    this.writeCount++;
  }
}
