import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The table as the CDK stack defines it: one string partition key, on-demand. */
export const createPaymentsTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<void> => {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
};
