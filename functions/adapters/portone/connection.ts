import { type HttpExchange, keepAliveExchange } from './http-exchange';
import { type AnswerReader, createTransport, type Transport } from './transport';

/** How a client reaches PortOne, the same for V1 and V2; every field but the URL has a default. */
export interface ConnectionOptions {
  /** e.g. https://api.iamport.kr, https://api.portone.io or the simulator URL. */
  baseUrl: string;
  /** Per HTTP call; default 5000. */
  timeoutMs?: number;
  /** Total per public method call incl. retries (and V1's token fetch and 401 retry); default 2.5 × timeoutMs. */
  budgetMs?: number;
  /** Attempts for idempotent calls on transient failures; default 2. */
  maxAttempts?: number;
  /** Injectable HTTP client; default node:http(s) keep-alive (./http-exchange.ts). */
  fetch?: HttpExchange;
  /** Millisecond clock for elapsed time and budgets only; default performance.now (monotonic). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once per HTTP attempt (metrics). */
  onCall?: (event: { route: string; status: number | 'error'; ms: number }) => void;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_ATTEMPTS = 2;

/**
 * The transport of one client with the defaults applied. `secrets` is
 * filled by the client once its credentials are known, so error messages
 * never echo them.
 */
export function connect(
  options: ConnectionOptions,
  secrets: readonly string[],
  readAnswer: AnswerReader,
): { transport: Transport; now: () => number; budgetMs: number } {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? (() => performance.now());
  const transport = createTransport({
    baseUrl: options.baseUrl,
    timeoutMs,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    fetch: options.fetch ?? defaultExchange(),
    now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    onCall: options.onCall,
    secrets,
    readAnswer,
  });
  return { transport, now, budgetMs: options.budgetMs ?? timeoutMs * 2.5 };
}

let shared: HttpExchange | undefined;
/** One keep-alive pool per container, shared by the V1 and V2 clients. */
const defaultExchange = (): HttpExchange => {
  shared ??= keepAliveExchange();
  return shared;
};
