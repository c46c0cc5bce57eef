import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatorControl } from '../../../../simulator/portone';

const MAIN = resolve(__dirname, '../../../../simulator/portone/main.ts');

describe('main.ts', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  const run = (args: string[], env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const listening = new Promise<string>((done, fail) => {
      child.stdout?.on('data', () => {
        const match = /PortOne simulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match?.[1]) done(match[1]);
      });
      child.once('exit', (code) => fail(new Error(`exited early with ${code}: ${out}`)));
    });
    // Runs that are meant to exit never listen: that rejection is theirs to ignore.
    listening.catch(() => {});
    const exited = once(child, 'exit').then(([code]) => ({ code, out }));
    return { child, listening, exited, output: () => out };
  };

  it('listens on a free port, reads the webhook URL from the environment and stops on SIGTERM', async () => {
    const sim = run(['--port', '0', '--quiet'], {
      PORTONE_SIM_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
    });
    const control = new SimulatorControl(await sim.listening);
    expect((await control.getConfig()).webhookUrl).toBe('http://127.0.0.1:9/hook');
    expect((await control.v2.getConfig()).webhookUrl).toBeNull();
    sim.child.kill('SIGTERM');
    expect((await sim.exited).code).toBe(0);
  });

  it('takes the V2 webhook URL from --v2-webhook-url and prints the V2 URLs', async () => {
    const sim = run(['--port=0', '--quiet', '--v2-webhook-url', 'http://127.0.0.1:9/v2/hook'], {
      PORTONE_SIM_V2_WEBHOOK_URL: 'http://127.0.0.1:9/from-env',
    });
    const url = await sim.listening;
    const control = new SimulatorControl(url);
    expect((await control.v2.getConfig()).webhookUrl).toBe('http://127.0.0.1:9/v2/hook');
    expect((await control.getConfig()).webhookUrl).toBeNull();
    await expect.poll(sim.output).toContain('V2 webhooks go to http://127.0.0.1:9/v2/hook');
    expect(sim.output()).toContain(`PortOne V2 API: ${url}/v2-api`);
    expect(sim.output()).toContain(`${url}/v2-browser-sdk.js`);
    sim.child.kill('SIGTERM');
    expect((await sim.exited).code).toBe(0);
  });

  it('takes the V2 webhook URL from PORTONE_SIM_V2_WEBHOOK_URL without the flag', async () => {
    const sim = run(['--port', '0', '--quiet'], {
      PORTONE_SIM_V2_WEBHOOK_URL: 'http://127.0.0.1:9/from-env',
    });
    const control = new SimulatorControl(await sim.listening);
    expect((await control.v2.getConfig()).webhookUrl).toBe('http://127.0.0.1:9/from-env');
    sim.child.kill('SIGTERM');
    expect((await sim.exited).code).toBe(0);
  });

  it('takes the V2 re-send base delay from --v2-webhook-retry-base-ms or its variable', async () => {
    const flagged = run(['--port', '0', '--quiet', '--v2-webhook-retry-base-ms', '5']);
    const fromEnv = run(['--port', '0', '--quiet'], { PORTONE_SIM_V2_WEBHOOK_RETRY_BASE_MS: '7' });
    const bases = [];
    for (const sim of [flagged, fromEnv]) {
      const control = new SimulatorControl(await sim.listening);
      bases.push((await control.v2.getConfig()).webhookRetryBaseMs);
      sim.child.kill('SIGTERM');
      await sim.exited;
    }
    expect(bases).toEqual([5, 7]);
  });

  it('refuses a V2 webhook URL that is not a URL with exit code 2', async () => {
    const { code, out } = await run(['--port', '0', '--v2-webhook-url', 'not a url']).exited;
    expect(code).toBe(2);
    expect(out).toContain('invalid v2-webhook-url: not a url');
  });

  it('prints a usage text naming every flag and variable on --help', async () => {
    const { code, out } = await run(['--help']).exited;
    expect(code).toBe(0);
    for (const word of [
      '--port',
      '--webhook-url',
      'PORTONE_SIM_WEBHOOK_URL',
      '--v2-webhook-url',
      'PORTONE_SIM_V2_WEBHOOK_URL',
      '--v2-webhook-retry-base-ms',
      'PORTONE_SIM_V2_WEBHOOK_RETRY_BASE_MS',
      '--latency-ms',
      '--quiet',
      '/v2-browser-sdk.js',
    ]) {
      expect(out).toContain(word);
    }
    expect(out).not.toContain('listening');
  });
});
