import { spawn } from 'node:child_process';

export interface CliRun {
  code: number | null;
  /** stdout's lines, without the last empty one. */
  lines: string[];
  /** stderr's lines, without the AWS SDK's Node 20 notice (the script switches it off; see stderr). */
  errors: string[];
  stdout: string;
  /** stderr as it came, the SDK's notice included. */
  stderr: string;
}

/** Environment for anything AWS in these tests: no profile, no instance metadata, a fake region. */
export const OFFLINE_AWS_ENV = {
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_REGION: 'local',
} as const;

/** Variables of this process that must not leak into a run (they would change what is checked). */
const DROPPED = [
  'PORTONE_API_KEY',
  'PORTONE_API_SECRET',
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  // vitest.config.mts sets it; a person's shell does not, and the script switches the notice off itself.
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
];

/** `npm run check-deployment -- …args`, as a person runs it (tsx, its own process). */
export const runCheckDeployment = (
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun> => {
  const base = { ...process.env };
  for (const name of Object.keys(base)) {
    if (DROPPED.includes(name) || name.startsWith('AWS_ENDPOINT_URL')) delete base[name];
  }
  const child = spawn('node_modules/.bin/tsx', ['scripts/check-deployment.ts', ...args], {
    env: { ...base, ...OFFLINE_AWS_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.once('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        lines: stdout.split('\n').filter(Boolean),
        errors: ownLines(stderr),
      }),
    ),
  );
};

const ownLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter(
      (line) =>
        line.trim() &&
        !/NodeVersionSupportWarning|node >=22|versions published|To continue|security updates|a\.co\/|trace-warnings/.test(
          line,
        ),
    );
