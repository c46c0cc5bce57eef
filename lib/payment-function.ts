import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../functions/adapters/dynamodb/table-design';
import { PORTONE_V2_FROM_SECRET } from '../functions/runtime/setting-rules';
import { ROUTES, routeKeyOf } from './api-edge';
import type { PaymentsConfig } from './config';
import { RECONCILE_EVERY } from './reconcile-schedule';
import { ServiceFunction } from './service-function';

export type FunctionName = 'complete' | 'redirect' | 'webhook' | 'orders' | 'reconcile';

interface FunctionSpec {
  /** What it does; the description also names its routes (lib/api-edge.ts ROUTES), if any. */
  readonly description: string;
  /** Queries the recheck index. @default false */
  readonly readsRecheckIndex?: boolean;
  /** @default 28 seconds (below API Gateway's 30 s) */
  readonly timeout?: Duration;
  /**
   * Handlers that verify payments log "forgery detected", "duplicate payment
   * detected" and "merchant mismatch detected".
   */
  readonly verifiesPayments: boolean;
}

/**
 * The functions of the routes of docs/design.md §4 (lib/api-edge.ts ROUTES), and
 * the reconciler. Every one reads and writes order items and looks payments up
 * at PortOne with the key pair (orders too: PORTONE_PREPARE pre-registers the
 * amount, refunds cancel at PortOne).
 */
export const FUNCTIONS: Readonly<Record<FunctionName, FunctionSpec>> = {
  complete: { description: 'verify a payment the browser reports', verifiesPayments: true },
  redirect: { description: 'verify, then redirect to the result page', verifiesPayments: true },
  webhook: { description: 'PortOne payment notifications', verifiesPayments: true },
  orders: {
    description: 'trusted order registration and refunds (IAM)',
    verifiesPayments: false,
  },
  reconcile: {
    description: `Every ${RECONCILE_EVERY.toMinutes()} minutes: settle orders whose webhook never came`,
    // listDue reads the recheck index, never the table.
    readsRecheckIndex: true,
    // Not behind API Gateway; ends before the next run starts.
    timeout: Duration.minutes(4),
    verifiesPayments: true,
  },
};

export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** `webhook` → `Webhook`: the start of the construct ids of a function and of what belongs to it. */
export const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The routes of lib/api-edge.ts that reach a function; none for the reconciler. */
export const routesTo = (name: FunctionName) => ROUTES.filter((route) => route.function === name);

export interface PaymentFunctionProps {
  readonly name: FunctionName;
  readonly config: PaymentsConfig;
  readonly table: ITable;
  readonly secret: ISecret;
}

/**
 * With V2 on, every payment function talks to V2 too (verifying, cancelling,
 * pre-registering, reconciling V2 payment ids), with its secrets read from
 * the PortOne secret it already reads: never in the template. Off, nothing
 * V2 is set and the V2 routes answer 503 not_configured.
 */
const portoneV2Environment = ({ portoneV2 }: PaymentsConfig): Record<string, string> =>
  portoneV2 === null
    ? {}
    : {
        PORTONE_V2: PORTONE_V2_FROM_SECRET,
        PORTONE_V2_API_URL: portoneV2.apiUrl,
        ...(portoneV2.storeId === null ? {} : { PORTONE_V2_STORE_ID: portoneV2.storeId }),
      };

/**
 * One of the handlers of FUNCTIONS: item access to the orders table, the
 * PortOne key pair, and the deployment's PortOne settings.
 */
export class PaymentFunction extends ServiceFunction {
  constructor(scope: Construct, id: string, { name, config, table, secret }: PaymentFunctionProps) {
    const spec = FUNCTIONS[name];
    const routes = routesTo(name).map(routeKeyOf).join(', ');
    const reserved = name === 'webhook' ? config.webhookReservedConcurrency : undefined;
    super(scope, id, {
      name,
      description: `${routes ? `${routes}: ` : ''}${spec.description} (${config.stage})`,
      // No ALLOWED_ORIGINS: API Gateway answers CORS (lib/payments-api.ts), the functions set no CORS headers.
      environment: {
        PORTONE_API_URL: config.portoneApiUrl,
        PORTONE_MODE: config.portoneMode,
        RESULT_PAGE_URL: config.resultPageUrl,
        ...(config.webhookAllowedIps.length > 0
          ? { WEBHOOK_ALLOWED_IPS: config.webhookAllowedIps.join(',') }
          : {}),
        ...portoneV2Environment(config),
      },
      ...(spec.timeout ? { timeout: spec.timeout } : {}),
      ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
    });
    this.useTable(table);
    if (spec.readsRecheckIndex) this.useIndex(table, TABLE_DESIGN.recheckIndex.name);
    this.useSecret(secret);
  }
}
