import { randomUUID } from 'node:crypto';
import type { ClientContext } from './context.js';
import { RestError, ServiceError, ValidationError } from './errors.js';
import { toKeyVaultError } from './failure.js';
import type { AbortSignalLike, OperationOptions } from './options.js';
import { reportFailure, reportResponse } from './raw-response.js';
import { tracingHook, type CallTrace } from './trace-hook.js';

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
  /** Microsoft's span name for it (`SecretClient.getSecret`); none for listings, whose pages get HTTP spans only. */
  span?: string | undefined;
}

/** Declares an operation with its wire and result types in one place. */
export const op = <Wire, Result>(method: HttpMethod, path: string, decode: (wire: Wire) => Result, span?: string): Operation<Wire, Result> => ({ method, path, decode, span });

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

/** The options of a call that gave none: shared, so that such a call allocates nothing for them. */
const NONE: OperationOptions = Object.freeze({});

/**
 * Build → send → decode, through the one shared transport. Every error comes out as a `KeyVaultError`.
 * With tracing installed (`@opentelemetry/api` present), the call runs under its span; otherwise this is
 * one property read.
 */
export function send<Wire, Result>(ctx: ClientContext, operation: Operation<Wire, Result>, call: Call, options: OperationOptions = NONE): Promise<Result> {
  if (tracingHook.loading) return tracingHook.loading.then(() => send(ctx, operation, call, options));
  const tracer = tracingHook.tracer;
  if (!tracer) return perform(ctx, operation, call, options, undefined);
  const trace = tracer.start(operation.span, options.tracingOptions?.tracingContext);
  return trace.run(() => perform(ctx, operation, call, options, trace));
}

async function perform<Wire, Result>(ctx: ClientContext, operation: Operation<Wire, Result>, call: Call, options: OperationOptions, trace: CallTrace | undefined): Promise<Result> {
  const url = buildUrl(ctx, operation as Operation<never, unknown>, call);
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const { requestOptions, onResponse } = options;
  const headers = requestOptions?.headers ? flatHeaders(requestOptions.headers) : undefined;
  const timeout = requestOptions?.timeout === undefined ? undefined : checkTimeout(requestOptions.timeout);
  const clientRequestId = (headers && idIn(headers)) || randomUUID();
  // An AbortSignalLike that is not a real AbortSignal is bridged to one, for this call only.
  const bridge = bridgeSignal(options.abortSignal);
  const signal = bridge.signal;
  const sent = onResponse && { url, method: operation.method, clientRequestId, headers, hasBody: body !== undefined, timeout };
  let response: Response;
  let text: string;
  try {
    response = await ctx.http(url, { method: operation.method, clientRequestId, body, signal, extraHeaders: headers, timeout, trace });
    text = await response.text();
  } catch (error) {
    const failure = toKeyVaultError(error, { method: operation.method, path: pathOf(url), clientRequestId }, signal);
    if (sent && failure instanceof RestError) reportFailure(onResponse, sent, failure);
    throw failure;
  } finally {
    bridge.release();
  }
  let wire: unknown;
  try {
    wire = text ? JSON.parse(text) : undefined;
  } catch (cause) {
    const path = pathOf(url);
    throw new ServiceError(`The vault answered with malformed JSON (${operation.method} ${path}).`, { code: 'InvalidResponse', method: operation.method, path, clientRequestId, cause });
  }
  if (sent) reportResponse(onResponse, sent, response, text, wire);
  return operation.decode(wire as Wire);
}

/** The path errors name, worked out only when there is an error to name it in. */
const pathOf = (url: string): string => new URL(url).pathname;

/** Headers the SDK sets itself: a per-call value would be sent twice or break the request. */
const OURS = new Set(['authorization', 'content-type', 'content-length', 'host']);

/** Per-call headers, flat (`[name, value, ...]`, lower-case names) as the transport takes them. */
function flatHeaders(headers: Record<string, string | number | boolean>): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!OURS.has(key) && value !== undefined && value !== null) flat.push(key, String(value));
  }
  return flat;
}

/** An `x-ms-client-request-id` given per call becomes the call's id (as Microsoft's pipeline keeps it). */
function idIn(headers: string[]): string | undefined {
  const at = headers.indexOf('x-ms-client-request-id');
  if (at < 0 || at % 2 === 1) return undefined;
  const id = headers[at + 1];
  headers.splice(at, 2);
  return id;
}

/** A per-call attempt time limit: ms above 0, or `0` for none (as Microsoft's `timeout: 0`). */
function checkTimeout(timeout: number): number {
  if (typeof timeout !== 'number' || !(timeout >= 0 && timeout <= 2_147_483_647)) {
    throw new ValidationError(`requestOptions.timeout must be a number of ms (0 for none), not ${String(timeout)}.`, 'InvalidOption');
  }
  return timeout;
}

/** A bridge that follows nothing: no signal given, or a real `AbortSignal`, used as it is. */
const noop = (): void => undefined;
const UNBRIDGED = Object.freeze({ signal: undefined, release: noop });

/**
 * A real `AbortSignal` for Microsoft's `AbortSignalLike` (anything with `aborted` and abort listeners), and the
 * way to stop following it once the work it guards is over. A real signal is used as it is.
 */
export function bridgeSignal(like: AbortSignalLike | undefined): { readonly signal: AbortSignal | undefined; release(): void } {
  if (like === undefined) return UNBRIDGED;
  if (like instanceof AbortSignal) return { signal: like, release: noop };
  const controller = new AbortController();
  const reason = () => like.reason ?? new DOMException('The operation was aborted.', 'AbortError');
  const onAbort = () => controller.abort(reason());
  if (like.aborted) controller.abort(reason());
  else like.addEventListener('abort', onAbort);
  return { signal: controller.signal, release: () => like.removeEventListener('abort', onAbort) };
}

export { toKeyVaultError };

const isSignal = (from: object): from is AbortSignalLike => typeof (from as AbortSignalLike).addEventListener === 'function';

/**
 * The per-call options passed on (`abortSignal`, `requestOptions`, `tracingOptions`, `onResponse`): the rest
 * of an options object is the operation's own. Takes the options, or a bare signal (what pollers and paging
 * hold). A call that gave none of them gets a shared empty object, not a new one.
 */
export function perCallOf(from: OperationOptions | AbortSignalLike | undefined): OperationOptions {
  if (!from) return NONE;
  if (isSignal(from)) return { abortSignal: from };
  const { abortSignal, requestOptions, tracingOptions, onResponse } = from;
  if (!requestOptions && !tracingOptions && !onResponse) return abortSignal ? { abortSignal } : NONE;
  const perCall: OperationOptions = {};
  if (abortSignal) perCall.abortSignal = abortSignal;
  if (requestOptions) perCall.requestOptions = requestOptions;
  if (tracingOptions) perCall.tracingOptions = tracingOptions;
  if (onResponse) perCall.onResponse = onResponse;
  return perCall;
}

/** What each poll of a long-running operation sends with: the `begin...` call's per-call options, and the poll's signal. */
export function pollOptions(begin: OperationOptions | undefined, signal: AbortSignalLike | undefined): OperationOptions {
  const perCall = perCallOf(begin);
  if (perCall.abortSignal === signal) return perCall;
  const { abortSignal: _, ...rest } = perCall;
  return signal ? { ...rest, abortSignal: signal } : rest;
}
