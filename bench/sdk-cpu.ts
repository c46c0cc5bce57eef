/**
 * For issue 15 item 2's floor: the CPU one conditional UpdateItem costs the
 * AWS SDK's bare DynamoDBClient, each variant in a fresh process of its own
 * against DynamoDB Local, with the calls back to back (GAP 0) or with an idle
 * gap before each (SDK_GAP_MS, like the ~30 ms a handler waits for PortOne).
 * Variants: the SDK's defaults; without its logger middleware (what the
 * functions deploy); also without the user-agent middleware.
 * `npx tsx bench/sdk-cpu.ts` (SDK_CALLS=N, default 500; SDK_GAP_MS=0,30).
 */
import { spawn } from 'node:child_process';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { REPO_ROOT } from './bundles';

const VARIANTS: Record<string, string[]> = {
  'SDK defaults': [],
  'no logger middleware (deployed)': ['loggerMiddleware'],
  'no logger, no user-agent middleware': ['loggerMiddleware', 'getUserAgentMiddleware'],
};
const TABLE = 'sdk-cpu';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const script = (removed: string[], endpoint: string, calls: number, gapMs: number) => `
const { DynamoDBClient, UpdateItemCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({ region: 'us-east-1', endpoint: ${JSON.stringify(endpoint)},
  credentials: ${JSON.stringify(CREDENTIALS)}, maxAttempts: 3,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 } });
for (const name of ${JSON.stringify(removed)}) client.middlewareStack.remove(name);
(async () => {
  const cpu = [];
  for (let i = 0; i < ${calls + 50}; i++) {
    const command = new UpdateItemCommand({ TableName: ${JSON.stringify(TABLE)}, Key: { pk: { S: 'o' + (i % 50) } },
      UpdateExpression: 'SET #s = :s, #n = if_not_exists(#n, :z) + :one',
      ConditionExpression: 'attribute_not_exists(#f) OR #f = :no',
      ExpressionAttributeNames: { '#s': 'status', '#n': 'n', '#f': 'final' },
      ExpressionAttributeValues: { ':s': { S: 'paid' }, ':z': { N: '0' }, ':one': { N: '1' }, ':no': { BOOL: false } },
      ReturnValues: 'ALL_NEW' });
    if (${gapMs} > 0) await new Promise((resolve) => setTimeout(resolve, ${gapMs}));
    const before = process.cpuUsage();
    await client.send(command);
    const used = process.cpuUsage(before);
    if (i >= 50) cpu.push((used.user + used.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  const mean = cpu.reduce((s, x) => s + x, 0) / cpu.length;
  process.stdout.write(JSON.stringify({ p50: cpu[Math.floor(cpu.length / 2)], mean }));
})();`;

const runVariant = (source: string): Promise<{ p50: number; mean: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', source], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`variant exited ${code}`)),
    );
  });

const main = async () => {
  // Node 20 here: the SDK's 9-line Node 22 notice would bury the figures.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const calls = Number(process.env.SDK_CALLS ?? 500);
  const gaps = (process.env.SDK_GAP_MS ?? '0,30').split(',').map(Number);
  const db = await startDynamoDbLocal();
  try {
    const admin = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: db.endpoint,
      credentials: CREDENTIALS,
    });
    await admin.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    admin.destroy();
    console.log(`CPU per UpdateItem, ${calls} calls after 50 warm-up (ms, user + system)`);
    for (const gapMs of gaps) {
      for (const [name, removed] of Object.entries(VARIANTS)) {
        const r = await runVariant(script(removed, db.endpoint, calls, gapMs));
        console.log(
          `gap ${String(gapMs).padStart(2)} ms  ${name.padEnd(36)} p50 ${r.p50.toFixed(2)}  mean ${r.mean.toFixed(2)}`,
        );
      }
    }
  } finally {
    await db.stop();
  }
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
