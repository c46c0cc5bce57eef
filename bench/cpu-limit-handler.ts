/**
 * REFERENCE ONLY, never deployed: the limit's work (bench/limit.ts) as a
 * Lambda handler, bundled as our functions are, so that the CPU phase can
 * measure what that work alone costs: one PortOne lookup over the deployed
 * HTTP client and one conditional UpdateItem through a bare DynamoDBClient,
 * (after the GetItem complete and redirect make first, when the event has
 * one), with nothing of ours in between: the CPU floor under ours' routes.
 */
import {
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { keepAliveExchange } from '../functions/adapters/portone/http-exchange';

const client = new DynamoDBClient({
  ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  maxAttempts: 3,
});
// As deployed (SDK_LOGGER_MIDDLEWARE in functions/runtime/deps.ts, named here so
// that this bundle holds nothing of ours): the logger middleware filters every
// input and output for a logger that discards them.
client.middlewareStack.remove('loggerMiddleware');
const exchange = keepAliveExchange();

export interface LimitEvent {
  requestContext: { requestId: string };
  portone: { url: string; headers: Record<string, string> };
  update: UpdateItemCommandInput;
  /** The read complete and redirect make first, when given. */
  read?: GetItemCommandInput;
}

export const handler = async (event: LimitEvent) => {
  if (event.read) await client.send(new GetItemCommand(event.read));
  const lookup = await exchange(event.portone.url, {
    method: 'GET',
    headers: event.portone.headers,
    signal: AbortSignal.timeout(5000),
    redirect: 'error',
  });
  const text = await lookup.text();
  await client.send(new UpdateItemCommand(event.update));
  return { statusCode: lookup.status, body: text.includes('"paid"') ? '{"status":"limit"}' : text };
};
