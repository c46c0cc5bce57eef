import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

const projectRoot = join(__dirname, '..');

/** The DynamoDB item actions the order store uses; nothing else is ever granted. */
const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem'],
  readWrite: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
} as const;

export type TableAccess = keyof typeof TABLE_ACTIONS;

export interface ServiceFunctionProps {
  /** The directory under functions/ whose handler.ts exports `handler`. */
  readonly name: string;
  readonly description?: string;
  readonly environment?: Record<string, string>;
}

/**
 * The house Lambda function: Node.js 22 on arm64, bundled by the local esbuild
 * (never Docker), with its own log group. Every handler is built the same way.
 */
export class ServiceFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    // A sibling of the function: it must exist before super() can reference it.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    super(scope, id, {
      description: props.description,
      entry: join(projectRoot, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      // Explicit, so synth works whatever the current directory is (toolchain P7).
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      // Below API Gateway's 30 s integration limit, so the function answers rather than the gateway.
      timeout: Duration.seconds(28),
      logGroup,
      environment: { ...props.environment },
      bundling: {
        minify: true,
        sourceMap: false,
        target: 'node22',
        format: OutputFormat.CJS,
        // The Lambda runtime provides AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });
  }

  /** Grants exactly the item actions for `access` on the table and points TABLE_NAME at it. */
  useTable(table: ITable, access: TableAccess): this {
    table.grant(this, ...TABLE_ACTIONS[access]);
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }
}
