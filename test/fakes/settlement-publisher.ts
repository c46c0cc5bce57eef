import type { PaymentSettled } from '../../functions/domain/model/settlement';
import {
  PublishError,
  type SettlementPublisher,
} from '../../functions/domain/ports/settlement-publisher';

/**
 * Keeps what it is asked to publish; `failAfter(n)` makes it fail once n
 * events are out in all, saying how many were, as the EventBridge adapter does.
 */
export class FakeSettlementPublisher implements SettlementPublisher {
  readonly published: PaymentSettled[] = [];
  private limit = Number.POSITIVE_INFINITY;

  failAfter(events: number): void {
    this.limit = events;
  }

  async publish(events: readonly PaymentSettled[]): Promise<void> {
    let sent = 0;
    for (const event of events) {
      if (this.published.length >= this.limit) throw new PublishError('bus unavailable', sent);
      this.published.push(event);
      sent++;
    }
  }
}
