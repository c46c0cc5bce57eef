import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { stopChild } from '../local/stop-child';
import { SimulatorControl } from '../simulator/portone/control-client';
import { REPO_ROOT } from './bundles';

export interface SimulatorProcess {
  url: string;
  control: SimulatorControl;
  stop(): Promise<void>;
}

/**
 * The PortOne simulator in its own process, as PortOne is another machine:
 * its CPU time is not charged to the service being measured, which matters
 * most for the baseline (two PortOne calls per event). Driven over HTTP only.
 */
export const startSimulatorProcess = async (): Promise<SimulatorProcess> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'simulator/portone/main.ts'), '--port', '0', '--quiet'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`simulator did not start:\n${output}`)),
      30_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /PortOne simulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with ${code}:\n${output}`));
    });
  });
  return { url, control: new SimulatorControl(url), stop: () => stopChild(child) };
};
