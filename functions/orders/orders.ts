import { InvalidRequestError } from '../domain/model/errors';
import { BROWSER_BUDGET_MS, budgetOf } from '../domain/rules/budget';
import { roundMoney } from '../domain/rules/observation';
import type { CancellationDeps } from '../domain/use-cases/cancel-at-portone';
import { type RefundResult, refundOrder } from '../domain/use-cases/refund-order';
import { type RegistrationDeps, registerOrder } from '../domain/use-cases/register-order';
import { toOrderView } from '../http/order-view';
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
        return refundResponse(result);
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
          : json(404, { status: 'not_found', message: `order ${merchant} is not registered` });
      }
      return json(405, {
        status: 'invalid_request',
        message: `${method} ${event.rawPath} is not supported; use POST /orders, GET /orders/{merchant_uid} or POST /orders/{merchant_uid}/cancel`,
      });
    } catch (error) {
      return errorResponse(error, log);
    }
  };

/** docs/design.md §4.1's answers to a refund. */
const refundResponse = (result: RefundResult): HttpResult => {
  if (result.kind === 'conflict') return json(409, { status: 'conflict', message: result.message });
  const { order, refund } = result;
  const view = toOrderView(order);
  switch (result.kind) {
    case 'done': {
      const left = roundMoney(refund.balance - refund.amount) > 0;
      const status =
        order.status === 'cancelled' || order.status === 'partially_cancelled'
          ? order.status
          : left
            ? 'partially_cancelled'
            : 'cancelled';
      return json(200, { status, order: view });
    }
    case 'requested':
      return json(202, {
        status: 'requested',
        message: 'PortOne has the refund; it shows once the money is returned',
        order: view,
      });
    case 'failed':
      return json(502, {
        status: 'upstream_error',
        message: `PortOne could not refund now (${refund.message ?? 'unreachable'}); it is retried automatically; repeat with the same request_id to follow it`,
        order: view,
      });
    case 'rejected':
      return json(422, {
        status: 'rejected',
        message: refund.message ?? 'PortOne refused the refund',
        order: view,
      });
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
