import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../../local/dynamodb-local';

export interface RunningStack {
  url: string;
  simulatorUrl: string;
  /** Milliseconds from spawning `npm start`'s entry point to its `ready` line. */
  readyMs: number;
  stop(): Promise<void>;
}

/**
 * Runs the stack exactly as `npm start` does (the same entry point, in its
 * own process) on a free port, and waits for its `ready` line.
 */
export const startStack = async (env: Record<string, string> = {}): Promise<RunningStack> => {
  const port = await freePort();
  const started = Date.now();
  const child: ChildProcess = spawn('node_modules/.bin/tsx', ['local/start.ts'], {
    env: { ...process.env, PORT: String(port), POWERTOOLS_LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not get ready:\n${output}`)),
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
  const readyMs = Date.now() - started;
  const simulatorUrl = output.match(/PortOne API\s+(http:\/\/[\d.:]+)/)?.[1];
  if (!simulatorUrl) throw new Error(`no simulator URL in:\n${output}`);
  return {
    url: `http://127.0.0.1:${port}`,
    simulatorUrl,
    readyMs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};
