import { NotFoundError, UpstreamRejectedError } from '../../functions/domain/model/errors';
import type { PortOnePayment } from '../../functions/domain/model/portone-payment';
import type { Clock } from '../../functions/domain/ports/clock';
import type {
  CallOptions,
  CancelRequest,
  PaymentGateway,
  PrepareRequest,
} from '../../functions/domain/ports/payment-gateway';
import { refundableBalance, roundMoney } from '../../functions/domain/rules/observation';

/** PortOne's own words for its refusals (as the simulator gives them), so refusal.ts classifies them as PortOne's. */
export const PORTONE_MESSAGES = {
  alreadyCancelled: '이미 전액취소된 주문입니다.',
  notCancellable: '취소할 수 없는 상태의 결제건입니다.',
  noSuchPayment: '취소할 결제건이 존재하지 않습니다.',
  vbankNotRevocable: '발급된 가상계좌가 아니거나 이미 입금 또는 취소된 결제건입니다.',
  preparedExists: '이미 사전등록된 결제정보가 존재합니다.',
  /** Permanent: the PG offers no API cancel. */
  cancelUnsupported: '결제취소에 실패하였습니다.(해당 PG사는 API를 통한 취소를 지원하지 않습니다)',
  /** Temporary: ksnet refuses virtual-account refunds at night. */
  cancelLater: '[KSNET] 가상계좌 환불은 23:00~06:00에는 처리할 수 없습니다.(시간 외)',
  checksum: (balance: number, checksum: number) =>
    `[checksum] 취소가능잔액(${balance})이 checksum(${checksum})과 일치하지 않습니다.`,
} as const;

export type GatewayCall =
  | { method: 'getPayment'; impUid: string }
  | { method: 'findPayment'; merchantUid: string }
  | { method: 'findPayments'; merchantUid: string; status: 'paid' | 'cancelled' }
  | { method: 'cancelPayment'; request: CancelRequest }
  | { method: 'revokeVbank'; impUid: string }
  | { method: 'preparePayment'; request: PrepareRequest }
  | { method: 'getPrepared'; merchantUid: string }
  | { method: 'updatePrepared'; request: PrepareRequest };

type Method = GatewayCall['method'];

/**
 * The PaymentGateway port in memory: PortOne's payments by imp_uid, with
 * PortOne's cancel rules (checksum, balance, what can be cancelled) and
 * scriptable failures. Every call is recorded, so that tests assert on what
 * was sent (amount, checksum, reason) and on what was not.
 *
 * - `failNext(method, ...errors)`: the next calls throw these, one each
 *   (NotFoundError, UpstreamRejectedError, UpstreamUnavailableError, ...);
 * - `loseNextAnswer(method, error)`: the next call takes effect, then throws
 *   (PortOne did it, the answer was lost on the way back);
 * - `approveCancelsLater(impUid)`: cancels answer `code: 0` with the payment
 *   unchanged (PGs that approve later) until `applyLateCancels(impUid)`;
 * - `pauseNext(method, meanwhile)`: the next call waits for `meanwhile`
 *   (time passing, another caller's step) before it takes effect or fails:
 *   a slow call.
 */
export class FakePaymentGateway implements PaymentGateway {
  private readonly payments = new Map<string, PortOnePayment>();
  private readonly prepared = new Map<string, PrepareRequest>();
  private readonly failures = new Map<Method, Error[]>();
  private readonly lostAnswers = new Map<Method, Error[]>();
  private readonly late = new Map<string, number[]>();
  private readonly pauses = new Map<Method, (() => Promise<unknown>)[]>();
  readonly calls: GatewayCall[] = [];
  /** The CallOptions of each call, in the same order as `calls`. */
  readonly callOptions: (CallOptions | undefined)[] = [];

  constructor(private readonly clock: Clock = () => new Date('2025-11-13T02:15:00.000Z')) {}

  /** Puts (or replaces) a payment as PortOne holds it. */
  add(...payments: PortOnePayment[]): void {
    for (const payment of payments) this.payments.set(payment.imp_uid, structuredClone(payment));
  }

  /** Changes a payment as PortOne would behind our back (a console refund, a deposit). */
  update(impUid: string, change: Partial<PortOnePayment>): void {
    this.add({ ...this.payment(impUid), ...change });
  }

  /** The payment as PortOne holds it now. */
  payment(impUid: string): PortOnePayment {
    const payment = this.payments.get(impUid);
    if (!payment) throw new Error(`the fake gateway holds no payment ${impUid}`);
    return structuredClone(payment);
  }

