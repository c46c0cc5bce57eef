import { verify, WebhookVerificationError } from '@portone/server-sdk/webhook';

/**
 * PortOne V2 signs each webhook per Standard Webhooks: an HMAC-SHA256 of
 * `${webhook-id}.${webhook-timestamp}.${raw body}` with the console's secret,
 * sent in `webhook-signature`, and a timestamp that must be within 5 minutes
 * of now. The official SDK's `verify` does the cryptography, the
 * constant-time comparison and the window (docs/design.md §4, V2 webhook);
 * this module adds what the SDK leaves to the caller: up to two secrets at
 * once, so that the console's secret can be rotated without refusing a
 * delivery, and an answer instead of an exception.
 */
export type SignatureCheck = { ok: true; body: unknown } | { ok: false; reason: SignatureProblem };

/** Why a delivery is refused: the SDK's reasons, plus a signed body that is not JSON. */
export type SignatureProblem =
  | 'MISSING_REQUIRED_HEADERS'
  | 'NO_MATCHING_SIGNATURE'
  | 'INVALID_SIGNATURE'
  | 'TIMESTAMP_TOO_OLD'
  | 'TIMESTAMP_TOO_NEW'
  | 'BODY_NOT_JSON';

/**
 * Checks `rawBody` (exactly the bytes PortOne sent, before any parsing)
 * against each secret in turn; answers the parsed body for the first that
 * signed it. `headers` are matched case-insensitively.
 */
export const checkWebhookSignature = async (
  secrets: readonly string[],
  rawBody: string,
  headers: Record<string, string | undefined>,
): Promise<SignatureCheck> => {
  let reason: SignatureProblem = 'NO_MATCHING_SIGNATURE';
  for (const secret of secrets) {
    try {
      return { ok: true, body: await verify(secret, rawBody, headers) };
    } catch (error) {
      if (error instanceof SyntaxError) return { ok: false, reason: 'BODY_NOT_JSON' };
      if (!(error instanceof WebhookVerificationError)) throw error;
      // Missing headers or a stale timestamp are the same for every secret;
      // only "no matching signature" is worth trying the next secret for.
      if (error.reason !== 'NO_MATCHING_SIGNATURE') return { ok: false, reason: error.reason };
      reason = error.reason;
    }
  }
  return { ok: false, reason };
};
