import type { Log } from '../functions/domain/ports/log';
import { RECHECK_AFTER_MS } from '../functions/domain/rules/recheck';
import { reconcile } from '../functions/domain/use-cases/reconcile';
import { type Runtime, verificationDeps } from '../functions/runtime/deps';

type Env = Record<string, string | undefined>;

/** How the local stack runs the reconciler (AWS: every 5 minutes, lib/reconcile-schedule.ts). */
export interface LocalReconcileSettings {
  /** Between the end of one run and the start of the next; 0 turns the schedule off. */
  everyMs: number;
  /** How long after its last write an unconfirmed order is looked up at PortOne. */
  afterMs: number;
}

export class LocalReconcileSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalReconcileSettingError';
  }
}

const seconds = (env: Env, name: string, fallback: number): number => {
  const raw = env[name]?.trim();
  if (!raw) return fallback * 1000;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new LocalReconcileSettingError(
      `Environment variable ${name} must be a number of seconds, got "${raw}"`,
    );
  }
  return value * 1000;
};

/**
 * LOCAL_RECONCILE_EVERY (seconds, default 15; 0 turns it off) and
 * LOCAL_RECONCILE_AFTER (seconds, default 30). Locally nobody waits the 10
 * minutes AWS gives a webhook before the reconciler looks an unconfirmed
 * order up (RECHECK_AFTER_MS), so a closed or declined window, which PortOne
 * sends no webhook for, settles within about 45 seconds. 30 s still leaves
 * the simulator's delayed webhooks time to arrive first.
 */
export const localReconcileSettings = (env: Env): LocalReconcileSettings => ({
  everyMs: seconds(env, 'LOCAL_RECONCILE_EVERY', 15),
  afterMs: Math.min(seconds(env, 'LOCAL_RECONCILE_AFTER', 30), RECHECK_AFTER_MS),
});

/** The run's summary is logged only when it looked at an order: idle runs every few seconds are noise. */
const quietWhenIdle = (log: Log): Log => ({
  debug: (message, fields) => log.debug(message, fields),
  warn: (message, fields) => log.warn(message, fields),
  error: (message, fields) => log.error(message, fields),
  info: (message, fields) =>
    fields?.due === 0 && message === 'reconciliation finished'
      ? log.debug(message, fields)
      : log.info(message, fields),
  with: (fields) => log.with(fields),
});

/**
 * Runs the reconciler on a timer, as EventBridge does in AWS. It looks at
 * every order whose recheck time comes within `RECHECK_AFTER_MS - afterMs`
 * (the reconciler's look-ahead) rather than moving the clock, so every
 * history entry keeps the real time. Runs never overlap. Returns the stop.
 */
export const scheduleReconciler = (
  runtime: Runtime,
  { everyMs, afterMs }: LocalReconcileSettings,
): (() => Promise<void>) => {
  if (everyMs <= 0) return async () => {};
  const deps = { ...verificationDeps(runtime), log: quietWhenIdle(runtime.log) };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = reconcile(deps, { lookAheadMs: RECHECK_AFTER_MS - afterMs })
      .catch((error: unknown) => {
        runtime.log.warn('scheduled reconciliation failed', { error: String(error) });
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(run, everyMs);
      });
  };
  timer = setTimeout(run, everyMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
};
