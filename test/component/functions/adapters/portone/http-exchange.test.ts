import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveExchange } from '../../../../../functions/adapters/portone/http-exchange';

type Serve = (request: IncomingMessage, body: string, response: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback server answering with `serve`; counts the connections it accepted. */
const start = async (serve: Serve) => {
  const connections = { count: 0 };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => serve(request, body, response));
  });
  server.on('connection', () => connections.count++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections };
};

const init = (overrides: { method?: string; body?: string; signal?: AbortSignal } = {}) => ({
  method: overrides.method ?? 'GET',
  headers: { accept: 'application/json' },
  body: overrides.body,
  signal: overrides.signal ?? AbortSignal.timeout(2000),
  redirect: 'error' as const,
});

describe('keepAliveExchange', () => {
  it('answers status and body, and keeps one connection for calls in sequence', async () => {
    const server = await start((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"code":0}');
    });
    const exchange = keepAliveExchange();
    for (let i = 0; i < 3; i++) {
      const answer = await exchange(`${server.url}/payments/imp_1`, init());
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe('{"code":0}');
    }
    expect(server.connections.count).toBe(1);
  });

  it('sends a body with its length and the caller’s headers', async () => {
    const seen: { length?: string; body?: string; method?: string; accept?: string } = {};
    const server = await start((request, body, response) => {
      Object.assign(seen, {
        length: request.headers['content-length'],
        body,
        method: request.method,
        accept: request.headers.accept,
      });
      response.end('{}');
    });
    const body = JSON.stringify({ imp_key: '키', imp_secret: 's' });
    await keepAliveExchange()(`${server.url}/users/getToken`, init({ method: 'POST', body }));
    expect(seen).toEqual({
      length: String(Buffer.byteLength(body)),
      body,
      method: 'POST',
      accept: 'application/json',
    });
  });

  it('gives up when the signal fires before an answer, and says the signal did it', async () => {
    const server = await start(() => {}); // never answers
    const signal = AbortSignal.timeout(100);
    await expect(keepAliveExchange()(`${server.url}/slow`, init({ signal }))).rejects.toThrow();
    expect(signal.aborted).toBe(true);
  });

  it('fails when the server drops the connection in the middle of the body', async () => {
    const server = await start((request, _body, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('{"code":');
      setTimeout(() => request.socket.destroy(), 20);
    });
    await expect(keepAliveExchange()(`${server.url}/cut`, init())).rejects.toThrow();
  });

  it('does not follow a redirect: the 3xx is the answer', async () => {
    const server = await start((_request, _body, response) => {
      response.writeHead(302, { location: 'http://198.51.100.1/steal' });
      response.end();
    });
    const answer = await keepAliveExchange()(`${server.url}/payments/imp_1`, init());
    expect(answer.status).toBe(302);
  });

  it('refuses an address that is neither http nor https', async () => {
    await expect(keepAliveExchange()('file:///etc/passwd', init())).rejects.toThrow(
      /unsupported protocol file:/,
    );
  });
});
