/**
 * PortOne V1 simulator: a real HTTP server that behaves like api.iamport.kr
 * (see shared/reference/portone-v1.md), plus /__sim/ control endpoints for
 * tests and the local dev stack.
 */
export { iamportScript } from './checkout/sdk-script';
export type {
  CheckoutAction,
  CheckoutAnswer,
  CheckoutCompleteInput,
  CheckoutFlag,
  CheckoutOpenAnswer,
  CheckoutOpenInput,
  CheckoutParams,
  CheckoutReport,
  CheckoutWebhook,
  DepositWebhook,
} from './checkout/types';
export { SimulatorControl, SimulatorControlError } from './control-client';
export {
  type ExtraRoutes,
  type RunningSimulator,
  type SimulatorOptions,
  startPortOneSimulator,
} from './server';
export { DEFAULT_API_KEY, DEFAULT_API_SECRET, SimulatorState } from './state';
export type {
  ApiRoute,
  AuthForm,
  BehaviorPatch,
  CallRecord,
  CancelBehavior,
  ControlState,
  CreatePaymentInput,
  DeliveryOutcome,
  Fault,
  FaultInput,
  FaultKind,
  FaultRoute,
  PaymentBehavior,
  PendingCancel,
  SendWebhookInput,
  SettleOutcome,
  SimCancelHistoryEntry,
  SimDepositHistoryEntry,
  SimPayment,
  SimStatus,
  SimulatorConfig,
  StatusAfterPartialCancel,
  WebhookFormat,
  WebhookLogEntry,
} from './types';
