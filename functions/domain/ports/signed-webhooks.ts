/**
 * PortOne V2's signed webhooks (Standard Webhooks), opened: the adapter
 * (functions/adapters/portone-v2/signed-webhooks.ts) checks the signature
 * over the raw body against our secrets and the 5-minute window, and only
 * then reads the body.
 */
export interface SignedWebhooks {
  open(rawBody: string, headers: Record<string, string | undefined>): Promise<OpenedWebhook>;
}

export type OpenedWebhook =
  /** Not signed with one of our secrets, or outside the time window. */
  | { kind: 'refused'; reason: string }
  /** Signed, but not JSON: V2's webhook version 2024-04-25 is JSON only. */
  | { kind: 'not_json' }
  /** Signed JSON that is not a V2 webhook (no type, or a Transaction.* event without paymentId). */
  | { kind: 'malformed' }
  /** A `Transaction.*` event: a payment to verify. */
  | { kind: 'transaction'; type: string; paymentId: string }
  /** Any other type (billing keys, disputes, types PortOne adds later). */
  | { kind: 'other'; type: string };
