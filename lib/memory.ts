/**
 * memorySize of each function, in one place. The API functions' sizes are
 * `npm run bench`'s choice (bench/lambda-model.ts: the cheapest size whose
 * modelled p99 stays within 1.25x of the physical limit's; its target checks
 * that these equal it); the others, which the bench does not time, keep 256 MB.
 */
export const FUNCTION_MEMORY_MB = {
  // npm run bench on 2026-12-03 (full, 2-core machine): no size met the bound (modelled p99
  // 57.0 to 64.8 ms at 512 MB against 56.3); 512 MB came closest for all three.
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
