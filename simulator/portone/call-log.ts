import type { CallRecord } from './types';

/** Every PortOne API call the simulator answered, so tests can count them. */
export class CallLog {
  private calls: CallRecord[] = [];

  record(call: CallRecord): void {
    this.calls.push(call);
  }

  list(): CallRecord[] {
    return this.calls.map((c) => ({ ...c }));
  }

  clear(): void {
    this.calls = [];
  }
}
