import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, RESULT_PAGE_URL, startHarness, uid } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const location = (response: Response) => {
  expect(response.status).toBe(302);
  const value = response.headers.get('location') ?? '';
  expect(value.startsWith(`${RESULT_PAGE_URL}?`)).toBe(true);
  return new URL(value);
};

describe('the mobile redirect', () => {
  it.each([
    ['imp_success=true', '&imp_success=true'],
    ['success=true', '&success=true'],
    ['no flag at all', ''],
    ['a flag that says false', '&imp_success=false&error_code=F400&error_msg=late'],
  ])(
    'verifies a paid payment with %s and sends the browser to the result page',
    async (_, flag) => {
      const order = uid();
      await h.registerOrder(order, 9900);
      const paid = await h.control.createPayment({
        merchant_uid: order,
        amount: 9900,
        state: 'paid',
        channel: 'mobile',
      });

      const url = location(
        await h.redirect(`imp_uid=${paid.imp_uid}&merchant_uid=${order}${flag}`),
      );

      expect(Object.fromEntries(url.searchParams)).toEqual({
        merchant_uid: order,
        status: 'success',
      });
      expect(await h.order(order)).toMatchObject({ status: 'paid', final: false });
    },
  );

  it('answers failed without an imp_uid (the window never opened) and writes nothing', async () => {
    const order = uid();
    await h.registerOrder(order, 1000);

    const url = location(
      await h.redirect(`merchant_uid=${order}&imp_success=false&error_msg=closed`),
    );

    expect(Object.fromEntries(url.searchParams)).toEqual({ merchant_uid: order, status: 'failed' });
    expect(await h.order(order)).toMatchObject({ status: 'pending', history: [] });
  });

  it('answers a declined payment as failed', async () => {
    const order = uid();
    await h.registerOrder(order, 1000);
    const failed = await h.control.createPayment({
      merchant_uid: order,
      amount: 1000,
      state: 'failed',
    });

    const url = location(
      await h.redirect(`imp_uid=${failed.imp_uid}&merchant_uid=${order}&imp_success=false`),
    );

    expect(url.searchParams.get('status')).toBe('failed');
  });

  it.each([
    [
      'a malformed merchant_uid',
      'imp_uid=imp_1&merchant_uid=%3Cscript%3E',
      { status: 'invalid_request' },
    ],
    [
      'a malformed imp_uid',
      'imp_uid=../../evil&merchant_uid=order-x',
      { merchant_uid: 'order-x', status: 'invalid_request' },
    ],
    [
      'an unknown imp_uid',
      'imp_uid=imp_000000000000&merchant_uid=order-x',
      { merchant_uid: 'order-x', status: 'not_found' },
    ],
    [
      'an open-redirect attempt',
      'imp_uid=imp_1&merchant_uid=x&redirect=https://evil.example',
      { merchant_uid: 'x', status: 'not_found' },
    ],
  ])('stays on the result page for %s', async (_, query, expected) => {
    const url = location(await h.redirect(query));
    expect(url.origin + url.pathname).toBe(RESULT_PAGE_URL);
    expect(Object.fromEntries(url.searchParams)).toEqual(expected);
  });

  it('answers pending when PortOne is unreachable, leaving the order to the webhook', async () => {
    const order = uid();
    await h.registerOrder(order, 1000);
    const paid = await h.control.createPayment({
      merchant_uid: order,
      amount: 1000,
      state: 'paid',
    });
    await h.control.injectFault({ route: 'getPayment', kind: 'status', status: 503, times: 5 });

    const url = location(await h.redirect(`imp_uid=${paid.imp_uid}&merchant_uid=${order}`));
    await h.control.clearFaults();

    expect(url.searchParams.get('status')).toBe('pending');
    expect(await h.order(order)).toMatchObject({ status: 'pending', attempts: [] });
  });
});
