import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signature, written here with node:crypto (not the SDK)
 * so that the simulator is an independent check of whoever verifies:
 * `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), the key
 * being the secret after `whsec_`, base64-decoded.
 */
export function signV2Webhook(
  secret: string,
  webhookId: string,
  timestamp: string,
  body: string,
): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const mac = createHmac('sha256', key)
    .update(`${webhookId}.${timestamp}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}
