import { randomInt } from 'node:crypto';
import type { CreatePaymentInput, SimPayment } from './types';

/** Deposit deadline given to a freshly issued virtual account. */
export const VBANK_VALIDITY_SECONDS = 3 * 24 * 60 * 60;

export function randomDigits(length: number): string {
  let digits = '';
  for (let i = 0; i < length; i += 1) digits += String(randomInt(10));
  return digits;
}

/** `imp_` + 12 digits, the shape of every observed browser-originated imp_uid. */
export function newImpUid(taken: (id: string) => boolean): string {
  for (;;) {
    const id = `imp_${randomDigits(12)}`;
    if (!taken(id)) return id;
  }
}

/** A payment whose window has just opened: status ready, nothing happened yet. */
export function readyPayment(input: CreatePaymentInput, impUid: string, now: number): SimPayment {
  const payMethod = input.state === 'vbank_issued' ? 'vbank' : (input.pay_method ?? 'card');
  return {
    amount: input.amount,
    apply_num: null,
    bank_code: null,
    bank_name: null,
    buyer_addr: null,
    buyer_email: input.buyer_email ?? null,
    buyer_name: input.buyer_name ?? null,
    buyer_postcode: null,
    buyer_tel: input.buyer_tel ?? null,
    cancel_amount: 0,
    cancel_history: [],
    cancel_reason: null,
    cancel_receipt_urls: [],
    cancelled_at: 0,
    card_code: null,
    card_issuer_code: null,
    card_issuer_name: null,
    card_name: null,
    card_number: null,
    card_publisher_code: null,
    card_publisher_name: null,
    card_quota: 0,
    card_type: null,
    cash_receipt_issued: false,
    channel: input.channel ?? 'pc',
    currency: input.currency ?? 'KRW',
    custom_data: input.custom_data ?? null,
    customer_uid: null,
    customer_uid_usage: null,
    deposit_history: [],
    emb_pg_provider: null,
    escrow: false,
    fail_reason: null,
    failed_at: 0,
    imp_uid: impUid,
    merchant_uid: input.merchant_uid,
    name: input.name ?? null,
    paid_at: 0,
    pay_method: payMethod,
    pg_id: 'INIpayTest',
    pg_provider: input.pg_provider ?? 'html5_inicis',
    pg_tid: `StdpayINIpayTest${now}${randomDigits(6)}`,
    promotion: null,
    receipt_url: null,
    sandbox: input.sandbox ?? false,
    started_at: input.started_at ?? now,
    status: 'ready',
    user_agent: 'Mozilla/5.0 (PortOne simulator)',
    vbank_code: null,
    vbank_date: 0,
    vbank_holder: null,
    vbank_issued_at: 0,
    vbank_name: null,
    vbank_num: null,
  };
}

export function issueVirtualAccount(payment: SimPayment, now: number): void {
  payment.pay_method = 'vbank';
  payment.vbank_code = '088';
  payment.vbank_name = '신한';
  payment.vbank_num = `56211${randomDigits(9)}`;
  payment.vbank_holder = '포트원';
  payment.vbank_issued_at = now;
  payment.vbank_date = now + VBANK_VALIDITY_SECONDS;
}

/** Approval: fills what the PG reports for the payment method. */
export function markPaid(payment: SimPayment, now: number): void {
  payment.status = 'paid';
  payment.paid_at = Math.max(now, payment.started_at);
  payment.receipt_url = `https://iniweb.inicis.com/receipt?noTid=${payment.pg_tid ?? ''}`;
  if (payment.pay_method === 'card') {
    payment.apply_num = randomDigits(8);
    payment.card_code = '366';
    payment.card_name = '신한카드';
    payment.card_number = '510737*********6';
    payment.card_type = 0;
  } else if (payment.pay_method === 'trans') {
    payment.bank_code = '004';
    payment.bank_name = 'KB국민은행';
  } else if (payment.pay_method === 'vbank') {
    payment.deposit_history = [];
  }
}

export function markFailed(payment: SimPayment, reason: string | null, now: number): void {
  payment.status = 'failed';
  payment.failed_at = Math.max(now, payment.started_at);
  payment.fail_reason = reason ?? '[결제포기] 사용자가 결제를 취소하셨습니다';
}
