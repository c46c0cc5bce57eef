import type { Node } from 'constructs';
import { PORTONE_MODES, type PortOneMode } from '../functions/domain/model/portone-mode';
import {
  type Checked,
  ipAddresses,
  origins,
  secureUrl,
  storeId,
} from '../functions/runtime/setting-rules';
import { ROUTES, type ThrottleBudget } from './api-edge';

export type { PortOneMode };

/**
 * What a deployment is configured with. Each field has the name of the CDK
 * context key it comes from (`cdk deploy -c key=value`, or `context` in
 * cdk.json), so every error below names the key to fix. Values given with
 * `-c` arrive as strings, values from cdk.json may be numbers or arrays: both
 * are accepted, and everything is checked at synth, not at the first payment.
 */
export interface PaymentsConfigInput {
  /** Deployment name, used in the stack name and resource descriptions. @default prod */
  readonly stage?: string;
  /** Where the redirect function sends the browser. Required. */
  readonly resultPageUrl?: string;
  /** @default https://api.iamport.kr */
  readonly portoneApiUrl?: string;
  /** `live` treats test-channel payments as forgery, `test` accepts them. @default live */
  readonly portoneMode?: string;
  /** Origins allowed to call POST /payments/complete from a browser (comma-separated or a list). @default none */
  readonly allowedOrigins?: string | readonly string[];
  /** Steady-state requests per second on the stage, for any route without its own budget. @default 100 */
  readonly throttleRate?: number | string;
  /** Requests the stage accepts in a burst, for any route without its own budget. @default 200 */
  readonly throttleBurst?: number | string;
  /** Requests per second on POST /payments/webhook (PortOne's notifications). @default 50 */
  readonly webhookThrottleRate?: number | string;
  /** Burst on POST /payments/webhook. @default 100 */
  readonly webhookThrottleBurst?: number | string;
  /** Requests per second on each browser route (POST and GET /payments/complete), each its own. @default 50 */
  readonly browserThrottleRate?: number | string;
  /** Burst on each browser route. @default 100 */
  readonly browserThrottleBurst?: number | string;
  /** Requests per second on each trusted (IAM) /orders route, each its own. @default 50 */
  readonly trustedThrottleRate?: number | string;
  /** Burst on each trusted route. @default 100 */
  readonly trustedThrottleBurst?: number | string;
  /**
   * Reserved concurrency of the webhook function: that many executions are
   * kept for it and it never runs more. Taken out of the account's unreserved
   * pool (README, Deploying to AWS). @default none: shares the account's pool
   */
  readonly webhookReservedConcurrency?: number | string;
  /**
   * IAM principal ARNs (roles or users, `*` wildcards allowed) that may change
   * the PortOne secret (put-secret-value, update, delete, resource policy);
   * everyone else is denied by the secret's resource policy, except
   * CloudFormation's CDK execution role. @default none: writes are left to IAM
   */
  readonly secretAdminArns?: string | readonly string[];
  /** Subscribed to the alarm topic when given. @default no subscription */
  readonly alarmEmail?: string;
  /** Optional allow-list of PortOne's webhook source IPs (comma-separated). @default none: off */
  readonly webhookAllowedIps?: string | readonly string[];
  /**
   * PortOne V2 side by side with V1: `true` (context `-c portoneV2=true`), or,
   * as a construct prop, its settings `{ storeId?, apiUrl? }`. Its secrets
   * are the fields v2ApiSecret and v2WebhookSecret of the PortOne secret
   * (README, Deploying to AWS). @default off: the V2 routes answer 503 not_configured
   */
  readonly portoneV2?: boolean | string | PortOneV2Input | null;
  /** A sub-store's id (`store-…`), sent with every V2 call; only with portoneV2. @default the merchant's own store */
  readonly portoneV2StoreId?: string;
  /** Only with portoneV2. @default https://api.portone.io */
  readonly portoneV2ApiUrl?: string;
  /**
   * The CloudWatch dashboard (`-c dashboard=true`). It costs $3 a month,
   * about a quarter of the whole stack's bill per million payments, and the
   * alarms and saved Logs Insights queries work without it.
   * @default off
   */
  readonly dashboard?: boolean | string;
}

/** PortOne V2's settings, as a construct prop. */
export interface PortOneV2Input {
  readonly storeId?: string | null;
  readonly apiUrl?: string;
}

/** PortOne V2 when on; its secrets are in the PortOne secret, never in the template. */
export interface PortOneV2Settings {
  readonly storeId: string | null;
  readonly apiUrl: string;
}

