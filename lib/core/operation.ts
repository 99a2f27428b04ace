import type { HTTPError } from 'ky';
import { randomUUID } from 'node:crypto';
import type { ClientContext } from './context.js';
import { AbortError, KeyVaultError, NetworkError, ServiceError, TimeoutError, ValidationError, createHttpError } from './errors.js';
import type { OperationOptions } from './options.js';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/**
 * One Key Vault operation as data: the HTTP method, the path template (`{name}` segments are
 * filled and encoded), and how the wire answer becomes the public model. Promise methods, `$`
 * methods and paging are all built from these declarations.
 */
export interface Operation<Wire = unknown, Result = unknown> {
  method: HttpMethod;
  path: string;
  decode: (wire: Wire) => Result;
}

/** Declares an operation with its wire and result types in one place. */
export const op = <Wire, Result>(method: HttpMethod, path: string, decode: (wire: Wire) => Result): Operation<Wire, Result> => ({ method, path, decode });

export interface Call {
  /** Values for the `{...}` segments of the path; an empty value drops to a trailing slash (latest version). */
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** An absolute URL served by the vault (a `nextLink`), instead of the path template. */
  url?: string;
}

const segment = /\{(\w+)\}/g;

export function buildUrl(ctx: ClientContext, operation: Operation<never, unknown>, call: Call): string {
  if (call.url) return checkSameVault(ctx, call.url);
  const path = operation.path.replace(segment, (_, key: string) => encodeURIComponent(call.params?.[key] ?? ''));
  let url = `${ctx.vaultUrl}${path}?api-version=${ctx.apiVersion}`;
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url += `&${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
  }
  return url;
}

/** Links the service hands out must stay on the vault: a token never follows a link to another host. */
export function checkSameVault(ctx: ClientContext, link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new ValidationError(`Invalid link ${JSON.stringify(link)}.`, 'InvalidLink');
  }
  if (url.origin !== ctx.vaultOrigin) {
    throw new ValidationError(`Refusing to send a token to ${url.origin}: it is not the vault ${ctx.vaultOrigin}.`, 'ForeignHost');
  }
  // The service's nextLinks may omit or change api-version: keep ours.
  url.searchParams.set('api-version', ctx.apiVersion);
  return url.toString();
}

/** Build → send → decode, through the one shared transport. Every error comes out as a `KeyVaultError`. */
export async function send<Wire, Result>(ctx: ClientContext, operation: Operation<Wire, Result>, call: Call, options: OperationOptions = {}): Promise<Result> {
  const url = buildUrl(ctx, operation as Operation<never, unknown>, call);
  const clientRequestId = randomUUID();
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  let text: string;
  try {
    const response = await ctx.http(url, {
      method: operation.method,
      headers: body === undefined ? { 'x-ms-client-request-id': clientRequestId } : { 'x-ms-client-request-id': clientRequestId, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: body }),
      ...(options.abortSignal ? { signal: options.abortSignal, context: { signal: options.abortSignal } } : {}),
    });
    text = await response.text();
  } catch (error) {
    throw toKeyVaultError(error, { method: operation.method, path: pathOf(url), clientRequestId }, options.abortSignal);
  }
  let wire: unknown;
  try {
    wire = text ? JSON.parse(text) : undefined;
  } catch (cause) {
    const path = pathOf(url);
    throw new ServiceError(`The vault answered with malformed JSON (${operation.method} ${path}).`, { code: 'InvalidResponse', method: operation.method, path, clientRequestId, cause });
  }
  return operation.decode(wire as Wire);
}

/** The path errors name, worked out only when there is an error to name it in. */
const pathOf = (url: string): string => new URL(url).pathname;

// ky's own guards test the error's name too; importing them would load ky with the SDK (see context.ts).
const isHTTPError = (error: unknown): error is HTTPError => (error as Error | undefined)?.name === 'HTTPError';
const isNetworkError = (error: unknown): boolean => (error as Error | undefined)?.name === 'NetworkError';
const isTimeoutError = (error: unknown): boolean => (error as Error | undefined)?.name === 'TimeoutError';

interface Where {
  method: string;
  path: string;
  clientRequestId: string;
}

export function toKeyVaultError(error: unknown, where: Where, signal: AbortSignal | undefined): KeyVaultError {
  if (error instanceof KeyVaultError) return error;
  if (isHTTPError(error)) {
    const response = (error as HTTPError).response;
    const retryAfter = Number(response.headers.get('retry-after'));
    return createHttpError(response.status, (error as HTTPError).data, { ...where, requestId: response.headers.get('x-ms-request-id') ?? undefined, url: (error as HTTPError).request.url, requestHeaders: (error as HTTPError).request.headers, responseHeaders: response.headers }, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
  }
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
    const ErrorClass = timedOut ? TimeoutError : AbortError;
    return new ErrorClass(timedOut ? `The call's deadline passed (${where.method} ${where.path}).` : `The call was aborted (${where.method} ${where.path}).`, { code: timedOut ? 'Timeout' : 'Aborted', ...where, cause: reason });
  }
  if (isTimeoutError(error)) return new TimeoutError(`An attempt timed out (${where.method} ${where.path}).`, { code: 'Timeout', ...where });
  if (isNetworkError(error) || error instanceof TypeError) {
    const cause = (error as Error).cause ?? error;
    const detail = (cause as { cause?: { code?: string }; code?: string }).code ?? (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).message;
    return new NetworkError(`The vault could not be reached (${where.method} ${where.path}): ${detail}.`, { code: 'NetworkError', ...where, cause });
  }
  if (error instanceof Error && error.name === 'AbortError') return new AbortError(`The call was aborted (${where.method} ${where.path}).`, { code: 'Aborted', ...where, cause: error });
  return new KeyVaultError(`Unexpected failure (${where.method} ${where.path}): ${String((error as Error)?.message ?? error)}`, { code: 'Unexpected', ...where, cause: error });
}

/** Passes only the abort signal on: the rest of an options object is the operation's own. */
export const signalOf = (options: OperationOptions | undefined): OperationOptions => (options?.abortSignal ? { abortSignal: options.abortSignal } : {});
