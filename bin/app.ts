import { App } from 'aws-cdk-lib';
import { PaymentsStack, type PortOneMode } from '../lib/payments-stack';

const app = new App();
const ctx = (k: string): string | undefined => app.node.tryGetContext(k)?.toString() || undefined;
const num = (k: string) => (ctx(k) === undefined ? undefined : Number(ctx(k)));
new PaymentsStack(app, 'PortOnePayments', {
  resultPageUrl: ctx('resultPageUrl'), // required: the stack throws naming the key when missing
  portoneApiUrl: ctx('portoneApiUrl'),
  portoneMode: ctx('portoneMode') as PortOneMode | undefined, // checked by the stack
  allowedOrigins: ctx('allowedOrigins')?.split(','),
  portoneApiKey: ctx('portoneApiKey'), // TODO: Secrets Manager (later issue)
  portoneApiSecret: ctx('portoneApiSecret'),
  throttleRate: num('throttleRate'),
  throttleBurst: num('throttleBurst'),
});
