/**
 * How a merchant's backend calls the trusted `/orders` routes in AWS: each
 * request is signed with SigV4 for `execute-api`, as API Gateway's IAM
 * authorization requires. Copy it into your backend; it needs only
 * `@smithy/signature-v4` (the AWS SDK's own signer) and credentials from
 * wherever your backend gets them (for instance `fromNodeProviderChain()`
 * of `@aws-sdk/credential-providers`, which reads the Lambda or ECS role).
 *
 *   const orders = ordersClient({ ordersUrl: process.env.ORDERS_URL, region: 'ap-northeast-2', credentials });
 *   await orders.register({ merchant_uid: 'order-1', amount: 15000 });
 *   const order = await orders.get('order-1'); // read this, never the result page's `status` word
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface OrdersClientOptions {
  /** The stack's `OrdersUrl` output, e.g. https://abc.execute-api.ap-northeast-2.amazonaws.com/orders */
  ordersUrl: string;
  region: string;
  /** Called for every request, so that expiring role credentials are refreshed by their provider. */
  credentials: Credentials | (() => Promise<Credentials>);
  fetch?: typeof fetch;
}

/** SHA-256 (and HMAC-SHA-256 with a secret) from node:crypto, in the shape the signer asks for. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export const ordersClient = (options: OrdersClientOptions) => {
  const base = new URL(options.ordersUrl.replace(/\/+$/, ''));
  const send = options.fetch ?? fetch;
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: async () =>
      typeof options.credentials === 'function' ? options.credentials() : options.credentials,
    sha256: Sha256,
  });

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const url = new URL(`${base.pathname}${path}`, base);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      // `host` is signed: API Gateway checks it against the API's own host name.
      headers: {
        host: url.host,
        ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(text === undefined ? {} : { body: text }),
    });
    const { host: _host, ...headers } = signed.headers;
    const answer = await send(url, {
      method,
      headers,
      ...(text === undefined ? {} : { body: text }),
    });
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };

  const uid = (merchantUid: string) => `/${encodeURIComponent(merchantUid)}`;
  return {
    /** `POST /orders`: what the order must cost, before the page opens PortOne's window. */
    register: (order: { merchant_uid: string; amount: number; currency?: string; name?: string }) =>
      call('POST', '', order),
    /** `GET /orders/{merchant_uid}`: the verified state; the page's `status` word is only a hint. */
    get: (merchantUid: string) => call('GET', uid(merchantUid)),
    /** `POST /orders/{merchant_uid}/payments`: a PortOne V2 payment id for one checkout attempt. */
    issuePaymentId: (merchantUid: string) => call('POST', `${uid(merchantUid)}/payments`, {}),
    /** `POST /orders/{merchant_uid}/cancel`: a refund; the same request_id makes a retry safe. */
    refund: (
      merchantUid: string,
      refund: { request_id: string; reason: string; amount?: number },
    ) => call('POST', `${uid(merchantUid)}/cancel`, refund),
  };
};
