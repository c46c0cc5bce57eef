/**
 * The simulator's notion of "now", in unix seconds. It follows the real clock
 * plus an offset so that a dev stack sees time pass naturally, while tests can
 * jump forward (token expiry, vbank deadlines, distinct timestamps) without
 * waiting.
 */
export class SimClock {
  private offset = 0;

  now(): number {
    return realNow() + this.offset;
  }

  advance(seconds: number): number {
    this.offset += seconds;
    return this.now();
  }

  set(unixSeconds: number): number {
    this.offset = unixSeconds - realNow();
    return this.now();
  }

  reset(): void {
    this.offset = 0;
  }
}

function realNow(): number {
  return Math.floor(Date.now() / 1000);
}
