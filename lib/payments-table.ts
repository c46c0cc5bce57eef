import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../functions/adapters/dynamodb/table-design';

/**
 * The orders table, from the store's design (functions/adapters/dynamodb/table-design.ts):
 * on-demand, point-in-time recovery, deletion protection, and kept when the
 * stack is deleted, because it holds the payment records.
 */
export class PaymentsTable extends Table {
  constructor(scope: Construct, id: string) {
    const { partitionKey, recheckIndex } = TABLE_DESIGN;
    super(scope, id, {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode[TABLE_DESIGN.billingMode],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The settled function announces outcomes from the stream, not from the handlers.
      stream: StreamViewType[TABLE_DESIGN.streamView],
    });
    this.addGlobalSecondaryIndex({
      indexName: recheckIndex.name,
      partitionKey: { name: recheckIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: recheckIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType[recheckIndex.projection],
    });
  }
}
