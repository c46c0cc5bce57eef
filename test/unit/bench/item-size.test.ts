import { describe, expect, it } from 'vitest';
import { ITEM_OVERHEAD_BYTES, itemBytes } from '../../../bench/item-size';

describe('itemBytes', () => {
  it('adds names, values and the per-item overhead', () => {
    // "pk"(2) + "ORDER#a"(7), "amount"(6) + 1000 (1 significant digit: 2), "final"(5) + true (1)
    expect(itemBytes({ pk: 'ORDER#a', amount: 1000, final: true })).toBe(
      ITEM_OVERHEAD_BYTES + 9 + 8 + 6,
    );
  });

  it('counts maps and lists with their own overhead', () => {
    // "m"(1) + 3 + ("k"(1) + 1 + "v"(1)); "l"(1) + 3 + (1 + 12345 (5 digits: 4))
    expect(itemBytes({ m: { k: 'v' }, l: [12345] })).toBe(ITEM_OVERHEAD_BYTES + 7 + 9);
  });

  it('counts strings in UTF-8', () => {
    expect(itemBytes({ n: '주문' })).toBe(ITEM_OVERHEAD_BYTES + 1 + 6);
  });
});
