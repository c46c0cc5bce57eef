import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type * as z from 'zod/mini';
import type { Order } from '../../domain/model/order';
import { orderKey, recheckKeys } from './keys';
import { asOrder, storedOrder } from './order-schema';
import { TABLE_DESIGN } from './table-design';

const { partitionKey: PK, recheckIndex: RECHECK } = TABLE_DESIGN;

/** The stored item of an order: the order itself plus its keys (keys.ts). */
export const toItem = (order: Order) => ({
  ...orderKey(order.merchant_uid),
  type: 'order',
  ...order,
  ...(order.check_at ? recheckKeys(order.merchant_uid, order.check_at) : {}),
});

/**
 * The order an item holds, validated (order-schema.ts). An item that is not
 * an order we could have written throws: it must never decide a payment.
 */
export const toOrder = (item: Record<string, unknown>): Order => {
  const {
    [PK]: _pk,
    type: _type,
    [RECHECK.partitionKey]: _shard,
    [RECHECK.sortKey]: _at,
    ...stored
  } = item;
  const parsed = storedOrder.safeParse(stored);
  if (parsed.success) return asOrder(parsed.data);
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(item)'}: ${describe(issue)}`);
  throw new UnreadableItemError(
    `the stored order ${String(stored.merchant_uid)} is not a valid order (${issues.join('; ')})`,
  );
};

// zod/mini carries no locale, so its messages are bare "Invalid input": say what was expected.
const describe = (issue: z.core.$ZodIssue): string => {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.join(', ')}`;
  return issue.message;
};

/** A stored item that fails validation: a person must look at it (the message says where). */
export class UnreadableItemError extends Error {
  override readonly name = 'UnreadableItemError';
}

/** An item in DynamoDB's wire format (a failed condition's item, a stream image). */
export const fromRaw = (item: Record<string, unknown>): Order =>
  toOrder(unmarshall(item as Record<string, AttributeValue>));

export const isOrderItem = (item: Record<string, unknown> | undefined): boolean =>
  (item?.type as { S?: string } | undefined)?.S === 'order';
