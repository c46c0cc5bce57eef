import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { esbuildOptions } from '../../lib/bundling';
import { type Harness, startHarness, uid } from './support/harness';

// Inside the repo, as cdk.out is, and removed afterwards.
const outdir = mkdtempSync(join(__dirname, '../../node_modules/.cache-deployed-bundle-'));
let h: Harness;
let webhook: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;

beforeAll(async () => {
  h = await startHarness();
  const outfile = join(outdir, 'webhook.js');
  await build(esbuildOptions(join(__dirname, '../../functions/webhook/handler.ts'), outfile));
  // What Lambda sets, plus the stack's configuration pointed at this machine.
  Object.assign(process.env, {
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    TABLE_NAME: h.tableName,
    DYNAMODB_ENDPOINT: inject('ddbEndpoint'),
    PORTONE_API_URL: h.sim.url,
    PORTONE_API_KEY: 'imp_apikey',
    PORTONE_API_SECRET:
      'ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f',
    RESULT_PAGE_URL: 'https://shop.example/payments/result',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  ({ handler: webhook } = require(outfile));
}, 60_000);
afterAll(async () => {
  await h.close();
  rmSync(outdir, { recursive: true, force: true });
});

describe('the deployed webhook bundle (SDK bundled, minified, as cdk deploy builds it)', () => {
  it('verifies a payment and records it, with the SDK inside the bundle', async () => {
    const order = uid();
    await h.registerOrder(order, 15000);
    const payment = await h.control.createPayment({
      merchant_uid: order,
      amount: 15000,
      state: 'paid',
    });

    const answer = await webhook(
      {
        version: '2.0',
        routeKey: 'POST /payments/webhook',
        rawPath: '/payments/webhook',
        rawQueryString: '',
        headers: { 'content-type': 'application/json' },
        requestContext: {
          http: { method: 'POST', path: '/payments/webhook', sourceIp: '127.0.0.1' },
        },
        body: JSON.stringify({ imp_uid: payment.imp_uid, merchant_uid: order, status: 'paid' }),
        isBase64Encoded: false,
      },
      {},
    );

    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'applied' });
    expect(await h.order(order)).toMatchObject({ status: 'paid', final: true });
  });
});
