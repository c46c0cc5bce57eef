import { loadConfig } from '../runtime/config';
import { createRuntime } from '../runtime/deps';
import { redirectHandler } from '../runtime/handlers';
import { createLogger, powertoolsLog, withLambdaContext } from '../runtime/logger';

// Built once per container: the configuration is checked here, at cold start,
// and the PortOne token and DynamoDB connections are reused across invocations.
const logger = createLogger('payments-redirect');

export const handler = withLambdaContext(
  logger,
  redirectHandler(createRuntime(loadConfig(), powertoolsLog(logger))),
);
