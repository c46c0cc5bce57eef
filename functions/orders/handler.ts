import { lambdaEntry } from '../runtime/entry';
import { ordersHandler } from '../runtime/handlers';

export const handler = lambdaEntry('orders', ordersHandler);
