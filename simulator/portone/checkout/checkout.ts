import { sleep } from '../http-util';
import type { SimulatorState } from '../state';
import type { CreatePaymentInput, SimPayment } from '../types';
import type {
  CheckoutAction,
  CheckoutAnswer,
  CheckoutFlag,
  CheckoutOpenAnswer,
  CheckoutParams,
  CheckoutReport,
  CheckoutWebhook,
} from './types';

export const BLOCKED_AMOUNT_CODE = 'F1001';
export const BLOCKED_PAID_CODE = 'F1002';
/** Reference §1.8. */
export const MSG_ALREADY_PAID = '이미 결제가 이루어진 거래건입니다.';
export const CODE_DECLINED = 'F0004';
export const MSG_DECLINED = '카드 승인이 거절되었습니다.';
export const CODE_USER_CANCEL = 'F400';
export const MSG_USER_CANCEL = '사용자가 결제를 취소하셨습니다';

const DELAYED_MS = 2000;
/** How long after the browser's report a `transfer_later` bank transfer turns paid. */
export const TRANSFER_LATER_MS = 3000;
const AFTER_REDIRECT_MS = 1500;
const DUPLICATE_COPIES = 3;
const DEFAULT_PG = 'html5_inicis';

/** The notice_url each checkout payment was requested with (PortOne keeps it per payment). */
const noticeUrls = new WeakMap<SimPayment, string>();

export class CheckoutError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Blocking {
  code: string;
  message: string;
}

/**
 * Why PortOne would refuse to open (or complete) a window for this amount:
 * a prepared amount that differs, or a merchant_uid that is already paid.
 */
function blocking(
  state: SimulatorState,
  merchantUid: string,
  amount: number,
  currency: string,
): Blocking | undefined {
  const paid = state.store.findByMerchant(merchantUid, { status: 'paid', includeSandbox: true });
  if (paid.length > 0) return { code: BLOCKED_PAID_CODE, message: MSG_ALREADY_PAID };
  const prepared = state.store.getPrepared(merchantUid);
  if (
    prepared !== undefined &&
    (prepared.amount !== amount || (prepared.currency !== null && prepared.currency !== currency))
  ) {
    return {
      code: BLOCKED_AMOUNT_CODE,
      message: `결제 요청 금액이 사전등록된 금액과 다릅니다. (사전등록 금액: ${prepared.amount}, 요청 금액: ${amount})`,
    };
  }
  return undefined;
}

function pgProvider(params: Partial<CheckoutParams>): { provider: string; pgId?: string } {
  const pg = typeof params.pg === 'string' && params.pg !== '' ? params.pg : DEFAULT_PG;
  const [provider = DEFAULT_PG, pgId] = pg.split('.');
  return pgId !== undefined && pgId !== '' ? { provider, pgId } : { provider };
}

function flagged(flag: CheckoutFlag, ok: boolean): Pick<CheckoutReport, 'imp_success' | 'success'> {
  if (flag === 'imp_success') return { imp_success: ok };
  if (flag === 'success') return { success: ok };
  return {};
}

/** `m_redirect_url` plus the query PortOne's 302 carries (reference §2.4). */
export function redirectTarget(base: string, report: CheckoutReport): string {
  const query = new URLSearchParams();
  if (report.imp_uid !== null) query.set('imp_uid', report.imp_uid);
  query.set('merchant_uid', report.merchant_uid);
  if (report.imp_success !== undefined) query.set('imp_success', String(report.imp_success));
  if (report.success !== undefined) query.set('success', String(report.success));
  if (report.error_code !== undefined) query.set('error_code', report.error_code);
  if (report.error_msg !== undefined) query.set('error_msg', report.error_msg);
  return `${base}${base.includes('?') ? '&' : '?'}${query.toString()}`;
}

function answer(
  params: Partial<CheckoutParams>,
  blocked: boolean,
  report: CheckoutReport,
): CheckoutAnswer {
  const redirect =
    typeof params.m_redirect_url === 'string' && params.m_redirect_url !== ''
      ? redirectTarget(params.m_redirect_url, report)
      : undefined;
  return { blocked, report, ...(redirect !== undefined ? { redirect } : {}) };
}

