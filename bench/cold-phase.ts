import { spawnSync } from 'node:child_process';
import { buildBundles, buildSdkFloors, type SdkClient, sdkFloorName } from './bundles';
import { measureColdImports, NODE_ONLY, requireScript } from './cold-import';
import type { Summary } from './stats';

export interface BundleResult {
  name: string;
  bytes: number;
  topInputs: { input: string; bytes: number }[];
  /** Modules the bundle leaves external (none since the SDK is bundled). */
  externals: string[];
  /** The AWS SDK clients found in the bundle; its SDK floor constructs exactly these. */
  sdkClients: SdkClient[];
  /** Output bytes of the PortOne V2 code in it (bundles.ts, Bundle.v2Bytes). */
  v2Bytes: number;
  /** The name of that floor in `ColdPhase.sdkFloors`. */
  sdkFloor: string;
  coldImport: Summary;
  /** Median cold import minus `node -e 0`'s median. */
  overNodeMs: number;
  /** The SDK floor's median cold import minus `node -e 0`'s. */
  sdkFloorOverNodeMs: number;
  /** Our code and its module-scope set-up: overNodeMs minus sdkFloorOverNodeMs. */
  oursOverFloorMs: number;
}

/**
 * A synthetic bundle that imports and constructs only the SDK clients of one
 * or more functions, built with the deployed esbuild options (same tree
 * shaking, same credentials alias): what those clients cost on their own.
 */
export interface SdkFloorResult {
  name: string;
  clients: SdkClient[];
  bytes: number;
  coldImport: Summary;
  overNodeMs: number;
}

export interface ColdPhase {
  /** The Node.js that ran the fresh processes (BENCH_NODE, or the one running the bench). */
  node: { path: string; version: string };
  nodeOnly: Summary;
  bundles: BundleResult[];
  sdkFloors: SdkFloorResult[];
}

const floorTarget = (name: string) => `sdk floor: ${name}`;

/**
 * Builds every bundle as deployed and times its import in fresh processes,
 * next to `node -e 0` and next to its SDK floor (the same SDK clients,
 * bundled the same way, without our code), which separates the SDK's share
 * from our own code's. All targets share one interleaved loop.
 */
export const measureBundles = async (runs: number, node = process.execPath): Promise<ColdPhase> => {
  const bundles = await buildBundles();
  const floors = await buildSdkFloors(bundles);
  const cold = await measureColdImports(
    [
      ...bundles.map((b) => ({ name: b.name, script: requireScript(b.outfile) })),
      ...floors.map((f) => ({ name: floorTarget(f.name), script: requireScript(f.outfile) })),
    ],
    runs,
    node,
  );
  const nodeOnly = cold[NODE_ONLY] as Summary;
  const sdkFloors = floors.map(({ outfile: _, ...floor }) => {
    const coldImport = cold[floorTarget(floor.name)] as Summary;
    return { ...floor, coldImport, overNodeMs: coldImport.p50 - nodeOnly.p50 };
  });
  return {
    node: { path: node, version: spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim() },
    nodeOnly,
    bundles: bundles.map(({ outfile: _, ...bundle }) => {
      const coldImport = cold[bundle.name] as Summary;
      const sdkFloor = sdkFloorName(bundle.sdkClients);
      const floor = sdkFloors.find((f) => f.name === sdkFloor) as SdkFloorResult;
      const overNodeMs = coldImport.p50 - nodeOnly.p50;
      return {
        ...bundle,
        sdkFloor,
        coldImport,
        overNodeMs,
        sdkFloorOverNodeMs: floor.overNodeMs,
        oursOverFloorMs: overNodeMs - floor.overNodeMs,
      };
    }),
    sdkFloors,
  };
};
