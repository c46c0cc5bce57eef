import type { Log } from './logger';
import type { Order } from './order';
import { type PaymentSettled, settledEventsOf } from './settlement';

/** One stored change of an order, as the table's stream reports it. */
export interface OrderChange {
  /** Names the change for a retry (the stream record's sequence number). */
  id: string;
  before: Order | null;
  after: Order | null;
}

/**
 * The port to the merchant's subscribers: EventBridge in AWS
 * (functions/adapters/eventbridge), a log line and a list locally.
 */
export interface SettlementPublisher {
  /**
   * Publishes the events in order. On failure it throws a PublishError
   * saying how many leading events were published for certain.
   */
  publish(events: readonly PaymentSettled[]): Promise<void>;
}

export class PublishError extends Error {
  constructor(
    message: string,
    readonly published: number,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

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
