/**
 * REFERENCE ONLY: never deployed, never imported by functions/ or lib/.
 *
 * The verification algorithm of PortOne's V1 documentation (the Node.js
 * example of "결제 정보 검증" and its webhook twin), which the benchmark
 * measures our design against: for EVERY request a new access token
 * (POST /users/getToken), the payment (GET /payments/{imp_uid}), the order
 * read by the payment's merchant_uid (GetItem), the amounts compared, then an
 * unconditional write of the new state with the payment data (PutItem, the
 * docs' `findByIdAndUpdate(..., { $set: paymentData })`). It is a faithful,
 * reasonable implementation: same transport (global fetch with a timeout),
 * same DynamoDB client settings, same table key layout. It does not cancel
 * forgeries, cache tokens or guard against races, as the docs' example does not.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface BaselineOptions {
  portoneUrl: string;
  apiKey: string;
  apiSecret: string;
  client: DynamoDBDocumentClient;
  tableName: string;
  resultPageUrl: string;
  /** Per PortOne call; default 5000 like ours. */
  timeoutMs?: number;
  /** Default global fetch; the benchmark passes a timed one. */
  fetch?: typeof fetch;
}

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
};
type Answer = { httpStatus: number; status: string; message: string };

/** The same key as ours (functions/adapters/dynamodb/keys.ts), so items are comparable. */
export const baselineOrderKey = (merchantUid: string) => ({ pk: `ORDER#${merchantUid}` });

export const createBaselineHandlers = (options: BaselineOptions) => {
  const timeoutMs = options.timeoutMs ?? 5000;
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  const portone = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await send(`${options.portoneUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: token } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const envelope = (await response.json()) as {
      code: number;
      message: string | null;
      response: Record<string, unknown>;
    };
    if (envelope.code !== 0) throw new Error(`PortOne ${path}: ${envelope.message}`);
    return envelope.response;
  };

  const verify = async (impUid: string): Promise<Answer> => {
    const { access_token } = await portone('POST', '/users/getToken', {
      imp_key: options.apiKey,
      imp_secret: options.apiSecret,
    });
    const payment = await portone(
      'GET',
      `/payments/${encodeURIComponent(impUid)}`,
      undefined,
      String(access_token),
    );
    const key = baselineOrderKey(String(payment.merchant_uid));
    const { Item: order } = await options.client.send(
      new GetCommand({ TableName: options.tableName, Key: key }),
    );
    if (!order) return { httpStatus: 404, status: 'not_found', message: 'unknown order' };
    if (order.amount !== payment.amount) {
      return { httpStatus: 400, status: 'forgery', message: '위조된 결제시도' };
    }
    await options.client.send(
      new PutCommand({
        TableName: options.tableName,
        Item: { ...order, status: payment.status, payment, updated_at: new Date().toISOString() },
      }),
    );
    if (payment.status === 'paid')
      return { httpStatus: 200, status: 'success', message: '일반 결제 성공' };
    if (payment.status === 'ready') {
      return { httpStatus: 200, status: 'vbankIssued', message: '가상계좌 발급 성공' };
    }
    return { httpStatus: 200, status: String(payment.status), message: '' };
  };

  /** The docs answer 400 with the error for anything that goes wrong. */
  const guarded = async (impUid: string | undefined): Promise<Answer> => {
    if (!impUid) return { httpStatus: 400, status: 'invalid_request', message: 'imp_uid missing' };
    try {
      return await verify(impUid);
    } catch (error) {
      return { httpStatus: 400, status: 'error', message: String(error) };
    }
  };

  const json = (answer: Answer): Result => ({
    statusCode: answer.httpStatus,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: answer.status, message: answer.message }),
  });

  return {
    complete: async (event: Event) => json(await guarded(bodyOf(event).imp_uid)),
    webhook: async (event: Event) => json(await guarded(bodyOf(event).imp_uid)),
    redirect: async (event: Event): Promise<Result> => {
      const query = event.queryStringParameters ?? {};
      const answer = await guarded(query.imp_uid);
      const location = new URL(options.resultPageUrl);
      location.searchParams.set('merchant_uid', query.merchant_uid ?? '');
      location.searchParams.set('status', answer.status);
      return { statusCode: 302, headers: { location: location.toString() }, body: '' };
    },
  };
};

/** JSON or form, as Express's body parsers would accept. */
const bodyOf = (event: Event): Record<string, string | undefined> => {
  const text = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return Object.fromEntries(new URLSearchParams(text));
  }
};
