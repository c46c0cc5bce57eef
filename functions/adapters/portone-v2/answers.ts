import {
  type DomainError,
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../domain/model/errors';
import {
  type AnswerReader,
  type Attempt,
  type CallSpec,
  malformed,
  summarize,
} from '../portone/transport';
import { type V2Error, v2ErrorSchema } from './schemas';

/**
 * How PortOne V2 answers read: a success is the bare body, an error is
 * `{type, message}` with an HTTP status that means what it says (404
 * `PAYMENT_NOT_FOUND`, 409 for a refused cancel, 502 `PG_PROVIDER`).
 */
export const readV2Answer: AnswerReader = <T>(
  spec: CallSpec<T>,
  status: number,
  text: string,
  clean: (message: string) => string,
): Attempt<T> => {
  const fail = (error: DomainError, retryable = false): Attempt<T> => ({
    ok: false,
    error,
    retryable,
  });
  const json = parseJson(text);

  if (status === 429 || status >= 500) {
    const type = errorOf(json)?.type;
    return fail(
      new UpstreamUnavailableError(
        `PortOne ${spec.route}: HTTP ${status}${type ? ` ${type}` : ''}`,
      ),
      true,
    );
  }
  if (status === 401 || status === 403) {
    // A static secret: a second try with the same one cannot succeed.
    return fail(new UpstreamUnauthorizedError(`PortOne ${spec.route}: HTTP ${status}`));
  }
  if (status >= 400 && status < 500) {
    const error = errorOf(json);
    // Only PortOne's own error body proves that PortOne looked; a bare 404
    // means we reached something else (a wrong base URL).
    if (error === undefined) {
      return fail(malformed(spec.route, `HTTP ${status} without an error type`));
    }
    const message = clean(
      `PortOne ${spec.route}: ${error.type}${error.message ? ` (${error.message})` : ''}`,
    );
    if (status === 404 && error.type.endsWith('_NOT_FOUND'))
      return fail(new NotFoundError(message));
    return fail(new UpstreamRejectedError(message, error.type));
  }
  if (status < 200 || status >= 300) {
    return fail(new UpstreamUnavailableError(`PortOne ${spec.route}: HTTP ${status}`));
  }
  if (json === NOT_JSON) return fail(malformed(spec.route, 'body is not JSON'));
  // Not retried: a schema mismatch repeats deterministically.
  const parsed = spec.schema.safeParse(json);
  if (!parsed.success) return fail(malformed(spec.route, summarize(parsed.error)));
  return { ok: true, value: parsed.data };
};

const NOT_JSON = Symbol('not JSON');

const parseJson = (text: string): unknown => {
  // A body-less success (pre-register answers `{}`, but be lenient with empty).
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
};

const errorOf = (json: unknown): V2Error | undefined => {
  const parsed = v2ErrorSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
};
