import type { V2DeliveryOutcome } from './types';

/** PortOne V2 re-sends a webhook up to 5 times (reference §3.4). */
export const DEFAULT_MAX_RETRIES = 5;
/** The first re-send's nominal delay: 1 minute, then ×4 each time (1, 4, 16, 64, 256 minutes). */
export const DEFAULT_RETRY_BASE_MS = 60_000;
const FACTOR = 4;

export interface V2RetryPolicy {
  maxRetries: number;
  baseMs: number;
  /** Full jitter (delay × random[0,1)) as PortOne does; off gives the nominal delays, for exact tests. */
  jitter: boolean;
}

/**
 * The wait before re-send `n` (1-based): base × 4^(n-1), times random[0,1)
 * with jitter. Full jitter spreads re-sends of many failed webhooks so that a
 * merchant coming back up is not hit by all of them at once.
 */
export function retryDelayMs(policy: V2RetryPolicy, n: number, random = Math.random): number {
  const nominal = policy.baseMs * FACTOR ** (n - 1);
  return Math.floor(policy.jitter ? nominal * random() : nominal);
}

/**
 * Delivered means a 2xx answer (which codes PortOne counts as OK is
 * unconfirmed; 2xx is the reference's assumption). A network error, a
 * timeout and any other status are re-sent; a skipped delivery is not.
 */
export function needsRetry(outcome: V2DeliveryOutcome): boolean {
  if ('skipped' in outcome) return false;
  if ('error' in outcome) return true;
  return outcome.status < 200 || outcome.status > 299;
}
