import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../functions/http/messages';
import { type Harness, startHarness, uid } from './support/harness';

/**
 * The public routes answer anyone (docs/design.md §4, §4.2): an order never
 * registered costs no PortOne call, a payment the webhook already confirmed
 * costs no call and no write, complete shows the public view only, and our
 * own failures are told in generic words.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.resetCounts());

const PUBLIC_KEYS = [
  'amount',
  'cancel_amount',
  'currency',
  'fail_reason',
  'final',
  'merchant_uid',
  'paid_amount',
  'pay_method',
  'status',
  'vbank',
];

const paidOrder = async (amount = 4000) => {
  const merchantUid = uid();
  await h.registerOrder(merchantUid, amount);
  const payment = await h.control.createPayment({
    merchant_uid: merchantUid,
    amount,
    state: 'paid',
  });
  return { merchantUid, impUid: payment.imp_uid };
};

/** A registered order with one payment at PortOne in the given state, reported by complete. */
const completeOne = async (
  amount: number,
  fields: Omit<Parameters<Harness['control']['createPayment']>[0], 'merchant_uid' | 'amount'>,
) => {
  const merchantUid = uid();
  await h.registerOrder(merchantUid, amount);
  const payment = await h.control.createPayment({ merchant_uid: merchantUid, amount, ...fields });
  const answer = await h.complete({ imp_uid: payment.imp_uid, merchant_uid: merchantUid });
  return { payment, body: await answer.json() };
};

const writes = () =>
  Object.entries(h.dynamodbCalls)
    .filter(([name]) => !/^(Get|Query|Scan)/.test(name))
    .reduce((sum, [, count]) => sum + count, 0);

describe('an order never registered', () => {
  it('answers complete not_found after one read and no PortOne call', async () => {
    const payment = await h.control.createPayment({
      merchant_uid: uid('unregistered'),
      amount: 1000,
      state: 'paid',
    });
    h.resetCounts();

    const answer = await h.complete({
      imp_uid: payment.imp_uid,
      merchant_uid: payment.merchant_uid,
    });

    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({
      status: 'not_found',
      message: 'no such order is registered',
    });
    expect(h.portoneCalls).toEqual({});
    expect(h.dynamodbCalls).toEqual({ GetItemCommand: 1 });
  });

  it('answers redirect not_found with no PortOne call', async () => {
    const answer = await h.redirect(`imp_uid=imp_${'1'.repeat(12)}&merchant_uid=${uid('nobody')}`);

    expect(answer.status).toBe(302);
    expect(new URL(answer.headers.get('location') ?? '').searchParams.get('status')).toBe(
      'not_found',
    );
    expect(h.portoneCalls).toEqual({});
    expect(writes()).toBe(0);
  });

  it('is still looked up by the webhook, which keeps the real payment as an orphan', async () => {
    const merchantUid = uid('orphan');
    const payment = await h.control.createPayment({
      merchant_uid: merchantUid,
      amount: 1000,
      state: 'paid',
    });
    h.resetCounts();

    const answer = await h.webhook({ imp_uid: payment.imp_uid, merchant_uid: merchantUid });

    expect(await answer.json()).toMatchObject({ status: 'not_found' });
    expect(h.portoneCalls['GET /payments/{imp_uid}']).toBe(1);
    expect(await h.rawItem(`ORPHAN#${payment.imp_uid}`)).toMatchObject({
      merchant_uid: merchantUid,
    });
  });
});

describe('an imp_uid PortOne does not know', () => {
  it('is looked up once by the browser routes, then remembered', async () => {
    const merchantUid = uid();
    await h.registerOrder(merchantUid, 1000);
    const made = `imp_${Date.now().toString().slice(-12)}`;
    h.resetCounts();

    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push((await h.complete({ imp_uid: made, merchant_uid: merchantUid })).status);
      answers.push((await h.redirect(`imp_uid=${made}&merchant_uid=${merchantUid}`)).status);
    }

    expect(answers).toEqual([404, 302, 404, 302, 404, 302, 404, 302, 404, 302]);
    expect(h.portoneCalls).toEqual({ 'GET /payments/{imp_uid}': 1 });
    expect(writes()).toBe(0);
  });

  it('is looked up by every webhook delivery: PortOne is the authority there', async () => {
    const made = `imp_${(Date.now() + 1).toString().slice(-12)}`;
    for (let i = 0; i < 3; i++) {
      const answer = await h.webhook({ imp_uid: made, merchant_uid: uid() });
      expect(await answer.json()).toMatchObject({ status: 'ignored' });
    }
    expect(h.portoneCalls).toEqual({ 'GET /payments/{imp_uid}': 3 });
  });
});

