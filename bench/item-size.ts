/**
 * The size DynamoDB bills an item's storage by, from the item itself
 * (developer guide, "Item sizes"): each attribute's name in UTF-8 plus its
 * value: a string its UTF-8 bytes, a number about one byte per two
 * significant digits plus one, a boolean or null one byte, a map or list
 * three bytes plus one per element plus what it holds; plus 100 bytes of
 * overhead per item.
 */
export const ITEM_OVERHEAD_BYTES = 100;

const valueBytes = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits = String(Math.abs(value))
      .replace(/e.*$/, '')
      .replace('.', '')
      .replace(/^0+|0+$/g, '');
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  }
  if (Array.isArray(value)) return 3 + value.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  if (typeof value === 'object')
    return (
      3 +
      Object.entries(value).reduce(
        (sum, [k, v]) => sum + 1 + Buffer.byteLength(k, 'utf8') + valueBytes(v),
        0,
      )
    );
  return Buffer.byteLength(String(value), 'utf8');
};

/** Bytes of one item as the document client returns it, with the per-item overhead. */
export const itemBytes = (item: Record<string, unknown>): number =>
  ITEM_OVERHEAD_BYTES +
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueBytes(value),
    0,
  );
