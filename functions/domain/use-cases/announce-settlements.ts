import type { Log } from '../ports/log';
import {
  type OrderChange,
  PublishError,
  type SettlementPublisher,
} from '../ports/settlement-publisher';
import { settledEventsOf } from '../rules/settlement';

/**
 * Publishes the settlement events a batch of changes carries. When
 * publishing fails, answers the first change whose events are not all out,
 * so the stream redelivers from there (and consumers dedupe by event id
 * whatever was published twice).
 */
export const announceSettlements = async (
  changes: readonly OrderChange[],
  deps: { publisher: SettlementPublisher; log: Log },
): Promise<{ published: number; retryFrom: string | null }> => {
  const events = changes.flatMap((change) =>
    settledEventsOf(change.before, change.after).map((event) => ({ change: change.id, event })),
  );
  if (events.length === 0) return { published: 0, retryFrom: null };
  try {
    await deps.publisher.publish(events.map(({ event }) => event));
  } catch (error) {
    const published = error instanceof PublishError ? error.published : 0;
    const retryFrom = events[published]?.change ?? events[0]?.change ?? null;
    deps.log.error('settlement events not published; the stream will deliver them again', {
      published,
      pending: events.length - published,
      error: error instanceof Error ? error.message : String(error),
    });
    return { published, retryFrom };
  }
  for (const { event } of events) {
    deps.log.info('payment settled', {
      event_id: event.id,
      merchant_uid: event.merchant_uid,
      status: event.status,
    });
  }
  return { published: events.length, retryFrom: null };
};
