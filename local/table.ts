import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The table as the CDK stack defines it: one string partition key, on-demand, the recheck index, the stream. */
export const createPaymentsTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<void> => {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'recheck_shard', AttributeType: 'S' },
          { AttributeName: 'recheck_at', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        // Settlement events are read from the stream (local/settlement-stream.ts, functions/settled).
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        // Sparse: only orders with a recheck time are in it (functions/adapters/dynamodb/keys.ts).
        GlobalSecondaryIndexes: [
          {
            IndexName: 'recheck',
            KeySchema: [
              { AttributeName: 'recheck_shard', KeyType: 'HASH' },
              { AttributeName: 'recheck_at', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
};
