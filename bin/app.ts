import { buildApp } from '../lib/app';
import { ConfigurationError } from '../lib/config';

// This repository's app, and the example of using the construct in an app of
// your own (README, Deploying to AWS): lib/app.ts makes an App with cdk-nag and
// one stack, lib/payments-stack.ts puts one PortOnePayments in that stack and
// turns its properties into outputs. Context comes from cdk.json and
// `-c key=value`.
try {
  buildApp();
} catch (error) {
  // A configuration mistake is the merchant's to fix: one line, no stack trace.
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(`Configuration error: ${error.message}`);
  process.exit(1);
}
