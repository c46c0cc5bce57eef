/**
 * memorySize of each function, in one place. The API functions' sizes are
 * `npm run bench`'s choice (bench/lambda-model.ts: the cheapest size whose
 * modelled p99 stays within 1.25x of the physical limit's; its target checks
 * that these equal it); the others, which the bench does not time, keep 256 MB.
 */
export const FUNCTION_MEMORY_MB = {
  complete: 256,
  redirect: 256,
  webhook: 256,
  orders: 256,
  reconcile: 256,
  settled: 256,
} as const satisfies Record<string, number>;

export const DEFAULT_MEMORY_MB = 256;

export const memoryOf = (name: string): number =>
  (FUNCTION_MEMORY_MB as Record<string, number>)[name] ?? DEFAULT_MEMORY_MB;
