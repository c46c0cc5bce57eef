import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CORS, ROUTES, routeKeyOf } from '../../../lib/api-edge';
import { ConfigurationError, resolveConfig } from '../../../lib/config';
import {
  appFromContext,
  functionsOf,
  type Json,
  onlyId,
  RESULT_PAGE_URL,
  removeOutdirs,
  resources,
  synth,
} from './support/template';

// The API's edge as lib/api-edge.ts describes it: routes, per-route throttles, CORS.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
afterAll(removeOutdirs);

const stageOf = (template: Template): Json => {
  const [stage] = Object.values(resources(template, 'AWS::ApiGatewayV2::Stage'));
  return stage;
};

const routeSettingsOf = (template: Template): Record<string, Json> =>
  stageOf(template).Properties.RouteSettings;

const throttle = (rate: number, burst: number) => ({
  ThrottlingRateLimit: rate,
  ThrottlingBurstLimit: burst,
});

describe('routes from lib/api-edge.ts', () => {
  let template: Template;
  beforeAll(() => {
    template = synth().template;
  });

  it('creates exactly the routes of ROUTES, with IAM where their access is iam and none where public', () => {
    const routes = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).map(
      (route) => `${route.Properties.RouteKey} ${route.Properties.AuthorizationType}`,
    );
    expect(routes.sort()).toEqual(
      ROUTES.map((r) => `${routeKeyOf(r)} ${r.access === 'iam' ? 'AWS_IAM' : 'NONE'}`).sort(),
    );
  });
});

describe('per-route throttling', () => {
  let template: Template;
  beforeAll(() => {
    template = synth().template;
  });

  it('gives every route its own throttle by its budget, 50 rps and a burst of 100 by default', () => {
    expect(routeSettingsOf(template)).toEqual({
      'POST /payments/webhook': throttle(50, 100),
      'POST /payments/complete': throttle(50, 100),
      'GET /payments/complete': throttle(50, 100),
      'POST /v2/payments/webhook': throttle(50, 100),
      'POST /v2/payments/complete': throttle(50, 100),
      'GET /v2/payments/complete': throttle(50, 100),
      'POST /orders': throttle(50, 100),
      'GET /orders/{merchant_uid}': throttle(50, 100),
      'POST /orders/{merchant_uid}/payments': throttle(50, 100),
      'POST /orders/{merchant_uid}/cancel': throttle(50, 100),
    });
    // Every route the API has, and nothing else: a setting for a missing route fails the deploy.
    const routeKeys = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties.RouteKey,
    );
    expect(Object.keys(routeSettingsOf(template)).sort()).toEqual(routeKeys.sort());
  });

  it('keeps throttleRate and throttleBurst as the stage default for anything else', () => {
    expect(stageOf(template).Properties.DefaultRouteSettings).toEqual(throttle(100, 200));
  });

  it('creates the stage only after the routes its settings name', () => {
    const routeIds = Object.keys(resources(template, 'AWS::ApiGatewayV2::Route'));
    expect([...stageOf(template).DependsOn].sort()).toEqual(routeIds.sort());
  });

  it("sizes the webhook's bucket apart from the browser routes' and the trusted routes'", () => {
    const overridden = synth({
      webhookThrottleRate: 30,
      webhookThrottleBurst: 60,
      browserThrottleRate: 70,
      browserThrottleBurst: 140,
      trustedThrottleRate: 5,
      trustedThrottleBurst: 10,
    }).template;
    expect(routeSettingsOf(overridden)).toEqual({
      'POST /payments/webhook': throttle(30, 60),
      'POST /payments/complete': throttle(70, 140),
      'GET /payments/complete': throttle(70, 140),
      'POST /v2/payments/webhook': throttle(30, 60),
      'POST /v2/payments/complete': throttle(70, 140),
      'GET /v2/payments/complete': throttle(70, 140),
      'POST /orders': throttle(5, 10),
      'GET /orders/{merchant_uid}': throttle(5, 10),
      'POST /orders/{merchant_uid}/payments': throttle(5, 10),
      'POST /orders/{merchant_uid}/cancel': throttle(5, 10),
    });
    // The stage default is its own setting.
    expect(stageOf(overridden).Properties.DefaultRouteSettings).toEqual(throttle(100, 200));
  });

  it('reads the throttle context keys as `-c key=value` passes them, as strings', () => {
    const { stack } = appFromContext({
      resultPageUrl: RESULT_PAGE_URL,
      webhookThrottleRate: '20',
      webhookThrottleBurst: '40',
      browserThrottleBurst: '300',
    });
    const settings = routeSettingsOf(Template.fromStack(stack));
    expect(settings['POST /payments/webhook']).toEqual(throttle(20, 40));
    expect(settings['POST /payments/complete']).toEqual(throttle(50, 300));
    expect(settings['GET /orders/{merchant_uid}']).toEqual(throttle(50, 100));
  });

  it('accepts route rates that add up to exactly the account quota of 10,000 rps', () => {
    // 2 webhook routes (V1, V2) + 4 browser routes + 4 trusted routes.
    const config = resolveConfig({
      resultPageUrl: RESULT_PAGE_URL,
      webhookThrottleRate: 1002,
      browserThrottleRate: 1996,
      trustedThrottleRate: 3,
    });
    expect(config).toMatchObject({
      webhookThrottleRate: 1002,
      browserThrottleRate: 1996,
      trustedThrottleRate: 3,
    });
  });

  it('refuses route rates that add up to more than the account quota, naming the keys', () => {
    const over = () =>
      resolveConfig({
        resultPageUrl: RESULT_PAGE_URL,
        webhookThrottleRate: 1003,
        browserThrottleRate: 1996,
        trustedThrottleRate: 3,
      });
    expect(over).toThrow(ConfigurationError);
    expect(over).toThrow(
      'Context values "webhookThrottleRate", "browserThrottleRate" and "trustedThrottleRate" add up to 10002 requests per second over the 10 routes (2 × 1003 + 4 × 1996 + 4 × 3), above the account quota of 10000',
    );
    // Each value alone is within the quota: it is the sum that is refused.
    expect(() =>
      resolveConfig({ resultPageUrl: RESULT_PAGE_URL, browserThrottleRate: 5000 }),
    ).toThrow(/add up to 20300 requests per second/);
  });
});

