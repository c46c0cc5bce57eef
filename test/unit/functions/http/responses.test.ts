import { describe, expect, it } from 'vitest';
import {
  StorageUnavailableError,
  UpstreamRejectedError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../../../functions/domain/model/errors';
import type { Log } from '../../../../functions/domain/ports/log';
import { errorResponse } from '../../../../functions/http/responses';

const recordingLog = () => {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const log: Log = {
    debug: (message, fields) => lines.push({ level: 'debug', message, fields }),
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
    with: () => log,
  };
  return { log, lines };
};

const INTERNAL_FAILURES = [
  new UpstreamUnauthorizedError('the PortOne secret still holds its placeholder'),
  new UpstreamUnauthorizedError('PortOne rejected the API credentials'),
  new UpstreamUnavailableError('PortOne answered HTTP 503 for GET /payments/imp_1'),
  new UpstreamRejectedError('PortOne refused: 취소할 결제건이 존재하지 않습니다', -1),
  new StorageUnavailableError('DynamoDB GetItem failed: AccessDeniedException'),
  new Error('TypeError: cannot read properties of undefined'),
];

describe('errorResponse', () => {
  it.each(INTERNAL_FAILURES.map((error) => [error.message, error]))(
    'answers the public "%s" in generic words that quote the request id, and logs the detail',
    (detail, error) => {
      const { log, lines } = recordingLog();
      const answer = errorResponse(error, log, { kind: 'public', requestId: 'req-42' });
      const body = JSON.parse(String(answer.body));
      expect(answer.statusCode).toBeGreaterThanOrEqual(500);
      expect(body.message).not.toContain(detail);
      expect(body.message).not.toMatch(/secret|placeholder|credential|DynamoDB|Exception|HTTP 5/i);
      expect(body.message).toMatch(/\(request id req-42\)$/);
      expect(JSON.stringify(lines)).toContain(detail);
    },
  );

  it('keeps the detail for the trusted routes, whose callers are the merchant engineers', () => {
    const { log } = recordingLog();
    const answer = errorResponse(
      new UpstreamUnauthorizedError('PortOne rejected the API credentials'),
      log,
    );
    expect(JSON.parse(String(answer.body))).toEqual({
      status: 'upstream_error',
      message: 'PortOne rejected the API credentials',
    });
  });
});
