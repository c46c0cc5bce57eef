import type { OrderChange } from '../../domain/ports/settlement-publisher';
import { fromRaw, isOrderItem } from './order-item';

/**
 * A DynamoDB stream record as both the Lambda event and the Streams API
 * (DynamoDB Local) deliver it; only the fields we read.
 */
export interface StreamRecord {
  dynamodb?: {
    SequenceNumber?: string;
    OldImage?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
  };
}

/**
 * The order changes in a batch of stream records (NEW_AND_OLD_IMAGES), in
 * stream order, each named by its sequence number, which is how Lambda's
 * partial batch response names the record to resume from. Orphan payments
 * and other items are not orders and carry no settlement.
 */
export const orderChangesOf = (records: readonly StreamRecord[]): OrderChange[] =>
  records.flatMap(({ dynamodb }) => {
    if (!dynamodb?.SequenceNumber || !isOrderItem(dynamodb.NewImage)) return [];
    return [
      {
        id: dynamodb.SequenceNumber,
        before: isOrderItem(dynamodb.OldImage) ? fromImage(dynamodb.OldImage) : null,
        after: fromImage(dynamodb.NewImage),
      },
    ];
  });

const fromImage = (image: Record<string, unknown> | undefined) =>
  fromRaw(
    Object.fromEntries(Object.entries(image ?? {}).map(([key, value]) => [key, repaired(value)])),
  );

/**
 * The Streams client hands an empty map (`{"M": {}}`) over as `{}` (seen with
 * DynamoDB Local), which `unmarshall` rejects; an attribute value without a
 * type can only have been an empty map.
 */
const repaired = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null) return value;
  const attribute = value as { M?: Record<string, unknown>; L?: unknown[] };
  if (Object.keys(attribute).length === 0) return { M: {} };
  if (attribute.M) {
    return { M: Object.fromEntries(Object.entries(attribute.M).map(([k, v]) => [k, repaired(v)])) };
  }
  if (attribute.L) return { L: attribute.L.map(repaired) };
  return value;
};
