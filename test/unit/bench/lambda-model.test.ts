import { describe, expect, it } from 'vitest';
import { PRICES } from '../../../bench/cost';
import { chooseMemory, cpuScale, modelAt, type RouteFigures } from '../../../bench/lambda-model';

const figures = (cpu: { mean: number; p99: number }): RouteFigures => ({
  waitMs: { mean: 36, p99: 40 },
  cpuMs: cpu,
});

describe('the Lambda duration model', () => {
  it('stretches a CPU-ms by 1769 / MB, never below one ms', () => {
    expect(cpuScale(1769)).toBe(1);
    expect(cpuScale(256)).toBeCloseTo(6.91, 2);
    expect(cpuScale(128)).toBeCloseTo(13.82, 2);
    expect(cpuScale(3538)).toBe(1);
  });

  it('adds the waits as measured to the scaled CPU, mean and p99 apart', () => {
    const at = modelAt(figures({ mean: 2, p99: 4 }), 256);
    expect(at.meanMs).toBeCloseTo(36 + 2 * (1769 / 256));
    expect(at.p99Ms).toBeCloseTo(40 + 4 * (1769 / 256));
  });

  it('prices the GB-seconds of the mean, rounded up half a ms as billing does, plus the request', () => {
    const at = modelAt(figures({ mean: 0, p99: 0 }), 512);
    const gbSeconds = ((36 + 0.5) / 1000) * 0.5;
    expect(at.costPerMillion).toBeCloseTo(
      gbSeconds * PRICES.lambdaArm64PerGbSecond * 1e6 + PRICES.lambdaPerMillionRequests,
    );
  });
});

describe('the memory choice', () => {
  it('takes the cheapest size whose modelled p99 is within 1.25x of the limit', () => {
    // 1 ms of CPU: 128 MB gives 33 + 7 + 13.8 = 53.8 ms p99, within 1.25 x 44 = 55; and cheapest.
    const choice = chooseMemory(figures({ mean: 1, p99: 1 }), 44);
    expect(choice).toMatchObject({ chosenMb: 128, withinBound: true, boundMs: 55 });
    expect(Object.keys(choice.byMb)).toEqual(['128', '256', '512']);
  });

  it('passes over a cheaper size whose p99 is out of bounds', () => {
    // 3 ms p99 of CPU: 128 MB 81.5, 256 MB 60.7, 512 MB 50.4 ms against 55.
    const choice = chooseMemory(figures({ mean: 2, p99: 3 }), 44);
    expect(choice.chosenMb).toBe(512);
    expect(choice.reason).toContain('cheaper 128 MB has p99 81.5 ms, 256 MB has p99 60.7 ms');
  });

  it('takes the fastest size, and says so, when none is within the bound', () => {
    const choice = chooseMemory(figures({ mean: 5, p99: 10 }), 30);
    expect(choice).toMatchObject({ chosenMb: 512, withinBound: false });
    expect(choice.reason).toMatch(/^no size keeps the modelled p99 within 37.5 ms/);
  });
});
