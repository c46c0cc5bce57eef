import { HELP, parseArguments, USAGE, UsageError } from './args';
import { corsCheck } from './cors';
import { redirectCheck } from './redirect';
import { type SecretReader, secretCheck } from './secret';
import { type OutputsReader, resolveTarget, TargetError } from './target';
import type { CheckResult } from './types';
import { probeWebhook, webhookCheck } from './webhook';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** The AWS calls, as functions, so that tests can point them anywhere. */
export interface AwsReaders {
  readOutputs: OutputsReader;
  readSecret: SecretReader;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** `ok   webhook: …` or `FAIL webhook: …`, one line each. */
export const formatResult = (result: CheckResult): string =>
  `${result.ok ? 'ok  ' : 'FAIL'} ${result.name}: ${result.message}`;

/** Runs every check and prints one line each; answers the exit code. */
export const checkDeployment = async (
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: Io,
  aws: AwsReaders,
): Promise<number> => {
  let target: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    const options = parseArguments(argv, env);
    if (options === null) {
      io.out(HELP);
      return EXIT.ok;
    }
    target = await resolveTarget(options, aws.readOutputs);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`check-deployment: ${error.message}; ${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof TargetError) {
      io.err(`check-deployment: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    io.out(formatResult(result));
  };
  // The webhook's answer is evidence for the secret check too: one test call serves both.
  const probe = await probeWebhook(target);
  report(webhookCheck(probe, target));
  report(await redirectCheck(target));
  for (const result of await corsCheck(target)) report(result);
  report(await secretCheck(target, probe, aws.readSecret));
  return results.every((result) => result.ok) ? EXIT.ok : EXIT.failed;
};
