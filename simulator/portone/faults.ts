import type { ApiRoute, Fault, FaultInput, FaultKind, FaultRoute } from './types';

const ROUTES: readonly FaultRoute[] = [
  'getToken',
  'getPayment',
  'findPayment',
  'cancel',
  'prepare',
  'revokeVbank',
  'v2.getPayment',
  'v2.cancel',
  'v2.preRegister',
  '*',
];
const KINDS: readonly FaultKind[] = ['status', 'slow', 'unauthorized', 'malformed', 'reset'];

/**
 * Faults queued by tests and consumed, in order, by the API calls they match.
 * This is how a client's timeout, retry and error-mapping paths get exercised
 * deterministically.
 */
export class FaultQueue {
  private faults: Fault[] = [];
  private nextId = 1;

  add(input: FaultInput): Fault {
    const fault: Fault = {
      id: this.nextId++,
      route: input.route,
      kind: input.kind,
      status: input.status ?? 500,
      delayMs: input.delayMs ?? 10_000,
      times: input.times ?? 1,
      body: input.body ?? null,
    };
    this.faults.push(fault);
    return fault;
  }

  /** Takes one use of the first fault matching the route, if any. */
  take(route: ApiRoute): Fault | undefined {
    const index = this.faults.findIndex((f) => f.route === '*' || f.route === route);
    const fault = this.faults[index];
    if (fault === undefined) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return { ...fault };
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}

/** Returns an error message, or null when the input is a valid fault. */
export function validateFault(input: Record<string, unknown>): string | null {
  if (!ROUTES.includes(input.route as FaultRoute)) {
    return `route must be one of ${ROUTES.join(', ')}`;
  }
  if (!KINDS.includes(input.kind as FaultKind)) return `kind must be one of ${KINDS.join(', ')}`;
  for (const key of ['status', 'delayMs', 'times'] as const) {
    const value = input[key];
    if (
      value !== undefined &&
      (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    ) {
      return `${key} must be a non-negative integer`;
    }
  }
  if (
    input.status !== undefined &&
    ((input.status as number) < 100 || (input.status as number) > 599)
  ) {
    return 'status must be an HTTP status code';
  }
  if (input.times === 0) return 'times must be at least 1';
  if (input.body !== undefined && typeof input.body !== 'string') return 'body must be a string';
  return null;
}
