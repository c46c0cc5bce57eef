import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { orderChangesOf, type StreamRecord } from '../adapters/dynamodb/stream-changes';
import { eventBridgePublisher } from '../adapters/eventbridge/eventbridge-publisher';
import { announceSettlements } from '../domain/use-cases/announce-settlements';
import { loadEventsConfig } from '../runtime/config';
import { createLogger, powertoolsLog, withLambdaContext } from '../runtime/logger';

// Built once per container: the configuration is checked here, at cold start.
const logger = createLogger('payments-settled');
const log = powertoolsLog(logger);
const publisher = eventBridgePublisher(
  new EventBridgeClient({ maxAttempts: 3 }),
  loadEventsConfig().eventBusName,
);

/**
 * Reads the table's stream and publishes a "Payment settled" event for every
 * outcome an order reaches for the first time (functions/domain/rules/settlement.ts).
 * When EventBridge fails, the partial batch response makes Lambda deliver the
 * stream again from the first change not yet announced.
 */
export const handler = withLambdaContext(
  logger,
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const changes = orderChangesOf(event.Records as StreamRecord[]);
    const { retryFrom } = await announceSettlements(changes, { publisher, log });
    return { batchItemFailures: retryFrom ? [{ itemIdentifier: retryFrom }] : [] };
  },
);
