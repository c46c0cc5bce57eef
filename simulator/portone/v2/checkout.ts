import { CheckoutError } from '../checkout/checkout';
import type { Fields } from '../http-util';
import type { SimulatorState } from '../state';
import type {
  V2CheckoutAction,
  V2CheckoutAnswer,
  V2CheckoutOpenAnswer,
  V2PaymentRequest,
  V2PaymentResponse,
} from './checkout-types';
import { MSG_PRE_REGISTER_MISMATCH } from './store';
import type { V2ControlState, V2PayMethod, V2Payment, V2WebhookMode } from './types';

/**
 * The browser SDK's failure codes: FAILURE_TYPE_PG when the PG (or the
 * shopper in its window) ended the payment, PORTONE_ERROR when PortOne itself
 * refused the request. Which code real PortOne gives a pre-registration
 * mismatch is unconfirmed; PORTONE_ERROR is our reading.
 */
export const CODE_PG = 'FAILURE_TYPE_PG';
export const CODE_PORTONE = 'PORTONE_ERROR';
export const MSG_V2_DECLINED = '카드 승인이 거절되었습니다.';
export const MSG_V2_USER_CANCEL = '사용자가 결제를 취소하였습니다.';
export const MSG_V2_ALREADY_PAID = '이미 결제가 완료된 결제 건입니다.';

const METHODS: readonly V2PayMethod[] = ['CARD', 'VIRTUAL_ACCOUNT', 'TRANSFER'];

/** `requestPayment`'s argument as PortOne checks it; a CheckoutError (400) names what is wrong. */
export function readPaymentRequest(raw: unknown): V2PaymentRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CheckoutError(400, 'request must be an object');
  }
  const r = raw as Fields;
  const text = (key: string): string => {
    const value = r[key];
    if (typeof value !== 'string' || value === '')
      throw new CheckoutError(400, `${key} is required`);
    return value;
  };
  const amount = (key: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new CheckoutError(400, `${key} must be a non-negative integer`);
    }
    return value;
  };
  const request: V2PaymentRequest = {
    storeId: text('storeId'),
    channelKey: text('channelKey'),
    paymentId: text('paymentId'),
    orderName: text('orderName'),
    totalAmount: amount('totalAmount', r.totalAmount),
    // The browser SDK names currencies CURRENCY_KRW; the REST API and webhooks say KRW.
    currency: text('currency').replace(/^CURRENCY_/, ''),
    payMethod: text('payMethod'),
  };
  if (r.taxFreeAmount !== undefined && r.taxFreeAmount !== null) {
    request.taxFreeAmount = amount('taxFreeAmount', r.taxFreeAmount);
  }
  if (r.redirectUrl !== undefined && r.redirectUrl !== null) {
    if (typeof r.redirectUrl !== 'string' || !URL.canParse(r.redirectUrl)) {
      throw new CheckoutError(400, 'redirectUrl must be an absolute URL');
    }
    request.redirectUrl = r.redirectUrl;
  }
  if (r.noticeUrls !== undefined && r.noticeUrls !== null) {
    const urls = r.noticeUrls;
    if (!Array.isArray(urls) || !urls.every((u) => typeof u === 'string' && URL.canParse(u))) {
      throw new CheckoutError(400, 'noticeUrls must be a list of absolute URLs');
    }
    request.noticeUrls = urls as string[];
  }
  if (r.customData !== undefined && r.customData !== null) {
    request.customData =
      typeof r.customData === 'string' ? r.customData : JSON.stringify(r.customData);
  }
  if (typeof r.customer === 'object' && r.customer !== null) {
    const c = r.customer as Fields;
    const customer: NonNullable<V2PaymentRequest['customer']> = {};
    for (const key of ['customerId', 'fullName', 'email', 'phoneNumber'] as const) {
      if (typeof c[key] === 'string') customer[key] = c[key];
    }
    request.customer = customer;
  }
  return request;
}

/** redirectUrl plus the response, as PortOne's redirect back to the shop carries it. */
export function v2RedirectTarget(base: string, response: V2PaymentResponse): string {
  const query = new URLSearchParams({
    paymentId: response.paymentId,
    transactionType: response.transactionType,
    txId: response.txId,
  });
  if (response.code !== undefined) query.set('code', response.code);
  if (response.message !== undefined) query.set('message', response.message);
  return `${base}${base.includes('?') ? '&' : '?'}${query.toString()}`;
}

function answerOf(
  request: V2PaymentRequest,
  blocked: boolean,
  response: V2PaymentResponse,
): V2CheckoutAnswer {
  return {
    blocked,
    response,
    ...(request.redirectUrl === undefined
      ? {}
      : { redirect: v2RedirectTarget(request.redirectUrl, response) }),
  };
}

function refused(request: V2PaymentRequest, message: string, txId = ''): V2CheckoutAnswer {
  return answerOf(request, true, {
    transactionType: 'PAYMENT',
    paymentId: request.paymentId,
    txId,
    code: CODE_PORTONE,
    message,
  });
}

/**
 * Why PortOne refuses this request before the window opens: another store,
 * an id already paid, or a pre-registered id with other terms. The last one
 * leaves a FAILED attempt, as PortOne records the refused payment.
 */
