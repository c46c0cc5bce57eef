import { basename, join } from 'node:path';
import { type BuildOptions, type BuildResult, build, buildSync, type Metafile } from 'esbuild';

/** The repository root: metafile paths are relative to it (e.g. `functions/domain/model/order.ts`). */
const ROOT = join(__dirname, '../..');
export const BROWSER_DIR = join(__dirname, 'browser');

/** The page scripts, by the URL the pages load them from (pages.ts), and their entry points. */
export const SCRIPTS = {
  '/shop/common.js': 'common.ts',
  '/shop/shop.js': 'shop.ts',
  '/shop/result.js': 'result.ts',
} as const;

export type ScriptUrl = keyof typeof SCRIPTS;

export interface ShopScripts {
  /** Each bundle's text, by URL. */
  scripts: Map<ScriptUrl, string>;
  /** What went into each bundle (esbuild's metafile; outputs are named `shop/<name>.js`). */
  metafile: Metafile;
  /** How long esbuild took, in milliseconds. */
  ms: number;
}

/**
 * browser/*.ts and what they import (e.g. the order statuses from
 * functions/domain/model/order.ts), bundled into memory: one classic script
 * (IIFE, strict) each, as the pages load them, for browsers of 2022 on.
 * browser/package.json makes the entry points ES modules, so that they are
 * inlined as such rather than wrapped as CommonJS.
 */
const OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: Object.values(SCRIPTS).map((file) => ({
    in: join(BROWSER_DIR, file),
    out: basename(file, '.ts'),
  })),
  outdir: 'shop',
  write: false,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  charset: 'utf8',
  legalComments: 'none',
  metafile: true,
  logLevel: 'silent',
} as const satisfies BuildOptions;

const scriptsOf = (result: BuildResult<typeof OPTIONS>, started: number): ShopScripts => {
  const ms = performance.now() - started;
  const byName = new Map(result.outputFiles.map((file) => [basename(file.path), file.text]));
  const scripts = new Map(
    (Object.keys(SCRIPTS) as ScriptUrl[]).map((url) => {
      const text = byName.get(basename(url));
      if (text === undefined) throw new Error(`esbuild made no ${url}`);
      return [url, text] as const;
    }),
  );
  return { scripts, metafile: result.metafile, ms };
};

/** The page scripts, bundled in the background (the local stack starts it while Java starts). */
export const bundleShopScripts = async (): Promise<ShopScripts> => {
  const started = performance.now();
  return scriptsOf(await build(OPTIONS), started);
};

/** The same, blocking: tens of milliseconds, more for the first call of a process. */
export const bundleShopScriptsSync = (): ShopScripts => {
  const started = performance.now();
  return scriptsOf(buildSync(OPTIONS), started);
};
