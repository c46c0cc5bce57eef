import { beforeAll, describe, expect, it } from 'vitest';
import { functionNames } from '../../../bench/bundles';
import { formatReport } from '../../../bench/report';
import { type BenchResults, runBench } from '../../../bench/run';
import { SIZES } from '../../../bench/sizes';
import { ROUTES } from '../../../bench/workload';

/** Paths of every number in `value` that is not finite (NaN or infinite). */
const nonFinite = (value: unknown, path = 'results'): string[] => {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => nonFinite(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => nonFinite(item, `${path}.${key}`));
  }
  return [];
};

// `npm run bench` in miniature (BENCH_SIZE=smoke): it checks that every figure
// is produced, never how fast anything was.
describe('npm run bench, smoke size', () => {
  let results: BenchResults;
  let report: string;

  // runBench starts and stops its own DynamoDB Local and simulator.
  beforeAll(async () => {
    results = await runBench({ size: SIZES.smoke });
    report = formatReport(results);
  }, 180_000);

  it('produces only finite numbers', () => {
    expect(nonFinite(results)).toEqual([]);
  });

  it('sizes and cold-imports every deployed function and the baseline', () => {
    const names = results.coldImports.bundles.map((b) => b.name);
    expect(names).toEqual([...functionNames(), 'baseline']);
    for (const bundle of results.coldImports.bundles) {
      expect(bundle.bytes).toBeGreaterThan(0);
      expect(bundle.topInputs.length).toBeGreaterThan(0);
      expect(bundle.coldImport.n).toBe(SIZES.smoke.coldImportRuns);
    }
    expect(results.coldImports.nodeOnly.n).toBe(SIZES.smoke.coldImportRuns);
  });

  it("times an SDK floor per set of clients: each bundle's clients, bundled the same way", () => {
    const { bundles, sdkFloors } = results.coldImports;
    for (const bundle of bundles) {
      // Every function (and the baseline) constructs at least one AWS SDK client.
      expect(bundle.sdkClients.length).toBeGreaterThan(0);
      const floor = sdkFloors.find((f) => f.name === bundle.sdkFloor);
      expect(floor?.clients).toEqual(bundle.sdkClients);
      expect(bundle.sdkFloorOverNodeMs).toBe(floor?.overNodeMs);
      expect(bundle.oursOverFloorMs).toBeCloseTo(bundle.overNodeMs - bundle.sdkFloorOverNodeMs);
    }
    expect(new Set(sdkFloors.map((f) => f.name)).size).toBe(sdkFloors.length);
    for (const floor of sdkFloors) {
      expect(floor.bytes).toBeGreaterThan(0);
      expect(floor.coldImport.n).toBe(SIZES.smoke.coldImportRuns);
    }
  });

  it('measures every route of both systems at 0 and 30 ms, and throughput at 1, 8 and 32', () => {
    for (const phase of Object.values(results.phases)) {
      for (const system of ['ours', 'baseline'] as const) {
        for (const route of ROUTES) {
          const block = phase.latency.find((b) => b.system === system && b.route === route);
          expect(block?.roundTrip.n).toBe(SIZES.smoke.latencySamples);
        }
        const levels = phase.throughput.filter((b) => b.system === system);
        expect(levels.map((b) => b.concurrency)).toEqual([1, 8, 32]);
      }
    }
    expect(Object.keys(results.phases)).toEqual(['0', '30']);
  });

  it('counts PortOne calls, DynamoDB requests and capacity per event for both systems', () => {
    for (const system of ['ours', 'baseline'] as const) {
      for (const route of ROUTES) {
        const ops = results.ops[system][route];
        expect(ops.events).toBeGreaterThan(0);
        expect(ops.portoneCalls).toBeGreaterThan(0);
        expect(ops.writes + ops.reads).toBeGreaterThan(0);
        expect(ops.wcu).toBeGreaterThan(0);
      }
    }
    expect(results.tokens.policy.events).toBe(SIZES.smoke.tokenEvents);
    expect(results.tokens.policy.fetchedAtMinutes.length).toBeGreaterThan(0);
  });

  it('prices a million payments for both systems', () => {
    expect(results.cost.ours.total).toBeGreaterThan(0);
    expect(results.cost.baseline.total).toBeGreaterThan(0);
  });

  it('judges every target and prints every section', () => {
    const names = results.targets.map((t) => t.name).join('\n');
    for (const word of ['warm complete', 'token fetches', 'cold import', 'p50', 'throughput']) {
      expect(names).toContain(word);
    }
    for (const target of results.targets) expect(typeof target.pass).toBe('boolean');
    for (const section of [
      '1. Bundles',
      'SDK floor',
      '2. Latency',
      '3. Per happy-path',
      '4. Webhook throughput',
      '5. Cost',
      '6. Targets',
    ]) {
      expect(report).toContain(section);
    }
    expect(report.match(/^(PASS|MISS) /gm)).toHaveLength(results.targets.length);
  });
});
