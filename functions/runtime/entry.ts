import { loadConfig } from './config';
import { createRuntime, type Runtime } from './deps';
import { createLogger, powertoolsLog, withLambdaContext } from './logger';

/**
 * A Lambda entry point from its function's name and handler builder. Built
 * once per container, at import: the configuration is checked at cold start,
 * and the PortOne token and DynamoDB connections are reused across
 * invocations.
 */
export const lambdaEntry = <E, R>(
  name: string,
  build: (runtime: Runtime) => (event: E) => Promise<R>,
) => {
  const logger = createLogger(`payments-${name}`);
  return withLambdaContext(logger, build(createRuntime(loadConfig(), powertoolsLog(logger))));
};
