#!/usr/bin/env node
// `npm test`: runs every vitest project and ends with one plain line
// "N passed, N failed" (vitest's own summary is not a plain closing line).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const report = 'test-output/vitest.json';
mkdirSync('test-output', { recursive: true });
rmSync(report, { force: true });

const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { AWS_EC2_METADATA_DISABLED: 'true', ...process.env } },
);

if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`${result.numPassedTests} passed, ${result.numFailedTests} failed`);
}
process.exit(run.status ?? 1);
