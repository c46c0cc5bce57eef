import type { IncomingMessage, ServerResponse } from 'node:http';

/** PortOne's observed response content type (reference §1.1). */
export const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';
const MAX_BODY_BYTES = 1024 * 1024;

export type Fields = Record<string, unknown>;
export type ParsedBody = { ok: true; fields: Fields } | { ok: false; error: string };

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * PortOne accepts JSON and form-urlencoded bodies on every endpoint. Without a
 * recognisable content type, JSON is tried first, then form.
 */
export function parseBody(raw: string, contentType: string | undefined): ParsedBody {
  if (raw.trim() === '') return { ok: true, fields: {} };
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') return { ok: true, fields: parseForm(raw) };
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, error: 'request body must be a JSON object' };
    }
    return { ok: true, fields: value as Fields };
  } catch {
    if (type === 'application/json') return { ok: false, error: 'malformed JSON body' };
    return { ok: true, fields: parseForm(raw) };
  }
}

function parseForm(raw: string): Fields {
  const fields: Fields = {};
  for (const [key, value] of new URLSearchParams(raw)) fields[key] = value;
  return fields;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendRaw(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The `{code, message, response}` envelope every PortOne answer carries. */
export function sendEnvelope(
  res: ServerResponse,
  httpStatus: number,
  code: number,
  message: string | null,
  response: unknown,
): void {
  sendJson(res, httpStatus, { code, message, response });
}

// Form bodies carry every value as a string, so the API reads fields leniently.

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** undefined when absent or empty; NaN when present but not a number. */
export function num(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

export function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
