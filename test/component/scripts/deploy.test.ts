import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'deploy-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** `npm run deploy` on a machine with no AWS credentials anywhere (an empty HOME). */
const deployWithoutCredentials = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, AWS_EC2_METADATA_DISABLED: 'true' };
  for (const name of Object.keys(env))
    if (/^AWS_(?!EC2_METADATA_DISABLED$)/.test(name)) delete env[name];
  const child = spawn(
    'npm',
    ['run', '--silent', 'deploy', '--', '-c', 'resultPageUrl=https://shop.example/r'],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
};

describe('npm run deploy', () => {
  it('says in one line what to do when no AWS credentials are configured, before synthesizing', async () => {
    const started = Date.now();
    const run = await deployWithoutCredentials();

    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter((line) => line.trim())).toEqual([
      'no AWS credentials: run "aws configure" (or "aws sso login" with AWS_PROFILE set), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then npm run deploy again',
    ]);
    // CDK's own path synthesizes the whole app first (about 25 s here) and prints its timing.
    expect(run.stdout).not.toContain('Synthesis time');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
