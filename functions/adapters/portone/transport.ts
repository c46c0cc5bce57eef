import type * as z from 'zod/mini';
import {
  type DomainError,
  NotFoundError,
  UpstreamUnavailableError,
} from '../../domain/model/errors';
import type { HttpExchange } from './http-exchange';

export interface TransportOptions {
  baseUrl: string;
  timeoutMs: number;
  maxAttempts: number;
  fetch: HttpExchange;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  onCall?: (event: { route: string; status: number | 'error'; ms: number }) => void;
  /** Strings that must never appear in an error message (credentials). */
  secrets: readonly string[];
  /** How this API's answers read: V1's `{code, message, response}` envelope (./answers.ts) or V2's bare bodies. */
  readAnswer: AnswerReader;
}

/**
 * Turns one HTTP answer into a value or a domain error. `clean` shortens a
 * message PortOne wrote and removes every credential from it.
 */
export type AnswerReader = <T>(
  spec: CallSpec<T>,
  status: number,
  text: string,
  clean: (message: string) => string,
) => Attempt<T>;

export interface CallSpec<T> {
  /** Low-cardinality label for metrics and messages, e.g. `GET /payments/{imp_uid}`. */
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with already encoded segments, plus query string if any. */
  path: string;
  body?: unknown;
  /** The `Authorization` header: V1's `Bearer <token>`, V2's `PortOne <secret>`. */
  authorization?: string;
  /** Only idempotent calls may be repeated on transient failures. */
  idempotent: boolean;
  /** Validates the payload of a successful answer (V1: `envelope.response`; V2: the body). */
  schema: z.ZodMiniType<T>;
}

/** Epoch (in the `now()` clock) after which a public method must give up. */
export type Deadline = number;

export type Attempt<T> =
  | { ok: true; value: T }
  | { ok: false; error: DomainError; retryable: boolean };

const BACKOFF_BASE_MS = 100;
const MIN_ATTEMPT_MS = 100;
const MAX_MESSAGE_LENGTH = 300;

export type Transport = <T>(spec: CallSpec<T>, deadline: Deadline) => Promise<T>;

/**
 * One HTTP exchange with PortOne, mapped onto the domain errors. Owns the
 * per-call timeout, the retry of idempotent calls on transient failures and
 * the overall deadline, so that no caller can wait longer than its budget.
 */
export function createTransport(options: TransportOptions): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  return async function call<T>(spec: CallSpec<T>, deadline: Deadline): Promise<T> {
    const attempts = spec.idempotent ? Math.max(1, options.maxAttempts) : 1;
    // An attempt shorter than this could hardly get an answer; not starting
    // it keeps the more telling error of the previous attempt.
    const minAttemptMs = Math.min(options.timeoutMs, MIN_ATTEMPT_MS);
    let lastError: DomainError | undefined;
    for (let attempt = 1; ; attempt++) {
      // AbortSignal.timeout() takes whole milliseconds (it throws a
      // RangeError on fractions, which performance.now() budgets produce).
      const remaining = Math.floor(deadline - options.now());
      if (remaining < 1) {
        throw (
          lastError ?? new UpstreamUnavailableError(`PortOne ${spec.route}: time budget exhausted`)
        );
      }
      const result = await once(spec, Math.min(Math.floor(options.timeoutMs), remaining));
      if (result.ok) return result.value;
      if (!result.retryable || attempt >= attempts) throw result.error;
      lastError = result.error;
      // Exponential backoff with jitter so that many containers hitting the
      // same outage do not retry in lockstep; never sleep past the deadline.
      const delay = BACKOFF_BASE_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      if (options.now() + delay + minAttemptMs > deadline) throw result.error;
      await options.sleep(delay);
    }
  };

  async function once<T>(spec: CallSpec<T>, timeoutMs: number): Promise<Attempt<T>> {
    const started = options.now();
    const signal = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.authorization !== undefined) headers.authorization = spec.authorization;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let text: string;
    try {
      const response = await options.fetch(`${baseUrl}${spec.path}`, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal,
        // PortOne never redirects; following one could leak the token elsewhere.
        redirect: 'error',
      });
      status = response.status;
      // The body read is covered by the same signal, so a stalled body times out too.
      text = await response.text();
    } catch (cause) {
      report(spec.route, 'error', started);
      const message = signal.aborted
        ? `PortOne ${spec.route}: no answer within ${timeoutMs} ms`
        : `PortOne ${spec.route}: network error`;
      // The cause (a fetch TypeError / DOMException) carries no request data.
      return {
        ok: false,
        retryable: true,
        error: new UpstreamUnavailableError(message, { cause }),
      };
    }
    report(spec.route, status, started);
    return options.readAnswer(spec, status, text, (message) => clean(message, spec.authorization));
  }

  function report(route: string, status: number | 'error', started: number): void {
    try {
      options.onCall?.({ route, status, ms: options.now() - started });
    } catch {
      // A broken metrics hook must not turn a good answer into a failure.
    }
  }

  /** PortOne's messages are shown to operators; make sure no credential rides along. */
  function clean(message: string, authorization: string | undefined): string {
    let result = message.slice(0, MAX_MESSAGE_LENGTH);
    // The header's credential, whatever its scheme (a V1 token, a V2 secret).
    const credential = authorization?.slice(authorization.indexOf(' ') + 1) ?? '';
    for (const secret of [...options.secrets, credential]) {
      if (secret.length > 0) result = result.replaceAll(secret, '[redacted]');
    }
    return result;
  }
}

/**
 * Names the offending fields without their values: values may be tokens
 * (getToken) or personal data, and a raw ZodError must not escape.
 */
export function summarize(error: z.core.$ZodError, prefix?: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${path || '(root)'}: ${issue.code}`;
    })
    .join(', ');
}

export function malformed(route: string, reason: string): UpstreamUnavailableError {
  return new UpstreamUnavailableError(`malformed response from PortOne ${route}: ${reason}`);
}

/**
 * Encodes an id as one path segment. An empty or dot-only id would address a
 * different route after URL normalisation (`/payments/..`), and no payment
 * can have such an id, so it is reported as not found without a request.
 */
export function segment(id: string, name: string): string {
  if (id === '' || id === '.' || id === '..') {
    throw new NotFoundError(`no PortOne record can have ${name} ${JSON.stringify(id)}`);
  }
  return encodeURIComponent(id);
}
