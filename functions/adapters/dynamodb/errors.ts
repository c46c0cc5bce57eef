import { StorageUnavailableError } from '../../domain/errors';

/** The failed condition's current item, which DynamoDB returns with ReturnValuesOnConditionCheckFailure. */
export const conditionFailure = (
  error: unknown,
): { item: Record<string, unknown> | undefined } | undefined => {
  if (!(error instanceof Error) || error.name !== 'ConditionalCheckFailedException')
    return undefined;
  // lib-dynamodb does not unmarshall this payload: it is raw AttributeValues.
  const item = (error as { Item?: Record<string, unknown> }).Item;
  return { item };
};

/**
 * Every other DynamoDB failure (throttling, 5xx, timeouts, network) is
 * transient from the caller's point of view: the handler answers 5xx and
 * the delivery is retried, so nothing is lost (I6).
 */
export const storageError = (error: unknown, operation: string): StorageUnavailableError =>
  new StorageUnavailableError(
    `DynamoDB ${operation} failed: ${error instanceof Error ? error.name : 'unknown error'}`,
    { cause: error },
  );