function blockedAnswer(
  params: Partial<CheckoutParams> & { merchant_uid: string },
  flag: CheckoutFlag,
  why: Blocking,
): CheckoutAnswer {
  return answer(params, true, {
    ...flagged(flag, false),
    imp_uid: null,
    merchant_uid: params.merchant_uid,
    pay_method: typeof params.pay_method === 'string' ? params.pay_method : 'card',
    paid_amount: 0,
    status: 'failed',
    name: typeof params.name === 'string' ? params.name : null,
    pg_provider: pgProvider(params).provider,
    error_code: why.code,
    error_msg: why.message,
  });
}

/** `POST /__sim/checkout/open`: may the window open for this merchant_uid and amount? */
export function openCheckout(
  state: SimulatorState,
  input: {
    merchant_uid: string;
    amount: number;
    currency?: string;
    params?: Partial<CheckoutParams>;
    flag?: CheckoutFlag;
  },
): CheckoutOpenAnswer {
  const why = blocking(state, input.merchant_uid, input.amount, input.currency ?? 'KRW');
  if (why === undefined) return { blocked: false };
  const params = { ...input.params, merchant_uid: input.merchant_uid, amount: input.amount };
  return { ...blockedAnswer(params, input.flag ?? 'imp_success', why), blocked: true };
}

/** `POST /__sim/checkout/complete`: the buyer pressed one of the overlay's buttons. */
export function completeCheckout(
  state: SimulatorState,
  input: {
    params: CheckoutParams;
    action: CheckoutAction;
    tamperAmount: number;
    webhook: CheckoutWebhook;
    flag: CheckoutFlag;
  },
): { answer: CheckoutAnswer; afterAnswer: () => void } {
  const { params, action, flag } = input;
  const currency = params.currency ?? 'KRW';
  const amount = action === 'tamper' ? input.tamperAmount : params.amount;
  const why = blocking(state, params.merchant_uid, amount, currency);
  if (why !== undefined) return { answer: blockedAnswer(params, flag, why), afterAnswer: noop };

  const { provider, pgId } = pgProvider(params);
  const create: CreatePaymentInput = {
    merchant_uid: params.merchant_uid,
    amount,
    currency,
    state: STATE_OF[action],
    pay_method: payMethodOf(action, params),
    pg_provider: provider,
    channel: params.m_redirect_url !== undefined ? 'mobile' : 'pc',
  };
  if (action === 'transfer_later') {
    // The timer below pays it; payAt makes a read on a moved sim clock agree.
    create.behavior = { payAt: state.clock.now() + Math.ceil(TRANSFER_LATER_MS / 1000) };
  }
  if (action === 'decline' || action === 'fail_then_pay') create.fail_reason = MSG_DECLINED;
  if (action === 'close') create.fail_reason = MSG_USER_CANCEL;
  for (const key of ['name', 'buyer_email', 'buyer_name', 'buyer_tel'] as const) {
    const value = params[key];
    if (value !== undefined) create[key] = value;
  }
  if (params.custom_data !== undefined && params.custom_data !== null) {
    create.custom_data =
      typeof params.custom_data === 'string'
        ? params.custom_data
        : JSON.stringify(params.custom_data);
  }
  const result = state.store.create(create);
  if (!result.ok) throw new CheckoutError(result.status, result.message);
  const payment = result.payment;
  if (pgId !== undefined) payment.pg_id = pgId;
  if (params.notice_url !== undefined) noticeUrls.set(payment, params.notice_url);

  const failed = payment.status === 'failed';
  const report: CheckoutReport = {
    ...flagged(flag, !failed),
    imp_uid: payment.imp_uid,
    merchant_uid: payment.merchant_uid,
    pay_method: payment.pay_method,
    paid_amount: failed ? 0 : payment.amount,
    status: payment.status,
    name: payment.name,
    pg_provider: payment.pg_provider,
  };
  if (failed) {
    report.error_code =
      action === 'decline' || action === 'fail_then_pay' ? CODE_DECLINED : CODE_USER_CANCEL;
    report.error_msg = payment.fail_reason ?? MSG_USER_CANCEL;
  }
  if (action === 'vbank') {
    report.vbank_num = payment.vbank_num;
    report.vbank_name = payment.vbank_name;
    report.vbank_holder = payment.vbank_holder;
    report.vbank_date = payment.vbank_date;
  }

  // PortOne V1 notifies approvals and vbank issues, never ordinary failures (reference §2.1);
  // a ready payment waiting for a late approval is notified when it is approved.
  let afterAnswer = noop;
  if (action === 'transfer_later') approveLater(state, payment, input.webhook);
  if (payment.status === 'paid' || action === 'vbank') {
    if (input.webhook === 'after_redirect') {
      afterAnswer = () => notify(state, payment, 'immediate', AFTER_REDIRECT_MS);
    } else {
      notify(state, payment, input.webhook);
    }
  }
  return { answer: answer(params, false, report), afterAnswer };
}

