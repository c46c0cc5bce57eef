import { lambdaEntry } from '../runtime/entry';
import { webhookHandler } from '../runtime/handlers';

export const handler = lambdaEntry('webhook', webhookHandler);
