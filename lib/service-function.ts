import { join } from 'node:path';
import { CfnResource, Duration, Lazy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  type CfnFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FUNCTION_BUNDLING } from './bundling';
import { memoryOf } from './memory';

const projectRoot = join(__dirname, '..');

/**
 * NodejsFunction silently falls back to bundling in Docker when it cannot find
 * esbuild; this project bundles with the local esbuild (a devDependency) only.
 */
let esbuildFound = false;
const assertLocalEsbuild = () => {
  if (esbuildFound) return;
  try {
    require.resolve('esbuild', { paths: [projectRoot] });
    esbuildFound = true;
  } catch {
    throw new Error(
      'esbuild is not installed: run `npm ci` first. Functions are bundled by the local esbuild, never in Docker.',
    );
  }
};

/**
 * Lambda's Function makes its resource depend on the whole role construct, so
 * the template says `DependsOn: [<role>DefaultPolicy, <role>]`. The role half
 * is redundant, its `Role: Fn::GetAtt` already orders it (cfn-lint W3005); the
 * policy half is not: without it CloudFormation could create the function, and
 * an event source mapping or a first invocation could use it, before its
 * permissions are attached. So DependsOn keeps every dependency but the role,
 * computed when the template is written (after CDK has turned construct
 * dependencies into resource ones).
 */
const dropRedundantRoleDependency = (fn: CfnResource, role: CfnResource): void => {
  fn.addOverride(
    'DependsOn',
    Lazy.list({
      produce: () =>
        fn
          .obtainDependencies()
          .filter(
            (dependency): dependency is CfnResource =>
              CfnResource.isCfnResource(dependency) &&
              dependency !== role &&
              Stack.of(dependency) === Stack.of(fn),
          )
          .sort((a, b) => a.node.path.localeCompare(b.node.path))
          .map((dependency) => dependency.logicalId),
    }),
  );
};

/**
 * Exactly the item actions the handlers issue (functions/adapters/dynamodb): no
 * Scan, no Query on the table, no deletes, no batches.
 */
const ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

export interface ServiceFunctionProps {
  /** The directory under functions/ whose handler.ts exports `handler`. */
  readonly name: string;
  readonly description?: string;
  readonly environment?: Record<string, string>;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** @default 28 seconds, below API Gateway's 30 s integration limit */
  readonly timeout?: Duration;
  /**
   * Executions kept for this function alone, out of the account's unreserved
   * pool; it then never runs more than that. @default none: the shared pool
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The house Lambda function: Node.js 22 on arm64, bundled and minified by the
 * local esbuild (never Docker), with its own log group and its own role that
 * may write only to that log group. Table and secret access is added
 * explicitly, action by action, with `useTable`, `useIndex` and `useSecret`.
 */
export class ServiceFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    assertLocalEsbuild();
    // Siblings of the function: they must exist before super() can reference them.
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:CreateLogGroup and writes to
    // any log group in the account): write access to this function's group only.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.name} function`,
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    super(scope, id, {
      description: props.description,
      entry: join(projectRoot, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      // Explicit, so synth works whatever the current directory is: NodejsFunction
      // otherwise guesses the project root from the lock file nearest to it.
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      // Per function (lib/memory.ts), as the bench chose it.
      memorySize: memoryOf(props.name),
      // Below API Gateway's 30 s integration limit, so the function answers rather than the gateway.
      timeout: props.timeout ?? Duration.seconds(28),
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      role,
      logGroup,
      // JSON, so Lambda can filter by level: its own START and REPORT lines are
      // INFO and dropped (WARN), about 360 bytes of every invocation's logs
      // (bench section 9); duration, memory and errors stay in Lambda's metrics
      // and alarms. Powertools prints through its own console, so its lines are
      // written as they are, with their level (INFO, the deployed default).
      loggingFormat: LoggingFormat.JSON,
      systemLogLevelV2: SystemLogLevel.WARN,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      environment: { ...props.environment },
      // Shared with the benchmark, so that it measures exactly what is deployed.
      bundling: {
        ...FUNCTION_BUNDLING,
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        mainFields: [...FUNCTION_BUNDLING.mainFields],
      },
    });
    dropRedundantRoleDependency(
      this.node.defaultChild as CfnFunction,
      role.node.defaultChild as CfnResource,
    );
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x on purpose: docs/design.md §7 specifies Node.js 22, the handlers and their tests run on Node 22, and Lambda supports nodejs22.x (deprecation scheduled for 2027). Moving to nodejs24.x is a one-line change in lib/service-function.ts once the handlers are tested on Node 24.',
    });
  }

  /**
   * Grants the item actions on the table itself and points TABLE_NAME at it.
   * Not `table.grant`: with a secondary index that also grants `index/*`.
   */
  useTable(table: ITable): this {
    this.addToRolePolicy(
      new PolicyStatement({ actions: ITEM_ACTIONS, resources: [table.tableArn] }),
    );
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  /** Grants Query, the one read of an index, on one named index of the table (not `index/*`). */
  useIndex(table: ITable, indexName: string): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${indexName}`],
      }),
    );
    return this;
  }

  /**
   * Grants `secretsmanager:GetSecretValue` on this one secret (not DescribeSecret,
   * not any other secret) and points PORTONE_SECRET_ARN at it.
   */
  useSecret(secret: ISecret): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secret.secretArn],
      }),
    );
    this.addEnvironment('PORTONE_SECRET_ARN', secret.secretArn);
    return this;
  }
}
