import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { contextInput, resolveConfig } from './config';
import { PaymentsStack } from './payments-stack';

export interface BuildAppOptions extends AppProps {
  /** Run the cdk-nag AwsSolutions checks on synth. @default true */
  readonly nag?: boolean;
}

/**
 * The CDK app of `cdk synth`/`cdk deploy` (bin/app.ts) and of the nag and
 * cfn-lint tests, built the way a merchant's app uses the construct: an App,
 * one stack named after the stage with one PortOnePayments in it
 * (lib/payments-stack.ts), configured from CDK context, and cdk-nag's
 * AwsSolutions checks, so that a finding nobody acknowledged fails synth (and
 * therefore deploy).
 */
export const buildApp = ({ nag = true, ...props }: BuildAppOptions = {}) => {
  const app = new App(props);
  const config = resolveConfig(contextInput(app.node));
  const stack = new PaymentsStack(app, `PortOnePayments-${config.stage}`, config);
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
};
