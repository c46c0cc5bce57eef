import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { ServiceFunction } from './service-function';

export type PortOneMode = 'live' | 'test';

/**
 * Each prop has the name of the CDK context key it comes from (`cdk deploy -c key=value`),
 * so the error messages below name the key to set.
 */
export interface PaymentsStackProps extends StackProps {
  /** Where the redirect function sends the browser. Required. */
  readonly resultPageUrl?: string;
  /** @default https://api.iamport.kr */
  readonly portoneApiUrl?: string;
  /** Checked at synth too, since context arrives as a string. @default live */
  readonly portoneMode?: PortOneMode;
  /** Origins allowed to call POST /payments/complete from a browser. @default none (no CORS) */
  readonly allowedOrigins?: readonly string[];
  readonly portoneApiKey?: string;
  readonly portoneApiSecret?: string;
  /** Steady-state requests per second on the stage. @default 100 */
  readonly throttleRate?: number;
  /** @default 200 */
  readonly throttleBurst?: number;
}

export class PaymentsStack extends Stack {
  readonly table: Table;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Readonly<Record<FunctionName, ServiceFunction>>;

  constructor(scope: Construct, id: string, props: PaymentsStackProps = {}) {
    super(scope, id, props);
    const settings = validate(props);

    this.table = new Table(this, 'Orders', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const environment: Record<string, string> = {
      PORTONE_API_URL: settings.portoneApiUrl,
      PORTONE_MODE: settings.portoneMode,
      RESULT_PAGE_URL: settings.resultPageUrl,
      ALLOWED_ORIGINS: settings.allowedOrigins.join(','),
      // TODO: a later issue moves the PortOne key and secret to Secrets Manager
      // (PORTONE_SECRET_ARN); until then they come from context when given.
      ...(props.portoneApiKey ? { PORTONE_API_KEY: props.portoneApiKey } : {}),
      ...(props.portoneApiSecret ? { PORTONE_API_SECRET: props.portoneApiSecret } : {}),
    };
    const fn = (name: FunctionName, description: string) =>
      new ServiceFunction(this, `${capitalize(name)}Function`, {
        name,
        description,
        environment,
      }).useTable(this.table, 'readWrite');
    this.functions = {
      complete: fn('complete', 'POST /payments/complete: verify a payment the browser reports'),
      redirect: fn('redirect', 'GET /payments/complete: verify, then redirect to the result page'),
      webhook: fn('webhook', 'POST /payments/webhook: PortOne payment notifications'),
      orders: fn('orders', 'POST /orders, GET /orders/{merchant_uid}: trusted order registration'),
    };

    this.api = new HttpApi(this, 'Api', {
      description: 'PortOne payments',
      // Created below so that it can carry throttling.
      createDefaultStage: false,
      ...(settings.allowedOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...settings.allowedOrigins],
              allowMethods: [CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
              allowHeaders: ['content-type'],
            },
          }
        : {}),
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.throttleRate, burstLimit: settings.throttleBurst },
    });

    // One integration per function; each route still gets its own invoke permission.
    const integrate = (name: FunctionName) =>
      new HttpLambdaIntegration(`${capitalize(name)}Integration`, this.functions[name]);
    const route = (
      method: HttpMethod,
      path: string,
      integration: HttpLambdaIntegration,
      authorizer?: HttpIamAuthorizer,
    ) => this.api.addRoutes({ path, methods: [method], integration, authorizer });
    route(HttpMethod.POST, '/payments/complete', integrate('complete'));
    route(HttpMethod.GET, '/payments/complete', integrate('redirect'));
    route(HttpMethod.POST, '/payments/webhook', integrate('webhook'));
    // Trusted: only callers with IAM credentials (the merchant's backend) may register or read orders.
    const orders = integrate('orders');
    const iam = new HttpIamAuthorizer();
    route(HttpMethod.POST, '/orders', orders, iam);
    route(HttpMethod.GET, '/orders/{merchant_uid}', orders, iam);

    const endpoint = this.api.apiEndpoint;
    new CfnOutput(this, 'ApiUrl', { value: endpoint, description: 'HTTP API base URL' });
    new CfnOutput(this, 'WebhookUrl', {
      value: `${endpoint}/payments/webhook`,
      description: 'Paste into the PortOne console as the webhook (notification) URL',
    });
    new CfnOutput(this, 'RedirectUrl', {
      value: `${endpoint}/payments/complete`,
      description: 'Pass as m_redirect_url in IMP.request_pay (mobile redirect flow)',
    });
    new CfnOutput(this, 'CompleteUrl', {
      value: `${endpoint}/payments/complete`,
      description: 'POST {imp_uid, merchant_uid} here from the IMP.request_pay callback',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}

type FunctionName = 'complete' | 'redirect' | 'webhook' | 'orders';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

interface Settings {
  resultPageUrl: string;
  portoneApiUrl: string;
  portoneMode: PortOneMode;
  allowedOrigins: string[];
  throttleRate: number;
  throttleBurst: number;
}

/** Fails synth with a message naming the context key, rather than the function at cold start. */
const validate = (props: PaymentsStackProps): Settings => {
  const resultPageUrl = props.resultPageUrl?.trim();
  if (!resultPageUrl) {
    throw new Error(
      'Context value "resultPageUrl" is required (cdk deploy -c resultPageUrl=https://shop.example/result)',
    );
  }
  const portoneMode: string = props.portoneMode?.trim() || 'live';
  if (portoneMode !== 'live' && portoneMode !== 'test') {
    throw new Error(`Context value "portoneMode" must be live or test, got "${portoneMode}"`);
  }
  return {
    resultPageUrl: httpUrl('resultPageUrl', resultPageUrl),
    portoneApiUrl: httpUrl(
      'portoneApiUrl',
      props.portoneApiUrl?.trim() || 'https://api.iamport.kr',
    ),
    portoneMode,
    allowedOrigins: (props.allowedOrigins ?? [])
      .map((origin) => origin.trim())
      .filter(Boolean)
      .map((origin) => {
        if (origin === '*') return origin;
        const url = tryUrl(origin);
        if (url && url.origin === origin.replace(/\/$/, '')) return url.origin;
        throw new Error(
          `Context value "allowedOrigins" must list origins like https://shop.example, got "${origin}"`,
        );
      }),
    throttleRate: positive('throttleRate', props.throttleRate ?? 100, Number.isFinite),
    throttleBurst: positive('throttleBurst', props.throttleBurst ?? 200, Number.isInteger),
  };
};

const tryUrl = (value: string): URL | undefined => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

const httpUrl = (key: string, value: string): string => {
  const protocol = tryUrl(value)?.protocol;
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new Error(`Context value "${key}" must be an absolute http(s) URL, got "${value}"`);
  }
  return value;
};

const positive = (key: string, value: number, check: (n: number) => boolean): number => {
  if (!check(value) || value <= 0) {
    throw new Error(`Context value "${key}" must be a positive number, got "${value}"`);
  }
  return value;
};
