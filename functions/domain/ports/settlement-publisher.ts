import type { Order } from '../model/order';
import type { PaymentSettled } from '../model/settlement';

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
