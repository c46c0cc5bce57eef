import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArguments } from '../../../scripts/check-deployment/args';
import { corsCheck } from '../../../scripts/check-deployment/cors';
import { checkDeployment } from '../../../scripts/check-deployment/main';
import { redirectCheck } from '../../../scripts/check-deployment/redirect';
import { secretCheck } from '../../../scripts/check-deployment/secret';
import { resolveTarget } from '../../../scripts/check-deployment/target';
import type { Target } from '../../../scripts/check-deployment/types';
import { probeWebhook, webhookCheck } from '../../../scripts/check-deployment/webhook';

/**
 * The checks one by one, against a tiny HTTP server on 127.0.0.1 that
 * answers what a miswired deployment would; the CLI against the real local
 * stack is in check-deployment.test.ts.
 */

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;
const servers: (() => void)[] = [];
afterEach(() => {
  for (const close of servers.splice(0)) close();
});

const serve = async (handler: Handler): Promise<string> => {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => handler(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  servers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const answer =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

const targetAt = (apiUrl: string, overrides: Partial<Target> = {}): Target => ({
  apiUrl,
  stackName: null,
  resultPageUrl: null,
  resultPageHint: 'pass --result-page-url',
  allowedOrigins: [],
  originsHint: '',
  disallowedOrigin: 'https://check-deployment.invalid',
  portoneApiUrl: 'http://127.0.0.1:1',
  keyPair: { kind: 'deployment', arn: null },
  webhookLogGroup: null,
  ...overrides,
});

const webhookLine = async (handler: Handler, overrides: Partial<Target> = {}) => {
  const api = await serve(handler);
  const target = targetAt(api, overrides);
  const result = webhookCheck(await probeWebhook(target), target);
  return { api, result };
};

describe('the webhook check', () => {
  it("sends PortOne's console test call, as JSON", async () => {
    let seen: unknown;
    const api = await serve((request, response, body) => {
      seen = { method: request.method, type: request.headers['content-type'], body };
      answer(200, { status: 'ignored', message: 'PortOne does not know this payment' })(
        request,
        response,
        body,
      );
    });

    const result = webhookCheck(await probeWebhook(targetAt(api)), targetAt(api));

    expect(seen).toEqual({
      method: 'POST',
      type: 'application/json',
      body: '{"imp_uid":"imp_check_deployment_0000","merchant_uid":"check-deployment","status":"paid"}',
    });
    expect(result).toEqual({
      name: 'webhook',
      ok: true,
      message: `POST ${api}/payments/webhook answered 200 ignored, as PortOne's console test call (호출 테스트) with an unknown imp_uid expects`,
    });
  });

  it.each([
    [
      'answers 403 from the allow-list',
      answer(403, { status: 'forbidden', message: 'this address may not call the webhook' }),
      "answered 403 forbidden: the webhookAllowedIps allow-list refuses this machine; run the check from a listed address, or leave webhookAllowedIps empty (README, Limiting the webhook to PortOne's addresses)",
    ],
    [
      'answers 403 from something in front',
      answer(403, { message: 'Forbidden' }),
      'answered 403; PortOne cannot reach it: something in front of the API (a WAF, CloudFront, a firewall) refuses the webhook, so allow POST /payments/webhook through it',
    ],
    [
      'is throttled',
      answer(429, { message: 'Too Many Requests' }),
      'answered 429: API Gateway throttled it and would throttle PortOne alike; raise webhookThrottleRate / webhookThrottleBurst or find what floods the route',
    ],
    [
      'refuses the body',
      answer(400, { status: 'invalid_request', message: 'imp_uid is\nrequired' }),
      "answered 400 invalid_request (imp_uid is required): the webhook refused PortOne's test body; deploy the current version of this service",
    ],
    [
      'answers 200 with another status',
      answer(200, { status: 'not_found', message: 'no such order is registered' }),
      "answered 200 not_found, not ignored, for an imp_uid PortOne cannot know (imp_check_deployment_0000): the functions' PORTONE_API_URL (context portoneApiUrl) does not point at PortOne's V1 API",
    ],
    [
      'answers 200 with a page',
      answer(200, '<html>a shop</html>', { 'content-type': 'text/html' }),
      "answered 200 without this service's JSON: {api} is not the payments API; pass the stack's ApiUrl output",
    ],
    [
      'fails with 500',
      answer(500, { message: 'Internal Server Error' }, { 'apigw-requestid': 'AbCdEfGhIjKlMnO=' }),
      'answered 500: the webhook function failed (a configuration error stops it at cold start, naming the variable); the log line with api_request_id AbCdEfGhIjKlMnO= in /aws/lambda/webhook says why',
    ],
    [
      'cannot reach DynamoDB',
      answer(503, {
        status: 'unavailable',
        message: 'the service is briefly unavailable; please retry (request id R-1)',
      }),
      "answered 503 unavailable: the function could not reach DynamoDB; check the table (TableName output) and the function's role; the log line with api_request_id R-1 in /aws/lambda/webhook has the detail",
    ],
  ])('says what to fix when it %s', async (_label, handler, expected) => {
    const { api, result } = await webhookLine(handler, { webhookLogGroup: '/aws/lambda/webhook' });

    expect(result.ok).toBe(false);
    expect(result.message).toBe(`POST ${api}/payments/webhook ${expected.replace('{api}', api)}`);
  });
});

describe('the redirect check', () => {
  it('fails when the result page itself does not answer', async () => {
    const page = await serve(answer(404, 'missing', { 'content-type': 'text/html' }));
    const api = await serve(
      answer(302, '', {
        location: `${page}/payments/result?merchant_uid=check-deployment&status=not_found`,
      }),
    );

    const result = await redirectCheck(targetAt(api, { resultPageUrl: `${page}/payments/result` }));

    expect(result).toEqual({
      name: 'redirect',
      ok: false,
      message: `GET ${api}/payments/complete sent the browser to ${page}/payments/result?merchant_uid=check-deployment&status=not_found, which answered 404: publish the result page at ${page}/payments/result, or deploy with resultPageUrl set to where it is`,
    });
  });

  it('keeps the configured query and accepts 303', async () => {
    const page = await serve(answer(200, '<html></html>', { 'content-type': 'text/html' }));
    const api = await serve(
      answer(303, '', {
        location: `${page}/r?shop=1&merchant_uid=check-deployment&status=not_found`,
      }),
    );

    const ok = await redirectCheck(targetAt(api, { resultPageUrl: `${page}/r?shop=1` }));
    const other = await redirectCheck(targetAt(api, { resultPageUrl: `${page}/r?shop=2` }));

    expect(ok.ok).toBe(true);
    expect(other.ok).toBe(false);
  });

  it.each([
    [
      'fails with 500',
      answer(500, { message: 'Internal Server Error' }),
      'answered 500, not a redirect: the redirect function failed (it stops at cold start without RESULT_PAGE_URL, context resultPageUrl); its log group says why',
    ],
    [
      'answers 200',
      answer(200, { status: 'success' }),
      "answered 200 success, not a 302 to the result page: pass the API's base URL (the stack's ApiUrl output)",
    ],
    [
      'redirects nowhere',
      answer(302, ''),
      'answered 302 without a usable Location (null): deploy the current version of this service',
    ],
  ])('says what to fix when it %s', async (_label, handler, expected) => {
    const api = await serve(handler);

    const result = await redirectCheck(targetAt(api, { resultPageUrl: 'https://shop.example/r' }));

    expect(result).toEqual({
      name: 'redirect',
      ok: false,
      message: `GET ${api}/payments/complete ${expected}`,
    });
  });
});

describe('the CORS check', () => {
  it('refuses a wildcard, and an allow-list without POST', async () => {
    const api = await serve((request, response) => {
      const origin = request.headers.origin;
      response.writeHead(204, {
        'access-control-allow-origin': origin === 'https://shop.example' ? origin : '*',
        'access-control-allow-methods': 'GET,OPTIONS',
      });
      response.end();
    });

    const results = await corsCheck(
      targetAt(api, {
        stackName: 'PortOnePayments-prod',
        allowedOrigins: ['https://shop.example'],
      }),
    );

    expect(results).toEqual([
      {
        name: 'cors',
        ok: false,
        message: `OPTIONS ${api}/payments/complete from https://shop.example answered 204 allowing methods GET,OPTIONS, without POST, so the checkout page's POST is refused: deploy the current version of this service (lib/api-edge.ts allows POST)`,
      },
      {
        name: 'cors',
        ok: false,
        message: `OPTIONS ${api}/payments/complete from https://check-deployment.invalid answered 204 with access-control-allow-origin *, so any site's script can call complete: list only the checkout origins in the allowedOrigins context (comma-separated), then deploy`,
      },
    ]);
  });
});

describe('the secret check', () => {
  const ARN =
    'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:PortOneApiCredentials-AbCdEf';
  const ignored = {
    url: 'http://x/payments/webhook',
    exchange: { ok: false as const, reason: 'ECONNREFUSED' },
  };
  const secretTarget = (overrides: Partial<Target> = {}) =>
    targetAt('http://127.0.0.1:1', { keyPair: { kind: 'secret', arn: ARN }, ...overrides });
  const failing = (name: string, message: string) => async () => {
    throw Object.assign(new Error(message), { name });
  };

  it('names a secret that does not exist', async () => {
    const result = await secretCheck(
      secretTarget(),
      ignored,
      failing('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
    );

    expect(result.message).toBe(
      `${ARN} does not exist (ResourceNotFoundException): pass the stack's SecretArn output, in the stack's region (AWS_REGION)`,
    );
  });

  it('says in one line that it has no AWS credentials', async () => {
    const result = await secretCheck(
      secretTarget(),
      ignored,
      failing('CredentialsProviderError', 'Could not load credentials\nfrom any providers'),
    );

    expect(result.message).toBe(
      `could not read ${ARN} (CredentialsProviderError: Could not load credentials from any providers): use the AWS credentials and region you deploy with`,
    );
  });

  it('explains a malformed secret without echoing it', async () => {
    const result = await secretCheck(
      secretTarget(),
      ignored,
      async () => '{"apiKey":"k-very-secret"}',
    );

    expect(result.ok).toBe(false);
    expect(result.message).toMatch(
      new RegExp(
        `^${ARN}: the PortOne secret must be JSON \\{"apiKey": "...", "apiSecret": "..."\\}`,
      ),
    );
    expect(result.message).not.toContain('k-very-secret');
  });

  it('says when --portone-api-url is not PortOne', async () => {
    const notPortOne = await serve(answer(200, '<html></html>', { 'content-type': 'text/html' }));

    const result = await secretCheck(
      secretTarget({ portoneApiUrl: notPortOne }),
      ignored,
      async () => '{"apiKey":"k","apiSecret":"s"}',
    );

    expect(result.message).toBe(
      `POST ${notPortOne}/users/getToken answered 200, not PortOne's JSON: --portone-api-url must be PortOne's V1 API (https://api.iamport.kr)`,
    );
  });

  it('does not judge the secret when Secrets Manager refuses the read and the webhook failed', async () => {
    const result = await secretCheck(
      secretTarget({ stackName: 'PortOnePayments-prod' }),
      ignored,
      failing('AccessDeniedException', 'explicit deny in a resource-based policy'),
    );

    expect(result).toEqual({
      name: 'secret',
      ok: false,
      message: `not checked: the webhook did not answer the test call (see the webhook line), and its answer is how the key pair in ${ARN} is judged (Secrets Manager refused this machine the read, as the stack's secret policy intends); fix the webhook`,
    });
  });
});

describe('the target', () => {
  const outputs = {
    ApiUrl: 'https://abc.execute-api.ap-northeast-2.amazonaws.com/',
    ResultPageUrl: 'https://shop.example/payments/result',
    AllowedOrigins: 'https://shop.example, https://m.shop.example',
    SecretArn: 'arn:aws:secretsmanager:ap-northeast-2:1:secret:x',
    WebhookLogGroup: '/aws/lambda/webhook',
  };
  const stackOptions = (argv: string[] = []) => {
    const options = parseArguments(['PortOnePayments-prod', ...argv], {
      PORTONE_API_KEY: 'ignored-with-a-stack',
      PORTONE_API_SECRET: 'ignored-with-a-stack',
    });
    if (!options) throw new Error('help');
    return options;
  };

  it('comes from the stack outputs, flags winning', async () => {
    const target = await resolveTarget(
      stackOptions(['--origin', 'https://other.example/']),
      async () => outputs,
    );

    expect(target).toMatchObject({
      apiUrl: 'https://abc.execute-api.ap-northeast-2.amazonaws.com',
      stackName: 'PortOnePayments-prod',
      resultPageUrl: 'https://shop.example/payments/result',
      allowedOrigins: ['https://other.example'],
      keyPair: { kind: 'deployment', arn: outputs.SecretArn },
      webhookLogGroup: '/aws/lambda/webhook',
      portoneApiUrl: 'https://api.iamport.kr',
    });
    expect((await resolveTarget(stackOptions(), async () => outputs)).allowedOrigins).toEqual([
      'https://shop.example',
      'https://m.shop.example',
    ]);
    expect(
      (await resolveTarget(stackOptions(), async () => ({ ...outputs, AllowedOrigins: '' })))
        .allowedOrigins,
    ).toEqual([]);
  });

  it.each([
    [
      'CredentialsProviderError',
      'Could not load credentials from any providers',
      'could not describe stack PortOnePayments-prod: no usable AWS credentials (Could not load credentials from any providers); use the credentials you deploy with, or pass the API URL instead',
    ],
    [
      'Error',
      'Region is missing',
      "could not describe stack PortOnePayments-prod: Region is missing; set AWS_REGION to the stack's region",
    ],
    [
      'AccessDenied',
      'User is not authorized to perform: cloudformation:DescribeStacks',
      'could not describe stack PortOnePayments-prod (AccessDenied: User is not authorized to perform: cloudformation:DescribeStacks)',
    ],
  ])('exits 2 with one line on %s', async (name, message, line) => {
    const errors: string[] = [];
    const code = await checkDeployment(
      ['PortOnePayments-prod'],
      {},
      { out: () => {}, err: (text) => errors.push(text) },
      {
        readOutputs: async () => {
          throw Object.assign(new Error(message), { name });
        },
        readSecret: async () => undefined,
      },
    );

    expect(errors).toEqual([`check-deployment: ${line}`]);
    expect(code).toBe(2);
  });

  it('exits 2 for a stack without an ApiUrl output', async () => {
    const errors: string[] = [];
    const code = await checkDeployment(
      ['SomeOtherStack'],
      {},
      { out: () => {}, err: (text) => errors.push(text) },
      { readOutputs: async () => ({ BucketName: 'b' }), readSecret: async () => undefined },
    );

    expect(errors).toEqual([
      "check-deployment: stack SomeOtherStack has no ApiUrl output: it is not this service's stack, or its deployment did not finish (see aws cloudformation describe-stack-events --stack-name SomeOtherStack)",
    ]);
    expect(code).toBe(2);
  });
});

describe('the arguments', () => {
  it('read an API URL, its flags and the key pair from the environment', () => {
    expect(
      parseArguments(
        [
          'http://127.0.0.1:3000/',
          '--origin',
          'http://127.0.0.1:3000',
          '--origin=https://shop.example/',
          '--portone-api-url',
          'http://127.0.0.1:9/',
        ],
        { PORTONE_API_KEY: 'k', PORTONE_API_SECRET: 's' },
      ),
    ).toEqual({
      target: { kind: 'url', url: 'http://127.0.0.1:3000' },
      resultPageUrl: null,
      origins: ['http://127.0.0.1:3000', 'https://shop.example'],
      disallowedOrigin: 'https://check-deployment.invalid',
      portoneApiUrl: 'http://127.0.0.1:9',
      secretArn: null,
      envPair: { apiKey: 'k', apiSecret: 's' },
    });
  });

  it('answer null for --help, and ignore the environment key pair with a stack', () => {
    expect(parseArguments(['--help'], {})).toBeNull();
    expect(parseArguments(['PortOnePayments-prod'], { PORTONE_API_KEY: 'k' })?.envPair).toBeNull();
  });

  it.each([
    [['a', 'b'], 'expected one stack name or API URL, got 2: a b'],
    [
      ['my stack'],
      '"my stack" is neither a stack name (e.g. PortOnePayments-prod) nor an http(s) API URL',
    ],
    [['PortOnePayments-prod', '--origin'], '--origin needs a value'],
    [['PortOnePayments-prod', '--help=yes'], '--help takes no value'],
    [
      ['PortOnePayments-prod', '--secret-arn', 'portone'],
      '--secret-arn must be a Secrets Manager ARN, got "portone"',
    ],
    [
      ['PortOnePayments-prod', '--portone-api-url', 'http://api.iamport.kr'],
      '--portone-api-url must be https (a key pair is sent there), or http to this machine only, got "http://api.iamport.kr"',
    ],
    [
      ['PortOnePayments-prod', '--result-page-url', '/result'],
      '--result-page-url must be an http(s) URL, got "/result"',
    ],
  ])('refuse %j', (argv, message) => {
    expect(() => parseArguments(argv, {})).toThrow(message);
  });
});
