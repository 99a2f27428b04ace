import { randomUUID } from 'node:crypto';
import type { ClientContext } from './context.js';
import { ServiceError, ValidationError } from './errors.js';
import { toKeyVaultError } from './failure.js';
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
  const signal = options.abortSignal;
  let text: string;
  try {
    const response = await ctx.http(url, { method: operation.method, clientRequestId, body, signal });
    text = await response.text();
  } catch (error) {
    throw toKeyVaultError(error, { method: operation.method, path: pathOf(url), clientRequestId }, signal);
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

export { toKeyVaultError };

/**
 * Passes only the abort signal on: the rest of an options object is the operation's own. Takes the
 * options, or a bare signal (what pollers and paging hold).
 */
export function signalOf(from: OperationOptions | AbortSignal | undefined): OperationOptions {
  const signal = from instanceof AbortSignal ? from : from?.abortSignal;
  return signal ? { abortSignal: signal } : {};
}
