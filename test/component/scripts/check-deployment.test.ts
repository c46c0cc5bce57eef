import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/dynamodb-local';
import { DEFAULT_API_KEY, DEFAULT_API_SECRET } from '../../../simulator/portone';
import { type FakeAws, startFakeAws } from './support/fake-aws';
import { type LocalStack, startLocalStack } from './support/local-stack';
import { OFFLINE_AWS_ENV, runCheckDeployment } from './support/run-cli';

/**
 * `npm run check-deployment` against the real local stack (`npm start`'s
 * entry point, DynamoDB Local, the PortOne simulator), in both forms: an API
 * URL with the facts in flags, and a stack name whose outputs come from a
 * fake CloudFormation on 127.0.0.1. Nothing leaves the machine: every
 * PortOne URL is the simulator's, every AWS endpoint the fake's.
 */

const USAGE =
  'usage: npm run check-deployment -- <stack name | API URL> [--result-page-url URL] [--origin ORIGIN]... [--disallowed-origin ORIGIN] [--portone-api-url URL] [--secret-arn ARN]';
const DEFAULT_PAIR = { PORTONE_API_KEY: DEFAULT_API_KEY, PORTONE_API_SECRET: DEFAULT_API_SECRET };
const ACCESS_TOKEN = /\b[0-9a-f]{40}\b/;

