import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/runtime/config';
import { resolveConfig } from '../../../lib/config';

// The stack checks its context and each function checks its environment;
// whatever the stack lets through must start the functions, and whatever
// the stack refuses the functions refuse too, with the same words.
const stack = (context: Record<string, unknown>) => {
  try {
    const config = resolveConfig({ resultPageUrl: 'https://shop.example/r', ...context });
    return { accepted: config };
  } catch (error) {
    return { refused: (error as Error).message.replace(/^Context value "\w+" /, '') };
  }
};

const functions = (env: Record<string, string>) => {
  try {
    const config = loadConfig({
      TABLE_NAME: 't',
      PORTONE_API_KEY: 'k',
      PORTONE_API_SECRET: 's',
      ...env,
    });
    return { accepted: config };
  } catch (error) {
    return { refused: (error as Error).message.replace(/^Environment variable \w+ /, '') };
  }
};

const outcome = (
  result: { accepted: unknown } | { refused: string },
  pick: (c: never) => unknown,
) =>
  'refused' in result ? { refused: result.refused } : { accepted: pick(result.accepted as never) };

describe('the stack and the functions agree on every shared setting', () => {
  it.each([
    'https://shop.example',
    'https://shop.example/, https://m.shop.example',
    'https://shop.example,https://shop.example',
    'http://127.0.0.1:3000',
    '*',
    'http://shop.example',
    'https://shop.example/path',
  ])('allowed origins %j', (value) => {
    const fromStack = outcome(
      stack({ allowedOrigins: value }),
      (c: { allowedOrigins: string[] }) => c.allowedOrigins,
    );
    const fromEnv = outcome(
      functions({ ALLOWED_ORIGINS: value }),
      (c: { allowedOrigins: string[] }) => c.allowedOrigins,
    );
    expect(fromEnv).toEqual(fromStack);
  });

  it.each([
    'https://shop.example/result',
    'http://localhost:3000/result',
    'http://shop.example/result',
    'result',
  ])('result page URL %j', (value) => {
    const fromStack = outcome(
      stack({ resultPageUrl: value }),
      (c: { resultPageUrl: string }) => c.resultPageUrl,
    );
    const fromEnv = outcome(
      functions({ RESULT_PAGE_URL: value }),
      (c: { resultPageUrl: string }) => c.resultPageUrl,
    );
    expect(fromEnv).toEqual(fromStack);
  });

  it.each(['https://api.iamport.kr', 'http://127.0.0.1:4000', 'http://api.iamport.kr'])(
    'PortOne API URL %j',
    (value) => {
      const fromStack = outcome(
        stack({ portoneApiUrl: value }),
        (c: { portoneApiUrl: string }) => c.portoneApiUrl,
      );
      const fromEnv = outcome(
        functions({ PORTONE_API_URL: value }),
        (c: { portone: { apiUrl: string } }) => c.portone.apiUrl,
      );
      expect(fromEnv).toEqual(fromStack);
    },
  );

  it.each(['52.78.100.19, 52.78.48.223', '2001:db8::1', '52.78.100.19, example.com'])(
    'webhook source addresses %j',
    (value) => {
      const fromStack = outcome(
        stack({ webhookAllowedIps: value }),
        (c: { webhookAllowedIps: string[] }) => c.webhookAllowedIps,
      );
      const fromEnv = outcome(
        functions({ WEBHOOK_ALLOWED_IPS: value }),
        (c: { webhookAllowedIps: string[] }) => c.webhookAllowedIps,
      );
      expect(fromEnv).toEqual(fromStack);
    },
  );

  it('refuses "*" as an origin on both sides', () => {
    expect(stack({ allowedOrigins: '*' })).toEqual({
      refused: 'must list https origins like https://shop.example (no path, no "*"), got "*"',
    });
  });
});
