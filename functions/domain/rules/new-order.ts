import type { Order } from '../model/order';
import { RECHECK_AFTER_MS } from './timing';

/** A freshly registered order: pending, looked at by the reconciler after RECHECK_AFTER_MS. */
export const newOrder = (input: {
  merchant_uid: string;
  amount: number;
  currency: string;
  name: string | null;
  prepared: boolean;
  now: string;
}): Order => ({
  merchant_uid: input.merchant_uid,
  amount: input.amount,
  currency: input.currency,
  name: input.name,
  prepared: input.prepared,
  created_at: input.now,
  updated_at: input.now,
  imp_uid: null,
  payment_ids: {},
  rank: null,
  status: 'pending',
  final: false,
  check_at: new Date(Date.parse(input.now) + RECHECK_AFTER_MS).toISOString(),
  owes_cancellation: false,
  settled: {},
  attempts: {},
  dropped_attempts: 0,
  refunds: [],
  history: [],
  recheck_failures: 0,
  rev: 0,
});
