/**
 * REFERENCE ONLY, never deployed: the baseline as a Lambda entry point, so the
 * benchmark can bundle it with the deployed options and compare its size and
 * cold import with our functions'. One function serves its three routes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createBaselineHandlers } from './handler';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is required`);
  return value;
};

const endpoint = process.env.DYNAMODB_ENDPOINT;
const handlers = createBaselineHandlers({
  portoneUrl: process.env.PORTONE_API_URL ?? 'https://api.iamport.kr',
  apiKey: required('PORTONE_API_KEY'),
  apiSecret: required('PORTONE_API_SECRET'),
  tableName: required('TABLE_NAME'),
  resultPageUrl: required('RESULT_PAGE_URL'),
  client: DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}), {
    marshallOptions: { removeUndefinedValues: true },
  }),
});

export const handler = (event: APIGatewayProxyEventV2) => {
  if (event.routeKey === 'POST /payments/webhook') return handlers.webhook(event);
  if (event.routeKey === 'GET /payments/complete') return handlers.redirect(event);
  return handlers.complete(event);
};
