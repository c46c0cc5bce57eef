import { InvalidRequestError } from '../domain/model/errors';
import { BROWSER_BUDGET_MS, budgetOf } from '../domain/rules/budget';
import type { CancellationDeps } from '../domain/use-cases/cancel-at-portone';
import { refundOrder } from '../domain/use-cases/refund-order';
import { type RegistrationDeps, registerOrder } from '../domain/use-cases/register-order';
import { orderNotRegistered, routeNotSupported } from '../http/messages';
import { toOrderView } from '../http/order-view';
import { refundAnswer } from '../http/presenters/refund';
import { readBody } from '../http/request';
import { errorResponse, json } from '../http/responses';
import { merchantUid, orderRegistration, parseWith, refundRequest } from '../http/schemas';
import type { HttpEvent, HttpResult } from '../http/types';

export type OrdersDeps = RegistrationDeps & { cancellation: CancellationDeps };

/**
 * `POST /orders`, `GET /orders/{merchant_uid}` and
 * `POST /orders/{merchant_uid}/cancel`: the merchant's own backend
 * (IAM-authorized in AWS) registers what an order must cost, reads its
 * payment state, and refunds it.
 */
export const createOrdersHandler =
  (deps: OrdersDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    let log = deps.log.with({ route: 'orders', api_request_id: event.requestContext.requestId });
    try {
      const method = event.requestContext.http.method;
      const refundPath = isRefundPath(event);
      const id = pathId(event);
      if (method === 'POST' && refundPath && id !== undefined) {
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
        log.info('order registered', { created });
        return json(created ? 201 : 200, toOrderView(order));
      }
      if (method === 'GET' && id !== undefined && !refundPath) {
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

const isRefundPath = (event: HttpEvent): boolean =>
  event.routeKey === 'POST /orders/{merchant_uid}/cancel' ||
  /^\/orders\/[^/]*\/cancel\/?$/.test(event.rawPath ?? '');

/** The `{merchant_uid}` path segment: from API Gateway's path parameters, or the raw path locally. */
const pathId = (event: HttpEvent): string | undefined => {
  const fromGateway = event.pathParameters?.merchant_uid;
  if (fromGateway !== undefined) return fromGateway;
  const match = /^\/orders\/([^/]*)(?:\/cancel)?\/?$/.exec(event.rawPath ?? '');
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1] ?? '');
  } catch {
    throw new InvalidRequestError('merchant_uid in the path is not valid percent-encoding');
  }
};
