import type { Clock } from '../../functions/domain/ports/clock';

/**
 * A clock that stands still until the test moves it. Starts a minute after
 * the payments of test/support/payments.ts were made, so that a cancellation
 * PortOne records "now" is newer than the payment it cancels.
 */
export class FakeClock {
  private ms: number;

  constructor(start = '2025-11-13T02:15:00.000Z') {
    this.ms = Date.parse(start);
  }

  /** The Clock port, to hand to the code under test. */
  readonly now: Clock = () => new Date(this.ms);

  iso(): string {
    return new Date(this.ms).toISOString();
  }

  /** Unix seconds, the way PortOne stamps its payments. */
  unix(): number {
    return Math.floor(this.ms / 1000);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
}
