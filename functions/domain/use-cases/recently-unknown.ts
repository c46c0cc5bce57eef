import type { Clock } from '../ports/clock';

/** Long enough to absorb a flood of repeats, short enough that a slow PortOne index catches up. */
export const UNKNOWN_FOR_MS = 60_000;
/** Bounds the memory a flood of distinct ids can take (tens of bytes each). */
export const UNKNOWN_CAPACITY = 10_000;

/**
 * The imp_uids PortOne said it does not know, remembered for a minute by one
 * container, so that a page (or an `<img>` on someone else's page) repeating
 * the same made-up id costs one PortOne lookup, not one per request. Only
 * the browser routes consult it; the webhook, PortOne's own word, always
 * looks up.
 */
export class RecentlyUnknown {
  // Insertion order is expiry order, so the oldest entry is always first.
  private readonly until = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly forMs = UNKNOWN_FOR_MS,
    private readonly capacity = UNKNOWN_CAPACITY,
  ) {}

  has(id: string): boolean {
    const until = this.until.get(id);
    if (until === undefined) return false;
    if (until > this.clock().getTime()) return true;
    this.until.delete(id);
    return false;
  }

  remember(id: string): void {
    this.until.delete(id);
    this.until.set(id, this.clock().getTime() + this.forMs);
    if (this.until.size > this.capacity) {
      const oldest = this.until.keys().next().value;
      if (oldest !== undefined) this.until.delete(oldest);
    }
  }
}
