import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  /** Modules left out of the bundle and required at run time (none while lib/bundling.ts bundles the SDK). */
  externals: string[];
  /** The AWS SDK clients the bundle contains, as found in its esbuild metafile inputs. */
  sdkClients: SdkClient[];
  /**
   * Output bytes of the PortOne V2 code in it: functions/adapters/portone-v2/,
   * functions/<name>/v2-*.ts files and @portone/server-sdk (its webhook verify and types).
   */
  v2Bytes: number;
}

/**
 * The AWS SDK clients a function can construct, each detected by its
 * package's files among a metafile's inputs, and how a floor constructs it:
 * in a region, as functions/runtime/deps.ts and functions/settled/handler.ts do.
 */
const SDK_CLIENTS = {
  dynamodb: {
    from: '@aws-sdk/client-dynamodb',
    imports: ['DynamoDBClient'],
    construct: 'new DynamoDBClient({ region, maxAttempts: 3 })',
  },
  // Wraps a DynamoDBClient (deps.ts, the baseline), then not also constructed on its own.
  'lib-dynamodb': {
    from: '@aws-sdk/lib-dynamodb',
    imports: ['DynamoDBDocumentClient'],
    construct:
      'DynamoDBDocumentClient.from(new DynamoDBClient({ region, maxAttempts: 3 }), { marshallOptions: { removeUndefinedValues: true } })',
  },
  'secrets-manager': {
    from: '@aws-sdk/client-secrets-manager',
    imports: ['SecretsManagerClient'],
    construct: 'new SecretsManagerClient({ region, maxAttempts: 3 })',
  },
  eventbridge: {
    from: '@aws-sdk/client-eventbridge',
    imports: ['EventBridgeClient'],
    construct: 'new EventBridgeClient({ region, maxAttempts: 3 })',
  },
} as const;
export type SdkClient = keyof typeof SDK_CLIENTS;

/** A synthetic entry that only imports and constructs `clients`, bundled as deployed. */
export interface SdkFloorBundle {
  /** The clients joined with '+', or 'none'. */
  name: string;
  clients: SdkClient[];
  outfile: string;
  bytes: number;
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
        sdkClients: sdkClientsOf(metafile),
        v2Bytes: v2BytesOf(metafile),
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

const V2_INPUT =
  /(^|\/)(functions\/adapters\/portone-v2\/|node_modules\/@portone\/)|functions\/.*\/v2-[^/]*$/;

/** Output bytes from the V2 inputs (see Bundle.v2Bytes). */
const v2BytesOf = (metafile: Metafile): number => {
  const [output] = Object.values(metafile.outputs);
  return Object.entries(output?.inputs ?? {})
    .filter(([path]) => V2_INPUT.test(path))
    .reduce((total, [, { bytesInOutput }]) => total + bytesInOutput, 0);
};

/** Which SDK clients went into a bundle: any input file under node_modules/<package>/. */
const sdkClientsOf = (metafile: Metafile): SdkClient[] => {
  const inputs = Object.keys(metafile.inputs);
  return (Object.keys(SDK_CLIENTS) as SdkClient[]).filter((client) =>
    inputs.some((input) => input.includes(`node_modules/${SDK_CLIENTS[client].from}/`)),
  );
};

export const sdkFloorName = (clients: readonly SdkClient[]): string => clients.join('+') || 'none';

/** The entry of a floor: imports and constructs exactly `clients`, nothing of ours. */
const sdkFloorSource = (clients: readonly SdkClient[]): string => {
  const documents = clients.includes('lib-dynamodb');
  // The document client's DynamoDBClient is the one it wraps, not a second one.
  const built = documents ? clients.filter((c) => c !== 'dynamodb') : clients;
  const imported =
    documents && !clients.includes('dynamodb') ? ['dynamodb' as const, ...clients] : clients;
  return [
    '// Generated by bench/bundles.ts: an SDK floor, the clients of a bundle and nothing of ours.',
    ...imported.map(
      (c) => `import { ${SDK_CLIENTS[c].imports.join(', ')} } from '${SDK_CLIENTS[c].from}';`,
    ),
    "const region = process.env.AWS_REGION ?? 'us-east-1';",
    `export const clients = [${built.map((c) => SDK_CLIENTS[c].construct).join(', ')}];`,
    '',
  ].join('\n');
};

/**
 * One floor per distinct set of clients among `bundles`, built with the same
 * esbuild options (tree shaking, the credentials alias) into BUILD_DIR.
 */
export const buildSdkFloors = async (bundles: readonly Bundle[]): Promise<SdkFloorBundle[]> => {
  const sets = new Map(bundles.map((b) => [sdkFloorName(b.sdkClients), b.sdkClients]));
  return Promise.all(
    [...sets].map(async ([name, clients]) => {
      const dir = join(BUILD_DIR, 'sdk-floors', name);
      mkdirSync(dir, { recursive: true });
      // .mjs, not .ts: tsc -p . must not type-check generated files.
      const entry = join(dir, 'entry.mjs');
      writeFileSync(entry, sdkFloorSource(clients));
      const outfile = join(dir, 'index.js');
      await build(esbuildOptions(entry, outfile));
      return { name, clients, outfile, bytes: statSync(outfile).size };
    }),
  );
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