describe('check-deployment against npm start, by API URL', () => {
  let stack: LocalStack;
  let api: string;
  /** The local stack's own configuration (local/stack.ts): its origin, and its result page. */
  let configured: string[];
  beforeAll(async () => {
    stack = await startLocalStack();
    api = stack.url;
    configured = [
      '--result-page-url',
      `${api}/result`,
      '--origin',
      api,
      '--portone-api-url',
      stack.simulatorUrl,
    ];
  });
  afterAll(() => stack?.stop());

  const lines = {
    webhook: () =>
      `ok   webhook: POST ${api}/payments/webhook answered 200 ignored, as PortOne's console test call (호출 테스트) with an unknown imp_uid expects`,
    redirect: () =>
      `ok   redirect: GET ${api}/payments/complete answered 302 to ${api}/result?merchant_uid=check-deployment&status=not_found, the result page (which answered 200)`,
    corsAllowed: () =>
      `ok   cors: OPTIONS ${api}/payments/complete from ${api} answered 204 allowing ${api}`,
    corsRefused: () =>
      `ok   cors: OPTIONS ${api}/payments/complete from https://check-deployment.invalid answered 204 without access-control-allow-origin, as for any origin not allowed`,
    secret: () =>
      `ok   secret: PortOne (${stack.simulatorUrl}) issued an access token for the key pair in PORTONE_API_KEY / PORTONE_API_SECRET`,
  };

  it('passes every check on the stack as configured, and exits 0', async () => {
    const run = await runCheckDeployment([api, ...configured], DEFAULT_PAIR);

    expect(run.lines).toEqual([
      lines.webhook(),
      lines.redirect(),
      lines.corsAllowed(),
      lines.corsRefused(),
      lines.secret(),
    ]);
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(DEFAULT_API_SECRET);
    expect(run.stdout).not.toMatch(ACCESS_TOKEN);
  });

  it('judges the key pair by the webhook when it is not given one', async () => {
    const run = await runCheckDeployment([api, ...configured]);

    expect(run.lines.at(-1)).toBe(
      "ok   secret: PortOne accepts the deployment's key pair: the webhook's lookup of the test call's imp_uid needed a token for it",
    );
    expect(run.code).toBe(0);
  });

  it('names a result page the redirect does not land on', async () => {
    const run = await runCheckDeployment(
      [api, ...configured, '--result-page-url', 'https://shop.example/payments/result'],
      DEFAULT_PAIR,
    );

    expect(run.lines).toEqual([
      lines.webhook(),
      `FAIL redirect: GET ${api}/payments/complete sent the browser to ${api}/result?merchant_uid=check-deployment&status=not_found, not to the result page https://shop.example/payments/result: set the deployment's resultPageUrl context (RESULT_PAGE_URL for npm start) to the result page, or pass the right --result-page-url`,
      lines.corsAllowed(),
      lines.corsRefused(),
      lines.secret(),
    ]);
    expect(run.code).toBe(1);
  });

  it('names a checkout origin CORS does not allow, and an origin it should not allow', async () => {
    const run = await runCheckDeployment(
      [api, ...configured, '--origin', 'https://shop.example', '--disallowed-origin', api],
      DEFAULT_PAIR,
    );

    expect(run.lines.filter((line) => line.includes(' cors: '))).toEqual([
      lines.corsAllowed(),
      `FAIL cors: OPTIONS ${api}/payments/complete from https://shop.example answered 204 without access-control-allow-origin, so the checkout page on https://shop.example cannot read complete's answer: add https://shop.example to the deployment's allowedOrigins context (ALLOWED_ORIGINS for npm start)`,
      `FAIL cors: OPTIONS ${api}/payments/complete from ${api} answered 204 with access-control-allow-origin ${api}, though ${api} is not a checkout origin: list only the checkout origins in the deployment's allowedOrigins context (ALLOWED_ORIGINS for npm start)`,
    ]);
    expect(run.lines.filter((line) => line.startsWith('FAIL'))).toHaveLength(2);
    expect(run.code).toBe(1);
  });

  it('names a key pair PortOne refuses, without printing it', async () => {
    const run = await runCheckDeployment([api, ...configured], {
      PORTONE_API_KEY: DEFAULT_API_KEY,
      PORTONE_API_SECRET: 'not-the-secret-0000',
    });

    expect(run.lines.slice(0, 4)).toEqual([
      lines.webhook(),
      lines.redirect(),
      lines.corsAllowed(),
      lines.corsRefused(),
    ]);
    expect(run.lines[4]).toBe(
      `FAIL secret: PortOne (${stack.simulatorUrl}) refused the key pair in PORTONE_API_KEY / PORTONE_API_SECRET (HTTP 401, code -1: Unauthorized): set PORTONE_API_KEY and PORTONE_API_SECRET to the REST API key and secret from the PortOne console (the pair the deployment uses)`,
    );
    expect(run.stdout).not.toContain('not-the-secret-0000');
    expect(run.code).toBe(1);
  });

  it('fails every check on a URL that is not the payments API', async () => {
    const other: Server = createServer((request, response) => {
      request.resume();
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', () => resolve()));
    const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const run = await runCheckDeployment([
        elsewhere,
        '--result-page-url',
        `${api}/result`,
        '--origin',
        api,
      ]);

      expect(run.lines).toEqual([
        `FAIL webhook: POST ${elsewhere}/payments/webhook answered 404: there is no webhook route there; pass the API's base URL (the stack's ApiUrl output, without a path), not a page or another API`,
        `FAIL redirect: GET ${elsewhere}/payments/complete answered 404, not a redirect: there is no redirect route there; pass the API's base URL (the stack's ApiUrl output, without a path)`,
        `FAIL cors: OPTIONS ${elsewhere}/payments/complete from ${api} answered 404 without access-control-allow-origin, so the checkout page on ${api} cannot read complete's answer: add ${api} to the deployment's allowedOrigins context (ALLOWED_ORIGINS for npm start)`,
        `ok   cors: OPTIONS ${elsewhere}/payments/complete from https://check-deployment.invalid answered 404 without access-control-allow-origin, as for any origin not allowed`,
        'FAIL secret: not checked: the webhook did not answer the test call (see the webhook line), and its answer is how the key pair in the deployment is judged; fix the webhook, or pass PORTONE_API_KEY / PORTONE_API_SECRET to test a pair directly',
      ]);
      expect(run.code).toBe(1);
    } finally {
      other.close();
    }
  });

  it('says in one line when nothing answers at the URL', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = await runCheckDeployment([closed, '--result-page-url', `${api}/result`]);

    expect(run.lines[0]).toBe(
      `FAIL webhook: POST ${closed}/payments/webhook failed (ECONNREFUSED); PortOne cannot reach it either: pass the API's base URL (the stack's ApiUrl output) and check that it resolves and answers from the internet`,
    );
    expect(run.lines.every((line) => line.startsWith('FAIL '))).toBe(true);
    expect(run.code).toBe(1);
  });
});

describe('check-deployment usage', () => {
  it.each([
    [[], {}, `check-deployment: name the stack or the API URL to check; ${USAGE}`],
    [
      ['http://127.0.0.1:3000', '--origins', 'https://shop.example'],
      {},
      `check-deployment: unknown option --origins; ${USAGE}`,
    ],
    [
      ['https://abc.execute-api.ap-northeast-2.amazonaws.com/payments/webhook'],
      {},
      `check-deployment: https://abc.execute-api.ap-northeast-2.amazonaws.com/payments/webhook is the URL of a route (/payments/webhook); pass the API's base URL, the stack's ApiUrl output; ${USAGE}`,
    ],
    [
      ['http://127.0.0.1:3000', '--origin', 'https://shop.example/checkout'],
      {},
      `check-deployment: --origin must be an origin like https://shop.example (no path), got "https://shop.example/checkout"; ${USAGE}`,
    ],
    [
      ['http://127.0.0.1:3000'],
      { PORTONE_API_KEY: 'imp_apikey' },
      `check-deployment: PORTONE_API_SECRET is not set but PORTONE_API_KEY is: set both, or neither; ${USAGE}`,
    ],
  ])('exits 2 with one line for %j', async (args, env, line) => {
    const run = await runCheckDeployment(args, env);

    expect(run.errors).toEqual([line]);
    expect(run.lines).toEqual([]);
    expect(run.code).toBe(2);
  });
});

