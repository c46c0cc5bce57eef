import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect, it } from 'vitest';

// vitest.config.mts: on Node 20 (supported, README) the AWS SDK's 9-line
// notice about Node 22 would repeat in `npm test` once per test process.
it('runs the AWS SDK without its Node version notice', async () => {
  const warnings: string[] = [];
  const listen = (warning: Error) => warnings.push(warning.message);
  process.on('warning', listen);
  try {
    new DynamoDBClient({ region: 'local' }).destroy();
    // process.emitWarning emits on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listen);
  }
  expect(warnings.filter((message) => /NodeVersionSupportWarning/.test(message))).toEqual([]);
});
