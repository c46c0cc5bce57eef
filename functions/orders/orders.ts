import { InvalidRequestError } from '../domain/errors';
import { toOrderView } from '../domain/order-view';
import { type RegistrationDeps, registerOrder } from '../domain/register-order';
import { readBody } from '../http/request';
import { errorResponse, json } from '../http/responses';
import { merchantUid, orderRegistration, parseWith } from '../http/schemas';
import type { HttpEvent, HttpResult } from '../http/types';

export type OrdersDeps = RegistrationDeps;

/**
 * `POST /orders` and `GET /orders/{merchant_uid}`: the merchant's own backend
 * (IAM-authorized in AWS) registers what an order must cost and reads its
 * payment state.
 */
export const createOrdersHandler =
  (deps: OrdersDeps) =>
  async (event: HttpEvent): Promise<HttpResult> => {
    let log = deps.log.with({ route: 'orders' });
    try {
      const method = event.requestContext.http.method;
      const id = pathId(event);
      if (method === 'POST' && id === undefined) {
        const terms = parseWith(orderRegistration, readBody(event));
        log = log.with({ merchant_uid: terms.merchant_uid });
        const { created, order } = await registerOrder({ ...deps, log }, terms);
        log.info('order registered', { created });
        return json(created ? 201 : 200, toOrderView(order));
      }
      if (method === 'GET' && id !== undefined) {
        const merchant = parseWith(merchantUid, id);
        const order = await deps.store.findOrder(merchant);
        log.info('order read', { merchant_uid: merchant, found: order !== null });
        return order
          ? json(200, toOrderView(order))
          : json(404, { status: 'not_found', message: `order ${merchant} is not registered` });
      }
      return json(405, {
        status: 'invalid_request',
        message: `${method} ${event.rawPath} is not supported; use POST /orders or GET /orders/{merchant_uid}`,
      });
    } catch (error) {
      return errorResponse(error, log);
    }
  };

/** The `{merchant_uid}` path segment: from API Gateway's path parameters, or the raw path locally. */
const pathId = (event: HttpEvent): string | undefined => {
  const fromGateway = event.pathParameters?.merchant_uid;
  if (fromGateway !== undefined) return fromGateway;
  const match = /^\/orders\/([^/]*)\/?$/.exec(event.rawPath ?? '');
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1] ?? '');
  } catch {
    throw new InvalidRequestError('merchant_uid in the path is not valid percent-encoding');
  }
};
