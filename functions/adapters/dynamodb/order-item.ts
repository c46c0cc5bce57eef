import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Order } from '../../domain/order';
import { orderKey, recheckKeys } from './keys';

/** The stored item of an order: the order itself plus its keys (keys.ts). */
export const toItem = (order: Order) => ({
  ...orderKey(order.merchant_uid),
  type: 'order',
  ...order,
  ...(order.check_at ? recheckKeys(order.merchant_uid, order.check_at) : {}),
});

/** Fields added after the first items were written get their neutral value. */
export const toOrder = (item: Record<string, unknown>): Order => {
  const { pk: _pk, type: _type, recheck_shard: _shard, recheck_at: _at, ...order } = item;
  return { check_at: null, owes_cancellation: false, settled: {}, ...order } as unknown as Order;
};

/** An item in DynamoDB's wire format (a failed condition's item, a stream image). */
export const fromRaw = (item: Record<string, unknown>): Order =>
  toOrder(unmarshall(item as Record<string, AttributeValue>));

export const isOrderItem = (item: Record<string, unknown> | undefined): boolean =>
  (item?.type as { S?: string } | undefined)?.S === 'order';
