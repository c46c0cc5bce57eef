import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * Where the AWS SDK would find credentials for `cdk deploy`, judged from the
 * environment and files alone, so that a machine with none hears it at once,
 * before a full synthesis (bundling every function) and without waiting on
 * the instance metadata service. Null: nothing configured. The sources are
 * the SDK's default chain's, in its order; an EC2 instance's role cannot be
 * seen without asking the network, so on EC2 the answer is "maybe" and CDK
 * decides.
 */
export const credentialsSource = (
  env: Env,
  exists: (path: string) => boolean,
  readText: (path: string) => string | null,
): string | null => {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'environment';
  const home = env.HOME ?? '';
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
    env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
  ];
  // A profile may still lack keys or need `aws sso login`; CDK then says which.
  if (files.some(exists)) return 'shared config files';
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return 'web identity';
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    return 'container';
  }
  if (env.AWS_EC2_METADATA_DISABLED?.toLowerCase() !== 'true') {
    const vendor = readText('/sys/devices/virtual/dmi/id/sys_vendor') ?? '';
    if (/amazon/i.test(vendor)) return 'EC2 instance role, if any';
  }
  return null;
};

export const NO_CREDENTIALS =
  'no AWS credentials: run "aws configure" (or "aws sso login" with AWS_PROFILE set), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then npm run deploy again';
