import { describe, expect, it } from 'vitest';
import type { Order } from '../../../../../functions/domain/model/order';
import type { PaymentSettled } from '../../../../../functions/domain/model/settlement';
import {
  type OrderChange,
  PublishError,
  type SettlementPublisher,
} from '../../../../../functions/domain/ports/settlement-publisher';
import { newOrder } from '../../../../../functions/domain/rules/new-order';
import { announceSettlements } from '../../../../../functions/domain/use-cases/announce-settlements';
import { silentLog } from '../../../../fakes/log';

const order = (merchantUid: string, settled: Order['settled'] = {}): Order => ({
  ...newOrder({
    merchant_uid: merchantUid,
    amount: 1000,
    currency: 'KRW',
    name: null,
    prepared: true,
    now: '2025-11-13T02:00:00.000Z',
  }),
  status: 'paid',
  final: true,
  settled,
});

const settling = (id: string, merchantUid: string): OrderChange => ({
  id,
  before: order(merchantUid),
  after: order(merchantUid, { paid: '2025-11-13T02:01:00.000Z' }),
});

/** Publishes until `limit` events are out, then fails. */
const publisherFailingAfter = (limit: number) => {
  const published: PaymentSettled[] = [];
  const publisher: SettlementPublisher = {
    async publish(events) {
      for (const event of events) {
        if (published.length >= limit) throw new PublishError('bus down', published.length);
        published.push(event);
      }
    },
  };
  return { published, publisher };
};

describe('announceSettlements', () => {
  it('publishes one event per settling change, in stream order', async () => {
    const { published, publisher } = publisherFailingAfter(Infinity);
    const changes = [
      settling('1', 'a'),
      { id: '2', before: order('b'), after: order('b') },
      settling('3', 'c'),
    ];

    const result = await announceSettlements(changes, { publisher, log: silentLog });

    expect(result).toEqual({ published: 2, retryFrom: null });
    expect(published.map((event) => event.id)).toEqual(['a/paid', 'c/paid']);
  });

  it('names the first change whose event is not out when publishing fails', async () => {
    const { publisher } = publisherFailingAfter(1);
    const changes = [settling('1', 'a'), settling('2', 'b'), settling('3', 'c')];

    const result = await announceSettlements(changes, { publisher, log: silentLog });

    expect(result).toEqual({ published: 1, retryFrom: '2' });
  });

  it('retries from the first settling change when the failure says nothing', async () => {
    const publisher: SettlementPublisher = {
      publish: async () => {
        throw new Error('socket hang up');
      },
    };
    const changes = [{ id: '1', before: null, after: order('a') }, settling('2', 'b')];

    const result = await announceSettlements(changes, { publisher, log: silentLog });

    expect(result).toEqual({ published: 0, retryFrom: '2' });
  });

  it('does not call the publisher for a batch with nothing to announce', async () => {
    const { publisher, published } = publisherFailingAfter(0);
    const result = await announceSettlements([{ id: '1', before: null, after: order('a') }], {
      publisher,
      log: silentLog,
    });
    expect(result).toEqual({ published: 0, retryFrom: null });
    expect(published).toEqual([]);
  });
});
