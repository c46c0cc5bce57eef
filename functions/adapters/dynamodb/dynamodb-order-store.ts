import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '../../domain/model/errors';
import type { Decision, ObservationContext } from '../../domain/model/observation';
import type { Order } from '../../domain/model/order';
import type { PortOnePayment } from '../../domain/model/portone-payment';
import type { OrderStore } from '../../domain/ports/order-store';
import { attemptFrom, decide } from '../../domain/rules/decide';
import { HISTORY_LIMIT } from '../../domain/rules/limits';
import { isConfirmingSource } from '../../domain/rules/observation';
import { conditionFailure, storageError } from './errors';
import { fastPathCommand } from './fast-path';
import {
  merchantUidOfKey,
  orderKey,
  orphanKey,
  RECHECK_INDEX,
  recheckKeys,
  recheckShards,
} from './keys';
import { fromRaw, toItem, toOrder } from './order-item';
import { TABLE_DESIGN } from './table-design';

const { partitionKey: PK, recheckIndex: RECHECK } = TABLE_DESIGN;

/** Beyond this many lost races in a row something is wrong; answer 5xx and let the caller retry. */
const MAX_OPTIMISTIC_ATTEMPTS = 12;

/**
 * After a lost race, wait a random 0 to 2^n ms (at most 100): writers that
 * collided on one order (a checkout window reopened again and again, each
 * attempt's callback and redirect at once) spread out instead of colliding
 * again in lockstep. Twelve attempts wait at most about half a second.
 */
const backOff = (lost: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** lost)));

/**
 * The payment state on DynamoDB (invariants I1–I7).
 *
 * recordObservation first tries ONE conditional UpdateItem that encodes the
 * common case: the payment belongs to the order at the agreed amount, it is
 * newer than what we hold for this imp_uid, and it is (or becomes) the
 * order's current attempt. That costs one write and no read. When the
 * condition fails, DynamoDB hands back the stored item
 * (ReturnValuesOnConditionCheckFailure) and the pure `decide` computes the
 * exact result, written with an optimistic-concurrency condition on `rev`.
 */
