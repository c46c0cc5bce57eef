import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLogger,
  powertoolsLog,
  withLambdaContext,
} from '../../../../functions/runtime/logger';

afterEach(() => vi.restoreAllMocks());

describe('powertoolsLog', () => {
  it('writes one JSON line per event with the request keys of a child log', () => {
    // Prepare
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const log = powertoolsLog(new Logger({ serviceName: 'payments-test', logLevel: 'INFO' }));

    // Act
    log.with({ merchant_uid: 'order-1' }).info('webhook answered', { http_status: 200 });
    log.info('unrelated');

    // Assess
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toMatchObject({
      level: 'INFO',
      message: 'webhook answered',
      service: 'payments-test',
      merchant_uid: 'order-1',
      http_status: 200,
    });
    expect(second.merchant_uid).toBeUndefined();
  });

  it('merges nested request keys without touching sibling logs', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const log = powertoolsLog(new Logger({ serviceName: 'payments-test', logLevel: 'INFO' }));
    const request = log.with({ route: 'webhook' });

    request.with({ merchant_uid: 'order-1' }).info('a', { route: 'webhook-retry' });
    request.with({ merchant_uid: 'order-2' }).info('b');
    request.info('c');

    expect(lines.map((line) => JSON.parse(line))).toMatchObject([
      { message: 'a', route: 'webhook-retry', merchant_uid: 'order-1' },
      { message: 'b', route: 'webhook', merchant_uid: 'order-2' },
      { message: 'c', route: 'webhook' },
    ]);
    expect(JSON.parse(lines[2] ?? '{}').merchant_uid).toBeUndefined();
  });
});

describe('createLogger', () => {
  const context = (requestId: string) =>
    ({
      functionName: 'PortOnePayments-prod-webhookFunction1A2B3C4D-AbCdEfGhIjKl',
      functionVersion: '$LATEST',
      invokedFunctionArn:
        'arn:aws:lambda:us-east-1:123456789012:function:PortOnePayments-prod-webhookFunction1A2B3C4D-AbCdEfGhIjKl',
      memoryLimitInMB: '512',
      awsRequestId: requestId,
    }) as Context;

  it('writes the request id but not what the log group already says (ARN, name, memory)', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const logger = createLogger('payments-webhook');
    const log = powertoolsLog(logger);
    const handle = withLambdaContext(logger, async (message: string) =>
      log.info(message, { merchant_uid: 'order-1' }),
    );

    await handle('first', context('req-1'));
    await handle('second', context('req-2'));

    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toMatchObject({
      level: 'INFO',
      message: 'first',
      service: 'payments-webhook',
      function_request_id: 'req-1',
      merchant_uid: 'order-1',
    });
    expect(typeof first.timestamp).toBe('string');
    expect(second).toMatchObject({ message: 'second', function_request_id: 'req-2' });
    for (const line of [first, second]) {
      for (const key of [
        'function_arn',
        'function_name',
        'function_memory_size',
        'sampling_rate',
        'cold_start',
      ])
        expect(line).not.toHaveProperty(key);
    }
  });
});
