import type { Seen } from './burst-counters';
import type { BurstRoute, WorkerAnswer } from './burst-worker';
import { type Summary, summarize } from './stats';

/** The answer each route gives a fresh paid order when all went well (bench/workload.ts EXPECTED). */
export const EXPECTED_WORD: Record<BurstRoute, string> = {
  webhook: 'applied',
  complete: 'success',
};

/** One fresh process of the burst, as the parent saw it. */
export interface ProcessOutcome {
  /** From spawn() to its answer line on stdout; null when it printed none. */
  spawnToAnswerMs: number | null;
  answer: WorkerAnswer | null;
  exitCode: number | null;
  /** The end of its stderr, for the report of an error. */
  stderr: string;
}

/** What one burst of one route measured. */
export interface BurstRun {
  route: BurstRoute;
  processes: number;
  /** PortOne's latency at the simulator during the burst. */
  portoneLatencyMs: number;
  /** Processes that did not answer 200 with EXPECTED_WORD (or printed nothing, or exited non-zero). */
  errors: number;
  /** Up to three of their reasons. */
  errorSamples: string[];
  /** Spawn to answer, timed by the parent: the cold start and the event, as API Gateway would wait. */
  spawnToAnswerMs: Summary;
  /** Inside each process, from its own start: the bundle loaded, and the handler answered. */
  loadedMs: Summary;
  answeredMs: Summary;
  /** From the first spawn to the last answer. */
  wallMs: number;
  /** POST /users/getToken seen at the counting tap in front of the simulator ... */
  tokenFetches: number;
  /** ... and in the simulator's own call log (the two must agree). */
  simulatorTokenFetches: number;
  /** The most token fetches inside any one second (sliding window), at the tap. */
  peakTokenFetchesPerSecond: number;
  /** Payment lookups (GET /payments/...) at the tap: one per event. */
  lookups: number;
  /** GetSecretValue calls the Secrets Manager stand-in answered. */
  secretReads: number;
  /** The design's promise per container, checked on this burst. */
  promises: {
    oneTokenFetchPerContainer: boolean;
    oneSecretReadPerContainer: boolean;
    oneLookupPerEvent: boolean;
  };
}

/**
 * The most of `times` (ms) that fall inside any one window of `windowMs`
 * (from a time, inclusive, to `windowMs` later, exclusive).
 */
export const peakInWindow = (times: readonly number[], windowMs: number): number => {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
};

/** What the process printed besides its answer (its logs at BURST_LOG_LEVEL), shortened. */
const tail = (text: string): string => (text.trim() ? `; ${text.trim().slice(-300)}` : '');

/** Why one process counts as an error, or null when it answered as expected. */
export const problemOf = (route: BurstRoute, outcome: ProcessOutcome): string | null => {
  const { answer } = outcome;
  if (answer === null) {
    return `no answer (exit ${outcome.exitCode})${tail(outcome.stderr)}`;
  }
  if (answer.error !== undefined) return `handler threw: ${answer.error}`;
  if (answer.status !== 200 || answer.word !== EXPECTED_WORD[route]) {
    return `answered ${answer.status} ${answer.word}${tail(outcome.stderr)}`;
  }
  if (outcome.exitCode !== 0) return `exit ${outcome.exitCode} after answering`;
  return null;
};

const TOKEN_PATH = '/users/getToken';

export const summarizeBurst = (input: {
  route: BurstRoute;
  portoneLatencyMs: number;
  outcomes: readonly ProcessOutcome[];
  /** What the tap in front of the simulator saw during the burst. */
  portone: readonly Seen[];
  secrets: readonly Seen[];
  simulatorTokenFetches: number;
  wallMs: number;
}): BurstRun => {
  const { route, outcomes } = input;
  const problems = outcomes
    .map((outcome) => problemOf(route, outcome))
    .filter((p): p is string => p !== null);
  const answers = outcomes.flatMap((o) => (o.answer ? [o.answer] : []));
  const tokenTimes = input.portone.filter((s) => s.what === TOKEN_PATH).map((s) => s.atMs);
  const lookups = input.portone.filter((s) => s.what.startsWith('/payments/')).length;
  const processes = outcomes.length;
  return {
    route,
    processes,
    portoneLatencyMs: input.portoneLatencyMs,
    errors: problems.length,
    errorSamples: problems.slice(0, 3),
    spawnToAnswerMs: summarize(
      outcomes.flatMap((o) => (o.spawnToAnswerMs === null ? [] : [o.spawnToAnswerMs])),
    ),
    loadedMs: summarize(answers.map((a) => a.loadedMs)),
    answeredMs: summarize(answers.map((a) => a.answeredMs)),
    wallMs: input.wallMs,
    tokenFetches: tokenTimes.length,
    simulatorTokenFetches: input.simulatorTokenFetches,
    peakTokenFetchesPerSecond: peakInWindow(tokenTimes, 1000),
    lookups,
    secretReads: input.secrets.length,
    promises: {
      oneTokenFetchPerContainer:
        tokenTimes.length === processes && input.simulatorTokenFetches === processes,
      oneSecretReadPerContainer: input.secrets.length === processes,
      oneLookupPerEvent: lookups === processes,
    },
  };
};

/** Everything bench/results.json holds under `burst`. */
export interface BurstResults {
  processes: number;
  /** The machine's cores: N processes start on these, where Lambda gives each container its own. */
  cores: number;
  runs: BurstRun[];
}
