import { reconcile } from '../domain/use-cases/reconcile';
import { verificationDeps } from '../runtime/deps';
import { lambdaEntry } from '../runtime/entry';

/**
 * Runs on an EventBridge schedule: settles every order whose recheck time
 * has come. A failed order stays due for the next run, so the invocation
 * itself only fails when the index cannot be read at all.
 */
export const handler = lambdaEntry(
  'reconcile',
  (runtime) => async () => reconcile(verificationDeps(runtime)),
);
