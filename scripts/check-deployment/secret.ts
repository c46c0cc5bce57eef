import { oneLine, send } from './http';
import type { CheckResult, KeyPairSource, Target } from './types';
import { answeredIgnored, answeredUpstreamError, logHint, type WebhookProbe } from './webhook';

/** Reads a secret's string; throws what the SDK throws (its `name` is the AWS error code). */
export type SecretReader = (arn: string) => Promise<string | undefined>;

const putCommand = (arn: string) =>
  `aws secretsmanager put-secret-value --secret-id ${arn} --secret-string '{"apiKey":"…","apiSecret":"…"}'`;

const putFix = (arn: string) =>
  `put the REST API key and secret from the PortOne console there with ${putCommand(arn)}, then restart the functions (README, key rotation)`;

/**
 * Does PortOne accept the deployment's key pair? Asked of PortOne directly
 * (`POST /users/getToken`, code 0) when the checker has the pair, from the
 * environment or a secret it may read; otherwise judged by the webhook's
 * answer to the test call, whose lookup at PortOne needs a token for the
 * pair the functions read from the secret.
 */
export const secretCheck = async (
  target: Target,
  probe: WebhookProbe,
  readSecret: SecretReader,
): Promise<CheckResult> => {
  const source = target.keyPair;
  if (source.kind === 'pair') return askPortOne(target, source, envFix);
  if (source.kind === 'deployment') return byTheWebhook(target, probe, source.arn, '');
  let value: string | undefined;
  try {
    value = await readSecret(source.arn);
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    if (name === 'AccessDeniedException') {
      // The stack's resource policy: only the functions read the secret.
      return byTheWebhook(
        target,
        probe,
        source.arn,
        " (Secrets Manager refused this machine the read, as the stack's secret policy intends)",
      );
    }
    if (name === 'ResourceNotFoundException') {
      return fail(
        `${source.arn} does not exist (ResourceNotFoundException): pass the stack's SecretArn output, in the stack's region (AWS_REGION)`,
      );
    }
    const detail = error instanceof Error ? oneLine(error.message) : String(error);
    return fail(
      `could not read ${source.arn} (${name}: ${detail}): use the AWS credentials and region you deploy with`,
    );
  }
  let pair: { apiKey: string; apiSecret: string };
  try {
    // The functions' own reading of the secret, so that both accept the same shapes. Loaded
    // here only: it brings the AWS SDK, which a check of an API URL never needs.
    const { secretsManagerCredentials } = await import(
      '../../functions/adapters/secrets/secrets-manager-credentials'
    );
    pair = await secretsManagerCredentials(
      { send: async () => ({ ...(value === undefined ? {} : { SecretString: value }) }) },
      source.arn,
    )();
  } catch (error) {
    return fail(`${source.arn}: ${oneLine((error as Error).message)}; ${putFix(source.arn)}`);
  }
  return askPortOne(target, { kind: 'pair', ...pair, label: source.arn }, () => putFix(source.arn));
};

const fail = (message: string): CheckResult => ({ name: 'secret', ok: false, message });

const envFix = () =>
  'set PORTONE_API_KEY and PORTONE_API_SECRET to the REST API key and secret from the PortOne console (the pair the deployment uses)';

const askPortOne = async (
  target: Target,
  pair: Extract<KeyPairSource, { kind: 'pair' }>,
  fix: () => string,
): Promise<CheckResult> => {
  const { label } = pair;
  const url = `${target.portoneApiUrl.replace(/\/+$/, '')}/users/getToken`;
  const exchange = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ imp_key: pair.apiKey, imp_secret: pair.apiSecret }),
  });
  if (!exchange.ok) {
    return fail(
      `could not ask PortOne about the key pair in ${label}: POST ${url} failed (${exchange.reason}); check --portone-api-url (default https://api.iamport.kr) and this machine's network`,
    );
  }
  const envelope = (exchange.json ?? {}) as {
    code?: unknown;
    message?: unknown;
    response?: unknown;
  };
  const token = (envelope.response as { access_token?: unknown } | null | undefined)?.access_token;
  if (exchange.status === 200 && envelope.code === 0 && typeof token === 'string' && token) {
    return {
      name: 'secret',
      ok: true,
      message: `PortOne (${target.portoneApiUrl}) issued an access token for the key pair in ${label}`,
    };
  }
  if (typeof envelope.code !== 'number') {
    return fail(
      `POST ${url} answered ${exchange.status}, not PortOne's JSON: --portone-api-url must be PortOne's V1 API (https://api.iamport.kr)`,
    );
  }
  const said = typeof envelope.message === 'string' ? `: ${oneLine(envelope.message)}` : '';
  return fail(
    `PortOne (${target.portoneApiUrl}) refused the key pair in ${label} (HTTP ${exchange.status}, code ${envelope.code}${said}): ${fix()}`,
  );
};

/** The webhook's lookup of the test call's imp_uid used the functions' pair: 200 ignored means PortOne issued a token for it. */
const byTheWebhook = (
  target: Target,
  probe: WebhookProbe,
  arn: string | null,
  note: string,
): CheckResult => {
  const where = arn ?? 'the deployment';
  if (answeredIgnored(probe)) {
    return {
      name: 'secret',
      ok: true,
      message: `PortOne accepts ${arn ? `the key pair the functions read from ${arn}` : "the deployment's key pair"}: the webhook's lookup of the test call's imp_uid needed a token for it${note}`,
    };
  }
  const status = probe.exchange.ok ? probe.exchange.status : null;
  if (answeredUpstreamError(probe)) {
    return fail(
      `the functions could not use the key pair in ${where}: the webhook answered the test call ${status} upstream_error, and its lookup at PortOne needs a token for that pair${note}; ${
        arn
          ? putFix(arn)
          : "store the REST API key and secret from the PortOne console where the deployment reads them (the stack's secret; PORTONE_API_KEY / PORTONE_API_SECRET for npm start)"
      }; ${logHint(probe, target)} has the detail`,
    );
  }
  return fail(
    `not checked: the webhook did not answer the test call (see the webhook line), and its answer is how the key pair in ${where} is judged${note}; fix the webhook${
      target.stackName
        ? ''
        : ', or pass PORTONE_API_KEY / PORTONE_API_SECRET to test a pair directly'
    }`,
  );
};
