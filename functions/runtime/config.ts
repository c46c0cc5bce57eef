import { PORTONE_MODES, type PortOneMode } from '../domain/model/portone-mode';
import {
  type Checked,
  ipAddresses,
  origins,
  PORTONE_V2_FROM_SECRET,
  secureUrl,
  storeId,
  webhookSecrets,
} from './setting-rules';

/**
 * The one place that reads the environment (docs/design.md §5). Everything is
 * checked at cold start, so a misconfigured function fails at once with a
 * message naming the variable instead of failing on the first payment.
 */
export interface Config {
  tableName: string;
  /** Local runs only; in AWS the SDK finds DynamoDB itself. */
  dynamodbEndpoint: string | null;
  portone: {
    apiUrl: string;
    /** Local runs pass the pair; in AWS it lives in Secrets Manager. */
    credentials: { apiKey: string; apiSecret: string } | { secretArn: string };
    timeoutMs: number;
    mode: PortOneMode;
  };
  /** PortOne V2, side by side with V1; null when not configured (its routes then answer 503 not_configured). */
  portoneV2: PortOneV2Config | null;
  resultPageUrl: string | null;
  allowedOrigins: readonly string[];
  autoCancelForgery: boolean;
  prepare: boolean;
  /** Optional: only these source addresses may call the webhook. Empty: anyone (the default). */
  webhookAllowedIps: readonly string[];
}

