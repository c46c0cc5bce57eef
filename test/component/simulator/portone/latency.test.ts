import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../../simulator/portone';
import { Api, startSim } from './support';

const elapsed = async (action: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await action();
  return performance.now() - started;
};

describe('simulated PortOne latency', () => {
  let sim: RunningSimulator;
  let api: Api;

  beforeAll(async () => {
    sim = await startSim({ latencyMs: 40 });
    api = new Api(sim.url);
  });
  afterAll(() => sim.close());

  it('starts with the latency given at start-up', async () => {
    expect(await sim.control.latency()).toBe(40);
  });

  it('delays every PortOne API answer by at least the latency', async () => {
    // A timer may fire a millisecond early; the delay is a lower bound only.
    expect(await elapsed(() => api.getToken())).toBeGreaterThanOrEqual(38);
    expect(await elapsed(() => api.call('GET', '/payments/imp_unknown'))).toBeGreaterThanOrEqual(
      38,
    );
  });

  it('never delays the control endpoints', async () => {
    await sim.control.setLatency(5_000);
    try {
      // Far below the 5 s latency, so this holds however slow the machine is.
      expect(await elapsed(() => sim.control.calls())).toBeLessThan(2_500);
    } finally {
      await sim.control.setLatency(40);
    }
  });

  it('is changed through /__sim/latency and restored by reset', async () => {
    expect(await sim.control.setLatency(0)).toBe(0);
    expect(await sim.control.latency()).toBe(0);
    await sim.control.reset();
    expect(await sim.control.latency()).toBe(40);
  });

  it.each([-1, 1.5, 'slow', 60_001])('refuses latencyMs %s', async (latencyMs) => {
    const response = await fetch(`${sim.url}/__sim/latency`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs }),
    });
    expect(response.status).toBe(400);
    expect(await sim.control.latency()).toBe(40);
  });
});
