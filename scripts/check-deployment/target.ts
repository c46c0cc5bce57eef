import type { Options } from './args';
import { oneLine } from './http';
import type { Target } from './types';

/** A stack's outputs by key; throws what the SDK throws. */
export type OutputsReader = (stackName: string) => Promise<Record<string, string | undefined>>;

/** The target could not be worked out (no such stack, no credentials): exit 2, one line. */
export class TargetError extends Error {
  override name = 'TargetError';
}

/**
 * The facts to check against: from the stack's outputs (a flag wins over an
 * output), or, with an API URL, from the flags and the environment alone.
 */
export const resolveTarget = async (
  options: Options,
  readOutputs: OutputsReader,
): Promise<Target> => {
  const common = {
    disallowedOrigin: options.disallowedOrigin,
    portoneApiUrl: options.portoneApiUrl,
  };
  if (options.target.kind === 'url') {
    return {
      ...common,
      apiUrl: options.target.url,
      stackName: null,
      resultPageUrl: options.resultPageUrl,
      resultPageHint:
        'pass --result-page-url (the resultPageUrl context; RESULT_PAGE_URL for npm start)',
      // No origins is a valid configuration (the stack's default: no CORS).
      allowedOrigins: options.origins ?? [],
      originsHint: '',
      keyPair: options.secretArn
        ? { kind: 'secret', arn: options.secretArn }
        : options.envPair
          ? { kind: 'pair', ...options.envPair, label: 'PORTONE_API_KEY / PORTONE_API_SECRET' }
          : { kind: 'deployment', arn: null },
      webhookLogGroup: null,
    };
  }
  const name = options.target.name;
  const outputs = await describe(name, readOutputs);
  const apiUrl = outputs.ApiUrl?.trim().replace(/\/+$/, '');
  if (!apiUrl) {
    throw new TargetError(
      `stack ${name} has no ApiUrl output: it is not this service's stack, or its deployment did not finish (see aws cloudformation describe-stack-events --stack-name ${name})`,
    );
  }
  const deployAgain = `deploy the current version of the stack (npx cdk deploy), or pass`;
  return {
    ...common,
    apiUrl,
    stackName: name,
    resultPageUrl: options.resultPageUrl ?? (outputs.ResultPageUrl?.trim() || null),
    resultPageHint: `stack ${name} has no ResultPageUrl output; ${deployAgain} --result-page-url`,
    allowedOrigins: options.origins ?? originsOf(outputs),
    originsHint: `stack ${name} has no AllowedOrigins output; ${deployAgain} --origin for each checkout origin`,
    keyPair: options.secretArn
      ? { kind: 'secret', arn: options.secretArn }
      : { kind: 'deployment', arn: outputs.SecretArn?.trim() || null },
    webhookLogGroup: outputs.WebhookLogGroup?.trim() || null,
  };
};

/** Comma-separated; present but empty means none (CORS off). Absent: an older stack, unknown. */
const originsOf = (outputs: Record<string, string | undefined>): string[] | null => {
  if (!('AllowedOrigins' in outputs)) return null;
  return (outputs.AllowedOrigins ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter(Boolean);
};

const describe = async (name: string, readOutputs: OutputsReader) => {
  try {
    return await readOutputs(name);
  } catch (error) {
    const code = error instanceof Error ? error.name : 'Error';
    const detail = oneLine(error instanceof Error ? error.message : String(error));
    if (code === 'ValidationError' && /does not exist/.test(detail)) {
      throw new TargetError(
        `stack ${name} does not exist in this account and region (${detail}): pass the stack name cdk deploy printed (PortOnePayments-<stage>) and set AWS_REGION to its region`,
      );
    }
    if (code === 'CredentialsProviderError' || /credential/i.test(detail)) {
      throw new TargetError(
        `could not describe stack ${name}: no usable AWS credentials (${detail}); use the credentials you deploy with, or pass the API URL instead`,
      );
    }
    if (/region/i.test(detail)) {
      throw new TargetError(
        `could not describe stack ${name}: ${detail}; set AWS_REGION to the stack's region`,
      );
    }
    throw new TargetError(`could not describe stack ${name} (${code}: ${detail})`);
  }
};
