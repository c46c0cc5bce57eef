import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ordersClient } from '../../../examples/orders-client';

// AWS's documentation example credentials: nothing here leaves loopback.
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const REGION = 'ap-northeast-2';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let url: string;
let seen: Seen[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"pending"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen = [];
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) =>
  createHmac('sha256', key).update(text).digest();

/**
 * SigV4 recomputed from what the server received, written from AWS's
 * specification rather than with the signer under test: a request it signs
 * wrongly (another path, host or body) fails here as it would at API Gateway.
 */
const expectedSignature = (request: Seen): string => {
  const authorization = String(request.headers.authorization);
  const [, date, region, service] =
    authorization.match(/Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/) ?? [];
  const signedHeaders = authorization.match(/SignedHeaders=([^,]+)/)?.[1]?.split(';') ?? [];
  const [path = '', query = ''] = request.path.split('?');
  const canonical = [
    request.method,
    // Not S3: each path segment is encoded once more.
    path
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/'),
    query,
    ...signedHeaders.map((name) => `${name}:${String(request.headers[name]).trim()}`),
    '',
    signedHeaders.join(';'),
    sha256(request.body),
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', request.headers['x-amz-date'], scope, sha256(canonical)].join(
    '\n',
  );
  let key: Buffer = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date ?? '');
  for (const part of [region ?? '', service ?? '', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
};

describe('the example orders client (examples/orders-client.ts)', () => {
  const client = () =>
    ordersClient({ ordersUrl: `${url}/orders`, region: REGION, credentials: CREDENTIALS });

  it('signs a registration for execute-api in the region, body and session token included', async () => {
    const answer = await client().register({ merchant_uid: 'order-1', amount: 15000 });

    expect(answer).toEqual({ status: 200, body: { status: 'pending' } });
    const [request] = seen;
    expect(request).toMatchObject({ method: 'POST', path: '/orders' });
    expect(JSON.parse(request?.body ?? '')).toEqual({ merchant_uid: 'order-1', amount: 15000 });
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-northeast-2\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(request?.headers.authorization).toContain(
      `Signature=${expectedSignature(request as Seen)}`,
    );
  });

  it('signs reads, payment ids and refunds under the orders URL’s own path', async () => {
    const orders = client();
    await orders.get('order-2');
    await orders.issuePaymentId('order-2');
    await orders.refund('order-2', { request_id: 'refund-1', reason: 'customer asked' });

    expect(seen.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /orders/order-2',
      'POST /orders/order-2/payments',
      'POST /orders/order-2/cancel',
    ]);
    for (const request of seen) {
      const signedHeaders = String(request.headers.authorization).match(/SignedHeaders=([^,]+)/);
      expect(signedHeaders?.[1]?.split(';')).toEqual(
        expect.arrayContaining(['host', 'x-amz-date']),
      );
      expect(request.headers.authorization).toContain(`Signature=${expectedSignature(request)}`);
    }
  });

  it('asks the credentials provider on every request, so that role credentials can rotate', async () => {
    let asked = 0;
    const orders = ordersClient({
      ordersUrl: `${url}/orders/`,
      region: REGION,
      credentials: async () => {
        asked += 1;
        return CREDENTIALS;
      },
    });

    await orders.get('order-3');
    await orders.get('order-3');

    expect(asked).toBe(2);
    expect(seen.map((request) => request.path)).toEqual(['/orders/order-3', '/orders/order-3']);
  });
});
