import { DEFAULT_V2_API_SECRET } from '../../../../simulator/portone';

export interface V2Answer {
  status: number;
  text: string;
  /** The parsed body (undefined when it is not JSON). */
  body: Record<string, unknown> | undefined;
}

/** Minimal V2 caller: `Authorization: PortOne <secret>` and JSON bodies, over real HTTP. */
export async function callV2(
  v2Url: string,
  method: string,
  path: string,
  options: { body?: unknown; secret?: string | null; authorization?: string } = {},
): Promise<V2Answer> {
  const headers: Record<string, string> = {};
  const secret = options.secret === undefined ? DEFAULT_V2_API_SECRET : options.secret;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (secret !== null) headers.authorization = `PortOne ${secret}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${v2Url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return { status: response.status, text, body };
}