describe('a payment the webhook confirmed first', () => {
  it('answers complete and redirect from the order: one read, no PortOne call, no write', async () => {
    const { merchantUid, impUid } = await paidOrder();
    await h.control.sendWebhook({ imp_uid: impUid });
    h.resetCounts();

    const complete = await h.complete({ imp_uid: impUid, merchant_uid: merchantUid });
    const redirect = await h.redirect(`imp_uid=${impUid}&merchant_uid=${merchantUid}`);

    expect(await complete.json()).toMatchObject({
      status: 'success',
      order: { status: 'paid', final: true, paid_amount: 4000 },
    });
    expect(redirect.headers.get('location')).toContain('status=success');
    expect(h.portoneCalls).toEqual({});
    expect(h.dynamodbCalls).toEqual({ GetItemCommand: 2 });
  });

  it('still looks up a payment complete stored only provisionally', async () => {
    const { merchantUid, impUid } = await paidOrder();
    await h.complete({ imp_uid: impUid, merchant_uid: merchantUid });
    h.resetCounts();

    await h.complete({ imp_uid: impUid, merchant_uid: merchantUid });

    expect(h.portoneCalls).toEqual({ 'GET /payments/{imp_uid}': 1 });
  });
});

describe('the public view', () => {
  it('shows a paid order and nothing of its other payments, name or history', async () => {
    const merchantUid = uid();
    await h.registerOrder(merchantUid, 6000);
    const declined = await h.control.createPayment({
      merchant_uid: merchantUid,
      amount: 6000,
      state: 'failed',
      fail_reason: '한도초과',
    });
    await h.complete({ imp_uid: declined.imp_uid, merchant_uid: merchantUid });
    const paid = await h.control.createPayment({
      merchant_uid: merchantUid,
      amount: 6000,
      state: 'paid',
    });

    const body = await (
      await h.complete({ imp_uid: paid.imp_uid, merchant_uid: merchantUid })
    ).json();

    expect(Object.keys(body.order).sort()).toEqual(PUBLIC_KEYS);
    expect(body.order).toEqual({
      merchant_uid: merchantUid,
      status: 'paid',
      final: false,
      amount: 6000,
      currency: 'KRW',
      paid_amount: 6000,
      cancel_amount: 0,
      pay_method: 'card',
      vbank: null,
      fail_reason: null,
    });
    expect(JSON.stringify(body)).not.toContain(declined.imp_uid);
    expect(JSON.stringify(body)).not.toContain('한도초과');
    expect(JSON.stringify(body)).not.toContain(`Order ${merchantUid}`);
  });

  it('tells the buyer why their own payment failed', async () => {
    const { body } = await completeOne(3000, { state: 'failed', fail_reason: '잔액부족' });

    expect(body).toMatchObject({ status: 'failed', message: '잔액부족' });
    expect(Object.keys(body.order).sort()).toEqual(PUBLIC_KEYS);
    expect(body.order).toMatchObject({ status: 'failed', fail_reason: '잔액부족', paid_amount: 0 });
  });

  it('shows an issued virtual account', async () => {
    const { body, payment: issued } = await completeOne(9000, {
      state: 'vbank_issued',
      pay_method: 'vbank',
    });

    expect(body.status).toBe('vbankIssued');
    expect(Object.keys(body.order).sort()).toEqual(PUBLIC_KEYS);
    expect(body.order.vbank).toMatchObject({ number: issued.vbank_num });
  });
});

describe('a real imp_uid presented with another order', () => {
  it('logs a merchant mismatch, not a forgery, and writes nothing', async () => {
    const { impUid } = await paidOrder();
    const other = uid('other');
    await h.registerOrder(other, 4000);
    h.resetCounts();
    const before = h.logs.length;

    const answer = await h.complete({ imp_uid: impUid, merchant_uid: other });

    expect(answer.status).toBe(400);
    const lines = h.logs.slice(before).map((line) => line.message);
    expect(lines).toContain('merchant mismatch detected');
    expect(lines).not.toContain('forgery detected');
    expect(writes()).toBe(0);
  });
});

