/**
 * `npm run deploy -- [cdk deploy options]`: `cdk deploy`, after checking that
 * AWS credentials are configured at all (scripts/deploy/credentials.ts;
 * README, Deploying to AWS). Without any, CDK would synthesize the whole app
 * first and then end on its own message about resolving an account.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialsSource, NO_CREDENTIALS } from './deploy/credentials';

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

if (credentialsSource(process.env, existsSync, readText) === null) {
  console.error(NO_CREDENTIALS);
  process.exit(1);
}
const cdk = spawnSync(
  join(__dirname, '..', 'node_modules', '.bin', 'cdk'),
  ['deploy', ...process.argv.slice(2)],
  // As `npm run cdk`: the pinned CLI's upgrade offer is noise (README, step 1).
  { stdio: 'inherit', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } },
);
process.exit(cdk.status ?? 1);
