import type { HttpEvent, HttpResult } from '../../functions/http/types';

/** API Gateway's request id in every event built here; public messages quote it. */
export const REQUEST_ID = 'req-1';

/** An API Gateway HTTP API event (payload 2.0) with only what the handlers read. */
export const httpEvent = (request: {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  query?: string;
  headers?: Record<string, string>;
  sourceIp?: string;
}): HttpEvent =>
  ({
    version: '2.0',
    routeKey: `${request.method} ${request.path}`,
    rawPath: request.path,
    rawQueryString: request.query ?? '',
    headers: request.headers ?? {},
    body: request.body,
    isBase64Encoded: false,
    requestContext: {
      requestId: REQUEST_ID,
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '52.78.100.19',
        userAgent: 'unit-test',
      },
    },
  }) as HttpEvent;

/** A JSON answer as status and parsed body. */
export const jsonAnswer = (result: HttpResult) => ({
  statusCode: result.statusCode,
  body: JSON.parse(String(result.body)) as unknown,
});

/** A redirect as status, destination page and query parameters. */
export const redirectAnswer = (result: HttpResult) => {
  const location = new URL(result.headers.location ?? '');
  return {
    statusCode: result.statusCode,
    page: `${location.origin}${location.pathname}`,
    query: Object.fromEntries(location.searchParams),
  };
};
