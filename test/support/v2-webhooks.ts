import { createHmac } from 'node:crypto';

/** PortOne's SDK test secret (the reference's test vector is signed with it). */
export const V2_TEST_SECRET = 'whsec_pzQGE83cSIRKM4/WH5QY+g==';

/** Signs as PortOne does, independently of the SDK: base64(HMAC-SHA256(key, id.timestamp.body)). */
export const signV2 = (secret: string, id: string, timestamp: number, body: string) =>
  `v1,${createHmac('sha256', Buffer.from(secret.replace(/^whsec_/, ''), 'base64'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64')}`;

/** The three Standard Webhooks headers of a delivery signed now (or at `timestamp`). */
export const signedHeaders = (
  body: string,
  options: { secret?: string; id?: string; timestamp?: number } = {},
): Record<string, string> => {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const id = options.id ?? 'msg-1';
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signV2(options.secret ?? V2_TEST_SECRET, id, timestamp, body),
  };
};
