import { signedWebhooks } from '../functions/adapters/portone-v2/signed-webhooks';
import { checkWebhookSignature } from '../functions/adapters/portone-v2/webhook-signature';
import { type Summary, summarize } from './stats';
import { signedV2Webhook, V2_WEBHOOK_SECRET } from './workload';

/** Microseconds per call of one way of checking a V2 webhook, one call timed at a time. */
export interface SignatureTiming {
  /** What was timed. */
  name: string;
  us: Summary;
}

export interface SignaturePhase {
  iterations: number;
  /** The deliveries cycled through: distinct Transaction.Paid bodies, each signed once. */
  deliveries: number;
  /** Bytes of one delivery's body (they differ only in ids of the same length). */
  bodyBytes: number;
  /** checkWebhookSignature with our one secret: the SDK's verify and JSON.parse, nothing else. */
  verify: SignatureTiming;
  /** The same while the console's secret is rotated: the first of two secrets does not match. */
  verifyRotating: SignatureTiming;
  /** signedWebhooks(...).open: verify, then the body read against the webhook schema (the handler's step). */
  open: SignatureTiming;
  /** Wall time of this phase, signing the deliveries included. */
  seconds: number;
}

const DELIVERIES = 64;
/** A rotated-out secret (valid base64 of 24 bytes, as the console's are). */
const OLD_SECRET = 'whsec_b2xkLXNlY3JldC1yb3RhdGVkLW91dC0wMQ==';

/**
 * The time of V2 webhook signature verification alone, in this process
 * with nothing else in flight: realistic deliveries (the body and headers
 * the bench's webhooks send), signed once beforehand and checked in turn,
 * a warm-up of a tenth of the iterations first.
 */
export const measureSignature = async (iterations: number): Promise<SignaturePhase> => {
  const startedAt = performance.now();
  const deliveries = Array.from({ length: DELIVERIES }, (_, i) =>
    signedV2Webhook({
      paymentId: `bench-v2-sig-${String(i).padStart(4, '0')}.${'k3x9q2m7w4p8z1v6'}`,
      transactionId: `0192f0a1-${String(i).padStart(4, '0')}-7c3e-9b1d-5e2f8a6c4d10`,
    }),
  );
  const opened = signedWebhooks([V2_WEBHOOK_SECRET]);
  const time = async (
    name: string,
    check: (body: string, headers: Record<string, string>) => Promise<boolean>,
  ): Promise<SignatureTiming> => {
    const warmup = Math.max(10, Math.round(iterations / 10));
    const samples: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const { body, headers } = deliveries[i % DELIVERIES] as (typeof deliveries)[number];
      const started = performance.now();
      const ok = await check(body, headers);
      const us = (performance.now() - started) * 1000;
      if (!ok) throw new Error(`${name}: a correctly signed delivery was refused`);
      if (i >= warmup) samples.push(us);
    }
    return { name, us: summarize(samples) };
  };
  const verify = await time(
    'checkWebhookSignature, 1 secret',
    async (body, headers) => (await checkWebhookSignature([V2_WEBHOOK_SECRET], body, headers)).ok,
  );
  const verifyRotating = await time(
    'checkWebhookSignature, 2 secrets, the second matches',
    async (body, headers) =>
      (await checkWebhookSignature([OLD_SECRET, V2_WEBHOOK_SECRET], body, headers)).ok,
  );
  const open = await time(
    'signedWebhooks.open, 1 secret (verify + body schema)',
    async (body, headers) => (await opened.open(body, headers)).kind === 'transaction',
  );
  return {
    iterations,
    deliveries: DELIVERIES,
    bodyBytes: Buffer.byteLength((deliveries[0] as (typeof deliveries)[number]).body),
    verify,
    verifyRotating,
    open,
    seconds: (performance.now() - startedAt) / 1000,
  };
};
