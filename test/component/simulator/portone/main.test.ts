import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatorControl } from '../../../../simulator/portone';

const MAIN = resolve(__dirname, '../../../../simulator/portone/main.ts');

describe('main.ts', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('listens on a free port, reads the webhook URL from the environment and stops on SIGTERM', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--quiet'], {
      env: { ...process.env, PORTONE_SIM_WEBHOOK_URL: 'http://127.0.0.1:9/hook' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      child?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /PortOne simulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match?.[1]) done(match[1]);
      });
      child?.once('exit', (code) => fail(new Error(`exited early with ${code}: ${out}`)));
    });
    const control = new SimulatorControl(url);
    expect((await control.getConfig()).webhookUrl).toBe('http://127.0.0.1:9/hook');
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