export interface PortOneV2Config {
  apiUrl: string;
  /**
   * Local runs pass the secrets; in AWS (PORTONE_V2=secret) they are the
   * fields v2ApiSecret and v2WebhookSecret of V1's Secrets Manager secret.
   */
  credentials:
    | {
        apiSecret: string;
        /** One, or two while the console's secret is rotated. */
        webhookSecrets: readonly string[];
      }
    | { secretArn: string };
  /** A sub-store's id, sent with every call; null for the merchant's own store. */
  storeId: string | null;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export const loadConfig = (env: Env = process.env): Config =>
  Object.freeze({
    tableName: required(env, 'TABLE_NAME'),
    dynamodbEndpoint: optionalUrl(env, 'DYNAMODB_ENDPOINT'),
    portone: {
      apiUrl: optional(env, 'PORTONE_API_URL', secureUrl) ?? 'https://api.iamport.kr',
      credentials: credentials(env),
      timeoutMs: integer(env, 'PORTONE_TIMEOUT_MS', 5000, { min: 100, max: 10_000 }),
      mode: oneOf(env, 'PORTONE_MODE', PORTONE_MODES, 'live'),
    },
    portoneV2: portoneV2(env),
    resultPageUrl: optional(env, 'RESULT_PAGE_URL', secureUrl),
    allowedOrigins: optional(env, 'ALLOWED_ORIGINS', (value) => origins(value.split(','))) ?? [],
    autoCancelForgery: boolean(env, 'AUTO_CANCEL_FORGERY', true),
    prepare: boolean(env, 'PORTONE_PREPARE', true),
    webhookAllowedIps:
      optional(env, 'WEBHOOK_ALLOWED_IPS', (value) => ipAddresses(value.split(','))) ?? [],
  });

/** The settlement-event publisher's settings; it talks to neither PortOne nor the table. */
export interface EventsConfig {
  eventBusName: string;
}

export const loadEventsConfig = (env: Env = process.env): EventsConfig =>
  Object.freeze({ eventBusName: required(env, 'EVENT_BUS_NAME') });

/** For the one function that cannot work without a variable others may omit. */
export const requireSetting = <T>(value: T | null, name: string): T => {
  if (value === null) throw new ConfigError(`Environment variable ${name} is required`);
  return value;
};

const read = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

const required = (env: Env, name: string): string => {
  const value = read(env, name);
  if (value === undefined) throw new ConfigError(`Environment variable ${name} is required`);
  return value;
};

const credentials = (env: Env): Config['portone']['credentials'] => {
  const secretArn = read(env, 'PORTONE_SECRET_ARN');
  if (secretArn !== undefined) {
    if (!/^arn:aws[\w-]*:secretsmanager:/.test(secretArn)) {
      throw new ConfigError(
        `Environment variable PORTONE_SECRET_ARN must be a Secrets Manager ARN, got "${secretArn}"`,
      );
    }
    return { secretArn };
  }
  const hint = ' (or PORTONE_SECRET_ARN, a Secrets Manager secret holding both)';
  const apiKey = read(env, 'PORTONE_API_KEY');
  if (apiKey === undefined)
    throw new ConfigError(`Environment variable PORTONE_API_KEY is required${hint}`);
  const apiSecret = read(env, 'PORTONE_API_SECRET');
  if (apiSecret === undefined) {
    throw new ConfigError(`Environment variable PORTONE_API_SECRET is required${hint}`);
  }
  return { apiKey, apiSecret };
};

/** What PORTONE_V2 may say: read V2's secrets from the PortOne secret (PORTONE_SECRET_ARN). */
const V2_FROM_SECRET = PORTONE_V2_FROM_SECRET;

/**
 * V2 is on when both of its secrets are set (local runs), or when
 * PORTONE_V2=secret (the stack): then they are fields of the secret V1's key
 * pair is in. One secret without the other is a mistake, not "off"; so is
 * giving them both ways, since either could be the one meant.
 */
const portoneV2 = (env: Env): PortOneV2Config | null => {
  const credentials = v2Credentials(env);
  if (credentials === null) return null;
  return {
    apiUrl: optional(env, 'PORTONE_V2_API_URL', secureUrl) ?? 'https://api.portone.io',
    credentials,
    storeId: optional(env, 'PORTONE_V2_STORE_ID', storeId),
  };
};

const v2Credentials = (env: Env): PortOneV2Config['credentials'] | null => {
  const source = read(env, 'PORTONE_V2');
  const apiSecret = read(env, 'PORTONE_V2_API_SECRET');
  const webhookSecret = read(env, 'PORTONE_V2_WEBHOOK_SECRET');
  if (source !== undefined) {
    if (source !== V2_FROM_SECRET) {
      throw new ConfigError(
        `Environment variable PORTONE_V2 must be "${V2_FROM_SECRET}" (V2's secrets in the PortOne secret) or unset, got "${source}"`,
      );
    }
    const given = [
      ...(apiSecret === undefined ? [] : ['PORTONE_V2_API_SECRET']),
      ...(webhookSecret === undefined ? [] : ['PORTONE_V2_WEBHOOK_SECRET']),
    ];
    if (given.length > 0) {
      throw new ConfigError(
        `Environment variable PORTONE_V2=${V2_FROM_SECRET} reads V2's secrets from PORTONE_SECRET_ARN, but ${given.join(' and ')} ${given.length === 1 ? 'is' : 'are'} set too: unset one or the other`,
      );
    }
    const secretArn = read(env, 'PORTONE_SECRET_ARN');
    if (secretArn === undefined) {
      throw new ConfigError(
        `Environment variable PORTONE_SECRET_ARN is required when PORTONE_V2=${V2_FROM_SECRET} (V2's secrets are fields of that secret)`,
      );
    }
    // Its form was checked with V1's credentials.
    return { secretArn };
  }
  if (apiSecret === undefined && webhookSecret === undefined) return null;
  const missing = apiSecret === undefined ? 'PORTONE_V2_API_SECRET' : 'PORTONE_V2_WEBHOOK_SECRET';
  if (apiSecret === undefined || webhookSecret === undefined) {
    const given = apiSecret === undefined ? 'PORTONE_V2_WEBHOOK_SECRET' : 'PORTONE_V2_API_SECRET';
    throw new ConfigError(
      `Environment variable ${missing} is required when ${given} is set (PortOne V2 is on when both are set, or with PORTONE_V2=${V2_FROM_SECRET})`,
    );
  }
  return {
    apiSecret,
    webhookSecrets:
      optional(env, 'PORTONE_V2_WEBHOOK_SECRET', (value) => webhookSecrets(value.split(','))) ?? [],
  };
};

/** A variable checked by the rule the stack applies to the same setting (./setting-rules.ts). */
const optional = <T>(env: Env, name: string, rule: (value: string) => Checked<T>): T | null => {
  const value = read(env, name);
  if (value === undefined) return null;
  const checked = rule(value);
  if (!checked.ok) throw new ConfigError(`Environment variable ${name} ${checked.problem}`);
  return checked.value;
};

/** Local runs only (DynamoDB Local may run on another host), so any http(s) URL. */
const optionalUrl = (env: Env, name: string): string | null => {
  const value = read(env, name);
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`Environment variable ${name} must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`Environment variable ${name} must be an http(s) URL, got "${value}"`);
  }
  return value;
};

const integer = (
  env: Env,
  name: string,
  fallback: number,
  range: { min: number; max: number },
): number => {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < range.min || parsed > range.max) {
    throw new ConfigError(
      `Environment variable ${name} must be an integer from ${range.min} to ${range.max}, got "${value}"`,
    );
  }
  return parsed;
};

const oneOf = <const T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T => {
  const value = read(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(
      `Environment variable ${name} must be one of ${allowed.join(', ')}, got "${value}"`,
    );
  }
  return value as T;
};

const boolean = (env: Env, name: string, fallback: boolean): boolean => {
  const value = read(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`Environment variable ${name} must be true or false, got "${value}"`);
};
