import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { send } from '../../../bench/http-client';
import type { System } from '../../../bench/stack';
import { deliver } from '../../../bench/workload';

const RESULT = 'https://shop.example/payments/result';

/** Answers as ours does on the happy path: 200 with the status word, or the redirect's 302. */
const startApi = async (): Promise<{ server: Server; url: string; methods: string[] }> => {
  const methods: string[] = [];
  const server = createServer((request, response) => {
    methods.push(`${request.method} ${request.url?.split('?')[0]}`);
    request.resume();
    request.on('end', () => {
      if (request.method === 'GET') {
        response.writeHead(302, { location: `${RESULT}?status=success` }).end();
        return;
      }
      const status = request.url === '/payments/webhook' ? 'applied' : 'success';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, methods };
};

describe('the bench’s load generator', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => new Promise<void>((resolve) => api.server.close(() => resolve())));
  afterEach(() => vi.restoreAllMocks());

  it('delivers every route without fetch, whose CPU would count in the round trip it measures', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const system = { name: 'ours', url: api.url } as System;
    const order = { merchantUid: 'order-1', impUid: 'imp_1' };
    for (const route of ['webhook', 'complete', 'redirect'] as const) {
      expect(await deliver(system, route, order)).toBeGreaterThan(0);
    }
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(api.methods.slice(-3)).toEqual([
      'POST /payments/webhook',
      'POST /payments/complete',
      'GET /payments/complete',
    ]);
  });

  it('hands a redirect back with its Location instead of following it', async () => {
    const answer = await send(`${api.url}/payments/complete?imp_uid=imp_1`);
    expect(answer).toEqual({ status: 302, body: '', location: `${RESULT}?status=success` });
  });

  it('fails a request to a port nobody listens on', async () => {
    const closed = await startApi();
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    await expect(send(closed.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
