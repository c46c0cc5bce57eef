import { lambdaEntry } from '../runtime/entry';
import { redirectHandler } from '../runtime/handlers';

export const handler = lambdaEntry('redirect', redirectHandler);