export interface PaymentsConfig {
  readonly stage: string;
  readonly resultPageUrl: string;
  readonly portoneApiUrl: string;
  readonly portoneMode: PortOneMode;
  readonly allowedOrigins: readonly string[];
  readonly throttleRate: number;
  readonly throttleBurst: number;
  readonly webhookThrottleRate: number;
  readonly webhookThrottleBurst: number;
  readonly browserThrottleRate: number;
  readonly browserThrottleBurst: number;
  readonly trustedThrottleRate: number;
  readonly trustedThrottleBurst: number;
  readonly alarmEmail: string | undefined;
  readonly webhookAllowedIps: readonly string[];
  readonly webhookReservedConcurrency: number | undefined;
  readonly secretAdminArns: readonly string[];
  /** Null when off. */
  readonly portoneV2: PortOneV2Settings | null;
  readonly dashboard: boolean;
}

/** A token bucket at API Gateway: steady requests per second and the burst it holds. */
export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The throttle of one budget (lib/api-edge.ts), from its two context keys. */
export const throttleOf = (config: PaymentsConfig, budget: ThrottleBudget): RouteThrottle => ({
  rateLimit: config[THROTTLE_KEYS[budget].rate],
  burstLimit: config[THROTTLE_KEYS[budget].burst],
});

/** The context keys of each budget's throttle. */
export const THROTTLE_KEYS = {
  webhook: { rate: 'webhookThrottleRate', burst: 'webhookThrottleBurst' },
  browser: { rate: 'browserThrottleRate', burst: 'browserThrottleBurst' },
  trusted: { rate: 'trustedThrottleRate', burst: 'trustedThrottleBurst' },
} as const satisfies Record<
  ThrottleBudget,
  { rate: keyof PaymentsConfig; burst: keyof PaymentsConfig }
>;

export const CONTEXT_KEYS = [
  'stage',
  'resultPageUrl',
  'portoneApiUrl',
  'portoneMode',
  'allowedOrigins',
  'throttleRate',
  'throttleBurst',
  'webhookThrottleRate',
  'webhookThrottleBurst',
  'browserThrottleRate',
  'browserThrottleBurst',
  'trustedThrottleRate',
  'trustedThrottleBurst',
  'alarmEmail',
  'webhookAllowedIps',
  'webhookReservedConcurrency',
  'secretAdminArns',
  'portoneV2',
  'portoneV2StoreId',
  'portoneV2ApiUrl',
  'dashboard',
] as const satisfies readonly (keyof PaymentsConfigInput)[];

export const DEFAULTS = {
  stage: 'prod',
  portoneApiUrl: 'https://api.iamport.kr',
  portoneMode: 'live',
  throttleRate: 100,
  throttleBurst: 200,
  webhookThrottleRate: 50,
  webhookThrottleBurst: 100,
  browserThrottleRate: 50,
  browserThrottleBurst: 100,
  trustedThrottleRate: 50,
  trustedThrottleBurst: 100,
  portoneV2ApiUrl: 'https://api.portone.io',
} as const;

/**
 * API Gateway's account-level throttle quotas per region, by default (they can
 * be raised on request): a stage or route limit above them would never apply,
 * and routes whose rates add up to more cannot all get their budget at once.
 */
export const ACCOUNT_THROTTLE_QUOTA = { rateLimit: 10_000, burstLimit: 5_000 } as const;
const MAX_RATE = ACCOUNT_THROTTLE_QUOTA.rateLimit;
const MAX_BURST = ACCOUNT_THROTTLE_QUOTA.burstLimit;

export class ConfigurationError extends Error {
  /** One key, or several when their values are wrong only together. */
  constructor(key: string | readonly string[], problem: string) {
    const keys = typeof key === 'string' ? [key] : key;
    const named = keys.map((k) => `"${k}"`);
    super(
      named.length === 1
        ? `Context value ${named[0]} ${problem}`
        : `Context values ${named.slice(0, -1).join(', ')} and ${named.at(-1)} ${problem}`,
    );
    this.name = 'ConfigurationError';
  }
}

/** The raw context values of a construct tree (an App or a Stage), for `resolveConfig`. */
export const contextInput = (node: Node): Record<string, unknown> =>
  Object.fromEntries(CONTEXT_KEYS.map((key) => [key, node.tryGetContext(key)]));

