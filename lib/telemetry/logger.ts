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
import { LOG_NAMESPACE, azureLogger, loadAzureLogger } from '../core/logger.js';

export { LOG_NAMESPACE, loadAzureLogger, requestDetail, resolveLogger, type TransportLogger } from '../core/logger.js';

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
  error: lazyDebugger(() => azureLogger()?.error, `azure:${LOG_NAMESPACE}:error`, 'error'),
  warning: lazyDebugger(() => azureLogger()?.warning, `azure:${LOG_NAMESPACE}:warning`, 'warning'),
  info: lazyDebugger(() => azureLogger()?.info, `azure:${LOG_NAMESPACE}:info`, 'info'),
  verbose: lazyDebugger(() => azureLogger()?.verbose, `azure:${LOG_NAMESPACE}:verbose`, 'verbose'),
};
