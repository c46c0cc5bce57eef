import { randomBytes } from 'node:crypto';
import type { SimClock } from './clock';

/** Fresh tokens live 30 minutes (reference §1.2). */
export const TOKEN_LIFETIME_SECONDS = 30 * 60;
/** getToken within this many seconds of expiry extends the same token... */
export const EXTENSION_WINDOW_SECONDS = 60;
/** ...by this much. */
export const EXTENSION_SECONDS = 5 * 60;

export interface IssuedToken {
  access_token: string;
  now: number;
  expired_at: number;
}

/**
 * PortOne keeps one token per API key and hands the same one to every caller
 * until it expires, so that many servers can share a key. Clients that cache
 * by `expired_at - now` and retry once on 401 are what this exercises.
 */
export class TokenStore {
  private readonly expiries = new Map<string, number>();
  private current: string | null = null;

  constructor(private readonly clock: SimClock) {}

  issue(): IssuedToken {
    const now = this.clock.now();
    const token = this.current;
    const expiredAt = token === null ? undefined : this.expiries.get(token);
    if (token !== null && expiredAt !== undefined && expiredAt > now) {
      const extended =
        expiredAt - now <= EXTENSION_WINDOW_SECONDS ? expiredAt + EXTENSION_SECONDS : expiredAt;
      this.expiries.set(token, extended);
      return { access_token: token, now, expired_at: extended };
    }
    const fresh = randomBytes(20).toString('hex');
    const freshExpiry = now + TOKEN_LIFETIME_SECONDS;
    this.expiries.set(fresh, freshExpiry);
    this.current = fresh;
    return { access_token: fresh, now, expired_at: freshExpiry };
  }

  isValid(token: string): boolean {
    const expiredAt = this.expiries.get(token);
    return expiredAt !== undefined && expiredAt > this.clock.now();
  }

  /** Makes every issued token expire now; the next getToken issues a new one. */
  expireAll(): number {
    const now = this.clock.now();
    for (const token of this.expiries.keys()) this.expiries.set(token, now);
    return this.expiries.size;
  }

  clear(): void {
    this.expiries.clear();
    this.current = null;
  }
}
