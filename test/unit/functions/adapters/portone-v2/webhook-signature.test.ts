import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkWebhookSignature } from '../../../../../functions/adapters/portone-v2/webhook-signature';
import { signV2 } from '../../../../support/v2-webhooks';

// The reference's test vector (PortOne's SDK test secret), docs/design.md §4.
const SECRET = 'whsec_pzQGE83cSIRKM4/WH5QY+g==';
const BODY =
  '{"type":"Transaction.Paid","timestamp":"2024-04-25T10:00:00.000Z","data":{"paymentId":"example-payment-id","storeId":"store-ae356798-3d20-4969-b739-14c6b0e1a667","transactionId":"55451513-9763-4a7a-bb43-78a4c65be843"}}';
const SENT_AT = 1_714_039_200;
const HEADERS = {
  'webhook-id': 'dummy-webhook-id',
  'webhook-timestamp': String(SENT_AT),
  'webhook-signature': 'v1,qmNcYHU8w9hP22fshTiuuIP9XZrhl6h0hjCr1zh7DRs=',
};
const OTHER_SECRET = `whsec_${Buffer.from('another secret of 24 b.').toString('base64')}`;
const sign = signV2;

describe('checkWebhookSignature', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(SENT_AT * 1000 + 30_000);
  });
  afterEach(() => vi.useRealTimers());

  it('accepts the reference test vector and answers the parsed body', async () => {
    expect(await checkWebhookSignature([SECRET], BODY, HEADERS)).toEqual({
      ok: true,
      body: JSON.parse(BODY),
    });
  });

  it('signs the way the test vector was made', () => {
    expect(sign(SECRET, HEADERS['webhook-id'], SENT_AT, BODY)).toBe(HEADERS['webhook-signature']);
  });

  it('accepts a delivery signed with either secret while the secret is rotated', async () => {
    const headers = {
      ...HEADERS,
      'webhook-signature': sign(OTHER_SECRET, 'dummy-webhook-id', SENT_AT, BODY),
    };
    expect(await checkWebhookSignature([SECRET, OTHER_SECRET], BODY, headers)).toMatchObject({
      ok: true,
    });
    expect(await checkWebhookSignature([OTHER_SECRET, SECRET], BODY, HEADERS)).toMatchObject({
      ok: true,
    });
  });

  it('refuses a delivery signed with a secret no longer configured', async () => {
    expect(await checkWebhookSignature([OTHER_SECRET], BODY, HEADERS)).toEqual({
      ok: false,
      reason: 'NO_MATCHING_SIGNATURE',
    });
  });

  it('refuses a tampered body', async () => {
    const tampered = BODY.replace('example-payment-id', 'another-payment-id');
    expect(await checkWebhookSignature([SECRET], tampered, HEADERS)).toEqual({
      ok: false,
      reason: 'NO_MATCHING_SIGNATURE',
    });
  });

  it('matches header names whatever their case', async () => {
    const upper = Object.fromEntries(Object.entries(HEADERS).map(([k, v]) => [k.toUpperCase(), v]));
    expect(await checkWebhookSignature([SECRET], BODY, upper)).toMatchObject({ ok: true });
  });

  it('accepts one valid signature among several', async () => {
    const headers = {
      ...HEADERS,
      'webhook-signature': `v1,AAAA v2,xyz ${HEADERS['webhook-signature']}`,
    };
    expect(await checkWebhookSignature([SECRET], BODY, headers)).toMatchObject({ ok: true });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses a delivery without %s',
    async (name) => {
      const headers: Record<string, string | undefined> = { ...HEADERS, [name]: undefined };
      expect(await checkWebhookSignature([SECRET], BODY, headers)).toEqual({
        ok: false,
        reason: 'MISSING_REQUIRED_HEADERS',
      });
    },
  );

  it('refuses a replay more than 5 minutes after it was signed', async () => {
    vi.setSystemTime((SENT_AT + 5 * 60 + 1) * 1000);
    expect(await checkWebhookSignature([SECRET, OTHER_SECRET], BODY, HEADERS)).toEqual({
      ok: false,
      reason: 'TIMESTAMP_TOO_OLD',
    });
  });

  it('still accepts a delivery at the edge of the 5-minute window', async () => {
    vi.setSystemTime((SENT_AT + 5 * 60) * 1000);
    expect(await checkWebhookSignature([SECRET], BODY, HEADERS)).toMatchObject({ ok: true });
  });

  it('refuses a timestamp more than 5 minutes ahead', async () => {
    vi.setSystemTime((SENT_AT - 5 * 60 - 1) * 1000);
    expect(await checkWebhookSignature([SECRET], BODY, HEADERS)).toEqual({
      ok: false,
      reason: 'TIMESTAMP_TOO_NEW',
    });
  });

  it('refuses a timestamp that is not a number', async () => {
    const headers = { ...HEADERS, 'webhook-timestamp': 'yesterday' };
    expect(await checkWebhookSignature([SECRET], BODY, headers)).toEqual({
      ok: false,
      reason: 'INVALID_SIGNATURE',
    });
  });

  it('refuses a correctly signed body that is not JSON', async () => {
    const body = 'payment_id=example-payment-id';
    const headers = {
      ...HEADERS,
      'webhook-signature': sign(SECRET, 'dummy-webhook-id', SENT_AT, body),
    };
    expect(await checkWebhookSignature([SECRET], body, headers)).toEqual({
      ok: false,
      reason: 'BODY_NOT_JSON',
    });
  });
});
