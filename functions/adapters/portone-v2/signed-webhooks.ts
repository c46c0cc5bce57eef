import type { OpenedWebhook, SignedWebhooks } from '../../domain/ports/signed-webhooks';
import { readV2Webhook } from './schemas';
import { checkWebhookSignature } from './webhook-signature';

/** The V2 webhook secrets (one, or two while the console's secret is rotated) behind the port. */
export const signedWebhooks = (secrets: readonly string[]): SignedWebhooks => ({
  async open(rawBody, headers): Promise<OpenedWebhook> {
    const check = await checkWebhookSignature(secrets, rawBody, headers);
    if (!check.ok) {
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
