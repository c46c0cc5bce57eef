import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Log } from '../domain/logger';

/**
 * Powertools Logger behind the domain's Log port. Per-request keys live in a
 * child logger rather than in appendKeys on the shared one, because the local
 * stack serves concurrent requests from one process.
 */
export const powertoolsLog = (logger: Logger): Log => ({
  debug: (message, fields) => logger.debug(message, fields ?? {}),
  info: (message, fields) => logger.info(message, fields ?? {}),
  warn: (message, fields) => logger.warn(message, fields ?? {}),
  error: (message, fields) => logger.error(message, fields ?? {}),
  with: (fields) => powertoolsLog(logger.createChild({ persistentKeys: fields })),
});

export const createLogger = (serviceName: string): Logger =>
  // The level comes from POWERTOOLS_LOG_LEVEL, which Powertools reads itself.
  new Logger({ serviceName });

/** Adds the Lambda request id and cold-start flag to every line of the invocation. */
export const withLambdaContext =
  <E, R>(logger: Logger, handle: (event: E) => Promise<R>) =>
  async (event: E, context?: Context): Promise<R> => {
    if (context) logger.addContext(context);
    return handle(event);
  };
