/**
 * Logging by `@azure/logger`'s conventions, beside our own `logger` option and `KEYVAULT_KIT_LOG`:
 * `setLogLevel('info')` or `AZURE_LOG_LEVEL=info` logs each request and response under the namespace
 * `azure:keyvault-kit:*`; `verbose` adds each request's allow-listed headers.
 *
 * `@azure/logger` costs 15–45 ms to import here, so it is loaded with the first request (as ky is), never
 * by `import 'keyvault-kit'`: the transport awaits {@link loadAzureLogger} once, then asks
 * {@link resolveLogger} per request, which is a property read and allocates nothing.
 */
import type { AzureLogger, AzureLogLevel, Debugger } from '@azure/logger';
import { loggerFromEnv, redactUrl, type Logger } from '../core/logger.js';
import { SafeHeaders } from '../core/http-shapes.js';

/** Our namespace under Azure's: `azure:keyvault-kit:info` and so on. */
export const LOG_NAMESPACE = 'keyvault-kit';

/** What the transport is given: our `Logger`, plus `verbose` when request details are wanted. */
export interface TransportLogger extends Logger {
  /** Present only when verbose output is on: build the (allocating) detail line only then. */
  verbose?: (message: string) => void;
}

let azure: AzureLogger | undefined;
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
  if (fromEnv) return fromEnv;
  if (!azure?.warning.enabled) return undefined;
  return azure.verbose.enabled ? toAzureVerbose : toAzureInfo;
}

/** A request's detail line as Microsoft's log policy writes it: allow-listed headers, others `REDACTED`. */
export function requestDetail(method: string, url: string, headers: Headers): string {
  const safe = new SafeHeaders(headers);
  const shown: Record<string, string> = {};
  for (const [name] of headers) shown[name] = safe.get(name) ?? 'REDACTED';
  return `Request: ${JSON.stringify({ url: redactUrl(url), method, headers: shown })}`;
}

const LEVELS: readonly AzureLogLevel[] = ['verbose', 'info', 'warning', 'error'];

/** Before `@azure/logger` is loaded, whether `AZURE_LOG_LEVEL` turns `level` on. */
function envEnables(level: AzureLogLevel): boolean {
  const set = LEVELS.indexOf(process.env['AZURE_LOG_LEVEL'] as AzureLogLevel);
  return set >= 0 && LEVELS.indexOf(level) >= set;
}

/** A `Debugger` that forwards to the real one once `@azure/logger` is loaded (calls before that wait for it). */
function lazyDebugger(resolve: () => Debugger | undefined, namespace: string, level: AzureLogLevel): Debugger {
  const debug = ((...args: unknown[]) => {
    const real = resolve();
    if (real) real(...args);
    else void loadAzureLogger().then(() => resolve()?.(...args));
  }) as Debugger;
  Object.defineProperties(debug, {
    enabled: { get: () => resolve()?.enabled ?? envEnables(level), set: (on: boolean) => { void loadAzureLogger().then(() => { const real = resolve(); if (real) real.enabled = on; }); } },
    namespace: { value: namespace },
    log: { get: () => resolve()?.log ?? ((...args: unknown[]) => console.error(...args)), set: (log: Debugger['log']) => { void loadAzureLogger().then(() => { const real = resolve(); if (real) real.log = log; }); } },
  });
  debug.destroy = () => resolve()?.destroy() ?? false;
  debug.extend = (child: string) => lazyDebugger(() => resolve()?.extend(child), `${namespace}:${child}`, level);
  return debug;
}

/**
 * keyvault-kit's `AzureLogger`, as Microsoft's packages export `logger`: `logger.info(...)`, `logger.verbose.enabled`.
 * It loads `@azure/logger` on first use, not at import.
 */
export const logger: AzureLogger = {
  error: lazyDebugger(() => azure?.error, `azure:${LOG_NAMESPACE}:error`, 'error'),
  warning: lazyDebugger(() => azure?.warning, `azure:${LOG_NAMESPACE}:warning`, 'warning'),
  info: lazyDebugger(() => azure?.info, `azure:${LOG_NAMESPACE}:info`, 'info'),
  verbose: lazyDebugger(() => azure?.verbose, `azure:${LOG_NAMESPACE}:verbose`, 'verbose'),
};
