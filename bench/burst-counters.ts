import {
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a counter saw: what it asked for and when (ms, this process's performance.now()). */
export interface Seen {
  what: string;
  atMs: number;
}

export interface Counter {
  url: string;
  /** Everything seen since the last reset, in arrival order. */
  seen(): Seen[];
  reset(): void;
  stop(): Promise<void>;
}

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const readBody = (stream: NodeJS.ReadableStream): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk) => (text += chunk));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });

/** A loopback server whose handler notes what it saw; the Counter reads and resets the notes. */
const startCounter = async (
  handle: (req: IncomingMessage, res: ServerResponse, note: (what: string) => void) => void,
): Promise<Counter> => {
  let seen: Seen[] = [];
  const note = (what: string) => seen.push({ what, atMs: performance.now() });
  const server = createServer((req, res) => handle(req, res, note));
  const url = await listen(server);
  return {
    url,
    seen: () => [...seen],
    reset: () => {
      seen = [];
    },
    stop: () => close(server),
  };
};

/**
 * Answers Secrets Manager's `GetSecretValue` (its JSON 1.1 protocol: POST /,
 * X-Amz-Target secretsmanager.GetSecretValue) with one fixed secret, on
 * loopback, and COUNTS the reads. It is no imitation of Secrets Manager's
 * storage, versions or errors: it exists so that the burst can count how
 * often fresh containers read the PortOne secret, through the very SDK
 * client and code path the deployed bundle uses (functions/runtime/deps.ts).
 * Any other operation is refused, so that an unexpected call shows.
 */
export const startSecretsCounter = (secret: { arn: string; value: string }): Promise<Counter> =>
  startCounter(async (req, res, note) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = await readBody(req);
    note(target);
    const secretId = (JSON.parse(body || '{}') as { SecretId?: string }).SecretId;
    if (target !== 'secretsmanager.GetSecretValue' || secretId !== secret.arn) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({ __type: 'InvalidRequestException', message: `not served: ${target}` }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        ARN: secret.arn,
        Name: secret.arn.split(':').at(-1),
        VersionId: 'burst-version',
        VersionStages: ['AWSCURRENT'],
        SecretString: secret.value,
        CreatedDate: 0,
      }),
    );
  });

/**
 * A pass-through in front of the PortOne simulator that timestamps every
 * request by path (`/users/getToken`, `/payments/...`), to the millisecond:
 * the simulator's own call log has whole seconds only, too coarse to say how
 * many token fetches PortOne sees in one second. Counts only; the simulator
 * answers everything.
 */
export const startPortOneTap = (simulatorUrl: string): Promise<Counter> => {
  const upstream = new URL(simulatorUrl);
  return startCounter((req, res, note) => {
    note(new URL(req.url ?? '/', simulatorUrl).pathname);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
};
