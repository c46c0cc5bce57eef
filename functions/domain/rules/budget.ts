/**
 * How long a request may still take. PortOne re-delivers a V1 webhook with
 * 15 s in all (docs/design.md §4.2), so the webhook plans its PortOne calls
 * inside 10 s and leaves what does not fit (a slow cancellation) to the next
 * delivery or the reconciler, instead of being cut off half way.
 */
export interface Budget {
  /** Milliseconds left; Infinity without a limit. */
  remainingMs(): number;
}

export const unlimited: Budget = { remainingMs: () => Number.POSITIVE_INFINITY };

export const budgetOf = (ms: number, now: () => number = () => performance.now()): Budget => {
  const deadline = now() + ms;
  return { remainingMs: () => deadline - now() };
};

/** complete and redirect: a browser waits, and API Gateway cuts off at 30 s. */
export const BROWSER_BUDGET_MS = 20_000;

/** Kept back from every PortOne call for the DynamoDB writes that follow it. */
export const STORAGE_RESERVE_MS = 1_000;

/** A cancellation step (look, claim, cancel, record) is not started with less time than this. */
export const CANCELLATION_STEP_MS = 2_500;

/** The time a PortOne call may take inside the budget, or undefined when the budget sets no limit. */
export const callLimit = (budget: Budget): { timeLimitMs?: number } => {
  const left = budget.remainingMs() - STORAGE_RESERVE_MS;
  return Number.isFinite(left) ? { timeLimitMs: Math.max(1, Math.floor(left)) } : {};
};
