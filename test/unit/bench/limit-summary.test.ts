import { describe, expect, it } from 'vitest';
import { againstLimit, summarizeLimit } from '../../../bench/limit-summary';
import { summarize } from '../../../bench/stats';

describe('the limit summary', () => {
  // The slowest lookup and the slowest write fall on different iterations.
  const samples = [
    { getItemMs: 2, portoneMs: 40, updateItemMs: 3 },
    { getItemMs: 3, portoneMs: 31, updateItemMs: 9 },
    { getItemMs: 2, portoneMs: 30, updateItemMs: 4 },
  ];

  it('sums the parts per iteration before taking percentiles', () => {
    const summary = summarizeLimit(30, samples);
    expect(summary.limit.max).toBe(43);
    // A sum of the parts' maxima (49) is no event's cost.
    expect(summary.portone.max + summary.updateItem.max).toBe(49);
    expect(summary.limit.p50).toBe(40);
    expect(summary.limitWithRead.p50).toBe(43);
    expect(summary).toMatchObject({ latencyMs: 30, iterations: 3 });
  });

  it('passes a route only when both its p50 and its p99 are within the factor', () => {
    const limit = summarize([36, 36, 40]);
    expect(againstLimit(summarize([39, 39, 44]), limit)).toEqual({
      p50: 39 / 36,
      p99: 44 / 40,
      pass: true,
    });
    expect(againstLimit(summarize([39, 39, 45]), limit).pass).toBe(false);
    expect(againstLimit(summarize([40, 40, 41]), limit).pass).toBe(false);
  });
});
