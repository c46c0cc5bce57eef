import { spawnSync } from 'node:child_process';
import { buildBundles } from './bundles';
import { measureColdImports, NODE_ONLY, requireScript } from './cold-import';
import type { Summary } from './stats';

export interface BundleResult {
  name: string;
  bytes: number;
  topInputs: { input: string; bytes: number }[];
  externals: string[];
  coldImport: Summary;
  /** Median cold import minus `node -e 0`'s median. */
  overNodeMs: number;
  /** Median of requiring only the bundle's external SDK modules, minus `node -e 0`'s. */
  sdkOverNodeMs: number;
}

export interface ColdPhase {
  /** The Node.js that ran the fresh processes (BENCH_NODE, or the one running the bench). */
  node: { path: string; version: string };
  nodeOnly: Summary;
  bundles: BundleResult[];
}

/**
 * Builds every bundle as deployed and times its import in fresh processes,
 * next to `node -e 0` and next to requiring just the SDK modules the bundle
 * leaves external, which separates the SDK's share from our own code's.
 */
export const measureBundles = async (runs: number, node = process.execPath): Promise<ColdPhase> => {
  const bundles = await buildBundles();
  const floorOf = (externals: string[]) => `sdk: ${externals.join(' + ') || 'none'}`;
  const floors = [...new Set(bundles.map((b) => floorOf(b.externals)))].map((name) => ({
    name,
    script: requireScript(...(name === 'sdk: none' ? [] : name.slice(5).split(' + '))) || '0',
  }));
  const cold = await measureColdImports(
    [...bundles.map((b) => ({ name: b.name, script: requireScript(b.outfile) })), ...floors],
    runs,
    node,
  );
  const nodeOnly = cold[NODE_ONLY] as Summary;
  return {
    node: { path: node, version: spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim() },
    nodeOnly,
    bundles: bundles.map(({ outfile: _, ...bundle }) => {
      const coldImport = cold[bundle.name] as Summary;
      const floor = cold[floorOf(bundle.externals)] as Summary;
      return {
        ...bundle,
        coldImport,
        overNodeMs: coldImport.p50 - nodeOnly.p50,
        sdkOverNodeMs: floor.p50 - nodeOnly.p50,
      };
    }),
  };
};