  failNext(method: Method, ...errors: Error[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]);
  }

  loseNextAnswer(method: Method, error: Error): void {
    this.lostAnswers.set(method, [...(this.lostAnswers.get(method) ?? []), error]);
  }

  pauseNext(method: Method, meanwhile: () => Promise<unknown>): void {
    this.pauses.set(method, [...(this.pauses.get(method) ?? []), meanwhile]);
  }

  approveCancelsLater(impUid: string): void {
    this.late.set(impUid, []);
  }

  /** The PG approves the cancels it accepted: PortOne's payment shows them from now on. */
  applyLateCancels(impUid: string): void {
    for (const amount of this.late.get(impUid) ?? []) this.applyCancel(impUid, amount);
    this.late.delete(impUid);
  }

  callsOf<M extends Method>(method: M): Extract<GatewayCall, { method: M }>[] {
    return this.calls.filter(
      (call): call is Extract<GatewayCall, { method: M }> => call.method === method,
    );
  }

  async getPayment(impUid: string, options?: CallOptions): Promise<PortOnePayment> {
    return this.call({ method: 'getPayment', impUid }, options, () => this.known(impUid));
  }

  async findPayment(merchantUid: string, options?: CallOptions): Promise<PortOnePayment> {
    return this.call({ method: 'findPayment', merchantUid }, options, () => {
      const latest = this.ofOrder(merchantUid).sort((a, b) => b.started_at - a.started_at)[0];
      if (!latest) throw new NotFoundError(`PortOne has no payment for ${merchantUid}`);
      return latest;
    });
  }

  async findPayments(
    merchantUid: string,
    status: 'paid' | 'cancelled',
    options?: CallOptions,
  ): Promise<PortOnePayment[]> {
    return this.call({ method: 'findPayments', merchantUid, status }, options, () =>
      this.ofOrder(merchantUid).filter((payment) => payment.status === status),
    );
  }

  async cancelPayment(request: CancelRequest, options?: CallOptions): Promise<PortOnePayment> {
    return this.call({ method: 'cancelPayment', request }, options, () => {
      const payment = this.payments.get(request.impUid);
      if (!payment) throw refusal(PORTONE_MESSAGES.noSuchPayment);
      const balance = refundableBalance(payment);
      if (payment.status === 'cancelled' && balance <= 0) {
        throw refusal(PORTONE_MESSAGES.alreadyCancelled);
      }
      const wasPaid = payment.paid_at > 0 && balance > 0;
      if (!wasPaid || (payment.status !== 'paid' && payment.status !== 'cancelled')) {
        throw refusal(PORTONE_MESSAGES.notCancellable);
      }
      if (roundMoney(request.checksum) !== balance) {
        throw refusal(PORTONE_MESSAGES.checksum(balance, request.checksum));
      }
      if (request.amount > balance) throw refusal(`취소 요청 금액이 취소가능잔액보다 큽니다.`);
      const later = this.late.get(request.impUid);
      if (later) {
        later.push(request.amount);
        return structuredClone(payment);
      }
      return this.applyCancel(request.impUid, request.amount);
    });
  }

  async revokeVbank(impUid: string, options?: CallOptions): Promise<PortOnePayment> {
    return this.call({ method: 'revokeVbank', impUid }, options, () => {
      const payment = this.known(impUid);
      if (payment.status !== 'ready' || payment.vbank_num === null) {
        throw refusal(PORTONE_MESSAGES.vbankNotRevocable);
      }
      const revoked = { ...payment, status: 'cancelled' as const, cancelled_at: this.unix() };
      this.payments.set(impUid, revoked);
      return structuredClone(revoked);
    });
  }

  async preparePayment(request: PrepareRequest): Promise<void> {
    return this.call({ method: 'preparePayment', request }, undefined, () => {
      if (this.prepared.has(request.merchantUid)) throw refusal(PORTONE_MESSAGES.preparedExists);
      this.prepared.set(request.merchantUid, { ...request });
    });
  }

  async getPrepared(merchantUid: string): Promise<PrepareRequest> {
    return this.call({ method: 'getPrepared', merchantUid }, undefined, () => {
      const prepared = this.prepared.get(merchantUid);
      if (!prepared) throw new NotFoundError(`nothing is prepared for ${merchantUid}`);
      return { ...prepared };
    });
  }

  async updatePrepared(request: PrepareRequest): Promise<void> {
    return this.call({ method: 'updatePrepared', request }, undefined, () => {
      this.prepared.set(request.merchantUid, { ...request });
    });
  }

  /** What PortOne holds pre-registered for an order, if anything. */
  preparedFor(merchantUid: string): PrepareRequest | undefined {
    return this.prepared.get(merchantUid);
  }

  private call<T>(
    record: GatewayCall,
    options: CallOptions | undefined,
    effect: () => T,
  ): T | Promise<T> {
    this.calls.push(structuredClone(record));
    this.callOptions.push(options);
    // Taken now, so that a call made meanwhile does not take this call's failure.
    const failure = this.failures.get(record.method)?.shift();
    const finish = (): T => {
      if (failure) throw failure;
      const result = effect();
      const lost = this.lostAnswers.get(record.method)?.shift();
      if (lost) throw lost;
      return result;
    };
    const pause = this.pauses.get(record.method)?.shift();
    return pause ? pause().then(finish) : finish();
  }

  private known(impUid: string): PortOnePayment {
    const payment = this.payments.get(impUid);
    if (!payment) throw new NotFoundError(`PortOne does not know ${impUid}`);
    return structuredClone(payment);
  }

  /** V1's lookups by merchant_uid: V2 payments are not V1's to list. */
  private ofOrder(merchantUid: string): PortOnePayment[] {
    return [...this.payments.values()]
      .filter((payment) => payment.api === 'v1' && payment.merchant_uid === merchantUid)
      .map((payment) => structuredClone(payment));
  }

  private applyCancel(impUid: string, amount: number): PortOnePayment {
    const payment = this.known(impUid);
    const cancelled: PortOnePayment = {
      ...payment,
      status: 'cancelled',
      cancel_amount: roundMoney(payment.cancel_amount + amount),
      cancelled_at: this.unix(),
    };
    this.payments.set(impUid, cancelled);
    return structuredClone(cancelled);
  }

  private unix(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }
}

/** PortOne answered HTTP 200 with `code != 0`. */
const refusal = (message: string) => new UpstreamRejectedError(message, 1);
