/**
 * One table, one item per order (all its attempts inside, so that every
 * state change is a single-item conditional write) plus one item per orphan
 * payment. The partition key is prefixed so that the two never collide.
 */
export const orderKey = (merchantUid: string) => ({ pk: `ORDER#${merchantUid}` });
export const orphanKey = (impUid: string) => ({ pk: `ORPHAN#${impUid}` });

export const TABLE_KEY_SCHEMA = {
  partitionKey: 'pk',
} as const;