describe('check-deployment and the AWS SDK', () => {
  it('prints no Node version notice of the SDK when it reads a stack', async () => {
    // No credentials anywhere: the SDK builds its client (where the notice comes from), then fails.
    const run = await runCheckDeployment(['PortOnePayments-nowhere'], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });

    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning|node >=22/);
    expect(run.errors).toHaveLength(1);
    expect(run.code).toBe(2);
  });
});

describe('check-deployment against npm start, by stack name', () => {
  const STACK = 'PortOnePayments-local';
  const SECRET_ARN =
    'arn:aws:secretsmanager:local:000000000000:secret:PortOneApiCredentials-AbCdEf';
  const LOG_GROUP = '/aws/lambda/PortOnePayments-local-webhook';
  let aws: FakeAws;
  let stack: LocalStack;
  let api: string;
  /** The checker's own AWS identity; the functions use another one. */
  let operator: Record<string, string>;

  beforeAll(async () => {
    aws = await startFakeAws();
    aws.secrets.set(SECRET_ARN, JSON.stringify({ apiKey: 'REPLACE_ME', apiSecret: 'generated0' }));
    // The functions read the key pair from "Secrets Manager", as in AWS.
    stack = await startLocalStack({
      ...OFFLINE_AWS_ENV,
      PORTONE_SECRET_ARN: SECRET_ARN,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      AWS_ACCESS_KEY_ID: 'functionrole',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    api = stack.url;
    aws.stacks.set(STACK, {
      ApiUrl: api,
      WebhookUrl: `${api}/payments/webhook`,
      RedirectUrl: `${api}/payments/complete`,
      CompleteUrl: `${api}/payments/complete`,
      OrdersUrl: `${api}/orders`,
      WebhookLogGroup: LOG_GROUP,
      TableName: 'payments-local',
      SecretArn: SECRET_ARN,
      ResultPageUrl: `${api}/result`,
      AllowedOrigins: api,
    });
    operator = {
      AWS_ENDPOINT_URL: aws.url,
      AWS_ACCESS_KEY_ID: 'operator',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
  });
  afterAll(async () => {
    await stack?.stop();
    await aws?.close();
  });

  const put = `put the REST API key and secret from the PortOne console there with aws secretsmanager put-secret-value --secret-id ${SECRET_ARN} --secret-string '{"apiKey":"…","apiSecret":"…"}', then restart the functions (README, key rotation)`;
  const passing = () => [
    `ok   webhook: POST ${api}/payments/webhook answered 200 ignored, as PortOne's console test call (호출 테스트) with an unknown imp_uid expects`,
    `ok   redirect: GET ${api}/payments/complete answered 302 to ${api}/result?merchant_uid=check-deployment&status=not_found, the result page (which answered 200)`,
    `ok   cors: OPTIONS ${api}/payments/complete from ${api} answered 204 allowing ${api}`,
    `ok   cors: OPTIONS ${api}/payments/complete from https://check-deployment.invalid answered 204 without access-control-allow-origin, as for any origin not allowed`,
  ];

  it('fails the webhook and the secret while the secret holds its placeholder', async () => {
    const run = await runCheckDeployment([STACK], operator);
    const lines = run.lines.map((line) =>
      line.replace(/api_request_id \S+/, 'api_request_id <id>'),
    );

    expect(lines).toEqual([
      `FAIL webhook: POST ${api}/payments/webhook answered 502 upstream_error: the function could not look the test imp_uid up at PortOne, so PortOne's console test gets a 5xx too; store a key pair PortOne accepts in the secret (see the secret line) and check portoneApiUrl; the log line with api_request_id <id> in ${LOG_GROUP} has the detail`,
      ...passing().slice(1),
      `FAIL secret: the functions could not use the key pair in ${SECRET_ARN}: the webhook answered the test call 502 upstream_error, and its lookup at PortOne needs a token for that pair; ${put}; the log line with api_request_id <id> in ${LOG_GROUP} has the detail`,
    ]);
    // The stack's own secret is judged through the functions: the checker never reads it.
    expect(aws.secretReads).not.toContain('operator');
    expect(run.code).toBe(1);
  });

  it('reads a secret named with --secret-arn, and says it holds the placeholder', async () => {
    const run = await runCheckDeployment(
      [STACK, '--secret-arn', SECRET_ARN, '--portone-api-url', stack.simulatorUrl],
      operator,
    );

    expect(run.lines[4]).toBe(
      `FAIL secret: ${SECRET_ARN}: the PortOne secret still holds its placeholder: store the key pair (see the README); ${put}`,
    );
    expect(run.stdout).not.toContain('generated0');
    expect(run.code).toBe(1);
  });

  it('says PortOne refuses the key pair in the secret', async () => {
    aws.secrets.set(
      SECRET_ARN,
      JSON.stringify({ apiKey: DEFAULT_API_KEY, apiSecret: 'rotated-away-0000' }),
    );
    const run = await runCheckDeployment(
      [STACK, '--secret-arn', SECRET_ARN, '--portone-api-url', stack.simulatorUrl],
      operator,
    );

    expect(run.lines[0]).toMatch(/^FAIL webhook: .* answered 502 upstream_error: /);
    expect(run.lines[4]).toBe(
      `FAIL secret: PortOne (${stack.simulatorUrl}) refused the key pair in ${SECRET_ARN} (HTTP 401, code -1: Unauthorized): ${put}`,
    );
    expect(run.stdout).not.toContain('rotated-away-0000');
    expect(run.code).toBe(1);
  });

  it('passes every check once the secret holds the right pair, judged by the webhook', async () => {
    aws.secrets.set(
      SECRET_ARN,
      JSON.stringify({ apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_API_SECRET }),
    );
    const run = await runCheckDeployment([STACK], operator);

    expect(run.lines).toEqual([
      ...passing(),
      `ok   secret: PortOne accepts the key pair the functions read from ${SECRET_ARN}: the webhook's lookup of the test call's imp_uid needed a token for it`,
    ]);
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('asks PortOne directly about a secret it may read', async () => {
    const run = await runCheckDeployment(
      [STACK, '--secret-arn', SECRET_ARN, '--portone-api-url', stack.simulatorUrl],
      operator,
    );

    expect(run.lines).toEqual([
      ...passing(),
      `ok   secret: PortOne (${stack.simulatorUrl}) issued an access token for the key pair in ${SECRET_ARN}`,
    ]);
    expect(run.stdout).not.toContain(DEFAULT_API_SECRET);
    expect(run.stdout).not.toMatch(ACCESS_TOKEN);
    expect(run.code).toBe(0);
  });

  it('falls back to the webhook when Secrets Manager refuses it the read, as the stack intends', async () => {
    aws.deniedReaders.add('operator');
    try {
      const run = await runCheckDeployment([STACK, '--secret-arn', SECRET_ARN], operator);

      expect(run.lines[4]).toBe(
        `ok   secret: PortOne accepts the key pair the functions read from ${SECRET_ARN}: the webhook's lookup of the test call's imp_uid needed a token for it (Secrets Manager refused this machine the read, as the stack's secret policy intends)`,
      );
      expect(run.code).toBe(0);
    } finally {
      aws.deniedReaders.delete('operator');
    }
  });

  it('names what an older stack lacks, and lets flags stand in for its outputs', async () => {
    const {
      ResultPageUrl: _page,
      AllowedOrigins: _origins,
      ...older
    } = aws.stacks.get(STACK) ?? {};
    aws.stacks.set('PortOnePayments-older', older);
    const bare = await runCheckDeployment(['PortOnePayments-older'], operator);
    const flagged = await runCheckDeployment(
      ['PortOnePayments-older', '--result-page-url', `${api}/result`, '--origin', api],
      operator,
    );

    expect(bare.lines).toEqual([
      passing()[0],
      `FAIL redirect: GET ${api}/payments/complete sent the browser to ${api}/result?merchant_uid=check-deployment&status=not_found, but the result page to compare it with is unknown: stack PortOnePayments-older has no ResultPageUrl output; deploy the current version of the stack (npx cdk deploy), or pass --result-page-url`,
      'FAIL cors: the allowed origins are unknown: stack PortOnePayments-older has no AllowedOrigins output; deploy the current version of the stack (npx cdk deploy), or pass --origin for each checkout origin',
      `ok   cors: OPTIONS ${api}/payments/complete from https://check-deployment.invalid answered 204 without access-control-allow-origin, and no origin is to be allowed (AllowedOrigins is empty)`,
      `ok   secret: PortOne accepts the key pair the functions read from ${SECRET_ARN}: the webhook's lookup of the test call's imp_uid needed a token for it`,
    ]);
    expect(bare.code).toBe(1);
    expect(flagged.lines.slice(0, 4)).toEqual(passing());
    expect(flagged.code).toBe(0);
  });

  it('exits 2 with one line for a stack that does not exist', async () => {
    const run = await runCheckDeployment(['PortOnePayments-nowhere'], operator);

    expect(run.errors).toEqual([
      'check-deployment: stack PortOnePayments-nowhere does not exist in this account and region (Stack with id PortOnePayments-nowhere does not exist): pass the stack name cdk deploy printed (PortOnePayments-<stage>) and set AWS_REGION to its region',
    ]);
    expect(run.lines).toEqual([]);
    expect(run.code).toBe(2);
  });
});
