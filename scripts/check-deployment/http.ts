/** The checks' HTTP calls: a timeout each, redirects never followed unless asked, failures described in a few words. */

export const REQUEST_TIMEOUT_MS = 15_000;

export type Exchange =
  | { ok: true; status: number; headers: Headers; text: string; json: unknown }
  | { ok: false; reason: string };

export const send = async (
  url: string,
  init: RequestInit & { follow?: boolean } = {},
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Exchange> => {
  const { follow, ...rest } = init;
  try {
    const response = await fetch(url, {
      ...rest,
      redirect: follow ? 'follow' : 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return {
      ok: true,
      status: response.status,
      headers: response.headers,
      text,
      json: parse(text),
    };
  } catch (error) {
    return { ok: false, reason: describeFailure(error, timeoutMs) };
  }
};

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** `ECONNREFUSED`, `ENOTFOUND shop.example`, `no answer within 15 s`: the cause, never a stack trace. */
export const describeFailure = (error: unknown, timeoutMs = REQUEST_TIMEOUT_MS): string => {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = (error as { cause?: { code?: string; hostname?: string; message?: string } })
    ?.cause;
  if (cause?.code) return cause.hostname ? `${cause.code} ${cause.hostname}` : cause.code;
  return oneLine(cause?.message ?? (error instanceof Error ? error.message : String(error)));
};

export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** A JSON body's `status` and `message`, as every answer of this API carries them. */
export const statusOf = (json: unknown): { status?: string; message?: string } => {
  if (typeof json !== 'object' || json === null) return {};
  const { status, message } = json as Record<string, unknown>;
  return {
    ...(typeof status === 'string' ? { status } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
};
