import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Log } from '../domain/ports/log';
import { CompactLogFormatter } from './log-formatter';

/**
 * Powertools Logger behind the domain's Log port. Per-request keys (`with`)
 * are carried by this wrapper and merged into each line, rather than set with
 * appendKeys on the shared logger (the local stack serves concurrent requests
 * from one process) or held by a child logger (createChild costs about ten
 * times the line it would write, on every request).
 */
export const powertoolsLog = (logger: Logger, bound: Record<string, unknown> = {}): Log => ({
  debug: (message, fields) => logger.debug(message, { ...bound, ...fields }),
  info: (message, fields) => logger.info(message, { ...bound, ...fields }),
  warn: (message, fields) => logger.warn(message, { ...bound, ...fields }),
  error: (message, fields) => logger.error(message, { ...bound, ...fields }),
  with: (fields) => powertoolsLog(logger, { ...bound, ...fields }),
});

export const createLogger = (serviceName: string): Logger =>
  // The level comes from POWERTOOLS_LOG_LEVEL, which Powertools reads itself.
  new Logger({ serviceName, logFormatter: new CompactLogFormatter() });

/** Adds the Lambda request id and cold-start flag to every line of the invocation. */
export const withLambdaContext =
  <E, R>(logger: Logger, handle: (event: E) => Promise<R>) =>
  async (event: E, context?: Context): Promise<R> => {
    if (context) logger.addContext(context);
    return handle(event);
  };
