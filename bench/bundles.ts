import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../lib/bundling';

export const REPO_ROOT = join(__dirname, '..');
/** Inside the repo (and gitignored), so that `require('@aws-sdk/…')` resolves from its node_modules. */
export const BUILD_DIR = join(REPO_ROOT, 'bench', '.build');
/** Not a function of ours: the documented algorithm, bundled the same way for comparison. */
export const BASELINE_BUNDLE = 'baseline';

export interface Bundle {
  name: string;
  outfile: string;
  bytes: number;
  /** The largest contributors to the minified output, by package or source folder. */
  topInputs: { input: string; bytes: number }[];
  /** Modules left out of the bundle and required at run time (the SDK Lambda provides). */
  externals: string[];
}

/** Every directory of functions/ with a handler.ts is a deployed function (lib/service-function.ts). */
export const functionNames = (): string[] => {
  const root = join(REPO_ROOT, 'functions');
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'handler.ts')))
    .sort();
};

/** Builds every function and the baseline exactly as `cdk deploy` bundles them. */
export const buildBundles = async (): Promise<Bundle[]> => {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  mkdirSync(BUILD_DIR, { recursive: true });
  const entries = [
    ...functionNames().map((name) => ({
      name,
      entry: join(REPO_ROOT, 'functions', name, 'handler.ts'),
    })),
    { name: BASELINE_BUNDLE, entry: join(REPO_ROOT, 'bench', 'baseline', 'lambda.ts') },
  ];
  return Promise.all(
    entries.map(async ({ name, entry }) => {
      const outfile = join(BUILD_DIR, name, 'index.js');
      const { metafile } = await build(esbuildOptions(entry, outfile));
      return {
        name,
        outfile,
        bytes: statSync(outfile).size,
        topInputs: topInputs(metafile),
        externals: externalsOf(metafile),
      };
    }),
  );
};

/** Groups the output bytes by npm package (node_modules/<pkg>) or by source folder. */
const topInputs = (metafile: Metafile, count = 8) => {
  const [output] = Object.values(metafile.outputs);
  const groups = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const group = groupOf(relative(REPO_ROOT, join(REPO_ROOT, path)));
    groups.set(group, (groups.get(group) ?? 0) + bytesInOutput);
  }
  return [...groups]
    .map(([input, bytes]) => ({ input, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
};

const externalsOf = (metafile: Metafile): string[] => {
  const found = new Set<string>();
  for (const { imports } of Object.values(metafile.inputs)) {
    for (const imported of imports) {
      if (imported.external && !isBuiltin(imported.path)) found.add(imported.path);
    }
  }
  return [...found].sort();
};

const groupOf = (path: string): string => {
  const parts = path.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at >= 0) {
    const scoped = parts[at + 1]?.startsWith('@');
    return parts.slice(at, at + (scoped ? 3 : 2)).join('/');
  }
  return parts.slice(0, -1).join('/') || path;
};
