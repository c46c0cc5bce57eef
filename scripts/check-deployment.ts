/**
 * `npm run check-deployment -- <stack name | API URL> [options]`: after
 * `cdk deploy`, says whether the deployment is wired right, one line per
 * check (scripts/check-deployment/; README, Checking a deployment).
 */
import { checkDeployment } from './check-deployment/main';
import { cloudFormationOutputs, secretsManagerReader } from './check-deployment/stack-outputs';

// Node 20 is supported here (README); the SDK's 9-line notice that its 2027
// releases need Node 22 would bury the checks' lines. Its own switch, as npm start's (local/stack.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
