import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  readV2Webhook,
  v2CancelAnswerSchema,
  v2ErrorSchema,
  v2PaymentSchema,
} from '../../../../../functions/adapters/portone-v2/schemas';

// The reference's example PAID payment (portone-v1.md §3.2), with the keys we drop.
const PAID = {
  status: 'PAID',
  id: 'order-2024-0001',
  transactionId: '0190f1a2-0000-7000-8000-000000000001',
  merchantId: 'merchant-1',
  storeId: 'store-ae356798-3d20-4969-b739-14c6b0e1a667',
  channel: {
    type: 'LIVE',
    id: 'c',
    key: 'channel-key-1',
    name: 'n',
    pgProvider: 'INICIS_V2',
    pgMerchantId: 'm',
  },
  version: 'V2',
  requestedAt: '2024-04-25T09:59:00Z',
  updatedAt: '2024-04-25T10:00:00Z',
  statusChangedAt: '2024-04-25T10:00:00Z',
  orderName: '신발',
  amount: {
    total: 1000,
    taxFree: 0,
    vat: 91,
    supply: 909,
    discount: 0,
    paid: 1000,
    cancelled: 0,
    cancelledTaxFree: 0,
  },
  currency: 'KRW',
  customer: { id: 'user-1' },
  origin: { platformType: 'PC', ipAddress: '203.0.113.7' },
  customData: '{"item":"shoes"}',
  paidAt: '2024-04-25T10:00:00Z',
  pgTxId: 'pg-1',
  receiptUrl: 'https://receipt.example/1',
  disputes: [],
  aFieldPortOneAddsLater: { nested: true },
};

const issuesOf = (value: unknown) =>
  (v2PaymentSchema.safeParse(value).error?.issues ?? []).map((issue) => issue.path.join('.'));

describe('v2PaymentSchema', () => {
  it('reads a paid payment and drops the keys nothing decides on', () => {
    expect(v2PaymentSchema.parse(PAID)).toEqual({
      status: 'PAID',
      id: 'order-2024-0001',
      transactionId: '0190f1a2-0000-7000-8000-000000000001',
      storeId: 'store-ae356798-3d20-4969-b739-14c6b0e1a667',
      channel: { type: 'LIVE' },
      requestedAt: '2024-04-25T09:59:00Z',
      updatedAt: '2024-04-25T10:00:00Z',
      statusChangedAt: '2024-04-25T10:00:00Z',
      orderName: '신발',
      amount: { total: 1000, cancelled: 0 },
      currency: 'KRW',
      paidAt: '2024-04-25T10:00:00Z',
    });
  });

  it('reads an issued virtual account with its details', () => {
    const issued = {
      ...PAID,
      status: 'VIRTUAL_ACCOUNT_ISSUED',
      paidAt: undefined,
      method: {
        type: 'PaymentMethodVirtualAccount',
        bank: 'SHINHAN',
        accountNumber: '56211105948400',
        remitteeName: '포트원',
        expiredAt: '2024-04-28T14:59:59Z',
        issuedAt: '2024-04-25T10:00:00Z',
        refundStatus: 'PENDING',
      },
    };
    expect(v2PaymentSchema.parse(issued).method).toEqual({
      type: 'PaymentMethodVirtualAccount',
      bank: 'SHINHAN',
      accountNumber: '56211105948400',
      remitteeName: '포트원',
      expiredAt: '2024-04-28T14:59:59Z',
      issuedAt: '2024-04-25T10:00:00Z',
    });
  });

  it('reads a failed payment that names no channel', () => {
    const failed = {
      ...PAID,
      status: 'FAILED',
      channel: undefined,
      paidAt: undefined,
      failedAt: '2024-04-25T10:00:00Z',
      failure: { reason: '한도 초과', pgCode: 'X' },
    };
    expect(v2PaymentSchema.parse(failed)).toMatchObject({
      status: 'FAILED',
      failedAt: '2024-04-25T10:00:00Z',
      failure: { reason: '한도 초과' },
    });
    expect(v2PaymentSchema.parse(failed).channel).toBeUndefined();
  });

  it('reads a partly cancelled payment with the amount cancelled so far', () => {
    const partly = {
      ...PAID,
      status: 'PARTIAL_CANCELLED',
      amount: { ...PAID.amount, cancelled: 400 },
      cancelledAt: '2024-04-26T00:00:00Z',
    };
    expect(v2PaymentSchema.parse(partly)).toMatchObject({
      status: 'PARTIAL_CANCELLED',
      amount: { total: 1000, cancelled: 400 },
      cancelledAt: '2024-04-26T00:00:00Z',
    });
  });

  it('refuses a status it does not know instead of guessing', () => {
    expect(issuesOf({ ...PAID, status: 'REFUNDED' })).toEqual(['status']);
  });

  it.each([
    [
      'an amount that is not a whole number',
      { amount: { total: 1000.5, cancelled: 0 } },
      'amount.total',
    ],
    ['a negative cancelled amount', { amount: { total: 1000, cancelled: -1 } }, 'amount.cancelled'],
    ['an amount given as a string', { amount: { total: '1000', cancelled: 0 } }, 'amount.total'],
    ['no payment id', { id: '' }, 'id'],
    ['a channel type it does not know', { channel: { type: 'SANDBOX' } }, 'channel.type'],
    ['a time that is not a time', { statusChangedAt: 'yesterday' }, 'statusChangedAt'],
    [
      'a virtual account without its number',
      { method: { type: 'PaymentMethodVirtualAccount', bank: 'SHINHAN' } },
      'method',
    ],
  ])('refuses %s', (_, change, path) => {
    expect(issuesOf({ ...PAID, ...change })).toEqual([path]);
  });

  it('accepts a payment method it does not read', () => {
    expect(
      v2PaymentSchema.parse({ ...PAID, method: { type: 'PaymentMethodCard', card: {} } }).method,
    ).toEqual({
      type: 'PaymentMethodCard',
    });
  });
});

