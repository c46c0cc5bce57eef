import { buildApp } from '../lib/app';
import { ConfigurationError } from '../lib/config';

// Context comes from cdk.json and `-c key=value` (README, Deploying to AWS).
try {
  buildApp();
} catch (error) {
  // A configuration mistake is the merchant's to fix: one line, no stack trace.
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(`Configuration error: ${error.message}`);
  process.exit(1);
}
