/**
 * The package's entry point: the service as one construct, for a CDK app of
 * your own (README, Deploying to AWS). Consumed as TypeScript source.
 */
export { SETTLED_EVENT } from '../functions/adapters/eventbridge/event-names';
export { ConfigurationError, type PaymentsConfig, type PortOneMode } from './config';
export { PaymentsStack, type PaymentsStackProps } from './payments-stack';
export { PortOnePayments, type PortOnePaymentsProps } from './portone-payments';
