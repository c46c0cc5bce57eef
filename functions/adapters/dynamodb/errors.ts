import { ItemTooLargeError, StorageUnavailableError } from '../../domain/model/errors';

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
 * the delivery is retried, so nothing is lost (I6). The one permanent
 * failure is an item too large to write.
 */
export const storageError = (
  error: unknown,
  operation: string,
): StorageUnavailableError | ItemTooLargeError => {
  // DynamoDB's own words for an item over 400 KB: permanent, never a transient 503 loop (I9).
  if (
    error instanceof Error &&
    error.name === 'ValidationException' &&
    /item size/i.test(error.message)
  ) {
    return new ItemTooLargeError(`DynamoDB ${operation} refused: the order item is too large`, {
      cause: error,
    });
  }
  return new StorageUnavailableError(
    `DynamoDB ${operation} failed: ${error instanceof Error ? error.name : 'unknown error'}`,
    { cause: error },
  );
};
