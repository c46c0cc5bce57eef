import { InvalidRequestError } from '../domain/model/errors';
import { BROWSER_BUDGET_MS, budgetOf } from '../domain/rules/budget';
import type { CancellationDeps } from '../domain/use-cases/cancel-at-portone';
import { issuePaymentId, type PaymentIdDeps } from '../domain/use-cases/issue-payment-id';
import { refundOrder } from '../domain/use-cases/refund-order';
import { type RegistrationDeps, registerOrder } from '../domain/use-cases/register-order';
import { orderNotRegistered, routeNotSupported } from '../http/messages';
import { toOrderView } from '../http/order-view';
import { refundAnswer } from '../http/presenters/refund';
import { readBody } from '../http/request';
import { errorResponse, json } from '../http/responses';
import { merchantUid, orderRegistration, parseWith, refundRequest } from '../http/schemas';
import type { HttpEvent, HttpResult } from '../http/types';

export type OrdersDeps = RegistrationDeps & {
  cancellation: CancellationDeps;
  paymentIds: Pick<PaymentIdDeps, 'registry' | 'random'>;
};

/**
 * `POST /orders`, `GET /orders/{merchant_uid}`,
 * `POST /orders/{merchant_uid}/payments` and
 * `POST /orders/{merchant_uid}/cancel`: the merchant's own backend
 * (IAM-authorized in AWS) registers what an order must cost, reads its
 * payment state, issues V2 payment ids for its checkout attempts, and
 * refunds it.
 */
export const createOrdersHandler =
  (deps: OrdersDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    let log = deps.log.with({ route: 'orders', api_request_id: event.requestContext.requestId });
    try {
      const method = event.requestContext.http.method;
      const action = actionOf(event);
      const id = pathId(event);
      if (method === 'POST' && action === 'payments' && id !== undefined) {
        const merchant = parseWith(merchantUid, id);
        readBody(event); // none is needed; an empty body or `{}` is fine, an oversized one is not
        log = log.with({ merchant_uid: merchant });
        const issued = await issuePaymentId(
          { ...deps, ...deps.paymentIds, log, budget: budgetOf(BROWSER_BUDGET_MS) },
          merchant,
        );
        log.info('payment id answered', { payment_id: issued.payment_id });
        return json(201, issued);
      }
      if (method === 'POST' && action === 'cancel' && id !== undefined) {
        const merchant = parseWith(merchantUid, id);
        const body = parseWith(refundRequest, readBody(event));
        log = log.with({ merchant_uid: merchant, request_id: body.request_id });
        const result = await refundOrder(
          { ...deps.cancellation, log, budget: budgetOf(BROWSER_BUDGET_MS) },
          merchant,
          {
            requestId: body.request_id,
            reason: body.reason,
            amount: body.amount ?? null,
            refundAccount: body.refund ? { ...body.refund, tel: body.refund.tel ?? null } : null,
          },
        );
        log.info('refund answered', { result: result.kind });
        return refundAnswer(result);
      }
      if (method === 'POST' && id === undefined) {
        const terms = parseWith(orderRegistration, readBody(event));
        log = log.with({ merchant_uid: terms.merchant_uid });
        const { created, order } = await registerOrder({ ...deps, log }, terms);
        log.info('order registered', { created, prepared: order.prepared });
        return json(created ? 201 : 200, toOrderView(order));
      }
      if (method === 'GET' && id !== undefined && action === null) {
        const merchant = parseWith(merchantUid, id);
        const order = await deps.store.findOrder(merchant);
        log.info('order read', { merchant_uid: merchant, found: order !== null });
        return order
          ? json(200, toOrderView(order))
          : json(404, { status: 'not_found', message: orderNotRegistered(merchant) });
      }
      return json(405, {
        status: 'invalid_request',
        message: routeNotSupported(method, event.rawPath),
      });
    } catch (error) {
      return errorResponse(error, log);
    }
  };

/** What follows `/orders/{merchant_uid}`: a refund, a payment id, or nothing (the order itself). */
const actionOf = (event: HttpEvent): 'cancel' | 'payments' | null => {
  const fromGateway = /^\w+ \/orders\/\{merchant_uid\}\/(cancel|payments)$/.exec(
    event.routeKey ?? '',
  );
  const fromPath = /^\/orders\/[^/]*\/(cancel|payments)\/?$/.exec(event.rawPath ?? '');
  return ((fromGateway ?? fromPath)?.[1] as 'cancel' | 'payments' | undefined) ?? null;
};

/** The `{merchant_uid}` path segment: from API Gateway's path parameters, or the raw path locally. */
const pathId = (event: HttpEvent): string | undefined => {
  const fromGateway = event.pathParameters?.merchant_uid;
  if (fromGateway !== undefined) return fromGateway;
  const match = /^\/orders\/([^/]*)(?:\/cancel|\/payments)?\/?$/.exec(event.rawPath ?? '');
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1] ?? '');
  } catch {
    throw new InvalidRequestError('merchant_uid in the path is not valid percent-encoding');
  }
};
