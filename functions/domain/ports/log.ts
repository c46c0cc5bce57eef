/**
 * The logging port: structured, one JSON line per event. The Lambda adapter
 * is Powertools Logger (functions/runtime/logger.ts). Callers pass
 * identifiers and outcomes only, never credentials, tokens or the buyer's
 * personal data.
 */
export interface Log {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A log whose every line also carries `fields` (e.g. the request's merchant_uid). */
  with(fields: Record<string, unknown>): Log;
}