/** Checks and normalizes a deployment's configuration; throws a `ConfigurationError` naming the key. */
export const resolveConfig = (
  input: PaymentsConfigInput | Record<string, unknown>,
): PaymentsConfig => {
  const raw = input as Record<string, unknown>;
  const stage = text(raw, 'stage') ?? DEFAULTS.stage;
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage) || stage.endsWith('-')) {
    throw new ConfigurationError(
      'stage',
      `must be 1-20 lowercase letters, digits or hyphens starting with a letter (e.g. prod, staging), got "${stage}"`,
    );
  }

  const resultPageUrl = text(raw, 'resultPageUrl');
  if (resultPageUrl === undefined) {
    throw new ConfigurationError(
      'resultPageUrl',
      'is required (cdk deploy -c resultPageUrl=https://shop.example/result)',
    );
  }

  const mode = text(raw, 'portoneMode') ?? DEFAULTS.portoneMode;
  const portoneMode = PORTONE_MODES.find((known) => known === mode);
  if (portoneMode === undefined) {
    throw new ConfigurationError('portoneMode', `must be live or test, got "${mode}"`);
  }

  const alarmEmail = text(raw, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(alarmEmail)) {
    throw new ConfigurationError(
      'alarmEmail',
      `must be one e-mail address like ops@shop.example, got "${alarmEmail}"`,
    );
  }

  const rate = (key: keyof typeof DEFAULTS & `${string}Rate`) =>
    positive(raw, key, DEFAULTS[key], MAX_RATE, false);
  const burst = (key: keyof typeof DEFAULTS & `${string}Burst`) =>
    positive(raw, key, DEFAULTS[key], MAX_BURST, true);
  const config: PaymentsConfig = {
    stage,
    resultPageUrl: checked('resultPageUrl', secureUrl(resultPageUrl)),
    portoneApiUrl: checked(
      'portoneApiUrl',
      secureUrl(text(raw, 'portoneApiUrl') ?? DEFAULTS.portoneApiUrl),
    ),
    portoneMode,
    allowedOrigins: checked('allowedOrigins', origins(listOf(raw, 'allowedOrigins', 'origins'))),
    throttleRate: rate('throttleRate'),
    throttleBurst: burst('throttleBurst'),
    webhookThrottleRate: rate('webhookThrottleRate'),
    webhookThrottleBurst: burst('webhookThrottleBurst'),
    browserThrottleRate: rate('browserThrottleRate'),
    browserThrottleBurst: burst('browserThrottleBurst'),
    trustedThrottleRate: rate('trustedThrottleRate'),
    trustedThrottleBurst: burst('trustedThrottleBurst'),
    alarmEmail,
    webhookAllowedIps: checked(
      'webhookAllowedIps',
      ipAddresses(listOf(raw, 'webhookAllowedIps', 'IP addresses')),
    ),
    webhookReservedConcurrency: optionalPositiveInteger(raw, 'webhookReservedConcurrency'),
    secretAdminArns: principalArns(raw, 'secretAdminArns'),
    portoneV2: portoneV2(raw),
    dashboard: switchOf(raw, 'dashboard', 'true or false') ?? false,
  };
  checkRouteRatesFitTheAccount(config);
  return config;
};

/**
 * Every route has its own bucket, but all of them draw on the account's
 * regional quota: if their rates add up to more, a flood on some routes could
 * still push the others into the account-level throttle, and the budgets
 * would not be what they say.
 */
const checkRouteRatesFitTheAccount = (config: PaymentsConfig): void => {
  const total = ROUTES.reduce((sum, route) => sum + throttleOf(config, route.budget).rateLimit, 0);
  if (total <= MAX_RATE) return;
  const terms = (Object.keys(THROTTLE_KEYS) as ThrottleBudget[])
    .map((budget) => {
      const routes = ROUTES.filter((route) => route.budget === budget).length;
      return routes === 0 ? '' : `${routes} × ${throttleOf(config, budget).rateLimit}`;
    })
    .filter(Boolean);
  throw new ConfigurationError(
    Object.values(THROTTLE_KEYS).map((keys) => keys.rate),
    `add up to ${total} requests per second over the ${ROUTES.length} routes (${terms.join(' + ')}), above the account quota of ${MAX_RATE}; lower them (or ask AWS to raise the quota, then keep the sum below it)`,
  );
};

/**
 * An on/off key: a boolean from a construct prop, or `"true"`/`"false"` from
 * `-c`; undefined when absent or blank, so the caller picks the default.
 */
const switchOf = (
  raw: Record<string, unknown>,
  key: string,
  expected: string,
): boolean | undefined => {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim();
    if (word === '') return undefined;
    if (word === 'true' || word === 'false') return word === 'true';
  }
  throw new ConfigurationError(key, `must be ${expected}, got ${JSON.stringify(value)}`);
};

/**
 * `portoneV2`: a switch in CDK context (`true`/`false`, strings from `-c`),
 * with `portoneV2StoreId` and `portoneV2ApiUrl` beside it; or, from a
 * construct prop (or a config resolved before), `{ storeId?, apiUrl? }`. The
 * two V2 keys without V2 on are a mistake, not "off".
 */
