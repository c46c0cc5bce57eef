import type { PaymentGateway } from '../../domain/ports/payment-gateway';
import { createGateway } from './client';
import { type CredentialsProvider, createTokenCache, type PortOneCredentials } from './token-cache';

export type { CredentialsProvider, PortOneCredentials } from './token-cache';

import { readV1Answer } from './answers';
import { type ConnectionOptions, connect } from './connection';

export interface PortOneClientOptions extends ConnectionOptions {
  /** The REST API key pair, either given (local runs) or provided at first use (Secrets Manager). */
  credentials: PortOneCredentials | CredentialsProvider;
}

/**
 * Builds the PortOne V1 gateway. Create it once per container (outside the
 * handler) so that the access token is reused across invocations.
 */
export function createPortOneClient(options: PortOneClientOptions): PaymentGateway {
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
  const { transport, now, budgetMs } = connect(options, secrets, readV1Answer);
  const tokens = createTokenCache({ transport, credentials, now });
  return createGateway({
    transport,
    tokens,
    now,
    budgetMs,
  });
}
