/**
 * `npm start`: the whole service on this machine with embedded defaults:
 * DynamoDB Local (or DYNAMODB_ENDPOINT), the PortOne simulator (or the real
 * API when PORTONE_API_URL is set), and the API on 127.0.0.1:${PORT:-3000},
 * every route handed to the very handler that is deployed.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError, loadConfig } from '../functions/runtime/config';
import { createRuntime } from '../functions/runtime/deps';
import {
  completeHandler,
  ordersHandler,
  redirectHandler,
  webhookHandler,
} from '../functions/runtime/handlers';
import { createLogger, powertoolsLog } from '../functions/runtime/logger';
import { DEFAULT_API_KEY, DEFAULT_API_SECRET, startPortOneSimulator } from '../simulator/portone';
import { startApiServer } from './api-server';
import { type RunningDynamoDb, startDynamoDbLocal } from './dynamodb-local';
import { resultPage } from './result-page';
import { createPaymentsTable } from './table';

const stops: (() => Promise<void>)[] = [];

const main = async () => {
  const env = process.env;
  const port = Number(env.PORT ?? 3000);
  const base = `http://127.0.0.1:${port}`;

  let dynamodb: RunningDynamoDb | null = null;
  if (!env.DYNAMODB_ENDPOINT) {
    dynamodb = await startDynamoDbLocal(env.DYNAMODB_PATH ? { dbPath: env.DYNAMODB_PATH } : {});
    stops.push(dynamodb.stop);
  }
  const simulator = env.PORTONE_API_URL
    ? null
    : await startPortOneSimulator({ quiet: true, webhookUrl: `${base}/payments/webhook` });
  if (simulator) stops.push(simulator.close);

  const config = loadConfig({
    TABLE_NAME: 'payments-local',
    RESULT_PAGE_URL: `${base}/result`,
    ALLOWED_ORIGINS: base,
    ...(simulator
      ? { PORTONE_API_KEY: DEFAULT_API_KEY, PORTONE_API_SECRET: DEFAULT_API_SECRET }
      : {}),
    ...env,
    DYNAMODB_ENDPOINT: env.DYNAMODB_ENDPOINT ?? dynamodb?.endpoint,
    PORTONE_API_URL: env.PORTONE_API_URL ?? simulator?.url,
  });
  // Local credentials: DynamoDB Local accepts any; never reach for instance metadata.
  const client = new DynamoDBClient({
    endpoint: config.dynamodbEndpoint ?? undefined,
    region: env.AWS_REGION ?? 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createPaymentsTable(client, config.tableName);
  client.destroy();
  process.env.AWS_REGION ??= 'local';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';

  const runtime = createRuntime(config, powertoolsLog(createLogger('payments-local')));
  const api = await startApiServer(
    {
      complete: completeHandler(runtime),
      redirect: redirectHandler(runtime),
      webhook: webhookHandler(runtime),
      orders: ordersHandler(runtime),
    },
    { port, pages: resultPage },
  );
  stops.push(api.close);

  console.log(`DynamoDB:          ${config.dynamodbEndpoint} (table ${config.tableName})`);
  console.log(`PortOne API:       ${config.portone.apiUrl}${simulator ? ' (simulator)' : ''}`);
  console.log(`API:               ${api.url}`);
  console.log(`  webhook URL:     ${api.url}/payments/webhook`);
  console.log(`  m_redirect_url:  ${api.url}/payments/complete`);
  console.log(`  result page:     ${config.resultPageUrl}`);
  console.log('ready');
};

const shutdown = async (code: number) => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(code);
};
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

main().catch(async (error: unknown) => {
  const message =
    error instanceof ConfigError
      ? `configuration error: ${error.message}`
      : (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `port ${process.env.PORT ?? 3000} is already in use; set PORT to another port`
        : /could not start java/.test(String(error))
          ? 'Java 17 or later is needed for DynamoDB Local (apt-get install openjdk-17-jre-headless), or set DYNAMODB_ENDPOINT'
          : `could not start: ${error instanceof Error ? error.message : String(error)}`;
  console.error(message);
  await shutdown(1);
});
