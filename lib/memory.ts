/**
 * memorySize of each function, in one place. The API functions' sizes are
 * `npm run bench`'s choice (bench/lambda-model.ts: the cheapest size whose
 * modelled p99 stays within 1.25x of the physical limit's; its target checks
 * that these equal it); the others, which the bench does not time, keep 256 MB.
 */
export const FUNCTION_MEMORY_MB = {
  // npm run bench, twice on 2026-12-03 (full, 2-core machine): 512 MB for all three both
  // times; at 256 MB the modelled p99 was 61.5 to 79.7 ms against a bound of 55.3 to 56.3.
  complete: 512,
  redirect: 512,
  webhook: 512,
  orders: 256,
  reconcile: 256,
  settled: 256,
} as const satisfies Record<string, number>;

export const DEFAULT_MEMORY_MB = 256;

export const memoryOf = (name: string): number =>
  (FUNCTION_MEMORY_MB as Record<string, number>)[name] ?? DEFAULT_MEMORY_MB;
