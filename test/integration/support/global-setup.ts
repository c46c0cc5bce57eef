import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../../local/dynamodb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    ddbEndpoint: string;
  }
}

/** One in-memory DynamoDB Local per run; each test file creates its own table in it. */
export default async function setup(project: TestProject) {
  const dynamodb = await startDynamoDbLocal();
  project.provide('ddbEndpoint', dynamodb.endpoint);
  return () => dynamodb.stop();
}