const STATE_OF: Record<CheckoutAction, CreatePaymentInput['state']> = {
  card: 'paid',
  tamper: 'paid',
  vbank: 'vbank_issued',
  decline: 'failed',
  close: 'failed',
  transfer_later: 'ready',
  pending: 'ready',
  fail_then_pay: 'failed',
};

/**
 * Approvals fill card details, so the approving buttons pay by card; a closed
 * window or a late outcome keeps what the page asked for; the delayed bank
 * transfer is a transfer whatever the page said.
 */
function payMethodOf(action: CheckoutAction, params: CheckoutParams): string {
  if (action === 'transfer_later') return 'trans';
  if (action === 'close' || action === 'pending' || action === 'fail_then_pay') {
    return params.pay_method ?? 'card';
  }
  return 'card';
}

/**
 * The bank's approval of a `transfer_later` payment, TRANSFER_LATER_MS after
 * the report, then its notification. A read on a moved sim clock may have
 * paid it already (payAt); the notification still waits for the timer.
 */
function approveLater(state: SimulatorState, payment: SimPayment, webhook: CheckoutWebhook): void {
  void (async () => {
    await sleep(TRANSFER_LATER_MS, state.closingSignal);
    // Skip when the simulator closed or was reset while waiting.
    if (state.closingSignal.aborted || state.store.get(payment.imp_uid) !== payment) return;
    if (payment.status === 'ready') state.store.pay(payment.imp_uid);
    if (payment.status !== 'paid') return;
    notify(state, payment, webhook === 'after_redirect' ? 'immediate' : webhook);
  })().catch((error: unknown) => state.log(`checkout late approval error: ${String(error)}`));
}

/**
 * `POST /__sim/checkout/approve`: the PG's late approval of a ready (PayPal
 * pending) or failed (Paymentwall) payment, then the paid notification.
 */
export function approveCheckout(
  state: SimulatorState,
  impUid: string,
  webhook: CheckoutWebhook,
): SimPayment {
  const result = state.store.pay(impUid);
  if (!result.ok) throw new CheckoutError(409, result.message);
  notify(state, result.payment, webhook);
  return result.payment;
}

/** `POST /__sim/checkout/deposit`: money arrives on an issued virtual account. */
export function depositCheckout(
  state: SimulatorState,
  impUid: string,
  webhook: CheckoutWebhook,
): SimPayment {
  const result = state.store.deposit(impUid);
  if (!result.ok) throw new CheckoutError(409, result.message);
  notify(state, result.payment, webhook);
  return result.payment;
}

/**
 * Fires the notification for the payment's current status in the background:
 * the caller never waits for it, and a dead target only shows in the webhook log.
 */
function notify(
  state: SimulatorState,
  payment: SimPayment,
  delivery: CheckoutWebhook,
  extraDelayMs = 0,
): void {
  if (delivery === 'never') return;
  const url = noticeUrls.get(payment) ?? state.config.webhookUrl;
  if (url === null) {
    state.log(`checkout: no notice_url and no webhookUrl; ${payment.imp_uid} not notified`);
    return;
  }
  const fields = {
    imp_uid: payment.imp_uid,
    merchant_uid: payment.merchant_uid,
    status: payment.status,
  };
  const format = state.config.webhookFormat;
  const delayMs = extraDelayMs + (delivery === 'delayed' ? DELAYED_MS : 0);
  const copies = delivery === 'duplicated' ? DUPLICATE_COPIES : 1;
  void (async () => {
    await sleep(delayMs, state.closingSignal);
    for (let i = 0; i < copies; i += 1) {
      // Skip when the simulator closed or was reset while waiting.
      if (state.closingSignal.aborted || state.store.get(payment.imp_uid) !== payment) return;
      await state.webhooks.deliver({ url, fields, format, trigger: 'checkout' });
    }
  })().catch((error: unknown) => state.log(`checkout webhook error: ${String(error)}`));
}

function noop(): void {}
