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
