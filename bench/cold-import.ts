import { spawn } from 'node:child_process';
import { REPO_ROOT } from './bundles';
import { type Summary, summarize } from './stats';

/** `node -e 0`: the floor every cold import is compared with, measured in the same run. */
export const NODE_ONLY = 'node -e 0';

/**
 * A complete, valid environment for every handler's module scope (config is
 * checked at import), pointing at nothing reachable: importing connects to
 * nothing, and the SDK must never look for instance metadata.
 */
export const coldImportEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_EC2_METADATA_DISABLED: 'true',
  TABLE_NAME: 'payments-bench',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  PORTONE_API_URL: 'http://127.0.0.1:9',
  PORTONE_API_KEY: 'imp_apikey',
  PORTONE_API_SECRET: 'bench-secret',
  RESULT_PAGE_URL: 'http://127.0.0.1:9/result',
  ALLOWED_ORIGINS: 'http://127.0.0.1:9',
  EVENT_BUS_NAME: 'payments-bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  // Node 20 only: the SDK's notice that it will need Node 22, written to stderr at the first
  // client. Lambda runs Node 22, so a deployed cold start never pays for it.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

/** What one fresh process evaluates: `node -e <script>`. */
export interface ImportTarget {
  name: string;
  script: string;
}

export const requireScript = (...modules: string[]): string =>
  modules.map((module) => `require(${JSON.stringify(module)});`).join('');

const timeProcess = (node: string, script: string, env: Record<string, string>): Promise<number> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    // From the repo root, so that bare '@aws-sdk/…' requires resolve from its node_modules.
    const child = spawn(node, ['-e', script], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`node -e ${script} exited with ${code}:\n${stderr}`));
    });
  });

/**
 * Wall time of a fresh `node -e <script>` per target (plus `node -e 0`),
 * `runs` times each, one process at a time. The order rotates every round so
 * that a burst of machine noise spreads over all targets rather than one.
 */
export const measureColdImports = async (
  targets: readonly ImportTarget[],
  runs: number,
  node = process.execPath,
): Promise<Record<string, Summary & { samples: number[] }>> => {
  const env = coldImportEnv();
  const all = [{ name: NODE_ONLY, script: '0' }, ...targets];
  const samples = new Map<string, number[]>(all.map((t) => [t.name, []]));
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < all.length; i++) {
      const target = all[(i + round) % all.length] as ImportTarget;
      samples.get(target.name)?.push(await timeProcess(node, target.script, env));
    }
  }
  return Object.fromEntries(
    [...samples].map(([name, values]) => [name, { ...summarize(values), samples: values }]),
  );
};
