import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN } from '../functions/adapters/dynamodb/table-design';

const { partitionKey, recheckIndex } = TABLE_DESIGN;

/** The table as the CDK construct defines it, from the one table design (table-design.ts). */
export const createPaymentsTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<void> => {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [partitionKey, recheckIndex.partitionKey, recheckIndex.sortKey].map(
          (name) => ({ AttributeName: name, AttributeType: 'S' as const }),
        ),
        KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
        BillingMode: TABLE_DESIGN.billingMode,
        // Settlement events are read from the stream (local/settlement-stream.ts, functions/settled).
        StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_DESIGN.streamView },
        // Sparse: only orders with a recheck time are in it (functions/adapters/dynamodb/keys.ts).
        GlobalSecondaryIndexes: [
          {
            IndexName: recheckIndex.name,
            KeySchema: [
              { AttributeName: recheckIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: recheckIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: recheckIndex.projection },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
};
