import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../functions/domain/model/errors';
import {
  impUid,
  merchantUid,
  orderRegistration,
  parseWith,
  readPaymentClaim,
} from '../../../../functions/http/schemas';

/** The InvalidRequestError that `act` throws. */
const rejection = (act: () => unknown): InvalidRequestError => {
  try {
    act();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error('expected an InvalidRequestError');
};

describe('merchantUid and impUid', () => {
  it.each([
    [merchantUid, undefined, 'merchant_uid is required'],
    [merchantUid, 7, 'merchant_uid must be a string'],
    [merchantUid, 'o 1', 'merchant_uid must be 1-40 characters of A-Z a-z 0-9 _ -'],
    [merchantUid, 'm'.repeat(41), 'merchant_uid must be 1-40 characters of A-Z a-z 0-9 _ -'],
    [impUid, null, 'imp_uid must be a string'],
    [impUid, '', 'imp_uid must be 1-32 characters of A-Z a-z 0-9 _ -'],
    [impUid, 'i'.repeat(33), 'imp_uid must be 1-32 characters of A-Z a-z 0-9 _ -'],
  ])('rejects %#: %j', (schema, input, message) => {
    // Act
    const error = rejection(() => parseWith(schema, input));

    // Assess
    expect(error.message).toBe(`invalid request: ${message}`);
    expect(error.issues).toEqual([{ path: '(body)', message }]);
  });

  it('accepts the longest ids', () => {
    expect(parseWith(merchantUid, `o-_${'m'.repeat(37)}`)).toHaveLength(40);
    expect(parseWith(impUid, 'i'.repeat(32))).toHaveLength(32);
  });
});

describe('readPaymentClaim', () => {
  it('returns the two ids and drops everything else', () => {
    expect(readPaymentClaim({ imp_uid: 'imp_1', merchant_uid: 'o-1', status: 'paid' })).toEqual({
      impUid: 'imp_1',
      merchantUid: 'o-1',
    });
  });

  it('names each field in issues', () => {
    // Act
    const error = rejection(() => readPaymentClaim({ imp_uid: 1 }));

    // Assess
    expect(error.issues).toEqual([
      { path: 'imp_uid', message: 'imp_uid must be a string' },
      { path: 'merchant_uid', message: 'merchant_uid is required' },
    ]);
  });
});

describe('orderRegistration', () => {
  it('defaults the currency to KRW and the name to null', () => {
    expect(parseWith(orderRegistration, { merchant_uid: 'o-1', amount: 1000 })).toEqual({
      merchant_uid: 'o-1',
      amount: 1000,
      currency: 'KRW',
      name: null,
    });
    expect(
      parseWith(orderRegistration, { merchant_uid: 'o-1', amount: 12.25, name: null }),
    ).toMatchObject({ amount: 12.25, name: null });
  });

  it.each([12.3456, 0.0001, 19.99, 1234567.8901])(
    'accepts %s, which has 4 decimals or fewer',
    (amount) => {
      expect(parseWith(orderRegistration, { merchant_uid: 'o-1', amount })).toMatchObject({
        amount,
      });
    },
  );

  it.each([
    [{ amount: '1000' }, 'amount', 'amount must be a number'],
    [{ amount: undefined }, 'amount', 'amount must be a number'],
    [{ amount: 0 }, 'amount', 'amount must be positive'],
    [{ amount: 1e13 + 1 }, 'amount', 'amount is too large'],
    [{ amount: 1.00001 }, 'amount', 'amount has more than 4 decimals'],
    [{ currency: null }, 'currency', 'currency must be a string'],
    [{ currency: 'krw' }, 'currency', 'currency must be an ISO 4217 code like KRW'],
    [{ name: 5 }, 'name', 'name must be a string'],
    [{ name: 'n'.repeat(201) }, 'name', 'name must be at most 200 characters'],
  ])('rejects %j', (change, path, message) => {
    // Act
    const error = rejection(() =>
      parseWith(orderRegistration, { merchant_uid: 'o-1', amount: 1000, ...change }),
    );

    // Assess
    expect(error.issues).toEqual([{ path, message }]);
  });

  it('lists every problem, in field order', () => {
    // Act
    const error = rejection(() =>
      parseWith(orderRegistration, { merchant_uid: 'o 1', amount: -1, currency: 'won' }),
    );

    // Assess
    expect(error.message).toBe(
      'invalid request: merchant_uid must be 1-40 characters of A-Z a-z 0-9 _ -; amount must be positive; currency must be an ISO 4217 code like KRW',
    );
  });
});