describe('CORS from lib/api-edge.ts', () => {
  let template: Template;
  beforeAll(() => {
    template = synth({ allowedOrigins: ['https://shop.example'] }).template;
  });

  it('answers preflights at API Gateway with the methods, headers and max age of lib/api-edge.ts', () => {
    const api = resources(template, 'AWS::ApiGatewayV2::Api')[
      onlyId(template, 'AWS::ApiGatewayV2::Api')
    ];
    expect(api.Properties.CorsConfiguration).toEqual({
      AllowOrigins: ['https://shop.example'],
      AllowMethods: ['POST', 'OPTIONS'],
      AllowHeaders: ['content-type'],
      MaxAge: 7200, // Chromium's cap: a longer one is cut to it.
    });
    // The same constants local/ emulates, not a copy of them.
    expect(api.Properties.CorsConfiguration).toMatchObject({
      AllowMethods: [...CORS.allowMethods],
      AllowHeaders: [...CORS.allowHeaders],
      MaxAge: CORS.maxAgeSeconds,
    });
  });

  it('passes no ALLOWED_ORIGINS to any function: they set no CORS headers', () => {
    for (const fn of functionsOf(template, [
      'Complete',
      'Redirect',
      'Webhook',
      'Orders',
      'Reconcile',
      'Settled',
    ])) {
      expect(Object.keys(fn.props.Environment.Variables), fn.name).not.toContain('ALLOWED_ORIGINS');
    }
    expect(JSON.stringify(template.toJSON())).not.toContain('ALLOWED_ORIGINS');
  });
});
