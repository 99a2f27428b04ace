import type { AzureLogger } from '@azure/logger';
import { ALLOWED_HEADER_NAMES, SafeHeaders } from './http-shapes.js';

/** Receives one line per request and per response. `console` fits. */
export interface Logger {
  /** A request sent, a response received, a retry planned. */
  info(message: string): void;
  /** A call that failed for good. */
  warn(message: string): void;
}

/** Response headers worth a log line; every other header is left out, and no body is ever logged. */
const LOGGED_HEADERS = ['x-ms-request-id', 'x-ms-client-request-id', 'retry-after', 'x-ms-keyvault-service-version', 'content-length'];
/** Query parameters that carry no data of the caller's. */
const LOGGED_QUERY = new Set(['api-version', 'maxresults', 'includePending']);

/** `KEYVAULT_KIT_LOG=1` (or `info`) logs to stderr when no logger is given. */
export function loggerFromEnv(env = process.env): Logger | undefined {
  const level = env['KEYVAULT_KIT_LOG'];
  if (!level || level === '0' || level === 'off') return undefined;
  return { info: (m) => console.error(m), warn: (m) => console.error(m) };
}

/** What a client's `loggingOptions` add to the defaults: more query parameters and response headers shown. */
export interface LogAllowed {
  query?: readonly string[];
  headers?: readonly string[];
}

/** The URL with any query value we do not know to be harmless (or the client did not allow) replaced by `REDACTED`. */
export function redactUrl(url: string, allowed?: LogAllowed): string {
  const parsed = new URL(url);
  for (const key of [...parsed.searchParams.keys()]) {
    if (!LOGGED_QUERY.has(key) && !allowed?.query?.includes(key)) parsed.searchParams.set(key, 'REDACTED');
  }
  return parsed.toString();
}

/** A request leaving: `challenge` marks the token-less, body-less first request that learns where tokens come from. */
export function requestLine(method: string, url: string, clientRequestId: string, retry: number, challenge = false, allowed?: LogAllowed): string {
  return `keyvault-kit → ${method} ${redactUrl(url, allowed)} client-request-id=${clientRequestId}${retry ? ` retry=${retry}` : ''}${challenge ? ' (challenge: no token, no body)' : ''}`;
}

/** An attempt failed and another follows: which, why, and after how long a wait. */
export function retryLine(retry: number, limit: number, waitMs: number, error: { name: string; message: string }): string {
  return `keyvault-kit ↻ retry ${retry}/${limit} in ${Math.round(waitMs)} ms after ${error.constructor.name}: ${error.message}`;
}

/** A call failed for good (our error messages carry no body, header or query value). */
export function failureLine(method: string, url: string, error: { name: string; code: string; message: string }): string {
  return `keyvault-kit ✗ ${method} ${redactUrl(url)} ${error.constructor.name} (${error.code}): ${error.message}`;
}

export function responseLine(method: string, url: string, status: number, headers: Headers, allowed?: LogAllowed): string {
  const names = allowed?.headers?.length ? [...LOGGED_HEADERS, ...allowed.headers.map((h) => h.toLowerCase())] : LOGGED_HEADERS;
  const shown = names.flatMap((name) => {
    const value = headers.get(name);
    return value === null ? [] : [`${name}=${value}`];
  });
  return `keyvault-kit ← ${status} ${method} ${redactUrl(url, allowed)} ${shown.join(' ')}`.trimEnd();
}

// ---- `@azure/logger`'s conventions, beside our own `logger` option and `KEYVAULT_KIT_LOG` ----
// `setLogLevel('info')` or `AZURE_LOG_LEVEL=info` logs each request and response under the namespace
// `azure:keyvault-kit:*`; `verbose` adds each request's allow-listed headers. `@azure/logger` costs 15–45 ms to
// import, so the transport loads it with the first request (beside ky), never `import 'keyvault-kit'`; then
// `resolveLogger` per request is a few property reads and allocates nothing. (Here in core, not in telemetry/,
// so that the transport needs no import of telemetry/, which imports core.)

/** Our namespace under Azure's: `azure:keyvault-kit:info` and so on. */
export const LOG_NAMESPACE = 'keyvault-kit';

/** What the transport is given: our `Logger`, plus `verbose` when request details are wanted. */
export interface TransportLogger extends Logger {
  /** Present only when verbose output is on: build the (allocating) detail line only then. */
  verbose?: (message: string) => void;
}

let azure: AzureLogger | undefined;

/** The client logger of `@azure/logger`, once loaded. */
export const azureLogger = (): AzureLogger | undefined => azure;
let loading: Promise<AzureLogger | undefined> | undefined;

/**
 * `@azure/logger` ships a CommonJS and an ES build, each with its own level: the app's `setLogLevel` acts on
 * the one the app loaded. So the CommonJS copy is used when the app has already required it, else the ES one.
 */
async function importAzureLogger(): Promise<typeof import('@azure/logger')> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const cjs = require.resolve('@azure/logger');
  return require.cache[cjs] ? (require(cjs) as typeof import('@azure/logger')) : import('@azure/logger');
}

/** Loads `@azure/logger` once and creates our client logger; resolves `undefined` if it cannot be loaded. */
export function loadAzureLogger(): Promise<AzureLogger | undefined> {
  return (loading ??= importAzureLogger().then(({ createClientLogger }) => (azure = createClientLogger(LOG_NAMESPACE)), () => undefined));
}

const toAzureInfo: TransportLogger = { info: (m) => azure?.info(m), warn: (m) => azure?.warning(m) };
const toAzureVerbose: TransportLogger = { ...toAzureInfo, verbose: (m) => azure?.verbose(m) };
// `KEYVAULT_KIT_LOG`'s logger, made again only when the variable changes (tests set it at run time).
let envValue: string | undefined;
let fromEnv: Logger | undefined;

/**
 * The logger for this request, or `undefined` (then nothing is formatted): the client's `logger` option,
 * else `KEYVAULT_KIT_LOG`, else `@azure/logger` when its level (`setLogLevel`, `AZURE_LOG_LEVEL`) is on.
 */
export function resolveLogger(option?: Logger): TransportLogger | undefined {
  if (option) return option;
  const value = process.env['KEYVAULT_KIT_LOG'];
  if (value !== envValue) [envValue, fromEnv] = [value, loggerFromEnv()];
  return fromEnv ?? levelLogger();
}

/**
 * `@azure/logger`'s part of {@link resolveLogger}: for a client that read its `logger` option and
 * `KEYVAULT_KIT_LOG` at construction, the per-request check is two property reads (no environment read).
 */
export function levelLogger(): TransportLogger | undefined {
  if (!azure?.warning.enabled) return undefined;
  return azure.verbose.enabled ? toAzureVerbose : toAzureInfo;
}

/** A request's detail line as Microsoft's log policy writes it: allow-listed headers (and the client's `loggingOptions`), others `REDACTED`. */
export function requestDetail(method: string, url: string, headers: Headers, allowed?: LogAllowed): string {
  const names = allowed?.headers?.length ? new Set([...ALLOWED_HEADER_NAMES, ...allowed.headers.map((h) => h.toLowerCase())]) : ALLOWED_HEADER_NAMES;
  const safe = new SafeHeaders(headers, names);
  const shown: Record<string, string> = {};
  for (const [name] of headers) shown[name] = safe.get(name) ?? 'REDACTED';
  return `Request: ${JSON.stringify({ url: redactUrl(url, allowed), method, headers: shown })}`;
}
