import { loadConfig } from '../runtime/config';
import { createRuntime } from '../runtime/deps';
import { webhookHandler } from '../runtime/handlers';
import { createLogger, powertoolsLog, withLambdaContext } from '../runtime/logger';

// Built once per container: the configuration is checked here, at cold start,
// and the PortOne token and DynamoDB connections are reused across invocations.
const logger = createLogger('payments-webhook');

export const handler = withLambdaContext(
  logger,
  webhookHandler(createRuntime(loadConfig(), powertoolsLog(logger))),
);