const portoneV2 = (raw: Record<string, unknown>): PortOneV2Settings | null => {
  const value = raw.portoneV2;
  const storeIdKey = text(raw, 'portoneV2StoreId');
  const apiUrlKey = text(raw, 'portoneV2ApiUrl');
  let given: { storeId?: unknown; apiUrl?: unknown };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const extra = storeIdKey !== undefined ? 'portoneV2StoreId' : 'portoneV2ApiUrl';
    if (storeIdKey !== undefined || apiUrlKey !== undefined) {
      throw new ConfigurationError(
        ['portoneV2', extra],
        `both give V2's settings: give ${extra} inside portoneV2, or set portoneV2 to true`,
      );
    }
    given = value as PortOneV2Input;
  } else {
    const on = switchOf(
      raw,
      'portoneV2',
      'true or false (or, as a construct prop, { storeId?, apiUrl? })',
    );
    if (on !== true) {
      const stray = storeIdKey !== undefined ? 'portoneV2StoreId' : 'portoneV2ApiUrl';
      if (storeIdKey !== undefined || apiUrlKey !== undefined) {
        throw new ConfigurationError(
          ['portoneV2', stray],
          `go together: ${stray} is set but portoneV2 is not true (cdk deploy -c portoneV2=true)`,
        );
      }
      return null;
    }
    given = { storeId: storeIdKey, apiUrl: apiUrlKey };
  }
  const field = (name: 'storeId' | 'apiUrl', key: string): string | undefined => {
    const item = given[name];
    if (item === undefined || item === null) return undefined;
    if (typeof item !== 'string') {
      throw new ConfigurationError(key, `must be a string, got ${JSON.stringify(item)}`);
    }
    return item.trim() || undefined;
  };
  const store = field('storeId', 'portoneV2StoreId');
  return {
    storeId: store === undefined ? null : checked('portoneV2StoreId', storeId(store)),
    apiUrl: checked(
      'portoneV2ApiUrl',
      secureUrl(field('apiUrl', 'portoneV2ApiUrl') ?? DEFAULTS.portoneV2ApiUrl),
    ),
  };
};

/** Undefined when absent; otherwise a positive whole number. */
const optionalPositiveInteger = (raw: Record<string, unknown>, key: string): number | undefined => {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed) || parsed <= 0) {
    throw new ConfigurationError(
      key,
      `must be a positive integer (or left out for none), got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
};

/**
 * ARNs of IAM principals as `aws:PrincipalArn` sees them: the account root, a
 * user or a role (a session of an assumed role is seen as its role), `*`
 * allowed in the name (IAM Identity Center roles end in a random suffix).
 */
const principalArns = (raw: Record<string, unknown>, key: string): string[] => {
  const list = listOf(raw, key, 'IAM ARNs');
  const arns = list.map((arn) => arn.trim()).filter(Boolean);
  for (const arn of arns) {
    if (/^arn:aws[a-z-]*:sts::\d{12}:assumed-role\//.test(arn)) {
      throw new ConfigurationError(
        key,
        `must list role ARNs, not sessions (arn:aws:iam::<account>:role/<name> for "${arn}")`,
      );
    }
    if (!/^arn:aws[a-z-]*:iam::\d{12}:(root|(user|role)\/[\w+=,.@*/-]+)$/.test(arn)) {
      throw new ConfigurationError(
        key,
        `must list IAM principal ARNs like arn:aws:iam::123456789012:role/Admin, got "${arn}"`,
      );
    }
  }
  return [...new Set(arns)];
};

/** A trimmed non-empty string, or undefined when the key is absent or blank. */
const text = (raw: Record<string, unknown>, key: string): string | undefined => {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ConfigurationError(key, `must be a string, got ${JSON.stringify(value)}`);
  }
  return value.trim() || undefined;
};

/** A context value checked by the rule the functions apply to the same setting (functions/runtime/setting-rules.ts). */
const checked = <T>(key: string, result: Checked<T>): T => {
  if (!result.ok) throw new ConfigurationError(key, result.problem);
  return result.value;
};

/** A context list: a comma-separated string (`-c key=a,b`) or a JSON list (cdk.json); absent is empty. */
const listOf = (raw: Record<string, unknown>, key: string, what: string): string[] => {
  const value = raw[key];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new ConfigurationError(
    key,
    `must be a comma-separated string or a list of ${what}, got ${JSON.stringify(value)}`,
  );
};

const positive = (
  raw: Record<string, unknown>,
  key: string,
  fallback: number,
  max: number,
  integer: boolean,
): number => {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return fallback;
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? Number(value.trim())
        : Number.NaN;
  const valid =
    (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) &&
    Number.isFinite(parsed) &&
    parsed > 0 &&
    parsed <= max &&
    (!integer || Number.isInteger(parsed));
  if (!valid) {
    throw new ConfigurationError(
      key,
      `must be a positive ${integer ? 'integer' : 'number'} up to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
};
