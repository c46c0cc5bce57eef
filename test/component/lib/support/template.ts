import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { buildApp } from '../../../../lib/app';
import { PaymentsStack, type PaymentsStackProps } from '../../../../lib/payments-stack';

/** Helpers of the infra tests: synthesizing the stack and reading its template. */

// `new App()` does not read cdk.json, so pass its feature flags to test what `cdk synth` builds.
export const cdkContext: Record<string, unknown> = JSON.parse(
  readFileSync(join(__dirname, '../../../../cdk.json'), 'utf8'),
).context;

export const RESULT_PAGE_URL = 'https://shop.example/payments/result';

/** The payment functions, by the name their logical ids start with. */
export const FUNCTIONS = ['Complete', 'Redirect', 'Webhook', 'Orders', 'Reconcile'] as const;
/** Behind API Gateway. */
export const API_FUNCTIONS = ['Complete', 'Redirect', 'Webhook', 'Orders'] as const;
/** Run the payment verification, which logs forgeries, duplicate payments and merchant mismatches. */
export const VERIFYING_FUNCTIONS = ['Complete', 'Redirect', 'Webhook', 'Reconcile'] as const;

// Each App gets its own outdir, removed by `removeOutdirs` (call it in afterAll):
// CDK removes its temporary outdirs on process exit, which vitest's workers never reach.
const outdirs: string[] = [];
export const removeOutdirs = () => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};

export const tempOutdir = (prefix = 'payments-stack-') => {
  const outdir = mkdtempSync(join(tmpdir(), prefix));
  outdirs.push(outdir);
  return outdir;
};

/** Bundling is skipped except where a test needs the real bundles. */
export const contextFor = (bundle: boolean): Record<string, unknown> =>
  bundle ? cdkContext : { ...cdkContext, 'aws:cdk:bundling-stacks': [] };

/** The app as bin/app.ts builds it from CDK context (strings, as `-c key=value` passes them), without cdk-nag. */
export const appFromContext = (context: Record<string, unknown>) =>
  buildApp({ nag: false, outdir: tempOutdir(), context: { ...contextFor(false), ...context } });

export const newApp = ({ bundle = false } = {}) => {
  const outdir = tempOutdir();
  return { app: new App({ outdir, context: contextFor(bundle) }), outdir };
};

export const synth = (props: PaymentsStackProps = {}, options: { bundle?: boolean } = {}) => {
  const { app, outdir } = newApp(options);
  const stack = new PaymentsStack(app, 'PortOnePayments', {
    resultPageUrl: RESULT_PAGE_URL,
    ...props,
  });
  return { template: Template.fromStack(stack), outdir, stack };
};

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped
export type Json = any;

export const resources = (template: Template, type: string): Record<string, Json> =>
  template.findResources(type);

export const onlyId = (template: Template, type: string) => {
  const ids = Object.keys(resources(template, type));
  expect(ids, type).toHaveLength(1);
  return ids[0] as string;
};

/** The functions by name (Complete, Redirect, …) with their logical ids. */
export const functionsOf = (
  template: Template,
  names: readonly string[] = FUNCTIONS,
): { name: string; id: string; props: Json; resource: Json }[] => {
  const found = Object.entries(resources(template, 'AWS::Lambda::Function'));
  return names.map((name) => {
    const matches = found.filter(([id]) => id.startsWith(`${name}Function`));
    expect(matches, name).toHaveLength(1);
    const [id, resource] = matches[0] as [string, Json];
    return { name, id, props: resource.Properties, resource };
  });
};

export const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every IAM statement that applies to a function's role, inline and attached. */
export const statementsOf = (template: Template, roleId: string): Json[] =>
  Object.values(resources(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as Json[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);

export const actionsOf = (statement: Json): string[] =>
  asArray(statement.Action as string | string[]);

/** A configuration with every context option set, for checks that must hold whatever is configured. */
export const EVERY_OPTION: Readonly<Record<string, unknown>> = {
  stage: 'staging',
  allowedOrigins: 'https://shop.example',
  portoneMode: 'test',
  throttleRate: '20',
  throttleBurst: '40',
  webhookThrottleRate: '30',
  webhookThrottleBurst: '60',
  browserThrottleRate: '10',
  browserThrottleBurst: '20',
  trustedThrottleRate: '5',
  trustedThrottleBurst: '10',
  alarmEmail: 'ops@shop.example',
  webhookAllowedIps: '52.78.100.19',
  webhookReservedConcurrency: '10',
  secretAdminArns: 'arn:aws:iam::123456789012:role/PaymentsAdmin',
  portoneV2: 'true',
  portoneV2StoreId: 'store-4b9a1c2e-0d3f-4a5b-8c7d-9e0f1a2b3c4d',
};
