import type { BurstResults } from './burst-summary';
import { n, table } from './format';

const verdict = (held: boolean) => (held ? 'holds' : 'BROKEN');

/** The burst's section of the report (and what `npm run bench:burst` prints alone). */
export const formatBurst = (r: BurstResults): string => {
  const lines = [
    `Cold-start burst: ${r.processes} fresh processes per route started at once, each the production bundle handling one paid order (PortOne at ${r.runs[0]?.portoneLatencyMs ?? '-'} ms), on ${r.cores} cores`,
    table(
      [
        'route',
        'processes',
        'errors',
        'spawn to answer p50',
        'p95',
        'max',
        'loaded p50',
        'token fetches',
        'peak per 1 s',
        'secret reads',
        'lookups',
      ],
      r.runs.map((run) => [
        run.route,
        run.processes,
        run.errors,
        `${n(run.spawnToAnswerMs.p50, 0)} ms`,
        `${n(run.spawnToAnswerMs.p95, 0)} ms`,
        `${n(run.spawnToAnswerMs.max, 0)} ms`,
        `${n(run.loadedMs.p50, 0)} ms`,
        run.tokenFetches,
        run.peakTokenFetchesPerSecond,
        run.secretReads,
        run.lookups,
      ]),
    ),
  ];
  for (const run of r.runs) {
    lines.push(
      `${run.route}: one token fetch per container ${verdict(run.promises.oneTokenFetchPerContainer)} (${run.tokenFetches} at the tap, ${run.simulatorTokenFetches} in the simulator's log, for ${run.processes} containers), one secret read per container ${verdict(run.promises.oneSecretReadPerContainer)} (${run.secretReads}), one PortOne lookup per event ${verdict(run.promises.oneLookupPerEvent)} (${run.lookups}); PortOne's token endpoint saw ${run.peakTokenFetchesPerSecond} fetches within one second.`,
    );
    for (const sample of run.errorSamples) lines.push(`  error: ${sample}`);
  }
  lines.push(
    `All ${r.processes} start on ${r.cores} shared cores here, so spawn to answer is mostly waiting for CPU; on Lambda each container has its own. A burst of N new containers costs PortOne N token fetches and Secrets Manager N reads at once (README, "Capacity").`,
  );
  return lines.join('\n');
};
