import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Cancellation, Order } from '../../domain/order';
import { orderKey, recheckKeys } from './keys';
import { TABLE_DESIGN } from './table-design';

const { partitionKey: PK, recheckIndex: RECHECK } = TABLE_DESIGN;

/** The stored item of an order: the order itself plus its keys (keys.ts). */
export const toItem = (order: Order) => ({
  ...orderKey(order.merchant_uid),
  type: 'order',
  ...order,
  ...(order.check_at ? recheckKeys(order.merchant_uid, order.check_at) : {}),
});

/** Fields added after the first items were written get their neutral value. */
export const toOrder = (item: Record<string, unknown>): Order => {
  const {
    [PK]: _pk,
    type: _type,
    [RECHECK.partitionKey]: _shard,
    [RECHECK.sortKey]: _at,
    ...stored
  } = item;
  const order = {
    check_at: null,
    owes_cancellation: false,
    settled: {},
    dropped_attempts: 0,
    refunds: [],
    recheck_failures: 0,
    ...stored,
  } as unknown as Order;
  for (const attempt of Object.values(order.attempts ?? {})) {
    if (attempt.cancellation) attempt.cancellation = cancellationOf(attempt.cancellation);
  }
  return order;
};

/** A cancellation written before records had a balance and a schedule (one call, its amount the balance). */
const cancellationOf = (stored: Partial<Cancellation>): Cancellation =>
  ({
    kind: 'cancel',
    balance: stored.amount,
    since: stored.at,
    tries: 1,
    accepted: stored.state === 'done',
    next_at: stored.state === 'failed' ? stored.at : null,
    ...stored,
  }) as Cancellation;

/** An item in DynamoDB's wire format (a failed condition's item, a stream image). */
export const fromRaw = (item: Record<string, unknown>): Order =>
  toOrder(unmarshall(item as Record<string, AttributeValue>));

export const isOrderItem = (item: Record<string, unknown> | undefined): boolean =>
  (item?.type as { S?: string } | undefined)?.S === 'order';
