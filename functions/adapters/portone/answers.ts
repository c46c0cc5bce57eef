import {
  type DomainError,
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../domain/model/errors';
import { type Envelope, envelopeSchema } from './schemas';
import { type AnswerReader, type Attempt, type CallSpec, malformed, summarize } from './transport';

/**
 * How PortOne V1 answers read: every body is the envelope
 * `{code, message, response}`, and a refusal may come as HTTP 200 with
 * `code != 0` (docs/design.md §2.1).
 */
export const readV1Answer: AnswerReader = <T>(
  spec: CallSpec<T>,
  status: number,
  text: string,
  clean: (message: string) => string,
): Attempt<T> => {
  const envelope = parseEnvelope(text);
  const portoneMessage = envelope.ok ? envelope.value.message : null;
  const describe = (fallback: string) => clean(portoneMessage ?? fallback);
  const fail = (error: DomainError, retryable = false): Attempt<T> => ({
    ok: false,
    error,
    retryable,
  });

  if (status === 429 || status >= 500) {
    return fail(new UpstreamUnavailableError(`PortOne ${spec.route}: HTTP ${status}`), true);
  }
  if (status === 401) {
    // The caller decides whether a fresh token is worth one more try.
    return fail(new UpstreamUnauthorizedError(`PortOne ${spec.route}: HTTP 401`));
  }
  if (status === 404) {
    // Only PortOne's own envelope proves that PortOne looked and found
    // nothing; a bare 404 means we reached something else (wrong baseUrl).
    if (!envelope.ok) return fail(malformed(spec.route, envelope.reason));
    return fail(new NotFoundError(describe(`PortOne ${spec.route}: not found`)));
  }
  if (status >= 400 && status < 500) {
    return fail(
      new UpstreamRejectedError(
        describe(`PortOne ${spec.route}: HTTP ${status}`),
        envelope.ok ? envelope.value.code : -1,
      ),
    );
  }
  if (status < 200 || status >= 300) {
    return fail(new UpstreamUnavailableError(`PortOne ${spec.route}: HTTP ${status}`));
  }

  // A malformed success body is not retried: a schema mismatch repeats
  // deterministically, and gateway error pages arrive with a 5xx (retried).
  if (!envelope.ok) return fail(malformed(spec.route, envelope.reason));
  if (envelope.value.code !== 0) {
    // How PortOne reports refused cancels and prepares: HTTP 200, code != 0.
    return fail(
      new UpstreamRejectedError(
        describe(`PortOne ${spec.route}: refused with code ${envelope.value.code}`),
        envelope.value.code,
      ),
    );
  }
  const parsed = spec.schema.safeParse(envelope.value.response);
  if (!parsed.success) return fail(malformed(spec.route, summarize(parsed.error, 'response')));
  return { ok: true, value: parsed.data };
};

function parseEnvelope(
  text: string,
): { ok: true; value: Envelope } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: summarize(parsed.error) };
  return { ok: true, value: parsed.data };
}
