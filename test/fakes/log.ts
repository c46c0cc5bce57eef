import type { Log } from '../../functions/domain/ports/log';
import { captureLog, type LogLine } from '../support/capture-log';

/** A log that drops every line: for tests and the bench, where lines are not the subject. */
export const silentLog: Log = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  with: () => silentLog,
};

/** A log that keeps every line (fields of `with` included), for tests that assert on what was logged. */
export const recordingLog = (): Log & { lines: LogLine[] } => captureLog();

/** The messages logged at `level`, in order: enough for most assertions. */
export const messagesAt = (lines: readonly LogLine[], level: LogLine['level']): string[] =>
  lines.filter((line) => line.level === level).map((line) => line.message);

export type { LogLine };
