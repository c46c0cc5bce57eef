/**
 * `npm start`: runs the whole service locally (see stack.ts), prints its
 * URLs and `ready`, and stops everything, Java included, on Ctrl-C/SIGTERM.
 */
import { ConfigError } from '../functions/runtime/config';
import { JavaNotStartedError } from './dynamodb-local';
import { PortInUseError } from './ports';
import { LocalReconcileSettingError } from './reconcile-schedule';
import { type LocalStack, startLocalStack } from './stack';

let stack: LocalStack | null = null;

const shutdown = async (code: number) => {
  await stack?.stop();
  process.exit(code);
};
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

const explain = (error: unknown): string => {
  if (error instanceof ConfigError || error instanceof LocalReconcileSettingError)
    return `configuration error: ${error.message}`;
  if (error instanceof PortInUseError) return error.message;
  if (error instanceof JavaNotStartedError) {
    return 'DynamoDB Local needs Java 17 or later (apt-get install openjdk-17-jre-headless), or set DYNAMODB_ENDPOINT';
  }
  return `could not start: ${error instanceof Error ? error.message : String(error)}`;
};

const started = Date.now();
startLocalStack().then(
  (running) => {
    stack = running;
    const { config, url, simulatorUrl, v2OnSimulator, reconciler } = running;
    console.log(`DynamoDB         ${config.dynamodbEndpoint ?? 'AWS'} (table ${config.tableName})`);
    console.log(`PortOne API      ${config.portone.apiUrl}${simulatorUrl ? ' (simulator)' : ''}`);
    console.log(
      `PortOne V2 API   ${config.portoneV2 ? `${config.portoneV2.apiUrl}${v2OnSimulator ? ' (simulator)' : ''}` : 'off (set PORTONE_V2_API_SECRET and PORTONE_V2_WEBHOOK_SECRET)'}`,
    );
    console.log(`Shop             ${url}/`);
    console.log(`API              ${url}`);
    console.log(`  webhook URL    ${url}/payments/webhook`);
    console.log(`  m_redirect_url ${url}/payments/complete`);
    if (config.portoneV2) {
      console.log(`  V2 webhook URL ${url}/v2/payments/webhook`);
      console.log(`  V2 redirectUrl ${url}/v2/payments/complete`);
    }
    console.log(
      `Reconciler       ${
        reconciler.everyMs > 0
          ? `every ${reconciler.everyMs / 1000} s, unconfirmed orders looked up ${reconciler.afterMs / 1000} s after their last write (AWS: every 5 min, after 10 min; LOCAL_RECONCILE_EVERY, LOCAL_RECONCILE_AFTER)`
          : 'off (LOCAL_RECONCILE_EVERY=0); run it with npm run reconcile'
      }`,
    );
    console.log(`ready in ${Date.now() - started} ms`);
  },
  (error: unknown) => {
    console.error(explain(error));
    process.exit(1);
  },
);
