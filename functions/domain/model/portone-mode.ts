/**
 * `live` treats test-channel payments as forgery; `test` accepts them
 * (docs/design.md §2 step 4). No imports: the runtime's and the stack's
 * configuration read it too.
 */
export const PORTONE_MODES = ['live', 'test'] as const;
export type PortOneMode = (typeof PORTONE_MODES)[number];
