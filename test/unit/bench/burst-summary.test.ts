import { describe, expect, it } from 'vitest';
import { burstProcesses } from '../../../bench/burst';
import type { Seen } from '../../../bench/burst-counters';
import {
  type ProcessOutcome,
  peakInWindow,
  problemOf,
  summarizeBurst,
} from '../../../bench/burst-summary';
import { ANSWER_MARK, parseAnswer } from '../../../bench/burst-worker';

const answered = (ms: number, word = 'applied', status = 200): ProcessOutcome => ({
  spawnToAnswerMs: ms,
  answer: { status, word, loadedMs: ms / 4, answeredMs: ms / 2 },
  exitCode: 0,
  stderr: '',
});

const at = (what: string, ...times: number[]): Seen[] => times.map((atMs) => ({ what, atMs }));

describe('peakInWindow', () => {
  it('counts the most times inside any one window, wherever it starts', () => {
    expect(peakInWindow([0, 100, 999, 1000, 1050, 1900], 1000)).toBe(4);
    expect(peakInWindow([5000, 0, 2000], 1000)).toBe(1);
  });

  it('leaves a time exactly one window later out', () => {
    expect(peakInWindow([0, 1000], 1000)).toBe(1);
  });

  it('is zero for no times', () => {
    expect(peakInWindow([], 1000)).toBe(0);
  });
});

describe('problemOf', () => {
  it('accepts the expected answer of each route', () => {
    expect(problemOf('webhook', answered(10))).toBeNull();
    expect(problemOf('complete', answered(10, 'success'))).toBeNull();
  });

  it("names a wrong answer, a handler's throw, a missing answer and a bad exit", () => {
    expect(problemOf('complete', answered(10, 'applied'))).toBe('answered 200 applied');
    expect(problemOf('webhook', answered(10, 'unavailable', 503))).toBe('answered 503 unavailable');
    const threw = answered(10);
    threw.answer = { status: 0, word: null, loadedMs: 1, answeredMs: 2, error: 'boom' };
    expect(problemOf('webhook', threw)).toBe('handler threw: boom');
    expect(
      problemOf('webhook', { spawnToAnswerMs: null, answer: null, exitCode: 1, stderr: 'x\n' }),
    ).toBe('no answer (exit 1); x');
    expect(problemOf('webhook', { ...answered(10), exitCode: 1 })).toBe('exit 1 after answering');
  });
});

describe('summarizeBurst', () => {
  const outcomes = [answered(100), answered(300), answered(200)];

  it('finds the promises held when each container fetched one token, read the secret once and looked up once', () => {
    const run = summarizeBurst({
      route: 'webhook',
      portoneLatencyMs: 30,
      outcomes,
      portone: [...at('/users/getToken', 10, 20, 1500), ...at('/payments/imp_1', 40, 50, 1530)],
      secrets: at('secretsmanager.GetSecretValue', 1, 2, 3),
      simulatorTokenFetches: 3,
      wallMs: 1600,
    });
    expect(run).toMatchObject({
      processes: 3,
      errors: 0,
      tokenFetches: 3,
      peakTokenFetchesPerSecond: 2,
      lookups: 3,
      secretReads: 3,
      promises: {
        oneTokenFetchPerContainer: true,
        oneSecretReadPerContainer: true,
        oneLookupPerEvent: true,
      },
    });
    expect(run.spawnToAnswerMs).toMatchObject({ n: 3, p50: 200, max: 300 });
    expect(run.answeredMs.max).toBe(150);
  });

  it('finds a promise broken by one token fetch or secret read too many, or one too few', () => {
    const run = summarizeBurst({
      route: 'webhook',
      portoneLatencyMs: 30,
      outcomes,
      portone: [...at('/users/getToken', 1, 2, 3, 4), ...at('/payments/imp_1', 5, 6, 7)],
      secrets: at('secretsmanager.GetSecretValue', 1, 2),
      simulatorTokenFetches: 4,
      wallMs: 10,
    });
    expect(run.promises).toEqual({
      oneTokenFetchPerContainer: false,
      oneSecretReadPerContainer: false,
      oneLookupPerEvent: true,
    });
  });

  it("trusts neither count alone: the tap and the simulator's log must both say one per container", () => {
    const run = summarizeBurst({
      route: 'webhook',
      portoneLatencyMs: 30,
      outcomes,
      portone: at('/users/getToken', 1, 2, 3),
      secrets: at('secretsmanager.GetSecretValue', 1, 2, 3),
      simulatorTokenFetches: 6,
      wallMs: 10,
    });
    expect(run.promises.oneTokenFetchPerContainer).toBe(false);
  });

  it('counts the errors and keeps three reasons', () => {
    const bad = answered(1, 'unavailable', 503);
    const run = summarizeBurst({
      route: 'webhook',
      portoneLatencyMs: 30,
      outcomes: [bad, bad, bad, bad, answered(5)],
      portone: [],
      secrets: [],
      simulatorTokenFetches: 0,
      wallMs: 10,
    });
    expect(run.errors).toBe(4);
    expect(run.errorSamples).toHaveLength(3);
  });
});

describe('the worker', () => {
  it("reads the answer line among the process's other output", () => {
    const line = JSON.stringify({ status: 200, word: 'applied', loadedMs: 1, answeredMs: 2 });
    expect(parseAnswer(`{"level":"INFO"}\n${ANSWER_MARK}${line}\n`)).toEqual({
      status: 200,
      word: 'applied',
      loadedMs: 1,
      answeredMs: 2,
    });
    expect(parseAnswer('nothing\n')).toBeNull();
    expect(parseAnswer(`${ANSWER_MARK}{cut off`)).toBeNull();
  });
});

describe('burstProcesses', () => {
  it('is 50 at the full size and 3 at the smoke size, unless BURST_PROCESSES says', () => {
    expect(burstProcesses('full', undefined)).toBe(50);
    expect(burstProcesses('smoke', '')).toBe(3);
    expect(burstProcesses('smoke', '7')).toBe(7);
  });

  it('refuses a size that is not a whole number from 1 to 1000', () => {
    for (const bad of ['0', '2.5', 'many', '1001']) {
      expect(() => burstProcesses('full', bad)).toThrow(/BURST_PROCESSES/);
    }
  });
});
