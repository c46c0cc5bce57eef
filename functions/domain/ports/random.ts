/**
 * `size` cryptographically random bytes. Injected so that tests can fix the
 * ids they issue; the runtime gives Node's crypto (functions/runtime/handlers.ts).
 */
export type RandomBytes = (size: number) => Uint8Array;
