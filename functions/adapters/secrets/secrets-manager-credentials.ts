import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { UpstreamUnavailableError } from '../../domain/model/errors';
import type { CredentialsProvider, PortOneCredentials } from '../portone';

/** What the stack stores until the merchant puts the real pair in. */
const PLACEHOLDER = 'REPLACE_ME';

/** The part of SecretsManagerClient we use, so tests can hand in a fake. */
export interface SecretsClient {
  send(command: GetSecretValueCommand): Promise<{ SecretString?: string }>;
}

// The stack creates the secret as {"apiKey": "...", "apiSecret": "..."}; PortOne's own names are accepted too.
const nonEmpty = z.string().check(z.minLength(1));
const secretSchema = z.union([
  z.object({ apiKey: nonEmpty, apiSecret: nonEmpty }),
  z.pipe(
    z.object({ imp_key: nonEmpty, imp_secret: nonEmpty }),
    z.transform((pair) => ({ apiKey: pair.imp_key, apiSecret: pair.imp_secret })),
  ),
]);

/**
 * The PortOne key pair from Secrets Manager, fetched once per container and
 * cached; concurrent first callers share one request, and a failure is not
 * cached. Nothing of the secret's value ever reaches an error message.
 */
export const secretsManagerCredentials = (
  client: SecretsClient,
  secretArn: string,
): CredentialsProvider => {
  let cached: Promise<PortOneCredentials> | undefined;
  const load = async (): Promise<PortOneCredentials> => {
    let value: string | undefined;
    try {
      value = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
    } catch (error) {
      throw new UpstreamUnavailableError(
        `could not read the PortOne secret from Secrets Manager (${error instanceof Error ? error.name : 'error'})`,
        { cause: error },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value ?? '');
    } catch {
      parsed = undefined;
    }
    const pair = secretSchema.safeParse(parsed);
    if (pair.success && Object.values(pair.data).includes(PLACEHOLDER)) {
      // The stack creates the secret with a placeholder; never cache it.
      throw new UpstreamUnavailableError(
        'the PortOne secret still holds its placeholder: store the key pair (see the README)',
      );
    }
    if (!pair.success) {
      throw new UpstreamUnavailableError(
        'the PortOne secret must be JSON {"apiKey": "...", "apiSecret": "..."} (see the README)',
      );
    }
    return pair.data;
  };
  const provider = () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
  // PortOne refused the pair: it was rotated since this container read it.
  provider.invalidate = () => {
    cached = undefined;
  };
  return provider;
};
