import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { powertoolsLog } from '../../../functions/runtime/logger';

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
});
