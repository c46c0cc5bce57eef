import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/** How often the reconciler runs; the store rechecks an unconfirmed order after 10 minutes. */
export const RECONCILE_EVERY = Duration.minutes(5);

export interface ReconcileScheduleProps {
  readonly reconciler: LambdaFn;
  readonly stage: string;
}

/**
 * The backstop for webhooks that never arrive (PortOne sends each once by
 * default). A failed run is not retried: the next run is the retry.
 */
export class ReconcileSchedule extends Rule {
  constructor(scope: Construct, id: string, { reconciler, stage }: ReconcileScheduleProps) {
    reconciler.configureAsyncInvoke({ retryAttempts: 0 });
    super(scope, id, {
      description: `Runs the reconciler (portone-payments ${stage})`,
      schedule: Schedule.rate(RECONCILE_EVERY),
      targets: [new LambdaFunction(reconciler, { retryAttempts: 2 })],
    });
  }
}
