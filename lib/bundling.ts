import { join } from 'node:path';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** Lambda's credentials are in the environment: see functions/runtime/lambda-credentials.ts. */
const CREDENTIAL_ALIAS = {
  '@aws-sdk/credential-provider-node': join(
    __dirname,
    '..',
    'functions',
    'runtime',
    'lambda-credentials.ts',
  ),
};

/**
 * How every function is bundled, in one place: ServiceFunction hands these to
 * NodejsFunction for `cdk deploy`, and the benchmark (bench/bundles.ts) builds
 * with `esbuildOptions`, so the sizes and cold starts it reports are those of
 * the deployed code.
 */
export const FUNCTION_BUNDLING = {
  minify: true,
  sourceMap: false,
  target: 'node22',
  format: OutputFormat.CJS,
  // The AWS SDK goes into the bundle, from its ES module build so that esbuild
  // drops what the function never calls: measured with `npm run bench`, that
  // imports about 40 ms faster than the copy the Lambda runtime provides
  // (whole packages, many files), for about 220 KB more per bundle.
  bundleAwsSDK: true,
  externalModules: [],
  mainFields: ['module', 'main'],
  esbuildArgs: Object.fromEntries(
    Object.entries(CREDENTIAL_ALIAS).map(([from, to]) => [`--alias:${from}`, to]),
  ),
} as const satisfies BundlingOptions;

/**
 * The esbuild JS API form of FUNCTION_BUNDLING: the flags NodejsFunction
 * passes to the esbuild CLI (--bundle, --platform=node, --target, --format,
 * --minify, --external, --main-fields), plus a metafile so that a size can
 * be explained.
 */
export const esbuildOptions = (entry: string, outfile: string) =>
  ({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    format: FUNCTION_BUNDLING.format,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    external: [...FUNCTION_BUNDLING.externalModules],
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    alias: CREDENTIAL_ALIAS,
    metafile: true,
    logLevel: 'silent',
  }) as const satisfies BuildOptions;
