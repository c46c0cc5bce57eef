import { describe, expect, it } from 'vitest';
import { createDocumentClient, SDK_LOGGER_MIDDLEWARE } from '../../../../functions/runtime/deps';

const ENDPOINT = { dynamodbEndpoint: 'http://127.0.0.1:9' };
const REGION = { region: 'local', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const middlewares = (client: ReturnType<typeof createDocumentClient>) =>
  client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);

describe('createDocumentClient', () => {
  it('leaves out the SDK’s logger middleware, whose filtering nobody reads', () => {
    const client = createDocumentClient(ENDPOINT, REGION);
    expect(middlewares(client)).not.toContain(SDK_LOGGER_MIDDLEWARE);
    // Everything a request needs is still there.
    expect(middlewares(client)).toEqual(
      expect.arrayContaining(['serializerMiddleware', 'retryMiddleware', 'deserializerMiddleware']),
    );
    client.destroy();
  });

  it('keeps it when a logger is given, which would read what it filters', () => {
    const client = createDocumentClient(ENDPOINT, { ...REGION, logger: console });
    expect(middlewares(client)).toContain(SDK_LOGGER_MIDDLEWARE);
    client.destroy();
  });
});
