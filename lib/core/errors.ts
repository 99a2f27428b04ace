/**
 * One error hierarchy, built in one place (`createHttpError`), so that callers can branch on
 * `instanceof` or on `statusCode`/`code` without ever seeing a transport (ky) error type.
 */

/** What a Key Vault error says about the request that failed. Never carries headers or a body. */
export interface KeyVaultErrorInit {
  /** Key Vault's `error.code` (`SecretNotFound`, `Forbidden`, ...) or one of ours (`Timeout`, `Aborted`, ...). */
  code: string;
  statusCode?: number | undefined;
  /** The service's `x-ms-request-id`, to quote in a support ticket. */
  requestId?: string | undefined;
  /** Our `x-ms-client-request-id`, the same across retries of one call. */
  clientRequestId?: string | undefined;
  method?: string | undefined;
  /** The request path without the query string (no values from the body ever appear in it). */
  path?: string | undefined;
  cause?: unknown;
}

/** Base class of every error this SDK throws. */
export class KeyVaultError extends Error {
  override name = 'KeyVaultError';
  readonly code: string;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(message: string, init: KeyVaultErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.statusCode = init.statusCode;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.method = init.method;
    this.path = init.path;
  }
}

/** 400: the service rejected the request's content. */
export class BadRequestError extends KeyVaultError { override name = 'BadRequestError'; }
/** 401: the credential's token was refused, or the challenge could not be answered. */
export class AuthenticationError extends KeyVaultError { override name = 'AuthenticationError'; }
/** 403: the identity lacks the permission, or the object is disabled / not yet valid / expired. */
export class ForbiddenError extends KeyVaultError { override name = 'ForbiddenError'; }
/** 404: no such secret, key, certificate, version or deleted object. */
export class NotFoundError extends KeyVaultError { override name = 'NotFoundError'; }
/** 409: the name exists (restore), is being deleted, or the operation conflicts. */
export class ConflictError extends KeyVaultError { override name = 'ConflictError'; }
/** 429: throttled, after the retries ran out. `retryAfterMs` is the service's last hint. */
export class ThrottledError extends KeyVaultError {
  override name = 'ThrottledError';
  retryAfterMs: number | undefined;
}
/** 5xx after the retries ran out. `retryAfterMs`: the service's last hint (a 503 may carry Retry-After). */
export class ServiceError extends KeyVaultError {
  override name = 'ServiceError';
  retryAfterMs: number | undefined;
}
/** The connection failed (refused, reset, DNS, TLS) after the retries ran out. */
export class NetworkError extends KeyVaultError { override name = 'NetworkError'; }
/** An attempt (or the caller's deadline) ran out of time. */
export class TimeoutError extends KeyVaultError { override name = 'TimeoutError'; }
/** The caller aborted (an `abortSignal`, or an unsubscribed Observable). Never retried. */
export class AbortError extends KeyVaultError { override name = 'AbortError'; }
/** Bad input caught before anything was sent: names, URLs, algorithms, sizes. */
export class ValidationError extends KeyVaultError {
  override name = 'ValidationError';
  constructor(message: string, code = 'InvalidArgument') {
    super(message, { code });
  }
}

const byStatus: Record<number, typeof KeyVaultError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  429: ThrottledError,
};

/** Reads Key Vault's `{"error":{"code","message"}}` shape, tolerating anything else the wire brings. */
function serviceError(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  return {
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
  };
}

/** The one factory for errors answered by the service. */
export function createHttpError(statusCode: number, body: unknown, init: Omit<KeyVaultErrorInit, 'code' | 'statusCode'>, retryAfterMs?: number): KeyVaultError {
  const { code = `Http${statusCode}`, message = `The service answered ${statusCode}.` } = serviceError(body);
  const ErrorClass = byStatus[statusCode] ?? (statusCode >= 500 ? ServiceError : KeyVaultError);
  const where = init.method && init.path ? ` (${init.method} ${init.path})` : '';
  const error = new ErrorClass(`${message}${where}`, { ...init, code, statusCode });
  if (error instanceof ThrottledError || error instanceof ServiceError) error.retryAfterMs = retryAfterMs;
  return error;
}
