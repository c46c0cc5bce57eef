import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const domain = join(__dirname, '../../functions/domain');

describe('functions/domain', () => {
  it.each(readdirSync(domain).filter((file) => file.endsWith('.ts')))(
    '%s imports nothing but other domain modules',
    (file) => {
      const source = readFileSync(join(domain, file), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      expect(imports.filter((path) => !path?.startsWith('./'))).toEqual([]);
    },
  );
});

describe('functions/', () => {
  // Full zod is ~450 KB of every bundle and ~25 ms of every cold start;
  // zod/mini is the same validation core, tree-shaken to ~25 KB.
  it('takes zod from zod/mini only', () => {
    const root = join(__dirname, '../../functions');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) =>
      file.endsWith('.ts'),
    );
    const fullZod = files.filter((file) =>
      /from 'zod(\/v4)?'/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(files.length).toBeGreaterThan(0);
    expect(fullZod).toEqual([]);
  });
});
