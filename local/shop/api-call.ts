/** POST /orders may pre-register the amount with PortOne (5 s timeout, retries): allow for it. */
export const API_TIMEOUT_MS = 15_000;

export type ApiAnswer = { ok: true; body: unknown } | { ok: false; why: string };

/**
 * A POST of the shop's backend to the payments API, as a merchant backend
 * makes it: JSON in, JSON out, and on failure one line saying why (for the
 * shop's 502), never an exception.
 */
export const postToApi = async (url: string, body: unknown): Promise<ApiAnswer> => {
  let answer: Response;
  try {
    answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const why =
      error instanceof Error && error.name === 'TimeoutError'
        ? 'no answer in time'
        : `unreachable (${cause ?? (error instanceof Error ? error.message : String(error))})`;
    return { ok: false, why };
  }
  const text = await answer.text().catch(() => '');
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the failure below keeps the start of the text
  }
  if (answer.ok) return { ok: true, body: parsed };
  const message =
    typeof (parsed as { message?: unknown } | null)?.message === 'string'
      ? (parsed as { message: string }).message
      : text.slice(0, 300);
  return { ok: false, why: `HTTP ${answer.status}${message ? `: ${message}` : ''}` };
};
