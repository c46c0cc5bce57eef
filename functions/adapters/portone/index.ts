import type { PaymentGateway } from '../../domain/ports/payment-gateway';
import { createGateway } from './client';
import { type CredentialsProvider, createTokenCache, type PortOneCredentials } from './token-cache';

export type { CredentialsProvider, PortOneCredentials } from './token-cache';

import { readV1Answer } from './answers';
import { createTransport } from './transport';

export interface PortOneClientOptions {
  /** e.g. https://api.iamport.kr or the simulator URL. */
  baseUrl: string;
  /** The REST API key pair, either given (local runs) or provided at first use (Secrets Manager). */
  credentials: PortOneCredentials | CredentialsProvider;
  /** Per HTTP call; default 5000. */
  timeoutMs?: number;
  /** Total per public method call incl. token fetch, retries and the 401 retry; default 2.5 × timeoutMs. */
  budgetMs?: number;
  /** Attempts for idempotent calls on transient failures; default 2. */
  maxAttempts?: number;
  /** Injectable transport; default globalThis.fetch (no undici import keeps the bundle small). */
  fetch?: typeof fetch;
  /** Millisecond clock for elapsed time and budgets only; default performance.now (monotonic). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once per HTTP attempt (metrics). */
  onCall?: (event: { route: string; status: number | 'error'; ms: number }) => void;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_ATTEMPTS = 2;

/**
 * Builds the PortOne V1 gateway. Create it once per container (outside the
 * handler) so that the access token is reused across invocations.
 */
export function createPortOneClient(options: PortOneClientOptions): PaymentGateway {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const secrets: string[] = [];
  const provide =
    typeof options.credentials === 'function'
      ? options.credentials
      : () => Promise.resolve(options.credentials as PortOneCredentials);
  const credentials: CredentialsProvider = async () => {
    const pair = await provide();
    if (!secrets.includes(pair.apiSecret)) secrets.push(pair.apiKey, pair.apiSecret);
    return pair;
  };
  credentials.invalidate = () => (provide as CredentialsProvider).invalidate?.();
  const now = options.now ?? (() => performance.now());
  const transport = createTransport({
    baseUrl: options.baseUrl,
    timeoutMs,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    // Looked up per call rather than captured, so a test or an instrumented
    // runtime that swaps globalThis.fetch later is honoured.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    onCall: options.onCall,
    // Filled once the credentials are known, so error messages never echo them.
    secrets,
    readAnswer: readV1Answer,
  });
  const tokens = createTokenCache({ transport, credentials, now });
  return createGateway({
    transport,
    tokens,
    now,
    budgetMs: options.budgetMs ?? timeoutMs * 2.5,
  });
}
