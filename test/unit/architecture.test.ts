import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cruise, type IConfiguration, type IViolation } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const config: IConfiguration = createRequire(__filename)(join(root, '.dependency-cruiser.cjs'));
const SOURCES = ['functions', 'lib', 'bin', 'local', 'simulator', 'bench', 'scripts', 'test'];

const violationsIn = async (baseDir: string, paths: string[]) => {
  const { output } = await cruise(
    paths,
    {
      ...config.options,
      baseDir,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
    },
    {},
    { tsConfig: extractTSConfig(join(root, 'tsconfig.json')) },
  );
  if (typeof output === 'string') throw new Error('expected a cruise result, got a report');
  return output.summary.violations;
};

const described = (violations: IViolation[]) =>
  violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`);

describe('the dependency rules (.dependency-cruiser.cjs)', () => {
  it('hold for the whole code base, type-only imports included', async () => {
    expect(described(await violationsIn(root, SOURCES))).toEqual([]);
  });

  // A rule that cannot fire proves nothing: each forbidden import below must
  // be reported by exactly the rule that names it.
  // test-output/ may not exist yet (a fresh checkout running this file alone).
  mkdirSync(join(root, 'test-output'), { recursive: true });
  const sandbox = mkdtempSync(join(root, 'test-output', 'architecture-'));
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

  const file = (path: string, source: string) => {
    mkdirSync(dirname(join(sandbox, path)), { recursive: true });
    writeFileSync(join(sandbox, path), source);
  };

  it('report each kind of forbidden import by name', async () => {
    mkdirSync(sandbox, { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(sandbox, 'node_modules'));
    file('functions/domain/model/order.ts', "import '../rules/decide';\n");
    file('functions/domain/rules/decide.ts', "import '../ports/store';\nimport 'node:fs';\n");
    file('functions/domain/ports/store.ts', "import type { X } from '../use-cases/verify';\n");
    file('functions/domain/use-cases/verify.ts', "export type X = 1;\nimport '../rules/a';\n");
    file('functions/domain/rules/a.ts', "import './b';\n");
    file('functions/domain/rules/b.ts', "import './a';\n");
    file('functions/http/present.ts', "import '../adapters/store';\n");
    file('functions/adapters/store.ts', "import '../domain/use-cases/verify';\nimport 'zod';\n");
    file('functions/complete/complete.ts', "import '../runtime/deps';\n");
    file('functions/runtime/deps.ts', "import '../../test/fake';\nimport 'vitest';\n");
    file('functions/runtime/setting-rules.ts', "import './deps';\n");
    file('lib/stack.ts', "import '../functions/runtime/deps';\n");
    file('local/stack.ts', "import '../test/fake';\n");
    file('test/fake.ts', 'export {};\n');

    const fired = new Set(
      (await violationsIn(sandbox, ['functions', 'lib', 'local'])).map((v) => v.rule.name),
    );
    expect([...fired].sort()).toEqual(config.forbidden?.map((rule) => rule.name).sort());
  });
});
