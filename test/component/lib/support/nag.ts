import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Helpers of the cdk-nag checks: the findings of a synth, and what the constructs acknowledged. */

/**
 * The findings PortOnePayments acknowledges, by rule and construct path
 * relative to the construct, wherever it is used.
 */
export const REVIEWED_FINDINGS = [
  'AwsSolutions-APIG4 Api/GET--payments--complete',
  'AwsSolutions-APIG4 Api/POST--payments--complete',
  'AwsSolutions-APIG4 Api/POST--payments--webhook',
  'AwsSolutions-APIG4 Api/POST--v2--payments--complete',
  'AwsSolutions-APIG4 Api/GET--v2--payments--complete',
  'AwsSolutions-APIG4 Api/POST--v2--payments--webhook',
  'AwsSolutions-L1 CompleteFunction',
  'AwsSolutions-L1 OrdersFunction',
  'AwsSolutions-L1 ReconcileFunction',
  'AwsSolutions-L1 RedirectFunction',
  'AwsSolutions-L1 SettledFunction',
  'AwsSolutions-L1 WebhookFunction',
  'AwsSolutions-IAM5[Resource::*] SettledFunctionRole',
  'AwsSolutions-SMG4 PortOneApiCredentials',
  'AwsSolutions-SQS3 SettledDeadLetters',
] as const;

export interface Finding {
  rule: string;
  path: string;
}

export const findingsOf = (outdir: string): Finding[] => {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap(
    (plugin: {
      violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
    }) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map((c) => ({
          rule: violation.ruleName,
          path: c.constructPath,
        })),
      ),
  );
};

export interface Acknowledgement {
  id: string;
  path: string;
  reason: string;
}

/** What the constructs recorded with Validations.of(…).acknowledge, as CDK keeps it. */
export const acknowledgementsIn = (root: IConstruct): Acknowledgement[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^Annotation::/, ''),
          path: construct.node.path,
          reason,
        })),
      ),
  );
