/** A control endpoint answered with a non-2xx status; `message` is the simulator's. */
export class SimulatorControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'SimulatorControlError';
  }
}

/** One JSON call to `${baseUrl}/__sim${path}`, shared by the V1 and V2 control clients. */
export async function controlCall<T>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}/__sim${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the raw text for the error below
  }
  if (!response.ok) {
    const message =
      typeof parsed === 'object' && parsed !== null && 'message' in parsed
        ? String(parsed.message)
        : text;
    throw new SimulatorControlError(response.status, message, parsed);
  }
  return parsed as T;
}
