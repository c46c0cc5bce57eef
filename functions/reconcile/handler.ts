import { reconcile } from '../domain/reconcile';
import { loadConfig } from '../runtime/config';
import { createRuntime, verificationDeps } from '../runtime/deps';
import { createLogger, powertoolsLog, withLambdaContext } from '../runtime/logger';

// Built once per container: the configuration is checked here, at cold start.
const logger = createLogger('payments-reconcile');
const runtime = createRuntime(loadConfig(), powertoolsLog(logger));

/**
 * Runs on an EventBridge schedule: settles every order whose recheck time
 * has come. A failed order stays due for the next run, so the invocation
 * itself only fails when the index cannot be read at all.
 */
export const handler = withLambdaContext(logger, async () => reconcile(verificationDeps(runtime)));
