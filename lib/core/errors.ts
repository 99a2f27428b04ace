/**
 * One error hierarchy, built in one place (`createHttpError`), so that callers can branch on
 * `instanceof` or on `statusCode`/`code` without ever seeing a transport (ky) error type.
 */

import { SafeHeaders, requestShape, type PipelineRequestLike, type PipelineResponseLike } from './http-shapes.js';

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
  /** The service's last wait hint (`retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After`), in ms. */
  retryAfterMs?: number | undefined;
  cause?: unknown;
  /** The full request URL (its query carries no caller data); `error.request.url`. Defaults to `path`. */
  url?: string | undefined;
  /** The request's headers: only allow-listed ones reach `error.request.headers` (never `authorization`). */
  requestHeaders?: Headers | undefined;
  /** The response's headers: only allow-listed ones reach `error.response.headers`. */
  responseHeaders?: Headers | undefined;
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
  /** How long the service asked to wait before trying again, when it said (429, 503 ...). */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, init: KeyVaultErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.statusCode = init.statusCode;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.method = init.method;
    this.path = init.path;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Microsoft's `RestError` options: what `new RestError(message, options)` takes in their packages. */
export interface RestErrorOptions extends Partial<KeyVaultErrorInit> {
  request?: PipelineRequestLike | undefined;
  response?: PipelineResponseLike | undefined;
}

/**
 * Every error the service answered (any status) or the network caused: Microsoft's `RestError` contract.
 * `name` is `'RestError'` because that is what `isRestError` from `@azure/core-rest-pipeline` tests (an
 * `instanceof` of their class cannot hold for an object not built by it); the subclass says which error it
 * is (`instanceof NotFoundError`). `request` and `response` are non-enumerable (as Microsoft's), built from
 * allow-listed headers only, and carry no request body.
 */
export class RestError extends KeyVaultError {
  /** Microsoft's code for a request that could not be sent (ours say `NetworkError`). */
  static readonly REQUEST_SEND_ERROR = 'REQUEST_SEND_ERROR';
  /** Microsoft's code for a response that could not be parsed (ours say `InvalidResponse`). */
  static readonly PARSE_ERROR = 'PARSE_ERROR';
  override name = 'RestError';
  declare readonly request: PipelineRequestLike | undefined;
  declare readonly response: PipelineResponseLike | undefined;
  /** The service's error as Microsoft's clients give it: `{ error: { code, message, innerError } }`. */
  details?: unknown;

  constructor(message: string, options: RestErrorOptions = {}) {
    const { request: givenRequest, response: givenResponse, ...init } = options;
    super(message, { ...init, code: init.code ?? (init.statusCode ? `Http${init.statusCode}` : 'RestError') });
    const request = givenRequest ?? givenResponse?.request ?? (init.method && (init.url ?? init.path)
      ? requestShape(init.method, init.url ?? init.path!, init.requestHeaders, init.clientRequestId)
      : undefined);
    const response = givenResponse ?? (init.statusCode !== undefined && request
      ? { request, status: init.statusCode, headers: new SafeHeaders(init.responseHeaders) }
      : undefined);
    Object.defineProperty(this, 'request', { value: request, enumerable: false });
    Object.defineProperty(this, 'response', { value: response, enumerable: false });
  }
}

/** `isRestError` as Microsoft's: true for ours and for theirs (both have `name === 'RestError'`). */
export function isRestError(error: unknown): error is RestError {
  return error instanceof RestError
    || (typeof error === 'object' && error !== null && (error as Error).name === 'RestError' && typeof (error as Error).message === 'string');
}

/** 400: the service rejected the request's content. */
export class BadRequestError extends RestError {}
/** 401: the credential's token was refused, or the challenge could not be answered. */
export class AuthenticationError extends RestError {}
/** 403: the identity lacks the permission, or the object is disabled / not yet valid / expired. */
export class ForbiddenError extends RestError {}
/** 404: no such secret, key, certificate, version or deleted object. */
export class NotFoundError extends RestError {}
/** 409: the name exists (restore), is being deleted, or the operation conflicts. */
export class ConflictError extends RestError {}
/** 429: throttled, after the retries ran out. `retryAfterMs` is the service's last hint. */
export class ThrottledError extends RestError {}
/** 5xx after the retries ran out. */
export class ServiceError extends RestError {}
/** The connection failed (refused, reset, DNS, TLS) after the retries ran out. */
export class NetworkError extends RestError {}
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

const byStatus: Record<number, typeof RestError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  429: ThrottledError,
};

/** Reads Key Vault's `{"error":{"code","message"}}` shape, tolerating anything else the wire brings. */
function serviceError(body: unknown): { code?: string; message?: string; details?: unknown } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  return {
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
    ...(error && typeof error === 'object' ? { details: { error: innerErrorOf(error) } } : {}),
  };
}

interface WireError { code?: unknown; message?: unknown; innererror?: unknown }

/** Key Vault's `innererror` chain, renamed as Microsoft's deserializer does (`innerError`). */
function innerErrorOf(error: WireError): unknown {
  const inner = error.innererror && typeof error.innererror === 'object' ? innerErrorOf(error.innererror as WireError) : undefined;
  return { code: error.code, message: error.message, ...(inner ? { innerError: inner } : {}) };
}

/** The one factory for errors answered by the service. */
export function createHttpError(statusCode: number, body: unknown, init: Omit<KeyVaultErrorInit, 'code' | 'statusCode'>): RestError {
  const { code = `Http${statusCode}`, message = `The service answered ${statusCode}.`, details } = serviceError(body);
  const ErrorClass = byStatus[statusCode] ?? (statusCode >= 500 ? ServiceError : RestError);
  const where = init.method && init.path ? ` (${init.method} ${init.path})` : '';
  const error = new ErrorClass(`${message}${where}`, { ...init, code, statusCode });
  if (details !== undefined) error.details = details;
  if (error.response && body !== undefined) Object.defineProperty(error.response, 'bodyAsText', { value: JSON.stringify(body), enumerable: true });
  return error;
}
