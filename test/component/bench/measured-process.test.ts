import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * What the bench's own process loads (it hosts the handlers it measures).
 * The simulator runs in another process; if its code were loaded here, its
 * HTTP client, the `undici` package, would install itself as the dispatcher
 * behind `globalThis.fetch`, and the measured PortOne calls would not go
 * through the fetch the deployed bundle uses.
 */
const DISPATCHER = "Symbol.for('undici.globalDispatcher.1')";

const dispatcherAfterLoading = async (modules: string[]): Promise<string> => {
  const script = `Promise.all(${JSON.stringify(modules)}.map((m) => import(m))).then(() =>
    console.log(globalThis[${DISPATCHER}] === undefined ? 'node' : 'undici'))`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--eval', script], {
    cwd: process.cwd(),
  });
  return stdout.trim();
};

describe('the bench’s measured process', () => {
  it('leaves fetch on Node’s own dispatcher: no simulator code and no undici package in it', async () => {
    expect(
      await dispatcherAfterLoading([
        './bench/stack.ts',
        './bench/workload.ts',
        './bench/phases.ts',
        './bench/simulator-process.ts',
        './bench/signature.ts',
      ]),
    ).toBe('node');
  });

  it('would notice: loading the simulator installs undici’s dispatcher', async () => {
    expect(await dispatcherAfterLoading(['./simulator/portone/index.ts'])).toBe('undici');
  });
});
