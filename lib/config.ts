import { isIP } from 'node:net';
import type { Node } from 'constructs';

export type PortOneMode = 'live' | 'test';

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
  /** Steady-state requests per second on the stage. @default 100 */
  readonly throttleRate?: number | string;
  /** Requests the stage accepts in a burst. @default 200 */
  readonly throttleBurst?: number | string;
  /** Subscribed to the alarm topic when given. @default no subscription */
  readonly alarmEmail?: string;
  /** Optional allow-list of PortOne's webhook source IPs (comma-separated). @default none: off */
  readonly webhookAllowedIps?: string | readonly string[];
}

export interface PaymentsConfig {
  readonly stage: string;
  readonly resultPageUrl: string;
  readonly portoneApiUrl: string;
  readonly portoneMode: PortOneMode;
  readonly allowedOrigins: readonly string[];
  readonly throttleRate: number;
  readonly throttleBurst: number;
  readonly alarmEmail: string | undefined;
  readonly webhookAllowedIps: readonly string[];
}

export const CONTEXT_KEYS = [
  'stage',
  'resultPageUrl',
  'portoneApiUrl',
  'portoneMode',
  'allowedOrigins',
  'throttleRate',
  'throttleBurst',
  'alarmEmail',
  'webhookAllowedIps',
] as const satisfies readonly (keyof PaymentsConfigInput)[];

export const DEFAULTS = {
  stage: 'prod',
  portoneApiUrl: 'https://api.iamport.kr',
  portoneMode: 'live',
  throttleRate: 100,
  throttleBurst: 200,
} as const;

/** Account-level API Gateway quotas by default; a stage limit above them would never apply. */
const MAX_RATE = 10_000;
const MAX_BURST = 5_000;

export class ConfigurationError extends Error {
  constructor(key: string, problem: string) {
    super(`Context value "${key}" ${problem}`);
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

  const portoneMode = text(raw, 'portoneMode') ?? DEFAULTS.portoneMode;
  if (portoneMode !== 'live' && portoneMode !== 'test') {
    throw new ConfigurationError('portoneMode', `must be live or test, got "${portoneMode}"`);
  }

  const alarmEmail = text(raw, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(alarmEmail)) {
    throw new ConfigurationError(
      'alarmEmail',
      `must be one e-mail address like ops@shop.example, got "${alarmEmail}"`,
    );
  }

  return {
    stage,
    resultPageUrl: secureUrl('resultPageUrl', resultPageUrl),
    portoneApiUrl: secureUrl('portoneApiUrl', text(raw, 'portoneApiUrl') ?? DEFAULTS.portoneApiUrl),
    portoneMode,
    allowedOrigins: origins(raw),
    throttleRate: positive(raw, 'throttleRate', DEFAULTS.throttleRate, MAX_RATE, false),
    throttleBurst: positive(raw, 'throttleBurst', DEFAULTS.throttleBurst, MAX_BURST, true),
    alarmEmail,
    webhookAllowedIps: ips(raw),
  };
};

const ips = (raw: Record<string, unknown>): string[] => {
  const value = raw.webhookAllowedIps;
  const list = (Array.isArray(value) ? value : String(value ?? '').split(','))
    .map((ip) => String(ip).trim())
    .filter(Boolean);
  for (const ip of list) {
    if (isIP(ip) === 0) {
      throw new ConfigurationError('webhookAllowedIps', `must list IP addresses, got "${ip}"`);
    }
  }
  return list;
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

const tryUrl = (value: string): URL | undefined => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/** https, or http only to this machine (a test stage whose result page runs on a laptop). */
const secureUrl = (key: string, value: string): string => {
  const url = tryUrl(value);
  if (url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopback(url))) return value;
  throw new ConfigurationError(key, `must be an absolute https URL, got "${value}"`);
};

const origins = (raw: Record<string, unknown>): string[] => {
  const value = raw.allowedOrigins;
  if (value === undefined || value === null) return [];
  const list =
    typeof value === 'string'
      ? value.split(',')
      : Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? (value as string[])
        : undefined;
  if (list === undefined) {
    throw new ConfigurationError(
      'allowedOrigins',
      `must be a comma-separated string or a list of origins, got ${JSON.stringify(value)}`,
    );
  }
  const result = list
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => {
      const url = tryUrl(origin);
      const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopback(url));
      if (url && secure && url.origin === origin.replace(/\/$/, '')) return url.origin;
      throw new ConfigurationError(
        'allowedOrigins',
        `must list https origins like https://shop.example (no path, no "*"), got "${origin}"`,
      );
    });
  return [...new Set(result)];
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
