import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { UpstreamUnavailableError } from '../../domain/model/errors';
import type { CredentialsProvider, PortOneCredentials } from '../portone';

/** What the stack stores until the merchant puts the real values in. */
const PLACEHOLDER = 'REPLACE_ME';

/** The part of SecretsManagerClient we use, so tests can hand in a fake. */
export interface SecretsClient {
  send(command: GetSecretValueCommand): Promise<{ SecretString?: string }>;
}

/**
 * The PortOne secret's JSON, fetched once per container and cached, for the
 * views below (V1's key pair, V2's secrets): they share one read, so turning
 * V2 on costs no second call to Secrets Manager. Concurrent first callers
 * share one request; a failed fetch is not cached.
 */
export interface SecretDocument {
  /** The parsed JSON (undefined when the value is not JSON); views check their own fields. */
  read(): Promise<unknown>;
  /**
   * Forget the value so that the next read fetches it again: PortOne refused
   * what it held, or a view found its fields unusable (the merchant may store
   * them any moment with put-secret-value). Only the value `seen` is dropped,
   * so a view that read an older value cannot throw away a fresher one.
   */
  invalidate(seen?: unknown): void;
}

export const secretsManagerDocument = (
  client: SecretsClient,
  secretArn: string,
): SecretDocument => {
  let cached: Promise<unknown> | undefined;
  let value: unknown;
  const load = async (): Promise<unknown> => {
    let text: string | undefined;
    try {
      text = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
    } catch (error) {
      throw new UpstreamUnavailableError(
        `could not read the PortOne secret from Secrets Manager (${error instanceof Error ? error.name : 'error'})`,
        { cause: error },
      );
    }
    try {
      return JSON.parse(text ?? '');
    } catch {
      return undefined;
    }
  };
  return {
    read() {
      cached ??= load().then(
        (parsed) => {
          value = parsed;
          return parsed;
        },
        (error: unknown) => {
          cached = undefined;
          throw error;
        },
      );
      return cached;
    },
    invalidate(seen) {
      if (seen !== undefined && seen !== value) return;
      cached = undefined;
      value = undefined;
    },
  };
};

// The stack creates the secret as {"apiKey": "...", "apiSecret": "..."}; PortOne's own names are accepted too.
const nonEmpty = z.string().check(z.minLength(1));
const v1Schema = z.union([
  z.object({ apiKey: nonEmpty, apiSecret: nonEmpty }),
  z.pipe(
    z.object({ imp_key: nonEmpty, imp_secret: nonEmpty }),
    z.transform((pair) => ({ apiKey: pair.imp_key, apiSecret: pair.imp_secret })),
  ),
]);

/**
 * V1's view: the REST API key pair. Nothing of the secret's value ever
 * reaches an error message.
 */
export const v1Credentials = (document: SecretDocument): CredentialsProvider => {
  const provider = async (): Promise<PortOneCredentials> => {
    const parsed = await document.read();
    const pair = v1Schema.safeParse(parsed);
    if (pair.success && Object.values(pair.data).includes(PLACEHOLDER)) {
      // The stack creates the secret with a placeholder; never keep it.
      document.invalidate(parsed);
      throw new UpstreamUnavailableError(
        'the PortOne secret still holds its placeholder: store the key pair (see the README)',
      );
    }
    if (!pair.success) {
      document.invalidate(parsed);
      throw new UpstreamUnavailableError(
        'the PortOne secret must be JSON {"apiKey": "...", "apiSecret": "..."} (see the README)',
      );
    }
    return { apiKey: pair.data.apiKey, apiSecret: pair.data.apiSecret };
  };
  // PortOne refused the pair: it was rotated since this container read it.
  provider.invalidate = () => document.invalidate();
  return provider;
};

/** V1's key pair alone, from its own read of the secret (the deployment check, scripts/check-deployment). */
export const secretsManagerCredentials = (
  client: SecretsClient,
  secretArn: string,
): CredentialsProvider => v1Credentials(secretsManagerDocument(client, secretArn));

/** PortOne V2's secrets as the functions use them. */
export interface V2Secrets {
  apiSecret: string;
  /** One, or two while the console's secret is rotated. */
  webhookSecrets: readonly string[];
}

/** Where V2's secrets come from; `invalidate` is called when PortOne V2 refuses the API secret. */
export type V2SecretsProvider = (() => Promise<V2Secrets>) & { invalidate: () => void };

/**
 * The rule for the webhook secrets, the same the environment variable is
 * checked by (functions/runtime/setting-rules.ts, handed in: adapters do not
 * import the runtime). A problem never quotes a secret.
 */
export type WebhookSecretsRule = (
  items: readonly string[],
) => { ok: true; value: string[] } | { ok: false; problem: string };

/** The field names in the secret's JSON, next to V1's apiKey and apiSecret. */
export const V2_FIELDS = { apiSecret: 'v2ApiSecret', webhookSecret: 'v2WebhookSecret' } as const;

/**
 * V2's view: `v2ApiSecret`, and `v2WebhookSecret` (comma-separated, two while
 * rotating). A missing, placeholder or malformed field is an
 * UpstreamUnavailableError naming the field, never its value: V2's routes
 * answer 5xx (PortOne retries its webhook) while V1 keeps working on the
 * same secret. Such a value is not kept, so the fields are picked up as soon
 * as they are stored.
 */
export const v2Secrets = (
  document: SecretDocument,
  rules: { webhookSecrets: WebhookSecretsRule },
): V2SecretsProvider => {
  const provider = async (): Promise<V2Secrets> => {
    const parsed = await document.read();
    const unusable = (problem: string) => {
      document.invalidate(parsed);
      return new UpstreamUnavailableError(
        `the PortOne secret's ${problem}: store PortOne V2's secrets in it (see the README)`,
      );
    };
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw unusable('value is not a JSON object');
    }
    const fields = parsed as Record<string, unknown>;
    const field = (name: string): string => {
      const value = fields[name];
      if (value === undefined || value === null) throw unusable(`field ${name} is missing`);
      if (typeof value !== 'string' || value.trim() === '') {
        throw unusable(`field ${name} must be a non-empty string`);
      }
      if (value.trim() === PLACEHOLDER) throw unusable(`field ${name} still holds the placeholder`);
      return value.trim();
    };
    const apiSecret = field(V2_FIELDS.apiSecret);
    const checked = rules.webhookSecrets(field(V2_FIELDS.webhookSecret).split(','));
    if (!checked.ok) throw unusable(`field ${V2_FIELDS.webhookSecret} ${checked.problem}`);
    return { apiSecret, webhookSecrets: checked.value };
  };
  provider.invalidate = () => document.invalidate();
  return provider;
};
