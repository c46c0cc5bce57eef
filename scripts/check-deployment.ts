/**
 * `npm run check-deployment -- <stack name | API URL> [options]`: after
 * `cdk deploy`, says whether the deployment is wired right, one line per
 * check (scripts/check-deployment/; README, Checking a deployment).
 */
import { checkDeployment } from './check-deployment/main';
import { cloudFormationOutputs, secretsManagerReader } from './check-deployment/stack-outputs';

checkDeployment(
  process.argv.slice(2),
  process.env,
  { out: (line) => console.log(line), err: (line) => console.error(line) },
  { readOutputs: cloudFormationOutputs, readSecret: secretsManagerReader },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`check-deployment: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
