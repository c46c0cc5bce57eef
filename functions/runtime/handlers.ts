import { randomBytes } from 'node:crypto';
import { signedWebhooks } from '../adapters/portone-v2/signed-webhooks';
import { createCompleteHandler } from '../complete/complete';
import { createOrdersHandler } from '../orders/orders';
import { createRedirectHandler } from '../redirect/redirect';
import { createWebhookHandler } from '../webhook/webhook';
import { requireSetting } from './config';
import { type Runtime, verificationDeps } from './deps';

/**
 * Each function's handler built from the runtime. The Lambda entry points
 * (functions/<name>/handler.ts) and the local stack use these same builders,
 * so what runs locally is what is deployed.
 */
export const completeHandler = (runtime: Runtime) =>
  createCompleteHandler({
    verification: verificationDeps(runtime),
    log: runtime.log,
    v2: runtime.config.portoneV2 !== null,
  });

export const redirectHandler = (runtime: Runtime) =>
  createRedirectHandler({
    verification: verificationDeps(runtime),
    resultPageUrl: requireSetting(runtime.config.resultPageUrl, 'RESULT_PAGE_URL'),
    log: runtime.log,
    v2: runtime.config.portoneV2 !== null,
  });

export const webhookHandler = (runtime: Runtime) =>
  createWebhookHandler({
    verification: verificationDeps(runtime),
    log: runtime.log,
    allowedIps: runtime.config.webhookAllowedIps,
    v2: runtime.v2WebhookSecrets ? signedWebhooks(runtime.v2WebhookSecrets) : null,
  });

export const ordersHandler = (runtime: Runtime) =>
  createOrdersHandler({
    store: runtime.store,
    gateway: runtime.gateway,
    clock: runtime.clock,
    log: runtime.log,
    settings: { prepare: runtime.config.prepare },
    cancellation: verificationDeps(runtime),
    paymentIds: {
      // The V2 client is the pre-registration port's adapter; null without V2 (503 not_configured).
      registry: runtime.portoneV2,
      random: (size) => new Uint8Array(randomBytes(size)),
    },
  });
