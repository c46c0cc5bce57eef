import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { powertoolsLog } from '../../../../functions/runtime/logger';

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
