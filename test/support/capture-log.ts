import type { Log } from '../../functions/domain/ports/log';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  [field: string]: unknown;
}

/** A Log that keeps every line, so tests can assert on what was (and was not) logged. */
export const captureLog = (
  lines: LogLine[] = [],
  base: Record<string, unknown> = {},
): Log & { lines: LogLine[] } => {
  const write =
    (level: LogLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      lines.push({ ...base, ...fields, level, message });
    };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    with: (fields) => captureLog(lines, { ...base, ...fields }),
  };
};