function refusal(
  state: SimulatorState,
  request: V2PaymentRequest,
  amount: number,
): V2CheckoutAnswer | undefined {
  const v2 = state.v2;
  if (request.storeId !== v2.config.storeId) {
    return refused(request, `상점 정보를 찾을 수 없습니다. (storeId: ${request.storeId})`);
  }
  if (v2.store.isPaid(request.paymentId)) return refused(request, MSG_V2_ALREADY_PAID);
  const taxFree = request.taxFreeAmount ?? 0;
  if (!v2.store.preRegistrationMismatch(request.paymentId, amount, taxFree, request.currency)) {
    return undefined;
  }
  const failed = createAttempt(state, request, amount, 'paid');
  const registered = v2.store.getPreRegistration(request.paymentId)?.totalAmount;
  return refused(
    request,
    `${MSG_PRE_REGISTER_MISMATCH} (사전 등록 금액: ${registered}, 요청 금액: ${amount})`,
    failed.transactionId,
  );
}

/** `POST /__sim/v2/checkout/open`: may the window open for this request? */
export function openV2Checkout(state: SimulatorState, raw: unknown): V2CheckoutOpenAnswer {
  const request = readPaymentRequest(raw);
  const why = refusal(state, request, request.totalAmount);
  return why === undefined ? { blocked: false } : { ...why, blocked: true };
}

const STATE_OF: Record<V2CheckoutAction, V2ControlState> = {
  card: 'paid',
  tamper: 'paid',
  vbank: 'virtual_account_issued',
  decline: 'failed',
  close: 'failed',
};

const FAILURE_OF: Partial<Record<V2CheckoutAction, string>> = {
  decline: MSG_V2_DECLINED,
  close: MSG_V2_USER_CANCEL,
};

/**
 * `POST /__sim/v2/checkout/complete`: the shopper pressed a button. The
 * payment takes the amount the page sent (or the tampered one), so a forged
 * amount is what the REST API shows; the outcome's webhook is sent in the
 * background, in the chosen mode, to noticeUrls or the configured URL.
 */
export function completeV2Checkout(
  state: SimulatorState,
  input: {
    request: unknown;
    action: V2CheckoutAction;
    tamperAmount?: number;
    webhookMode?: V2WebhookMode;
  },
): V2CheckoutAnswer {
  const request = readPaymentRequest(input.request);
  const amount = input.action === 'tamper' ? (input.tamperAmount ?? 100) : request.totalAmount;
  const why = refusal(state, request, amount);
  if (why !== undefined) return why;

  const reason = FAILURE_OF[input.action];
  const payment = createAttempt(state, request, amount, STATE_OF[input.action], reason);
  if (input.action === 'close' && payment.failure) {
    payment.failure = { ...payment.failure, pgCode: 'PAY_PROCESS_CANCELED' };
  }
  if (request.noticeUrls !== undefined) state.v2.noticeUrls.set(payment.id, request.noticeUrls);
  void state.v2
    .notify(payment, 'checkout', input.webhookMode === undefined ? {} : { mode: input.webhookMode })
    .catch((error: unknown) => state.log(`V2 checkout webhook error: ${String(error)}`));

  const response: V2PaymentResponse = {
    transactionType: 'PAYMENT',
    paymentId: payment.id,
    txId: payment.transactionId,
  };
  if (payment.status === 'FAILED' && payment.failure) {
    response.code = CODE_PG;
    response.message = payment.failure.reason;
    response.pgCode = payment.failure.pgCode;
    response.pgMessage = payment.failure.pgMessage;
  }
  return answerOf(request, false, response);
}

/** A new attempt under the request's paymentId, with what the page sent. */
function createAttempt(
  state: SimulatorState,
  request: V2PaymentRequest,
  amount: number,
  target: V2ControlState,
  failureReason?: string,
): V2Payment {
  const payMethod = METHODS.find((m) => m === request.payMethod) ?? 'CARD';
  const result = state.v2.store.create({
    paymentId: request.paymentId,
    amount,
    state: target,
    // A channel key that says "test" is a test channel: a paid payment nobody paid for.
    channel: /test/i.test(request.channelKey) ? 'TEST' : 'LIVE',
    payMethod: target === 'paid' && payMethod === 'VIRTUAL_ACCOUNT' ? 'CARD' : payMethod,
    orderName: request.orderName,
    currency: request.currency,
    ...(request.taxFreeAmount === undefined ? {} : { taxFree: request.taxFreeAmount }),
    ...(request.customData === undefined ? {} : { customData: request.customData }),
    ...(failureReason === undefined ? {} : { failureReason }),
  });
  if (!result.ok) throw new CheckoutError(result.status, result.message);
  const payment = result.payment;
  payment.channel = { ...payment.channel, key: request.channelKey };
  const c = request.customer;
  if (c !== undefined) {
    payment.customer = {
      ...(c.customerId === undefined ? {} : { id: c.customerId }),
      ...(c.fullName === undefined ? {} : { name: c.fullName }),
      ...(c.email === undefined ? {} : { email: c.email }),
      ...(c.phoneNumber === undefined ? {} : { phoneNumber: c.phoneNumber }),
    };
  }
  return payment;
}
