import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../../../local/dynamodb-local';

export interface LocalStack {
  /** The API's base URL, http://127.0.0.1:<PORT>. */
  url: string;
  /** The embedded PortOne simulator, from the "PortOne API" line. */
  simulatorUrl: string;
  stop(): Promise<void>;
}

/**
 * `npm start`'s entry point (local/start.ts) in its own process on a free
 * port, exactly as a person runs it, with `env` on top of this process's
 * environment; resolves at its `ready` line.
 */
export const startLocalStack = async (env: Record<string, string> = {}): Promise<LocalStack> => {
  const port = await freePort();
  // Whatever this shell points at (a real PortOne, an AWS endpoint) stays out: the embedded defaults only.
  const inherited = { ...process.env };
  for (const name of Object.keys(inherited)) {
    if (/^(PORTONE_|AWS_ENDPOINT_URL|DYNAMODB_)/.test(name)) delete inherited[name];
  }
  const child: ChildProcess = spawn('node_modules/.bin/tsx', ['local/start.ts'], {
    env: {
      ...inherited,
      AWS_EC2_METADATA_DISABLED: 'true',
      PORT: String(port),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ready line in 60 s:\n${output}`)),
        60_000,
      );
      child.stdout?.on('data', () => {
        if (/^ready/m.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const simulatorUrl = /PortOne API\s+(http:\/\/\S+) \(simulator\)/.exec(output)?.[1];
  if (!simulatorUrl) {
    child.kill('SIGKILL');
    throw new Error(`no simulator URL in:\n${output}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    simulatorUrl,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};
