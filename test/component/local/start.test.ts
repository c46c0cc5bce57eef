import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PaymentSettled } from '../../../functions/domain/model/settlement';
import { freePort } from '../../../local/dynamodb-local';
import { SimulatorControl } from '../../../simulator/portone/control-client';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Runs `npm start`'s entry point as a separate process, as a person would. */
const start = (env: Record<string, string>) => {
  const child = spawn(process.execPath, ['node_modules/.bin/tsx', 'local/start.ts'], {
    // The SDK's Node version notice is left to local/stack.ts, as for a person's shell.
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', () => stdout.includes('ready') && resolve());
    child.on('exit', () => reject(new Error(`exited before ready: ${stderr}`)));
  });
  ready.catch(() => {}); // only the tests that wait for ready care

  return { child, exited, ready, out: () => stdout, err: () => stderr };
};

/** stderr's lines, the blank ones left out. */
const ownLines = (stderr: string) => stderr.split('\n').filter((line) => line.trim());

/** Pays one order through the simulator and its webhook; answers the events the local subscriber saw. */
const settledEventsAfterAPayment = async (api: string, out: string) => {
  const simulator = new SimulatorControl(out.match(/PortOne API\s+(\S+) \(simulator\)/)?.[1] ?? '');
  const order = { merchant_uid: 'start-test-1', amount: 1000, currency: 'KRW', name: 'Coffee' };
  await fetch(`${api}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(order),
  });
  const payment = await simulator.createPayment({ ...order, state: 'paid' });
  await simulator.sendWebhook({ imp_uid: payment.imp_uid });
  const read = async () =>
    (
      (await (await fetch(`${api}/__local/events?merchant_uid=start-test-1`)).json()) as {
        events: PaymentSettled[];
      }
    ).events;
  for (let tries = 0; tries < 50; tries++) {
    const events = await read();
    if (events.length > 0) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return read();
};

describe('npm start', () => {
  it('reaches ready, serves the API, and stops DynamoDB Local on SIGTERM', async () => {
    const port = await freePort();
    const run = start({ PORT: String(port) });
    await run.ready;

    const response = await fetch(`http://127.0.0.1:${port}/orders/nothing-here`);
    const events = await settledEventsAfterAPayment(`http://127.0.0.1:${port}`, run.out());
    const reconciled = await fetch(`http://127.0.0.1:${port}/__local/reconcile?ahead=900`, {
      method: 'POST',
    });
    expect(await reconciled.json()).toMatchObject({ due: expect.any(Number), failed: 0 });
    run.child.kill('SIGTERM');
    const code = await run.exited;

    // Node 20 is supported (README): the AWS SDK's 9-line notice about Node 22 is not printed.
    expect(ownLines(run.err())).toEqual([]);
    expect(run.out()).toContain(`API              http://127.0.0.1:${port}`);
    expect(run.out()).toMatch(
      /^Reconciler {7}every 15 s, unconfirmed orders looked up 30 s after their last write/m,
    );
    expect(response.status).toBe(404);
    expect(events.map((event) => [event.id, event.status])).toEqual([
      ['start-test-1/paid', 'paid'],
    ]);
    expect(code).toBe(0);
    const dynamodbPort = run.out().match(/DynamoDB\s+http:\/\/127\.0\.0\.1:(\d+)/)?.[1];
    expect(dynamodbPort).toMatch(/^\d+$/);
    const processes = execFileSync('ps', ['-eo', 'args']).toString();
    expect(processes).not.toContain(`-port ${dynamodbPort} `);
    expect(processes).not.toMatch(new RegExp(`-port ${dynamodbPort}$`, 'm'));
  });

  it('configures PortOne V2 against the simulator and prints its URLs', async () => {
    const port = await freePort();
    const run = start({ PORT: String(port) });
    await run.ready;
    const api = `http://127.0.0.1:${port}`;
    try {
      const simulator = run.out().match(/PortOne API\s+(\S+) \(simulator\)/)?.[1];
      expect(run.out()).toContain(`PortOne V2 API   ${simulator}/v2-api (simulator)`);
      expect(run.out()).toContain(`  V2 webhook URL ${api}/v2/payments/webhook`);
      expect(run.out()).toContain(`  V2 redirectUrl ${api}/v2/payments/complete`);
      const order = { merchant_uid: 'start-v2-1', amount: 1000, currency: 'KRW', name: 'Coffee' };
      await fetch(`${api}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(order),
      });
      const issued = await fetch(`${api}/orders/start-v2-1/payments`, { method: 'POST' });
      expect(issued.status).toBe(201);
      const { payment_id } = (await issued.json()) as { payment_id: string };
      // Pre-registered at the simulator's V2 API: the embedded secret was accepted.
      const registered = await fetch(`${simulator}/__sim/v2/payments/${payment_id}/pre-register`);
      expect(await registered.json()).toMatchObject({ totalAmount: 1000 });
      const config = await (await fetch(`${simulator}/__sim/v2/config`)).json();
      expect(config).toMatchObject({ webhookUrl: `${api}/v2/payments/webhook` });
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });

  it('says in one line that the port is taken', async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const run = start({ PORT: String(port) });
      expect(await run.exited).toBe(1);
      expect(ownLines(run.err())).toEqual([
        `port ${port} is already in use; set PORT to another port`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it('names the variable of a bad configuration in one line', async () => {
    const run = start({ PORT: String(await freePort()), PORTONE_MODE: 'sandbox' });
    expect(await run.exited).toBe(1);
    expect(ownLines(run.err())).toEqual([
      'configuration error: Environment variable PORTONE_MODE must be one of live, test, got "sandbox"',
    ]);
  });

  it('names a bad local reconciler setting in one line, before starting anything', async () => {
    const run = start({ PORT: String(await freePort()), LOCAL_RECONCILE_EVERY: 'often' });
    expect(await run.exited).toBe(1);
    expect(ownLines(run.err())).toEqual([
      'configuration error: Environment variable LOCAL_RECONCILE_EVERY must be a number of seconds, got "often"',
    ]);
  });

  it('names PORT when it is not a port number', async () => {
    const run = start({ PORT: 'abc' });
    expect(await run.exited).toBe(1);
    expect(ownLines(run.err())).toEqual([
      'configuration error: Environment variable PORT must be a port number from 1 to 65535, got "abc"',
    ]);
  });

  it('says what to install when there is no java on the PATH', async () => {
    const run = start({ PORT: String(await freePort()), PATH: '/nonexistent' });
    expect(await run.exited).toBe(1);
    expect(ownLines(run.err())).toEqual([
      'DynamoDB Local needs Java 17 or later (apt-get install openjdk-17-jre-headless), or set DYNAMODB_ENDPOINT',
    ]);
  });

  it('names JAVA when no Java runs at its path', async () => {
    const run = start({ PORT: String(await freePort()), JAVA: '/nonexistent/java' });
    expect(await run.exited).toBe(1);
    expect(ownLines(run.err())).toEqual([
      'configuration error: Environment variable JAVA must be a Java 17+ command, got "/nonexistent/java" (no such file; unset it to use java from the PATH)',
    ]);
  });

  it.each([
    ['/bin/true', 0],
    ['/bin/false', 1],
  ])('names JAVA when %s runs but does not start DynamoDB Local', async (java, code) => {
    const run = start({ PORT: String(await freePort()), JAVA: java });
    expect(await run.exited).toBe(1);
    expect(ownLines(run.err())).toEqual([
      `configuration error: Environment variable JAVA must be a Java 17+ command, got "${java}" (it exited with code ${code} without starting DynamoDB Local: is it Java 17 or later? Unset it to use java from the PATH)`,
    ]);
  });

  it('names DYNAMODB_PATH when its folder does not exist', async () => {
    const run = start({ PORT: String(await freePort()), DYNAMODB_PATH: '/nonexistent/data' });
    expect(await run.exited).toBe(1);
    expect(ownLines(run.err())).toEqual([
      'configuration error: Environment variable DYNAMODB_PATH must be an existing folder, got "/nonexistent/data"',
    ]);
  });
});
