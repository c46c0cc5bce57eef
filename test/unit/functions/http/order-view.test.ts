import { describe, expect, it } from 'vitest';
import { decide } from '../../../../functions/domain/rules/decide';
import { newOrder } from '../../../../functions/domain/rules/new-order';
import { toOrderView } from '../../../../functions/http/order-view';
import { aPayment } from '../../../support/payments';

const context = { source: 'webhook', mode: 'live', now: '2025-11-13T02:15:00.000Z' } as const;
const PAYMENT_ID = 'order-1.abcdefghij012345';

const registered = () => ({
  ...newOrder({
    merchant_uid: 'order-1',
    amount: 1000,
    currency: 'KRW',
    name: null,
    prepared: true,
    now: context.now,
  }),
  payment_ids: { [PAYMENT_ID]: context.now },
});

describe('toOrderView', () => {
  it('names a V1 attempt by imp_uid, payment_id null, on the order and the attempt', () => {
    const { order } = decide(registered(), aPayment(), context);

    const view = toOrderView(order);

    expect(view).toMatchObject({ imp_uid: 'imp_100000000001', payment_id: null });
    expect(view.attempts).toMatchObject([
      { api: 'v1', imp_uid: 'imp_100000000001', payment_id: null, current: true },
    ]);
  });

  it('names a V2 attempt by payment_id, imp_uid null, on the order and the attempt', () => {
    const { order } = decide(registered(), aPayment({ api: 'v2', imp_uid: PAYMENT_ID }), context);

    const view = toOrderView(order);

    expect(view).toMatchObject({ status: 'paid', imp_uid: null, payment_id: PAYMENT_ID });
    expect(view.attempts).toMatchObject([
      { api: 'v2', imp_uid: null, payment_id: PAYMENT_ID, current: true },
    ]);
  });

  it('shows both ids null before any attempt', () => {
    expect(toOrderView(registered())).toMatchObject({
      imp_uid: null,
      payment_id: null,
      attempts: [],
    });
  });
});
