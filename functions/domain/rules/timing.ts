/**
 * The service's waiting times in one place. The reconciler runs on a
 * schedule (lib/reconcile-schedule.ts, RECONCILE_EVERY) and looks at each
 * order when its `check_at` has come (recheck.ts), so each wait below is
 * kept up to one interval longer.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An unconfirmed result (no webhook yet) is looked up after this long. */
export const RECHECK_AFTER_MS = 10 * MINUTE;

/** I8: how long PortOne is watched for what it may still do to an order (a late approval, a refund shown late). */
export const RECONCILE_HORIZON_MS = 7 * DAY;

/** The shortest and longest wait between two looks at an order with no outcome yet. */
export const RECHECK_ABANDONED_MS = HOUR;
export const RECHECK_LONGEST_MS = DAY;

/** An expired virtual account is still watched this long: a deposit PortOne records late, or whose webhook was lost. */
export const VBANK_GRACE_MS = 2 * DAY;

/** A claimed cancellation whose answer never came is taken over after this (a crashed or timed-out caller). */
export const CANCELLATION_LEASE_MS = MINUTE;

/** Waits between retries of a failed cancellation double from 0 up to this. */
export const CANCELLATION_RETRY_LONGEST_MS = 6 * HOUR;

/** Waits between looks at a cancellation PortOne accepted but does not show yet. */
export const CANCELLATION_LOOK_SHORTEST_MS = 10 * MINUTE;
export const CANCELLATION_LOOK_LONGEST_MS = DAY;

/** A cancellation owed but not started (the request ran out of time) is picked up by the reconciler after this. */
export const CANCELLATION_PICKUP_MS = MINUTE;

/** The wait that doubles with the time already waited since `sinceMs`, within [shortest, longest]. */
export const doubling = (
  nowMs: number,
  sinceMs: number,
  shortest: number,
  longest: number,
): number => Math.min(Math.max(nowMs - sinceMs, shortest), longest);

export const isoAfter = (now: string, ms: number): string =>
  new Date(Date.parse(now) + ms).toISOString();
