import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ServiceFunction } from './service-function';

export interface SettledFunctionProps {
  /** The orders table; its stream feeds the function. */
  readonly table: ITable;
  /** Where the events go. */
  readonly eventBus: IEventBus;
  readonly stage: string;
}

/**
 * "Payment settled" events: the table's stream feeds this function, which
 * publishes one event per outcome an order first reaches
 * (functions/domain/rules/settlement.ts). A failed publication is retried from the
 * failed record (partial batch response) for as long as the stream keeps it
 * (24 hours); what still fails lands in `deadLetters`, and every order item
 * keeps its `settled` stamps to republish from.
 */
export class SettledFunction extends ServiceFunction {
  /** Stream batches the function could not publish within the stream's 24 hours. */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, { table, eventBus, stage }: SettledFunctionProps) {
    super(scope, id, {
      name: 'settled',
      description: `Table stream: publish "Payment settled" events (${stage})`,
      environment: { EVENT_BUS_NAME: eventBus.eventBusName },
      timeout: Duration.minutes(1),
    });
    eventBus.grantPutEventsTo(this);
    Validations.of(this.role ?? this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "dynamodb:ListStreams, which Lambda's DynamoDB event source needs (AWSLambdaDynamoDBExecutionRole has the same), supports no resource-level permission; it lists stream ARNs only. Reading records (DescribeStream, GetShardIterator, GetRecords) is granted on this table's stream alone.",
    });

    // A sibling of the function, like its log group and role (ServiceFunction).
    this.deadLetters = new Queue(scope, 'SettledDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination of the settled function's stream event source; it holds only record pointers (shard and sequence numbers) for an operator, and the SettledDeadLettersAlarm fires on its first message.",
    });
    this.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        retryAttempts: 10_000,
        maxRecordAge: Duration.hours(24),
        onFailure: new SqsDlq(this.deadLetters),
        // Only an order that is final can carry a new outcome; the rest never invokes the function.
        filters: [
          FilterCriteria.filter({
            dynamodb: { NewImage: { type: { S: ['order'] }, final: { BOOL: [true] } } },
          }),
        ],
      }),
    );
  }
}
