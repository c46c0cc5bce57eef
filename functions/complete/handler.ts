import { lambdaEntry } from '../runtime/entry';
import { completeHandler } from '../runtime/handlers';

export const handler = lambdaEntry('complete', completeHandler);
