/**
 * The orders table's design, written once: the CDK construct (lib/payments-table.ts)
 * creates the table from it, the local stack (local/table.ts) creates the same table
 * in DynamoDB Local, and this adapter writes and queries the keys it names. No
 * imports, so that all three can read it. Every key attribute is a string.
 */
export const TABLE_DESIGN = {
  /** One item per order or orphan payment (keys.ts): a prefixed partition key, no sort key. */
  partitionKey: 'pk',
  billingMode: 'PAY_PER_REQUEST',
  /** The settled function compares the old and new image of each changed order. */
  streamView: 'NEW_AND_OLD_IMAGES',
  /**
   * The sparse index of orders to look at again: only items with a recheck time
   * (an order's `check_at`) carry its keys, and it holds nothing but keys.
   */
  recheckIndex: {
    name: 'recheck',
    partitionKey: 'recheck_shard',
    sortKey: 'recheck_at',
    projection: 'KEYS_ONLY',
  },
} as const;
