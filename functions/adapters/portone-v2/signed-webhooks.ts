import type { OpenedWebhook, SignedWebhooks } from '../../domain/ports/signed-webhooks';
import { readV2Webhook } from './schemas';
import { checkWebhookSignature } from './webhook-signature';

/**
 * The V2 webhook secrets: given (local runs), or read when a delivery comes
 * (Secrets Manager in AWS; a failure to read them rejects `open`, so the
 * webhook answers 5xx and PortOne delivers again later). `refresh` (if any)
 * is called when no secret matched a delivery's signature: the console's
 * secret may have been rotated and stored since this container read it.
 */
export type WebhookSecrets =
  | readonly string[]
  | ((() => Promise<readonly string[]>) & { refresh?: () => void });

/** The V2 webhook secrets (one, or two while the console's secret is rotated) behind the port. */
export const signedWebhooks = (secrets: WebhookSecrets): SignedWebhooks => ({
  async open(rawBody, headers): Promise<OpenedWebhook> {
    const current = typeof secrets === 'function' ? await secrets() : secrets;
    const check = await checkWebhookSignature(current, rawBody, headers);
    if (!check.ok) {
      if (check.reason === 'NO_MATCHING_SIGNATURE' && typeof secrets === 'function') {
        secrets.refresh?.();
      }
      return check.reason === 'BODY_NOT_JSON'
        ? { kind: 'not_json' }
        : { kind: 'refused', reason: check.reason };
    }
    const webhook = readV2Webhook(check.body);
    if (webhook === null) return { kind: 'malformed' };
    return webhook.kind === 'other'
      ? webhook
      : { kind: 'transaction', type: webhook.type, paymentId: webhook.paymentId };
  },
});
