import { AbortError, KeyVaultError, NetworkError, ServiceError, TimeoutError, createHttpError } from './errors.js';
import { serverDelayMs } from './retry.js';
import { tlsError } from './tls.js';

/** Which request failed: what every error names (never a header, a body or a query value). */
export interface Where {
  method: string;
  path: string;
  clientRequestId: string;
}

/** `where` of a request on the wire; the path is only worked out when there is an error to name it in. */
export const whereOf = (request: { url: string; method: string; clientRequestId: string }): Where => ({
  method: request.method,
  path: new URL(request.url).pathname,
  clientRequestId: request.clientRequestId,
});

/** Thrown by the transport when one attempt ran past the client's `timeout`. */
export class AttemptTimedOut extends Error {
  override name = 'AttemptTimedOut';
  constructor(readonly ms: number) {
    super(`The attempt took longer than ${ms} ms.`);
  }
}

/** Thrown by the transport when an answer is larger than `maxResponseBytes`: reading stops there. */
export class AnswerTooLarge extends Error {
  override name = 'AnswerTooLarge';
  constructor(readonly limit: number) {
    super(`The answer is larger than ${limit} bytes.`);
  }
}

/** A non-2xx answer as the typed error for its status, with the service's code, message and wait hint. */
export async function errorFromResponse(response: Response, where: Where, url?: string): Promise<KeyVaultError> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML page, say: the status still says what happened.
  }
  const { headers } = response;
  return createHttpError(response.status, body, {
    ...where,
    requestId: headers.get('x-ms-request-id') ?? undefined,
    retryAfterMs: serverDelayMs(headers),
    url,
    // error.request / error.response (Microsoft's shape) show allow-listed headers only.
    requestHeaders: new Headers({ 'x-ms-client-request-id': where.clientRequestId }),
    responseHeaders: headers,
  });
}

/** The socket's own error (the one with a `code`), under the `TypeError('fetch failed')` and ky's wrappers. */
function socketErrorOf(error: unknown): { code?: unknown; message?: string } | undefined {
  for (let at = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; at && depth < 5; at = at.cause as typeof at, depth++) {
    if (typeof at.code === 'string') return at as { code: string };
  }
  return undefined;
}

/** Everything a call can throw, as the `KeyVaultError` that says what happened; a `KeyVaultError` passes as is. */
export function toKeyVaultError(error: unknown, where: Where, signal: AbortSignal | undefined): KeyVaultError {
  if (error instanceof KeyVaultError) return error;
  const request = `(${where.method} ${where.path})`;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
    const ErrorClass = timedOut ? TimeoutError : AbortError;
    return new ErrorClass(timedOut ? `The call's deadline passed ${request}.` : `The call was aborted ${request}.`, { code: timedOut ? 'Timeout' : 'Aborted', ...where, cause: reason });
  }
  if (error instanceof AttemptTimedOut) return new TimeoutError(`An attempt timed out after ${error.ms} ms ${request}.`, { code: 'Timeout', ...where });
  if (error instanceof AnswerTooLarge) {
    return new ServiceError(`The vault's answer is larger than maxResponseBytes (${error.limit}); reading stopped there ${request}.`, { code: 'ResponseTooLarge', ...where });
  }
  const name = (error as Error | undefined)?.name;
  if (name === 'NetworkError' || error instanceof TypeError) {
    // ky's NetworkError carries ky's request: keep only what failed under it.
    const cause = name === 'NetworkError' ? ((error as Error).cause ?? error) : error;
    const socket = socketErrorOf(cause);
    const tls = socket && tlsError(socket, where, request);
    if (tls) return tls;
    const detail = (socket?.code as string | undefined) ?? (cause as Error).message;
    return new NetworkError(`The vault could not be reached ${request}: ${detail}.`, { code: 'NetworkError', ...where, cause });
  }
  if (name === 'AbortError') return new AbortError(`The call was aborted ${request}.`, { code: 'Aborted', ...where, cause: error });
  return new KeyVaultError(`Unexpected failure ${request}: ${String((error as Error)?.message ?? error)}`, { code: 'Unexpected', ...where, cause: error });
}
