import type { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { eventBridgePublisher } from '../../../../../functions/adapters/eventbridge/eventbridge-publisher';
import type { PaymentSettled } from '../../../../../functions/domain/model/settlement';
import { PublishError } from '../../../../../functions/domain/ports/settlement-publisher';

const event = (n: number): PaymentSettled => ({
  id: `order-${n}/paid`,
  merchant_uid: `order-${n}`,
  status: 'paid',
  settled_at: '2025-11-13T02:01:00.000Z',
  order_amount: 1000,
  paid_amount: 1000,
  cancel_amount: 0,
  currency: 'KRW',
  previous: [],
});

type Answer = (ids: string[]) => (string | null)[] | Error;

/** A client whose PutEvents answers per entry: null accepted, a string an error code. */
const fakeClient = (answer: Answer) => {
  const calls: string[][] = [];
  const client = {
    send: async (command: PutEventsCommand) => {
      const entries = command.input.Entries ?? [];
      const ids = entries.map((entry) => JSON.parse(entry.Detail ?? '{}').id as string);
      calls.push(ids);
      const result = answer(ids);
      if (result instanceof Error) throw result;
      return {
        FailedEntryCount: result.filter(Boolean).length,
        Entries: result.map((code) => (code ? { ErrorCode: code } : { EventId: 'x' })),
      };
    },
  } as unknown as EventBridgeClient;
  return { client, calls };
};

const events = (count: number) => Array.from({ length: count }, (_, n) => event(n));

describe('eventBridgePublisher', () => {
  it('sends batches of ten to the bus with the source and detail type subscribers match', async () => {
    const sent: PutEventsCommand[] = [];
    const client = {
      send: async (command: PutEventsCommand) => {
        sent.push(command);
        return { FailedEntryCount: 0, Entries: [] };
      },
    } as unknown as EventBridgeClient;

    await eventBridgePublisher(client, 'payments-bus').publish(events(23));

    expect(sent.map((command) => command.input.Entries?.length)).toEqual([10, 10, 3]);
    const [first] = sent[0]?.input.Entries ?? [];
    expect(first).toMatchObject({
      EventBusName: 'payments-bus',
      Source: 'portone-payments',
      DetailType: 'Payment settled',
      Time: new Date('2025-11-13T02:01:00.000Z'),
    });
    expect(JSON.parse(first?.Detail ?? '')).toEqual(event(0));
  });

  it('sends the refused entries once more', async () => {
    let round = 0;
    const { client, calls } = fakeClient((ids) => {
      const first = round++ === 0;
      return ids.map((_, i) => (first && i >= 1 ? 'ThrottlingException' : null));
    });

    await eventBridgePublisher(client, 'bus').publish(events(3));

    expect(calls).toEqual([
      ['order-0/paid', 'order-1/paid', 'order-2/paid'],
      ['order-1/paid', 'order-2/paid'],
    ]);
  });

  it('says how many leading events are out when entries are refused twice', async () => {
    const { client } = fakeClient((ids) =>
      ids.map((id) => (id === 'order-12/paid' ? 'InternalFailure' : null)),
    );

    const failure = await eventBridgePublisher(client, 'bus')
      .publish(events(15))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PublishError);
    expect((failure as PublishError).published).toBe(12);
  });

  it('counts a batch that threw as not published', async () => {
    const { client } = fakeClient((ids) =>
      ids[0] === 'order-10/paid' ? new Error('connect ECONNREFUSED') : ids.map(() => null),
    );

    const failure = await eventBridgePublisher(client, 'bus')
      .publish(events(15))
      .catch((error: unknown) => error);

    expect((failure as PublishError).published).toBe(10);
  });
});
