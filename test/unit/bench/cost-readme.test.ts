import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BEGIN,
  type CostFigures,
  END,
  FIGURES_FILE,
  renderCostTable,
  withCostTable,
} from '../../../bench/cost-readme';

const ROOT = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe("README's cost table", () => {
  it('is what the figures of the last full bench run make, unedited', () => {
    const file = join(ROOT, FIGURES_FILE);
    expect(existsSync(file), `${FIGURES_FILE} (written by npm run bench)`).toBe(true);
    const figures = JSON.parse(readFileSync(file, 'utf8')) as CostFigures;
    const block = readme.slice(readme.indexOf(BEGIN), readme.indexOf(END) + END.length);
    expect(block).toBe(renderCostTable(figures));
    // The total it states is the model's, line by line.
    const sum = figures.allIn.webhookFirst.lines.reduce((total, line) => total + line.usd, 0);
    expect(block).toContain(`**$${sum.toFixed(2)}**`);
  });

  it('is replaced between its markers only', () => {
    const text = `before\n${BEGIN}\nold\n${END}\nafter`;
    expect(withCostTable(text, `${BEGIN}\nnew\n${END}`)).toBe(
      `before\n${BEGIN}\nnew\n${END}\nafter`,
    );
    expect(() => withCostTable('no markers', 'x')).toThrow(/no "<!-- cost table/);
  });
});
