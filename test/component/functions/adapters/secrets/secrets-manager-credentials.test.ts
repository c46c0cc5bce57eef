import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { secretsManagerCredentials } from '../../../../../functions/adapters/secrets/secrets-manager-credentials';
import { UpstreamUnavailableError } from '../../../../../functions/domain/model/errors';

const ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:portone-AbCdEf';

/** A stand-in for SecretsManagerClient: Secrets Manager has no local emulator. */
const fakeClient = (answers: (() => Promise<{ SecretString?: string }>)[]) => {
  const requests: string[] = [];
  return {
    requests,
    send: (command: GetSecretValueCommand) => {
      requests.push(String(command.input.SecretId));
      const next = answers.shift();
      if (!next) throw new Error('unexpected call');
      return next();
    },
  };
};

describe('secretsManagerCredentials', () => {
  it('reads the pair once and shares it between concurrent callers', async () => {
    const client = fakeClient([async () => ({ SecretString: '{"apiKey":"k","apiSecret":"s"}' })]);
    const credentials = secretsManagerCredentials(client, ARN);

    const pairs = await Promise.all([credentials(), credentials(), credentials()]);
    const later = await credentials();

    expect(pairs).toEqual(Array(3).fill({ apiKey: 'k', apiSecret: 's' }));
    expect(later).toEqual({ apiKey: 'k', apiSecret: 's' });
    expect(client.requests).toEqual([ARN]);
  });

  it('accepts PortOne\u2019s own field names', async () => {
    const client = fakeClient([async () => ({ SecretString: '{"imp_key":"k","imp_secret":"s"}' })]);
    await expect(secretsManagerCredentials(client, ARN)()).resolves.toEqual({
      apiKey: 'k',
      apiSecret: 's',
    });
  });

  it('does not cache a failure, so the next request tries again', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const client = fakeClient([
      async () => Promise.reject(throttled),
      async () => ({ SecretString: '{"apiKey":"k","apiSecret":"s"}' }),
    ]);
    const credentials = secretsManagerCredentials(client, ARN);

    await expect(credentials()).rejects.toThrow(/Secrets Manager \(ThrottlingException\)/);
    await expect(credentials()).resolves.toEqual({ apiKey: 'k', apiSecret: 's' });
    expect(client.requests).toHaveLength(2);
  });

  it('explains a malformed secret without echoing its value', async () => {
    const client = fakeClient([async () => ({ SecretString: '{"apiKey":"very-secret-key"}' })]);
    const error = await secretsManagerCredentials(client, ARN)().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(String((error as Error).message)).toContain('{"apiKey": "...", "apiSecret": "..."}');
    expect(String((error as Error).message)).not.toContain('very-secret-key');
  });
});

describe('secretsManagerCredentials, keeping the pair fresh', () => {
  it('never caches the placeholder the stack creates', async () => {
    const client = fakeClient([
      async () => ({ SecretString: '{"apiKey":"REPLACE_ME","apiSecret":"generated"}' }),
      async () => ({ SecretString: '{"apiKey":"k","apiSecret":"s"}' }),
    ]);
    const credentials = secretsManagerCredentials(client, ARN);

    await expect(credentials()).rejects.toThrow(/placeholder/);
    await expect(credentials()).resolves.toEqual({ apiKey: 'k', apiSecret: 's' });
  });

  it('reads the secret again after PortOne rejected the pair', async () => {
    const client = fakeClient([
      async () => ({ SecretString: '{"apiKey":"old","apiSecret":"old-secret"}' }),
      async () => ({ SecretString: '{"apiKey":"new","apiSecret":"new-secret"}' }),
    ]);
    const credentials = secretsManagerCredentials(client, ARN);

    const before = await credentials();
    credentials.invalidate?.();
    const after = await credentials();

    expect([before.apiKey, after.apiKey]).toEqual(['old', 'new']);
  });
});
