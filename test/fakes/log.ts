import type { Log } from '../../functions/domain/ports/log';

/** A log that drops every line: for tests and the bench, where lines are not the subject. */
export const silentLog: Log = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  with: () => silentLog,
};
