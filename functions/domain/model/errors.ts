/**
 * Errors the domain and its ports speak. Each has a stable `code` so that the
 * one error-to-HTTP mapping (functions/http/responses.ts) can switch on it
 * even across bundles, and none of them knows about HTTP.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request itself is malformed; `issues` lists what is wrong, field by field. */
export class InvalidRequestError extends DomainError {
  readonly code = 'INVALID_REQUEST';
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
    readonly statusCode: 400 | 413 | 415 = 400,
  ) {
    super(message);
  }
}

/** PortOne does not know the payment (HTTP 404), or our store does not know the order. */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

/** PortOne answered, but refused the operation (HTTP 200 with `code != 0`, e.g. a checksum mismatch). */
export class UpstreamRejectedError extends DomainError {
  readonly code = 'UPSTREAM_REJECTED';
  constructor(
    message: string,
    /** V1: the envelope's numeric `code`; V2: the error `type` (e.g. `PAYMENT_ALREADY_CANCELLED`). */
    readonly portoneCode: number | string,
  ) {
    super(message);
  }
}

/** PortOne refused our credentials or token even after one fresh token. */
export class UpstreamUnauthorizedError extends DomainError {
  readonly code = 'UPSTREAM_UNAUTHORIZED';
}

/**
 * PortOne could not be reached or answered with something we cannot use
 * (5xx, timeout, connection reset, malformed body). Transient: the caller
 * retries, so handlers answer 5xx.
 */
export class UpstreamUnavailableError extends DomainError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
}

/** Our own storage failed transiently (throttling, 5xx, timeout). Handlers answer 5xx. */
export class StorageUnavailableError extends DomainError {
  readonly code = 'STORAGE_UNAVAILABLE';
}

/** Registering an order that already exists with different terms. */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

/**
 * Our storage refused the write for good: the order item would exceed
 * DynamoDB's 400 KB (I9 should make this impossible). Retrying cannot help,
 * so it is not a 503: an alarm asks a person to look.
 */
export class ItemTooLargeError extends DomainError {
  readonly code = 'ITEM_TOO_LARGE';
}

/**
 * A feature the request needs is not configured (PortOne V2 without its
 * secrets). Not transient in itself, but fixed by configuration without
 * losing anything, so handlers answer 503 and callers retry.
 */
export class NotConfiguredError extends DomainError {
  readonly code = 'NOT_CONFIGURED';
}
