import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { coldImportEnv } from '../../../bench/cold-import';

const run = promisify(execFile);

/**
 * A fresh process as the cold-import and burst timings start one: with
 * `coldImportEnv()` only, constructing the SDK client every bundle constructs.
 */
const stderrOfColdStart = async (): Promise<string> => {
  const script = `new (require('@aws-sdk/client-dynamodb').DynamoDBClient)({ region: 'us-east-1' });`;
  const { stderr } = await run(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    env: coldImportEnv(),
  });
  return stderr;
};

describe('the cold-import environment', () => {
  // Lambda runs Node 22, where the SDK has nothing to say; on Node 20 it
  // writes a 9-line notice to stderr at the first client, which a timed
  // cold start would pay for (about 2 ms here) and a deployed one never does.
  it('times a cold start without the SDK’s Node version notice', async () => {
    expect(await stderrOfColdStart()).toBe('');
  });
});