describe('our own failures on the public routes', () => {
  const INTERNALS =
    /DynamoDB|GetItem|UpdateItem|PutItem|Exception|credential|secret|placeholder|token|HTTP 5\d\d|answered \d/i;

  /** The fixed public message of each word for our own failures (functions/http/responses.ts). */
  const GENERIC: Record<string, string> = {
    upstream_error: MESSAGES.upstream,
    unavailable: MESSAGES.storage,
  };

  const expectGeneric = async (answer: Response, status: number, word: string) => {
    expect(answer.status).toBe(status);
    const body = await answer.json();
    // The request id is API Gateway's (a UUID in the local adapter): quoted at the end.
    const requestId = /\(request id ([\w-]+)\)$/.exec(body.message)?.[1] ?? '';
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body).toEqual({ status: word, message: `${GENERIC[word]} (request id ${requestId})` });
    expect(body.message).not.toMatch(INTERNALS);
    // The request id in the message finds the detail in the log.
    const detail = h.logs.filter(
      (line) => line.api_request_id === requestId && line.message === 'transient failure',
    );
    expect(detail).toHaveLength(1);
    expect(detail[0]?.error).toMatch(/\S/);
    return detail[0];
  };

  it('says only that PortOne could not be reached when it fails', async () => {
    const { merchantUid, impUid } = await paidOrder();
    await h.control.injectFault({ route: 'getPayment', kind: 'status', status: 503, times: 4 });

    const complete = await h.complete({ imp_uid: impUid, merchant_uid: merchantUid });
    const webhook = await h.webhook({ imp_uid: impUid, merchant_uid: merchantUid });
    await h.control.clearFaults();

    await expectGeneric(complete, 502, 'upstream_error');
    await expectGeneric(webhook, 502, 'upstream_error');
  });

  it('keeps a JSON parser message, and the request text it quotes, to itself', async () => {
    const answer = await h.complete('{"imp_uid": SECRET-TEXT}');

    expect(answer.status).toBe(400);
    const body = await answer.json();
    expect(body.status).toBe('invalid_request');
    expect(body.message).not.toContain('SECRET');
    expect(body.message).toContain('not valid JSON');
  });
});

describe('storage and credentials failing on the public routes', () => {
  let broken: Harness;
  let failStorage = false;
  beforeAll(async () => {
    broken = await startHarness({
      env: { PORTONE_API_SECRET: 'not-the-secret' },
      dynamodbFault: (name, phase) => {
        if (!failStorage || phase !== 'before' || name !== 'GetItemCommand') return undefined;
        return Object.assign(new Error('User is not authorized to perform dynamodb:GetItem'), {
          name: 'AccessDeniedException',
        });
      },
    });
  });
  afterAll(() => broken.close());

  it('answers 502 in generic words when PortOne refuses our credentials', async () => {
    const merchantUid = uid();
    await broken.registerOrder(merchantUid, 1000);
    const payment = await broken.control.createPayment({
      merchant_uid: merchantUid,
      amount: 1000,
      state: 'paid',
    });

    const answers = [
      await broken.complete({ imp_uid: payment.imp_uid, merchant_uid: merchantUid }),
      await broken.webhook({ imp_uid: payment.imp_uid, merchant_uid: merchantUid }),
    ];

    for (const answer of answers) {
      expect(answer.status).toBe(502);
      const body = await answer.json();
      expect(body).toMatchObject({ status: 'upstream_error' });
      expect(body.message).not.toMatch(/credential|secret|key|rejected/i);
    }
    expect(broken.logs.some((line) => /credential/i.test(String(line.error ?? '')))).toBe(true);
  });

  it('answers 503 in generic words when DynamoDB refuses us', async () => {
    failStorage = true;
    const answer = await broken.complete({ imp_uid: 'imp_000000000001', merchant_uid: uid() });
    failStorage = false;

    expect(answer.status).toBe(503);
    const body = await answer.json();
    expect(body.status).toBe('unavailable');
    expect(body.message).not.toMatch(/DynamoDB|GetItem|AccessDenied|authorized/);
    expect(
      broken.logs.some((line) => String(line.error ?? '').includes('AccessDeniedException')),
    ).toBe(true);
  });
});