export class DynamoDbOrderStore implements OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findOrder(merchantUid: string): Promise<Order | null> {
    try {
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: orderKey(merchantUid),
          ConsistentRead: true,
        }),
      );
      return Item ? toOrder(Item) : null;
    } catch (error) {
      throw storageError(error, 'GetItem');
    }
  }

  async createOrder(order: Order): Promise<{ created: boolean; order: Order }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(order),
          ConditionExpression: `attribute_not_exists(${PK})`,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true, order };
    } catch (error) {
      const failed = conditionFailure(error);
      if (failed?.item) return { created: false, order: fromRaw(failed.item) };
      throw storageError(error, 'PutItem');
    }
  }

  async recordObservation(
    payment: PortOnePayment,
    context: ObservationContext,
  ): Promise<Decision | null> {
    let stored: Order | null;
    if (fastPathApplies(payment, context)) {
      const fast = await this.tryFastPath(payment, context);
      if (fast.applied) return fast.decision;
      if (!fast.stored) return null;
      stored = fast.stored;
    } else {
      stored = await this.findOrder(payment.merchant_uid);
    }
    for (let attempt = 0; attempt < MAX_OPTIMISTIC_ATTEMPTS; attempt++) {
      if (!stored) return null;
      if (attempt > 0) await backOff(attempt);
      const decision = decide(stored, payment, context);
      if (decision.outcome !== 'applied') return decision;
      const written = await this.replace(decision.order, stored.rev);
      if (written.ok) return decision;
      stored = written.stored;
    }
    throw new StorageUnavailableError(`too much contention on order ${payment.merchant_uid}`);
  }

  async updateOrder(
    merchantUid: string,
    change: (order: Order) => Order | null,
  ): Promise<{ order: Order; written: boolean } | null> {
    let stored = await this.findOrder(merchantUid);
    for (let attempt = 0; attempt < MAX_OPTIMISTIC_ATTEMPTS; attempt++) {
      if (!stored) return null;
      if (attempt > 0) await backOff(attempt);
      const next = change(stored);
      if (!next) return { order: stored, written: false };
      const written = await this.replace({ ...next, rev: stored.rev + 1 }, stored.rev);
      if (written.ok) return { order: { ...next, rev: stored.rev + 1 }, written: true };
      stored = written.stored;
    }
    throw new StorageUnavailableError(`too much contention on order ${merchantUid}`);
  }

  async listDue(now: string, limit: number): Promise<string[]> {
    const due: string[] = [];
    try {
      for (const shard of recheckShards()) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: RECHECK_INDEX,
              KeyConditionExpression: `${RECHECK.partitionKey} = :shard AND ${RECHECK.sortKey} <= :now`,
              ExpressionAttributeValues: { ':shard': shard, ':now': now },
              Limit: limit - due.length,
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const merchantUid = merchantUidOfKey(String(item[PK]));
            if (merchantUid) due.push(merchantUid);
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey && due.length < limit);
        if (due.length >= limit) break;
      }
    } catch (error) {
      throw storageError(error, 'Query');
    }
    return due;
  }

  async postpone(merchantUid: string, checkAt: string, failures: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(merchantUid),
          // No `rev` bump: a concurrent writer's own recheck time simply wins.
          UpdateExpression: `SET #checkAt = :at, ${RECHECK.sortKey} = :at, ${RECHECK.partitionKey} = :shard, #failures = :failures`,
          ConditionExpression: `attribute_exists(${PK})`,
          ExpressionAttributeNames: { '#checkAt': 'check_at', '#failures': 'recheck_failures' },
          ExpressionAttributeValues: {
            ':at': checkAt,
            ':shard': recheckKeys(merchantUid, checkAt).recheck_shard,
            ':failures': failures,
          },
        }),
      );
    } catch (error) {
      if (conditionFailure(error)) return;
      throw storageError(error, 'UpdateItem');
    }
  }

  async recordOrphan(payment: PortOnePayment, context: ObservationContext): Promise<void> {
    const version = attemptFrom(payment, payment, context).version;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...orphanKey(payment.imp_uid),
            type: 'orphan',
            imp_uid: payment.imp_uid,
            merchant_uid: payment.merchant_uid,
            portone_status: payment.status,
            amount: payment.amount,
            cancel_amount: payment.cancel_amount,
            currency: payment.currency,
            sandbox: payment.sandbox,
            version,
            final: isConfirmingSource(context.source),
            source: context.source,
            observed_at: context.now,
          },
          ConditionExpression: isConfirmingSource(context.source)
            ? `attribute_not_exists(${PK}) OR #version < :version OR (#version = :version AND #final = :false)`
            : `attribute_not_exists(${PK}) OR #version < :version`,
          ExpressionAttributeNames: {
            '#version': 'version',
            ...(isConfirmingSource(context.source) ? { '#final': 'final' } : {}),
          },
          ExpressionAttributeValues: {
            ':version': version,
            ...(isConfirmingSource(context.source) ? { ':false': false } : {}),
          },
        }),
      );
    } catch (error) {
      if (conditionFailure(error)) return; // we already hold this or a newer observation
      throw storageError(error, 'PutItem');
    }
  }

  /** The single-write happy path; see fast-path.ts. */
  private async tryFastPath(
    payment: PortOnePayment,
    context: ObservationContext,
  ): Promise<{ applied: true; decision: Decision } | { applied: false; stored: Order | null }> {
    const { attempt, command } = fastPathCommand(this.tableName, payment, context);
    try {
      const { Attributes } = await this.client.send(new UpdateCommand(command));
      const order = toOrder(Attributes ?? {});
      const stored = order.attempts[payment.imp_uid] ?? attempt;
      if (order.history.length > HISTORY_LIMIT) await this.trimHistory(order);
      return {
        applied: true,
        decision: {
          outcome: 'applied',
          order: { ...order, history: order.history.slice(-HISTORY_LIMIT) },
          attempt: stored,
        },
      };
    } catch (error) {
      const failed = conditionFailure(error);
      if (!failed) throw storageError(error, 'UpdateItem');
      return { applied: false, stored: failed.item ? fromRaw(failed.item) : null };
    }
  }

  // Rare (an order with more than HISTORY_LIMIT transitions): losing this
  // race only means the next write trims instead.
  private async trimHistory(order: Order): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: orderKey(order.merchant_uid),
          UpdateExpression: 'SET #history = :history ADD #rev :one',
          ConditionExpression: '#rev = :rev',
          ExpressionAttributeNames: { '#history': 'history', '#rev': 'rev' },
          ExpressionAttributeValues: {
            ':history': order.history.slice(-HISTORY_LIMIT),
            ':rev': order.rev,
            ':one': 1,
          },
        }),
      );
    } catch (error) {
      if (!conditionFailure(error)) throw storageError(error, 'UpdateItem');
    }
  }

  /** Writes the whole order if nobody wrote it since we saw revision `rev`. */
  private async replace(
    order: Order,
    rev: number,
  ): Promise<{ ok: true } | { ok: false; stored: Order | null }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(order),
          ConditionExpression: '#rev = :rev',
          ExpressionAttributeNames: { '#rev': 'rev' },
          ExpressionAttributeValues: { ':rev': rev },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { ok: true };
    } catch (error) {
      const failed = conditionFailure(error);
      if (!failed) throw storageError(error, 'PutItem');
      return { ok: false, stored: failed.item ? fromRaw(failed.item) : null };
    }
  }
}

/**
 * A sandbox payment in live mode is a forgery although its amount matches,
 * which the fast path's condition cannot see; such rare payments take the
 * read-decide-write path.
 */
const fastPathApplies = (payment: PortOnePayment, context: ObservationContext): boolean =>
  !(payment.sandbox === true && context.mode === 'live');
