import { describe, expect, it } from 'vitest';
import { RecentlyUnknown } from '../../../../../functions/domain/use-cases/recently-unknown';

const clockAt = () => {
  let now = Date.parse('2026-12-02T00:00:00Z');
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
};

describe('RecentlyUnknown', () => {
  it('remembers an id for the given time, then forgets it', () => {
    const time = clockAt();
    const memory = new RecentlyUnknown(time.clock, 60_000, 10);
    memory.remember('imp_1');
    time.advance(59_999);
    expect(memory.has('imp_1')).toBe(true);
    time.advance(1);
    expect(memory.has('imp_1')).toBe(false);
  });

  it('knows nothing it was not told', () => {
    expect(new RecentlyUnknown(clockAt().clock).has('imp_2')).toBe(false);
  });

  it('forgets the oldest id first when full, so a flood of distinct ids cannot grow it', () => {
    const time = clockAt();
    const memory = new RecentlyUnknown(time.clock, 60_000, 3);
    for (const id of ['a', 'b', 'c', 'd']) {
      memory.remember(id);
      time.advance(1);
    }
    expect(['a', 'b', 'c', 'd'].map((id) => memory.has(id))).toEqual([false, true, true, true]);
  });

  it('counts a repeated id as new, so that it is kept longest', () => {
    const time = clockAt();
    const memory = new RecentlyUnknown(time.clock, 60_000, 2);
    memory.remember('a');
    memory.remember('b');
    memory.remember('a');
    memory.remember('c');
    expect([memory.has('a'), memory.has('b'), memory.has('c')]).toEqual([true, false, true]);
  });
});
