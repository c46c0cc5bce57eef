import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, LogGroupClass, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';
import { CORS, ROUTES, type RouteFunction, routeKeyOf } from './api-edge';
import { type PaymentsConfig, throttleOf } from './config';
import { capitalize } from './payment-function';
import { PUBLIC_BECAUSE } from './public-routes';

/** HTTP API access log fields ($context variables); no body, no query string, no headers. */
export const ACCESS_LOG_FORMAT = {
  // Short keys, and nothing the log event already carries (its own timestamp)
  // or that is the same on every line (protocol), or that `status` and
  // `integrationError` already tell (the integration's status): every byte is
  // paid for at ingestion, on every request.
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  route: '$context.routeKey',
  status: '$context.status',
  bytes: '$context.responseLength',
  ms: '$context.responseLatency',
  integrationMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  // Set on the IAM-authorized /orders routes: which principal registered or read an order.
  caller: '$context.identity.userArn',
} as const;

export interface PaymentsApiProps {
  readonly config: PaymentsConfig;
  /** The function behind each route of lib/api-edge.ts. */
  readonly functions: Readonly<Record<RouteFunction, IFunction>>;
}

/**
 * The HTTP API of lib/api-edge.ts: its routes, IAM on the trusted ones, CORS,
 * one `$default` stage with a throttle per route and JSON access logs.
 */
export class PaymentsApi extends HttpApi {
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, { config, functions }: PaymentsApiProps) {
    super(scope, id, {
      apiName: `portone-payments-${config.stage}`,
      description: `PortOne payments (${config.stage})`,
      // Created below so that it can carry throttling and access logs.
      createDefaultStage: false,
      // CORS in one place (lib/api-edge.ts), the rules the local stack emulates;
      // API Gateway answers preflights and adds the headers, the functions set none.
      ...(config.allowedOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...config.allowedOrigins],
              allowMethods: CORS.allowMethods.map((method) => CorsHttpMethod[method]),
              allowHeaders: [...CORS.allowHeaders],
              maxAge: Duration.seconds(CORS.maxAgeSeconds),
            },
          }
        : {}),
    });

    // A sibling of the API, like a ServiceFunction's log group.
    const accessLogs = new LogGroup(scope, `${id}AccessLogs`, {
      retention: RetentionDays.THREE_MONTHS,
      // Read only when support looks a request up (Logs Insights works on this
      // class; it has no metric filters, which stay on the functions' groups):
      // half the ingestion price of the standard class.
      logGroupClass: LogGroupClass.INFREQUENT_ACCESS,
    });
    this.stage = this.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // DefaultRouteSettings: for any route without its own settings below.
      throttle: { rateLimit: config.throttleRate, burstLimit: config.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // One JSON line per request; never the body or the query string.
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });
    this.addEdgeRoutes(functions);

    // Per-route throttling: every route is its own token bucket at API Gateway,
    // sized by its budget (lib/api-edge.ts). Buckets are never shared, so a
    // flood on the browser routes (or on one of them) empties only their own
    // buckets: PortOne's webhook keeps its whole budget and is never answered
    // 429 because of browser traffic, and the merchant's /orders calls are
    // likewise untouched. (All of them still draw on the account's regional
    // quota, which is why lib/config.ts keeps their sum below it.)
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      ROUTES.map((edge) => {
        const { rateLimit, burstLimit } = throttleOf(config, edge.budget);
        return [
          routeKeyOf(edge),
          { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit },
        ];
      }),
    );
  }

  private addEdgeRoutes(functions: Readonly<Record<RouteFunction, IFunction>>): void {
    const iam = new HttpIamAuthorizer();
    // One integration per function; each route gets its own invoke permission.
    const integrations = new Map<RouteFunction, HttpLambdaIntegration>();
    const integrationOf = (name: RouteFunction) => {
      const integration =
        integrations.get(name) ??
        new HttpLambdaIntegration(`${capitalize(name)}Integration`, functions[name]);
      integrations.set(name, integration);
      return integration;
    };
    for (const edge of ROUTES) {
      const key = routeKeyOf(edge);
      const [route] = this.addRoutes({
        path: edge.path,
        methods: [HttpMethod[edge.method]],
        integration: integrationOf(edge.function),
        ...(edge.access === 'iam' ? { authorizer: iam } : {}),
      }) as [HttpRoute];
      if (edge.access === 'public') {
        const reason = PUBLIC_BECAUSE[key];
        if (reason === undefined) {
          throw new Error(
            `${key} is public in lib/api-edge.ts but has no reviewed reason in PUBLIC_BECAUSE (lib/public-routes.ts)`,
          );
        }
        Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      }
      // Route settings may only name routes that exist when the stage is updated.
      this.stage.node.addDependency(route.node.defaultChild as IConstruct);
    }
  }
}
