import { DomainError, InvalidRequestError } from '../domain/model/errors';
import { LOG_LINES } from '../domain/model/log-lines';
import type { Log } from '../domain/ports/log';
import { MESSAGES } from './messages';
import type { HttpResult } from './types';
import type { ErrorWord } from './words';

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  },
  body: JSON.stringify(body),
});

export const redirect = (location: string): HttpResult => ({
  statusCode: 302,
  headers: { location, 'cache-control': 'no-store' },
  body: '',
});

/** `message`: the answer's words for every audience; `publicMessage`: only for the public routes. */
const STATUS_OF: Record<
  string,
  { statusCode: number; status: ErrorWord; publicMessage?: string; message?: string }
> = {
  NOT_FOUND: { statusCode: 404, status: 'not_found' },
  CONFLICT: { statusCode: 409, status: 'conflict' },
  // PortOne down, refusing us, or answering nonsense: the caller retries later.
  UPSTREAM_UNAVAILABLE: {
    statusCode: 502,
    status: 'upstream_error',
    publicMessage: MESSAGES.upstream,
  },
  UPSTREAM_UNAUTHORIZED: {
    statusCode: 502,
    status: 'upstream_error',
    publicMessage: MESSAGES.upstream,
  },
  UPSTREAM_REJECTED: {
    statusCode: 502,
    status: 'upstream_error',
    publicMessage: MESSAGES.upstream,
  },
  // Names the missing settings (no secret values): the operator reads it in PortOne's webhook
  // log. Only V2 is ever not configured, and every route words it the same.
  NOT_CONFIGURED: { statusCode: 503, status: 'not_configured', message: MESSAGES.v2NotConfigured },
  STORAGE_UNAVAILABLE: {
    statusCode: 503,
    status: 'unavailable',
    publicMessage: MESSAGES.storage,
  },
};

/**
 * Who reads the answer. The public routes (complete, redirect, webhook)
 * answer anyone, so their messages for our own failures are generic: the
 * detail (a secret's state, an AWS error name) goes to the log line, which
 * carries the request id the message quotes. The trusted routes answer the
 * merchant's backend, whose engineers need the detail.
 */
export interface Audience {
  kind: 'public' | 'trusted';
  /** API Gateway's request id, quoted in public messages so that support can find the log line. */
  requestId?: string;
}

const TRUSTED: Audience = { kind: 'trusted' };

/**
 * The one mapping from errors to HTTP answers. Every error body has `status`
 * and a readable `message`; validation errors add `issues`. Anything
 * unexpected is a 500 with a generic message, and the detail goes to the log
 * only.
 */
export const errorResponse = (
  error: unknown,
  log: Log,
  audience: Audience = TRUSTED,
  headers: Record<string, string> = {},
): HttpResult => {
  const quoted = (message: string) =>
    audience.requestId ? `${message} (request id ${audience.requestId})` : message;
  if (error instanceof InvalidRequestError) {
    return json(
      error.statusCode,
      { status: 'invalid_request', message: error.message, issues: error.issues },
      headers,
    );
  }
  if (error instanceof DomainError && error.code === 'ITEM_TOO_LARGE') {
    // Permanent: a retry cannot help, so not a 503. The line the OrderItemTooLarge alarm counts.
    log.error(LOG_LINES.itemTooLarge, { error: error.message });
    return json(
      500,
      {
        status: 'internal_error',
        message: quoted(MESSAGES.itemTooLarge),
      },
      headers,
    );
  }
  const known = error instanceof DomainError ? STATUS_OF[error.code] : undefined;
  if (error instanceof DomainError && known) {
    if (known.statusCode >= 500) log.warn('transient failure', { error: error.message });
    const message =
      known.message ??
      (audience.kind === 'public' && known.publicMessage
        ? quoted(known.publicMessage)
        : error.message);
    return json(known.statusCode, { status: known.status, message }, headers);
  }
  log.error('unexpected error', {
    error:
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : String(error),
  });
  return json(500, { status: 'internal_error', message: quoted(MESSAGES.internal) }, headers);
};
