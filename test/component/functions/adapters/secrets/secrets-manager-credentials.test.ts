import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  secretsManagerCredentials,
  secretsManagerDocument,
  v1Credentials,
  v2Secrets,
} from '../../../../../functions/adapters/secrets/secrets-manager-credentials';
import { UpstreamUnavailableError } from '../../../../../functions/domain/model/errors';
import { webhookSecrets } from '../../../../../functions/runtime/setting-rules';

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

// What `aws secretsmanager put-secret-value` stores once V2 is on (README, Deploying to AWS).
const WEBHOOK_SECRET = 'whsec_pzQGE83cSIRKM4/WH5QY+g==';
const NEXT_WEBHOOK_SECRET = 'whsec_c2Vjb25kIHNlY3JldA==';
const both = (fields: Record<string, unknown> = {}) => ({
  SecretString: JSON.stringify({
    apiKey: 'k',
    apiSecret: 's',
    v2ApiSecret: 'v2-api-secret',
    v2WebhookSecret: WEBHOOK_SECRET,
    ...fields,
  }),
});

/** Both views over one document, as functions/runtime/deps.ts builds them. */
const views = (client: ReturnType<typeof fakeClient>) => {
  const document = secretsManagerDocument(client, ARN);
  return { v1: v1Credentials(document), v2: v2Secrets(document, { webhookSecrets }) };
};

const messageOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamUnavailableError);
  return (error as Error).message;
};

describe('the PortOne secret with V2 fields', () => {
  it('reads the secret once for V1 and V2 alike', async () => {
    const client = fakeClient([async () => both()]);
    const { v1, v2 } = views(client);

    const [pair, secrets] = await Promise.all([v1(), v2()]);
    const again = await Promise.all([v1(), v2()]);

    expect(pair).toEqual({ apiKey: 'k', apiSecret: 's' });
    expect(secrets).toEqual({ apiSecret: 'v2-api-secret', webhookSecrets: [WEBHOOK_SECRET] });
    expect(again).toEqual([pair, secrets]);
    expect(client.requests).toEqual([ARN]);
  });

  it('reads two comma-separated webhook secrets while rotating', async () => {
    const client = fakeClient([
      async () => both({ v2WebhookSecret: ` ${WEBHOOK_SECRET} , ${NEXT_WEBHOOK_SECRET} ` }),
    ]);
    await expect(views(client).v2()).resolves.toEqual({
      apiSecret: 'v2-api-secret',
      webhookSecrets: [WEBHOOK_SECRET, NEXT_WEBHOOK_SECRET],
    });
  });

  it('fails V2 alone, naming the missing field, while V1 works on the same read', async () => {
    const client = fakeClient([
      async () => ({ SecretString: '{"apiKey":"k","apiSecret":"s"}' }),
      async () => ({ SecretString: '{"apiKey":"k","apiSecret":"s"}' }),
    ]);
    const { v1, v2 } = views(client);

    await expect(v1()).resolves.toEqual({ apiKey: 'k', apiSecret: 's' });
    expect(await messageOf(v2())).toBe(
      "the PortOne secret's field v2ApiSecret is missing: store PortOne V2's secrets in it (see the README)",
    );
    // V2's unusable value is not kept: its next request reads again, V1's meanwhile shares that read.
    await expect(v1()).resolves.toEqual({ apiKey: 'k', apiSecret: 's' });
    expect(client.requests).toEqual([ARN, ARN]);
  });

  it('picks up V2 fields stored after the first read', async () => {
    const client = fakeClient([
      async () => both({ v2WebhookSecret: undefined }),
      async () => both(),
    ]);
    const { v2 } = views(client);

    expect(await messageOf(v2())).toContain('field v2WebhookSecret is missing');
    await expect(v2()).resolves.toEqual({
      apiSecret: 'v2-api-secret',
      webhookSecrets: [WEBHOOK_SECRET],
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a placeholder API secret',
      { v2ApiSecret: 'REPLACE_ME' },
      'field v2ApiSecret still holds the placeholder',
    ],
    [
      'a placeholder webhook secret',
      { v2WebhookSecret: 'REPLACE_ME' },
      'field v2WebhookSecret still holds the placeholder',
    ],
    ['an empty API secret', { v2ApiSecret: ' ' }, 'field v2ApiSecret must be a non-empty string'],
    [
      'a webhook secret that is not a string',
      { v2WebhookSecret: ['whsec_x'] },
      'field v2WebhookSecret must be a non-empty string',
    ],
    [
      'three webhook secrets',
      { v2WebhookSecret: `${WEBHOOK_SECRET},${NEXT_WEBHOOK_SECRET},${WEBHOOK_SECRET}` },
      'field v2WebhookSecret must list one or two webhook secrets (two while rotating), got 3',
    ],
    [
      'a webhook secret that is not base64',
      { v2WebhookSecret: `${WEBHOOK_SECRET},whsec_not*base64-very-secret` },
      "field v2WebhookSecret must list base64 secrets as PortOne's console shows them (whsec_…); secret 2 is not",
    ],
  ])('explains %s without echoing a value', async (_, fields, problem) => {
    const client = fakeClient([async () => both(fields)]);
    const message = await messageOf(views(client).v2());

    expect(message).toBe(
      `the PortOne secret's ${problem}: store PortOne V2's secrets in it (see the README)`,
    );
    for (const value of ['v2-api-secret', 'very-secret', 'pzQGE83c', 'c2Vjb25k', 'whsec_x']) {
      expect(message, value).not.toContain(value);
    }
  });

  it('explains a value that is not a JSON object', async () => {
    const client = fakeClient([async () => ({ SecretString: 'v2-api-secret' })]);
    const message = await messageOf(views(client).v2());

    expect(message).toBe(
      "the PortOne secret's value is not a JSON object: store PortOne V2's secrets in it (see the README)",
    );
  });

  it('reads the secret again after PortOne V2 refused the API secret, for V1 too', async () => {
    const client = fakeClient([
      async () => both({ v2ApiSecret: 'old-v2-secret' }),
      async () => both({ apiKey: 'new', v2ApiSecret: 'new-v2-secret' }),
    ]);
    const { v1, v2 } = views(client);

    const before = await v2();
    v2.invalidate();
    const after = await v2();

    expect([before.apiSecret, after.apiSecret]).toEqual(['old-v2-secret', 'new-v2-secret']);
    expect((await v1()).apiKey).toBe('new');
    expect(client.requests).toHaveLength(2);
  });

  it('fails both views on one failed read, and retries it on the next request', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const client = fakeClient([async () => Promise.reject(throttled), async () => both()]);
    const { v1, v2 } = views(client);

    const failures = await Promise.all([messageOf(v1()), messageOf(v2())]);
    const secrets = await v2();

    expect(failures).toEqual(
      Array(2).fill('could not read the PortOne secret from Secrets Manager (ThrottlingException)'),
    );
    expect(secrets.apiSecret).toBe('v2-api-secret');
    expect(client.requests).toHaveLength(2);
  });
});
