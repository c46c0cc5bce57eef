import { InvalidRequestError } from '../domain/model/errors';
import { orderOfPaymentId } from '../domain/model/ids';
import type { SignedWebhooks } from '../domain/ports/signed-webhooks';
import type { PaymentClaim } from '../domain/use-cases/verify-payment';
import { MAX_BODY_BYTES } from '../http/request';
import type { HttpEvent } from '../http/types';

/**
 * What a V2 webhook delivery asks of us, read in the order Standard Webhooks
 * requires: the signature over the raw body first (nothing else is looked
 * at before it checks out), then the body.
 */
export type V2Delivery =
  /** Not signed by PortOne with one of our secrets, or outside the 5-minute window: no other effect. */
  | { kind: 'refused'; reason: string }
  /** A `Transaction.*` event for a payment id we issued: verified like V1's webhook. */
  | { kind: 'payment'; type: string; claim: PaymentClaim }
  /**
   * Signed, but nothing for us to verify: another type (billing keys, disputes,
   * types PortOne adds later) or a payment id that another system of the
   * merchant's issued in the same store.
   */
  | { kind: 'ignored'; type: string; reason: 'type' | 'foreign_payment_id' };

export const readV2Delivery = async (
  event: HttpEvent,
  webhooks: SignedWebhooks,
): Promise<V2Delivery> => {
  const opened = await webhooks.open(rawBody(event), event.headers ?? {});
  switch (opened.kind) {
    case 'refused':
      return opened;
    case 'not_json':
      throw new InvalidRequestError('V2 webhook body must be JSON (webhook version 2024-04-25)');
    case 'malformed':
      throw new InvalidRequestError(
        'V2 webhook body must be {type, timestamp, data}; a Transaction.* event needs data.paymentId',
      );
    case 'other':
      return { kind: 'ignored', type: opened.type, reason: 'type' };
    case 'transaction': {
      const merchantUid = orderOfPaymentId(opened.paymentId);
      if (merchantUid === null) {
        return { kind: 'ignored', type: opened.type, reason: 'foreign_payment_id' };
      }
      return {
        kind: 'payment',
        type: opened.type,
        claim: { impUid: opened.paymentId, merchantUid },
      };
    }
  }
};

/** The bytes PortOne signed, as text; API Gateway base64-encodes some bodies. */
const rawBody = (event: HttpEvent): string => {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new InvalidRequestError('request body is larger than 64 KiB', [], 413);
  }
  return text;
};
