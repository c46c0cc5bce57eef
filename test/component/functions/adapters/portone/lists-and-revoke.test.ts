import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError, UpstreamRejectedError } from '../../../../../functions/domain/model/errors';
import { envelope, failureOf, type Harness, harness, paidPayment, replyToken } from './support';

let h: Harness;
afterEach(async () => {
  await h.agent.close();
});

const page = (n: number, next: number, ids: string[]) =>
  envelope({
    total: 3,
    previous: n - 1,
    next,
    list: ids.map((id) => paidPayment({ imp_uid: id, merchant_uid: 'order_9' })),
  });

describe('findPayments (GET /payments/findAll/{merchant_uid}/{status})', () => {
  it('follows `next` through every page of PortOne maximum size', async () => {
    h = harness();
    replyToken(h, 'tok');
    const path = (n: number) =>
      `/payments/findAll/order_9/paid?page=${n}&limit=1000&sorting=-started`;
    h.pool.intercept({ path: path(1), method: 'GET' }).reply(200, page(1, 2, ['imp_a', 'imp_b']));
    h.pool.intercept({ path: path(2), method: 'GET' }).reply(200, page(2, 0, ['imp_c']));

    const payments = await h.client.findPayments('order_9', 'paid');

    expect(payments.map((p) => p.imp_uid)).toEqual(['imp_a', 'imp_b', 'imp_c']);
  });

  it('answers an empty list when PortOne has none of that status (its 404)', async () => {
    h = harness();
    replyToken(h, 'tok');
    h.pool
      .intercept({
        path: '/payments/findAll/order_9/cancelled?page=1&limit=1000&sorting=-started',
        method: 'GET',
      })
      .reply(404, envelope(null, -1, '유효하지 않은 merchant_uid'));

    expect(await h.client.findPayments('order_9', 'cancelled')).toEqual([]);
  });
});

describe('revokeVbank (DELETE /vbanks/{imp_uid})', () => {
  it('answers the revoked payment', async () => {
    h = harness();
    replyToken(h, 'tok');
    h.pool
      .intercept({ path: '/vbanks/imp_v', method: 'DELETE' })
      .reply(
        200,
        envelope(paidPayment({ imp_uid: 'imp_v', status: 'cancelled', pay_method: 'vbank' })),
      );

    expect(await h.client.revokeVbank('imp_v')).toMatchObject({ status: 'cancelled' });
  });

  it('reads PortOne 400 as a refusal and 404 as unknown, and never repeats the call', async () => {
    h = harness();
    replyToken(h, 'tok');
    h.pool
      .intercept({ path: '/vbanks/imp_paid', method: 'DELETE' })
      .reply(400, envelope(null, -1, '가상계좌가 입금대기 상태가 아닙니다'));
    h.pool
      .intercept({ path: '/vbanks/imp_none', method: 'DELETE' })
      .reply(404, envelope(null, -1, '존재하지 않는 결제정보입니다.'));

    expect(await failureOf(h.client.revokeVbank('imp_paid'))).toBeInstanceOf(UpstreamRejectedError);
    expect(await failureOf(h.client.revokeVbank('imp_none'))).toBeInstanceOf(NotFoundError);
    expect(h.count('DELETE /vbanks/{imp_uid}')).toBe(2);
  });
});

describe('per-call time limits', () => {
  it('give up no later than the caller asks, below the client budget', async () => {
    h = harness();
    replyToken(h, 'tok');
    h.pool
      .intercept({ path: '/payments/imp_1?include_sandbox=true', method: 'GET' })
      .reply(503, envelope(null, -1, 'busy'))
      .times(5);

    // With 1 ms the retry never fits: one attempt, and the 503 is the answer.
    const error = await failureOf(h.client.getPayment('imp_1', { timeLimitMs: 1 }));

    expect(error.name).toBe('UpstreamUnavailableError');
    expect(h.count('GET /payments/{imp_uid}')).toBeLessThanOrEqual(1);
  });
});
