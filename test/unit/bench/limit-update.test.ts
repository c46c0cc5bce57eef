import { describe, expect, it } from 'vitest';
import { updateTo } from '../../../bench/limit';

describe("the limit's UpdateItem", () => {
  const registered = {
    pk: { S: 'ORDER#a' },
    merchant_uid: { S: 'a' },
    amount: { N: '1000' },
    currency: { S: 'KRW' },
    status: { S: 'ready' },
    recheck_shard: { S: 'RECHECK#1' },
  };
  // Settled: out of the recheck index.
  const { recheck_shard: _shard, ...rest } = registered;
  const confirmed = { ...rest, status: { S: 'paid' }, imp_uid: { S: 'imp_1' } };

  it('sets what changed, removes what went and keeps the key, under the fast path condition', () => {
    const update = updateTo(registered, confirmed);
    expect(update.UpdateExpression).toBe('SET #a0 = :v0, #a1 = :v1 REMOVE #a2');
    expect(update.ExpressionAttributeNames).toMatchObject({
      '#a0': 'status',
      '#a1': 'imp_uid',
      '#a2': 'recheck_shard',
      '#imp': 'imp_1',
    });
    expect(update.ExpressionAttributeValues).toEqual({
      ':v0': { S: 'paid' },
      ':v1': { S: 'imp_1' },
      ':amount': { N: '1000' },
      ':currency': { S: 'KRW' },
    });
    expect(update.ConditionExpression).toBe(
      'attribute_exists(pk) AND #amount = :amount AND #currency = :currency AND attribute_not_exists(#att.#imp)',
    );
  });
});