describe('the V2 error and cancel answers', () => {
  it('reads an error body', () => {
    expect(
      v2ErrorSchema.parse({ type: 'PAYMENT_NOT_FOUND', message: '결제 건이 존재하지 않습니다.' }),
    ).toEqual({
      type: 'PAYMENT_NOT_FOUND',
      message: '결제 건이 존재하지 않습니다.',
    });
    expect(z.safeParse(v2ErrorSchema, { message: 'no type' }).success).toBe(false);
  });

  it('reads the cancellation a cancel made', () => {
    const answer = {
      cancellation: {
        status: 'SUCCEEDED',
        id: 'cancel-1',
        pgCancellationId: 'pg',
        totalAmount: 1000,
        taxFreeAmount: 0,
        vatAmount: 91,
        reason: 'forgery',
        cancelledAt: '2024-04-25T10:01:00Z',
        requestedAt: '2024-04-25T10:01:00Z',
      },
    };
    expect(v2CancelAnswerSchema.parse(answer)).toEqual({
      cancellation: { status: 'SUCCEEDED', id: 'cancel-1', totalAmount: 1000 },
    });
  });
});

describe('readV2Webhook', () => {
  const data = {
    paymentId: 'example-payment-id',
    storeId: 'store-ae356798-3d20-4969-b739-14c6b0e1a667',
    transactionId: '55451513-9763-4a7a-bb43-78a4c65be843',
  };

  it.each([
    'Transaction.Paid',
    'Transaction.VirtualAccountIssued',
    'Transaction.Cancelled',
    'Transaction.PartialCancelled',
    'Transaction.Failed',
    'Transaction.SomethingNew',
  ])('reads %s as a payment to verify', (type) => {
    expect(readV2Webhook({ type, timestamp: '2024-04-25T10:00:00.000Z', data })).toEqual({
      kind: 'transaction',
      type,
      paymentId: 'example-payment-id',
      transactionId: '55451513-9763-4a7a-bb43-78a4c65be843',
    });
  });

  it.each(['BillingKey.Issued', 'Dispute.Created', 'SomethingPortOneAddsLater'])(
    'reads %s as nothing to do',
    (type) => {
      expect(readV2Webhook({ type, data: { billingKey: 'bk' } })).toEqual({ kind: 'other', type });
    },
  );

  it.each([
    ['a body without a type', { data }],
    ['a transaction without a payment id', { type: 'Transaction.Paid', data: { storeId: 's' } }],
    ['the legacy 2024-01-01 body', { payment_id: 'p', tx_id: 't', status: 'Paid' }],
    ['a list', [data]],
  ])('refuses %s', (_, body) => {
    expect(readV2Webhook(body)).toBeNull();
  });
});
