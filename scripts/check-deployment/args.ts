import { parseArgs } from 'node:util';

export const DEFAULT_DISALLOWED_ORIGIN = 'https://check-deployment.invalid';
export const DEFAULT_PORTONE_API_URL = 'https://api.iamport.kr';

export const USAGE =
  'usage: npm run check-deployment -- <stack name | API URL> [--result-page-url URL] [--origin ORIGIN]... [--disallowed-origin ORIGIN] [--portone-api-url URL] [--secret-arn ARN]';

export const HELP = `${USAGE}

Checks a deployment of the payments API, one line per check; exits 0 when all pass, 1 otherwise, 2 when it cannot check.
  <stack name>   the CloudFormation stack (e.g. PortOnePayments-prod): the API URL, result page, allowed
                 origins and secret come from its outputs (AWS credentials and region as for cdk deploy)
  <API URL>      the API's base URL (the ApiUrl output, or http://127.0.0.1:3000 for npm start)
  --result-page-url URL     where the redirect must land (default: the stack's ResultPageUrl output)
  --origin ORIGIN           an origin CORS must allow, repeatable (default: the stack's AllowedOrigins output)
  --disallowed-origin ORIGIN  an origin CORS must refuse (default ${DEFAULT_DISALLOWED_ORIGIN})
  --portone-api-url URL     PortOne's V1 API, to ask about a key pair directly (default ${DEFAULT_PORTONE_API_URL})
  --secret-arn ARN          read this secret and ask PortOne about its key pair (the stack's own secret is
                            readable only by its functions, so by default the webhook's answer judges it)
  PORTONE_API_KEY, PORTONE_API_SECRET  with an API URL: ask PortOne about this pair`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Options {
  /** A stack name, or the API's base URL (no trailing slash). */
  target: { kind: 'stack'; name: string } | { kind: 'url'; url: string };
  resultPageUrl: string | null;
  origins: string[] | null;
  disallowedOrigin: string;
  portoneApiUrl: string;
  secretArn: string | null;
  /** From PORTONE_API_KEY / PORTONE_API_SECRET, read with an API URL only. */
  envPair: { apiKey: string; apiSecret: string } | null;
}

type Env = Record<string, string | undefined>;

/** The options, or null for --help. */
export const parseArguments = (argv: readonly string[], env: Env): Options | null => {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(parseArgsProblem(error as Error & { code?: string }));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return null;
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'name the stack or the API URL to check'
        : `expected one stack name or API URL, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const [subject = ''] = positionals;
  const isUrl = /^https?:\/\//i.test(subject);
  return {
    target: isUrl
      ? { kind: 'url', url: apiBase(subject) }
      : { kind: 'stack', name: stackName(subject) },
    resultPageUrl: values['result-page-url']
      ? url('--result-page-url', values['result-page-url'])
      : null,
    origins: values.origin ? values.origin.map((value) => origin('--origin', value)) : null,
    disallowedOrigin: origin(
      '--disallowed-origin',
      values['disallowed-origin'] ?? DEFAULT_DISALLOWED_ORIGIN,
    ),
    portoneApiUrl: portoneApiUrl(values['portone-api-url'] ?? DEFAULT_PORTONE_API_URL),
    secretArn: values['secret-arn'] ? secretArn(values['secret-arn']) : null,
    envPair: isUrl ? envPair(env) : null,
  };
};

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      'result-page-url': { type: 'string' },
      origin: { type: 'string', multiple: true },
      'disallowed-origin': { type: 'string' },
      'portone-api-url': { type: 'string' },
      'secret-arn': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

/** node:util's wording changes between Node versions; ours does not. */
const parseArgsProblem = (error: Error & { code?: string }): string => {
  const option = /'(-[^'\s,]*(?:, --[^'\s]*)?)/.exec(error.message)?.[1]?.split(', ').at(-1);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /does not take/.test(error.message)
      ? `${option} takes no value`
      : `${option} needs a value`;
  }
  return error.message.split('\n')[0] ?? 'bad arguments';
};

const url = (flag: string, value: string): string => {
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
  } catch {}
  throw new UsageError(`${flag} must be an http(s) URL, got "${value}"`);
};

const origin = (flag: string, value: string): string => {
  try {
    const parsed = new URL(value);
    if (
      (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
      parsed.origin === value.replace(/\/$/, '')
    ) {
      return parsed.origin;
    }
  } catch {}
  throw new UsageError(
    `${flag} must be an origin like https://shop.example (no path), got "${value}"`,
  );
};

/** The API's base: the ApiUrl output. A route's URL (WebhookUrl, RedirectUrl, OrdersUrl) is a common slip. */
const apiBase = (value: string): string => {
  const base = url('the API URL', value).replace(/\/+$/, '');
  const route = /\/(payments\/webhook|payments\/complete|orders)$/.exec(new URL(base).pathname);
  if (route) {
    throw new UsageError(
      `${value} is the URL of a route (/${route[1]}); pass the API's base URL, the stack's ApiUrl output`,
    );
  }
  return base;
};

const stackName = (value: string): string => {
  if (/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value) || value.startsWith('arn:aws')) return value;
  throw new UsageError(
    `"${value}" is neither a stack name (e.g. PortOnePayments-prod) nor an http(s) API URL`,
  );
};

/** A key pair may be sent there: https, or plain http to this machine only (the simulator). */
const portoneApiUrl = (value: string): string => {
  const base = url('--portone-api-url', value).replace(/\/+$/, '');
  const { protocol, hostname } = new URL(base);
  if (protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(hostname)) return base;
  throw new UsageError(
    `--portone-api-url must be https (a key pair is sent there), or http to this machine only, got "${value}"`,
  );
};

const secretArn = (value: string): string => {
  if (/^arn:aws[\w-]*:secretsmanager:/.test(value)) return value;
  throw new UsageError(`--secret-arn must be a Secrets Manager ARN, got "${value}"`);
};

const envPair = (env: Env): Options['envPair'] => {
  const apiKey = env.PORTONE_API_KEY?.trim() || undefined;
  const apiSecret = env.PORTONE_API_SECRET?.trim() || undefined;
  if (apiKey === undefined && apiSecret === undefined) return null;
  if (apiKey === undefined || apiSecret === undefined) {
    throw new UsageError(
      `${apiKey === undefined ? 'PORTONE_API_KEY' : 'PORTONE_API_SECRET'} is not set but ${apiKey === undefined ? 'PORTONE_API_SECRET' : 'PORTONE_API_KEY'} is: set both, or neither`,
    );
  }
  return { apiKey, apiSecret };
};
