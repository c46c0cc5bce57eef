import {
  NotFoundError,
  UpstreamRejectedError,
  UpstreamUnauthorizedError,
  UpstreamUnavailableError,
} from '../../domain/model/errors';
import { tokenSchema } from './schemas';
import type { Deadline, Transport } from './transport';

/**
 * A token is used until PortOne's own expiry, not refreshed early: asked for
 * before expiry, PortOne answers the same token, extended by only 5 minutes
 * in its last minute, so an early refresh would cost a fetch every few
 * minutes instead of one per 30. The lifetime is counted from when the answer
 * arrived, which is after PortOne issued it, so by our count the token has
 * expired at PortOne first. A call that reaches PortOne just after the
 * expiry gets a 401 and is retried once with a new token (client.ts).
 */
export interface PortOneCredentials {
  apiKey: string;
  apiSecret: string;
}

/** Where the key pair comes from; `invalidate` (if any) is called when PortOne rejects it. */
export type CredentialsProvider = (() => Promise<PortOneCredentials>) & { invalidate?: () => void };

export interface TokenCache {
  /** A token believed valid, fetching one if needed (single-flight). */
  get(deadline: Deadline): Promise<string>;
  /** Drops `token` after PortOne refused it, unless it was already replaced. */
  invalidate(token: string): void;
}

/**
 * One access token per client, i.e. per Lambda container. Its lifetime is
 * taken from the server's own `expired_at - now`, measured against the local
 * clock only as elapsed time, so clock skew between the container and
 * PortOne cannot make us hold on to an expired token.
 */
export function createTokenCache(options: {
  transport: Transport;
  /** The key pair; a provider so that it can come from Secrets Manager at first use. */
  credentials: CredentialsProvider;
  now: () => number;
}): TokenCache {
  let cached: { token: string; validUntil: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function refresh(deadline: Deadline): Promise<string> {
    const { apiKey, apiSecret } = await options.credentials();
    let issued: { access_token: string; now: number; expired_at: number };
    try {
      issued = await options.transport(
        {
          route: 'POST /users/getToken',
          method: 'POST',
          path: '/users/getToken',
          body: { imp_key: apiKey, imp_secret: apiSecret },
          // Issuing returns the current token again; repeating it is harmless.
          idempotent: true,
          schema: tokenSchema,
        },
        deadline,
      );
    } catch (error) {
      // Callers would read NotFound as "no such payment" and Rejected as a
      // refusal of their operation; neither is true for a failed token fetch.
      if (error instanceof NotFoundError) {
        throw new UpstreamUnavailableError('PortOne token endpoint not found (check baseUrl)');
      }
      if (error instanceof UpstreamRejectedError) {
        throw new UpstreamUnauthorizedError('PortOne refused to issue an access token');
      }
      if (error instanceof UpstreamUnauthorizedError) {
        options.credentials.invalidate?.(); // read them again next time: they may have been rotated
        throw new UpstreamUnauthorizedError('PortOne rejected the API credentials');
      }
      throw error;
    }
    const receivedAt = options.now();
    const lifetimeMs = (issued.expired_at - issued.now) * 1000;
    cached = {
      token: issued.access_token,
      validUntil: receivedAt + lifetimeMs,
    };
    return issued.access_token;
  }

  return {
    get(deadline) {
      if (cached && options.now() < cached.validUntil) return Promise.resolve(cached.token);
      // Concurrent callers share one refresh (it runs on the first caller's
      // budget, which is at most a few ms older than theirs). A failed
      // refresh is forgotten, so the next caller tries again.
      inflight ??= refresh(deadline).finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
