import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { toItem } from '../../../../../functions/adapters/dynamodb/order-item';
import { orderChangesOf } from '../../../../../functions/adapters/dynamodb/stream-changes';
import { newOrder } from '../../../../../functions/domain/rules/new-order';

const order = newOrder({
  merchant_uid: 'order-1',
  amount: 1000,
  currency: 'KRW',
  name: null,
  prepared: true,
  now: '2025-11-13T02:00:00.000Z',
});
const image = (value: object) => marshall(value, { removeUndefinedValues: true });

describe('orderChangesOf', () => {
  it('reads the old and new order of each record, named by sequence number', () => {
    const paid = { ...order, status: 'paid' as const, final: true, rev: 1 };
    const changes = orderChangesOf([
      {
        dynamodb: {
          SequenceNumber: '100',
          OldImage: image(toItem(order)),
          NewImage: image(toItem(paid)),
        },
      },
    ]);
    expect(changes).toEqual([{ id: '100', before: order, after: paid }]);
  });

  it('treats an inserted order as having no earlier state', () => {
    const [change] = orderChangesOf([
      { dynamodb: { SequenceNumber: '1', NewImage: image(toItem(order)) } },
    ]);
    expect(change?.before).toBeNull();
  });

  it('reads an empty map the Streams client handed over as an untyped value', () => {
    const item = image(toItem(order)) as Record<string, unknown>;
    const [change] = orderChangesOf([
      { dynamodb: { SequenceNumber: '1', NewImage: { ...item, attempts: {}, settled: {} } } },
    ]);
    expect(change?.after).toEqual(order);
  });

  it('skips orphan payments, removals and records without a sequence number', () => {
    const orphan = image({ pk: 'ORPHAN#imp_1', type: 'orphan', imp_uid: 'imp_1' });
    expect(
      orderChangesOf([
        { dynamodb: { SequenceNumber: '1', NewImage: orphan } },
        { dynamodb: { SequenceNumber: '2', OldImage: image(toItem(order)) } },
        { dynamodb: { NewImage: image(toItem(order)) } },
        {},
      ]),
    ).toEqual([]);
  });
});
