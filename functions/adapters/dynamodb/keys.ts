import { TABLE_DESIGN } from './table-design';

const { partitionKey, recheckIndex } = TABLE_DESIGN;

/**
 * One table, one item per order (all its attempts inside, so that every
 * state change is a single-item conditional write) plus one item per orphan
 * payment. The partition key is prefixed so that the two never collide.
 */
export const orderKey = (merchantUid: string) => ({ [partitionKey]: `ORDER#${merchantUid}` });
export const orphanKey = (impUid: string) => ({ [partitionKey]: `ORPHAN#${impUid}` });

export const merchantUidOfKey = (pk: string): string | null =>
  pk.startsWith('ORDER#') ? pk.slice('ORDER#'.length) : null;

/**
 * The sparse index of orders the reconciler must look at (`check_at` set).
 * Its partition key is spread over a few shards so that a busy shop's
 * unsettled orders do not all land on one index partition.
 */
export const RECHECK_INDEX = recheckIndex.name;
export const RECHECK_SHARDS = 4;

export const recheckKeys = (merchantUid: string, checkAt: string) => ({
  [recheckIndex.partitionKey]: `RECHECK#${shardOf(merchantUid)}`,
  [recheckIndex.sortKey]: checkAt,
});

export const recheckShards = (): string[] =>
  Array.from({ length: RECHECK_SHARDS }, (_, shard) => `RECHECK#${shard}`);

const shardOf = (merchantUid: string): number => {
  let hash = 0;
  for (const char of merchantUid) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % RECHECK_SHARDS;
};
