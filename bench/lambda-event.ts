/** One HTTP request as a caller sends it, before API Gateway turns it into an event. */
export interface HttpCall {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  /** The caller's address as API Gateway sees it. */
  sourceIp?: string;
}

/**
 * The event API Gateway's HTTP API (payload format 2.0) hands a function for
 * `call`: only what the handlers read, plain JSON so that it can be handed
 * to a production bundle in another process.
 */
export const apiGatewayEvent = (call: HttpCall, requestId: string) => {
  const query = new URLSearchParams(call.query ?? {});
  const headers = Object.fromEntries(
    Object.entries(call.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return {
    version: '2.0',
    routeKey: `${call.method} ${call.path}`,
    rawPath: call.path,
    rawQueryString: query.toString(),
    headers,
    ...(call.query ? { queryStringParameters: call.query } : {}),
    ...(call.body === undefined ? {} : { body: call.body }),
    isBase64Encoded: false,
    requestContext: {
      requestId,
      http: {
        method: call.method,
        path: call.path,
        protocol: 'HTTP/1.1',
        sourceIp: call.sourceIp ?? '198.51.100.7',
        userAgent: 'bench',
      },
      timeEpoch: Date.now(),
    },
  };
};

/** One of PortOne's published webhook addresses, in case WEBHOOK_ALLOWED_IPS is set. */
export const PORTONE_WEBHOOK_IP = '52.78.100.19';
