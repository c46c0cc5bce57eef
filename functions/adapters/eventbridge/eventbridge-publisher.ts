import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import type { PaymentSettled } from '../../domain/model/settlement';
import { PublishError, type SettlementPublisher } from '../../domain/ports/settlement-publisher';
import { SETTLED_EVENT } from './event-names';

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;

/**
 * Publishes to the stack's event bus. PutEvents can accept part of a batch;
 * the entries it refused are sent once more, and if some still fail the
 * error says how many leading events are out, so nothing is skipped.
 */
export const eventBridgePublisher = (
  client: EventBridgeClient,
  eventBusName: string,
): SettlementPublisher => ({
  async publish(events) {
    for (let start = 0; start < events.length; start += BATCH) {
      const batch = events.slice(start, start + BATCH);
      let failedAt: number | null;
      try {
        failedAt = await put(
          client,
          batch.map((event) => entryOf(event, eventBusName)),
        );
        if (failedAt !== null) {
          const retried = await put(
            client,
            batch.slice(failedAt).map((e) => entryOf(e, eventBusName)),
          );
          failedAt = retried === null ? null : failedAt + retried;
        }
      } catch (error) {
        throw new PublishError(`PutEvents failed: ${(error as Error).message}`, start);
      }
      if (failedAt !== null) {
        throw new PublishError('EventBridge refused some events', start + failedAt);
      }
    }
  },
});

/** The index of the first entry EventBridge refused, or null when it took them all. */
const put = async (
  client: EventBridgeClient,
  entries: PutEventsRequestEntry[],
): Promise<number | null> => {
  const { FailedEntryCount, Entries } = await client.send(
    new PutEventsCommand({ Entries: entries }),
  );
  if (!FailedEntryCount) return null;
  const index = (Entries ?? []).findIndex((entry) => entry.ErrorCode);
  return index === -1 ? 0 : index;
};

const entryOf = (event: PaymentSettled, eventBusName: string): PutEventsRequestEntry => ({
  EventBusName: eventBusName,
  Source: SETTLED_EVENT.source,
  DetailType: SETTLED_EVENT.detailType,
  Time: new Date(event.settled_at),
  Resources: [],
  Detail: JSON.stringify(event),
});
