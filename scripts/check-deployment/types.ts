/**
 * What `npm run check-deployment` checks, and what each check answers. A
 * check never throws: whatever goes wrong becomes a failed result whose
 * message is one line saying what to fix.
 */
export interface CheckResult {
  name: 'webhook' | 'redirect' | 'cors' | 'secret';
  ok: boolean;
  /** One line: what was seen, and for a failure what to fix. Never a secret or a token. */
  message: string;
}

/** Where the PortOne key pair to judge comes from. */
export type KeyPairSource =
  /** A pair handed to the checker (PORTONE_API_KEY / PORTONE_API_SECRET): asked of PortOne directly. */
  | { kind: 'pair'; apiKey: string; apiSecret: string; label: string }
  /** A Secrets Manager secret to read (`--secret-arn`) and ask PortOne about. */
  | { kind: 'secret'; arn: string }
  /**
   * Judged by the functions' own answer: the webhook's lookup of the test
   * call's imp_uid needs a token for the deployment's pair. The stack's
   * secret policy lets only the functions read the secret (README, "Who can
   * read and change the PortOne key pair"), so this is how a deployed secret
   * is checked. `arn` is the stack's SecretArn output, for the messages.
   */
  | { kind: 'deployment'; arn: string | null };

/** Everything the checks need to know about one deployment. */
export interface Target {
  /** The API's base URL, without a trailing slash (the stack's ApiUrl output). */
  apiUrl: string;
  /** The stack the facts came from, if any. */
  stackName: string | null;
  /** Where the redirect must send the browser; null when unknown, with `resultPageHint` saying how to tell. */
  resultPageUrl: string | null;
  resultPageHint: string;
  /** The origins CORS must allow; null when unknown, with `originsHint` saying how to tell. */
  allowedOrigins: readonly string[] | null;
  originsHint: string;
  /** An origin CORS must refuse. */
  disallowedOrigin: string;
  /** PortOne's V1 API, for asking it about a key pair directly. */
  portoneApiUrl: string;
  keyPair: KeyPairSource;
  /** The stack's WebhookLogGroup output, named in messages that point at a log line. */
  webhookLogGroup: string | null;
}

/** The one test call the webhook gets, as PortOne's console sends it (an imp_uid PortOne does not know). */
export const TEST_CALL = {
  imp_uid: 'imp_check_deployment_0000',
  merchant_uid: 'check-deployment',
  status: 'paid',
} as const;
