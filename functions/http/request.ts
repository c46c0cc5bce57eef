import { InvalidRequestError } from '../domain/model/errors';
import type { HttpEvent } from './types';

/** docs/design.md §4: larger bodies get 413. PortOne's and the checkout's bodies are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The request body as key/value pairs, JSON or form-urlencoded, whatever the
 * Content-Type claims: iamport's published jQuery example posts a form body labelled
 * `application/json`, and PortOne's webhook format is chosen in its console.
 * So the body itself decides: an object literal is JSON, anything else is a
 * form.
 */
export const readBody = (event: HttpEvent): Record<string, unknown> => {
  const raw = event.body ?? '';
  const decoded = event.isBase64Encoded ? Buffer.from(raw, 'base64') : undefined;
  const size = decoded ? decoded.length : Buffer.byteLength(raw);
  if (size > MAX_BODY_BYTES) {
    throw new InvalidRequestError('request body is larger than 64 KiB', [], 413);
  }
  const text = decoded ? decoded.toString('utf8') : raw;
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJsonObject(trimmed);
  return parseForm(trimmed);
};

const parseJsonObject = (text: string): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's own message quotes the body back; say what is expected instead.
    throw new InvalidRequestError(
      'request body is not valid JSON: it starts like JSON but does not parse as a JSON object',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequestError('request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
};

/** First value wins for a repeated key; `URLSearchParams` never throws on odd input. */
export const parseForm = (text: string): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!Object.hasOwn(fields, key)) fields[key] = value;
  }
  return fields;
};

/** Query parameters from the raw query string (API Gateway joins repeated keys with commas otherwise). */
export const readQuery = (event: HttpEvent): Record<string, string> =>
  parseForm(event.rawQueryString ?? '');

export const headerOf = (event: HttpEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

/**
 * Which PortOne API a payment route serves: the V2 routes are the V1 routes
 * under `/v2/` (docs/design.md §1), handled by the same functions.
 */
export const apiOfRoute = (event: HttpEvent): 'v1' | 'v2' =>
  (event.routeKey ?? '').includes(' /v2/') || (event.rawPath ?? '').startsWith('/v2/')
    ? 'v2'
    : 'v1';
