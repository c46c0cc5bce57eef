import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpEvent, HttpResult } from '../functions/http/types';
import { corsAtEdge, ROUTES, routeKeyOf } from '../lib/api-edge';
import { toApiGatewayEvent, writeResult } from './api-gateway';
import { readRequestBody } from './read-body';

export type Handler = (event: HttpEvent) => Promise<HttpResult>;

export interface ApiHandlers {
  complete: Handler;
  redirect: Handler;
  webhook: Handler;
  orders: Handler;
}

/** lib/api-edge.ts's routes as patterns: `{name}` matches one path segment. */
const routesOf = (handlers: ApiHandlers) =>
  ROUTES.map((route) => ({
    method: route.method,
    path: new RegExp(
      `^${route.path.replace(/\{(\w+)\}/g, (_, name: string) => `(?<${name}>[^/]+)`)}$`,
    ),
    routeKey: routeKeyOf(route),
    handler: handlers[route.function],
  }));

/** API Gateway itself refuses payloads over 10 MB; locally 1 MiB is plenty to exercise the handlers' 64 KiB limit. */
const MAX_LOCAL_BODY = 1024 * 1024;

export interface RunningApi {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  port?: number;
  host?: string;
  /** Serves what is not an API route (the local stack's pages); answers false to fall through to 404. */
  pages?: (request: IncomingMessage, response: ServerResponse) => boolean;
  /** The origins API Gateway's CORS allows (ALLOWED_ORIGINS); none turns CORS off, as in the stack. */
  allowedOrigins?: readonly string[];
}

export const startApiServer = async (
  handlers: ApiHandlers,
  options: ApiServerOptions = {},
): Promise<RunningApi> => {
  const routes = routesOf(handlers);
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      // API Gateway's CORS, from the stack's own settings: it answers
      // preflights itself and adds the headers to the functions' answers.
      const cors = corsAtEdge(options.allowedOrigins ?? [], {
        method: request.method ?? 'GET',
        origin: headerValue(request, 'origin'),
        requestMethod: headerValue(request, 'access-control-request-method'),
      });
      if (cors.preflight && routes.some((r) => r.path.test(url.pathname))) {
        writeResult(response, { statusCode: 204, headers: { ...cors.headers }, body: '' });
        request.resume();
        return;
      }
      const route = routes.find((r) => r.method === request.method && r.path.test(url.pathname));
      if (!route) {
        if (options.pages?.(request, response)) return;
        writeResult(response, notFound());
        request.resume();
        return;
      }
      const body = await readRequestBody(request, MAX_LOCAL_BODY);
      if (body === 'too-large') {
        writeResult(response, {
          statusCode: 413,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ status: 'invalid_request', message: 'request body is too large' }),
        });
        return;
      }
      const params = route.path.exec(url.pathname)?.groups;
      const pathParameters = params
        ? Object.fromEntries(Object.entries(params).map(([k, v]) => [k, safeDecode(v)]))
        : undefined;
      const event = toApiGatewayEvent(request, body, { routeKey: route.routeKey, pathParameters });
      const result = await route.handler(event);
      writeResult(response, { ...result, headers: { ...result.headers, ...cors.headers } });
    } catch {
      // Lambda's own behaviour for a handler that throws: API Gateway answers 500.
      if (!response.headersSent) {
        writeResult(response, {
          statusCode: 500,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'Internal Server Error' }),
        });
      } else response.end();
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

const notFound = (): HttpResult => ({
  statusCode: 404,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: 'Not Found' }),
});

const headerValue = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const safeDecode = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};
