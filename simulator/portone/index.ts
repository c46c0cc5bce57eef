/**
 * PortOne simulator: a real HTTP server that behaves like api.iamport.kr (V1)
 * and, under /v2-api, like api.portone.io (V2) (see shared/reference/portone-v1.md),
 * serves stand-ins for both browser SDKs (/v1/iamport.js, /v2-browser-sdk.js),
 * plus /__sim/ control endpoints for tests and the local dev stack.
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
export { V2_PREFIX } from './v2/api-routes';
export { V2_SDK_PATH } from './v2/checkout-routes';
export type {
  V2CheckoutAction,
  V2CheckoutAnswer,
  V2CheckoutOpenAnswer,
  V2PaymentRequest,
  V2PaymentResponse,
} from './v2/checkout-types';
export { V2SimulatorControl, type V2Transition } from './v2/control-client';
export { retryDelayMs, type V2RetryPolicy } from './v2/retry-schedule';
export { v2BrowserSdkScript } from './v2/sdk-script';
export {
  DEFAULT_V2_API_SECRET,
  DEFAULT_V2_MERCHANT_ID,
  DEFAULT_V2_STORE_ID,
  DEFAULT_V2_WEBHOOK_SECRET,
} from './v2/state';
export type {
  V2Amount,
  V2Cancellation,
  V2Channel,
  V2ChannelType,
  V2Config,
  V2ControlState,
  V2CreatePaymentInput,
  V2DeliveryOutcome,
  V2Method,
  V2PayMethod,
  V2Payment,
  V2PreRegistration,
  V2SendWebhookInput,
  V2Status,
  V2WebhookLogEntry,
  V2WebhookMode,
} from './v2/types';
export { signV2Webhook } from './v2/webhooks';
