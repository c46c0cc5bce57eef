import { ratio } from './stats';

export type Cell = string | number;

/** Plain text columns; `align` has one letter per column, l or r (default: first l, rest r). */
export const table = (
  header: Cell[],
  rows: Cell[][],
  align = `l${'r'.repeat(header.length - 1)}`,
) => {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, i) =>
          align[i] === 'l' ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

export const n = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toFixed(digits) : '-';
export const x = (ours: number, base: number) => {
  const value = ratio(ours, base);
  return Number.isFinite(value) ? `x${value.toFixed(2)}` : '-';
};
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${n(ms)}`;
