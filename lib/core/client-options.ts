/**
 * The client options, ours and Microsoft's, checked once at construction and reduced to what the layers need:
 * Microsoft's names are mapped onto ours (`serviceVersion` → `apiVersion`, `retryOptions` → `retry`, ...),
 * an unknown name is refused, and nothing here runs per request.
 */
import type { PipelinePolicy, ProxySettings, TlsSettings } from '@azure/core-rest-pipeline';
import { ValidationError } from './errors.js';
import { API_VERSIONS, CLIENT_OPTION_NAMES, DEFAULT_API_VERSION, type ApiVersion, type KeyVaultClientOptions, type RetryOptions } from './options.js';
import { checkHttpClient, splitPolicies } from './policies.js';
import { checkCa } from './tls.js';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { Debugger } from '@azure/logger';
import type { Logger } from './logger.js';

/** Microsoft's `loggingOptions.logger` (a `Debugger`) as our `Logger`: written to when it is enabled, as their log policy does. */
const debuggerLogger = (debug: Debugger | undefined): Logger | undefined =>
  debug && { info: (m) => { if (debug.enabled) debug(m); }, warn: (m) => { if (debug.enabled) debug(m); } };

/** TLS settings of the undici connector (Node's `tls.connect` options). */
export type TlsConnect = Pick<TlsSettings, 'cert' | 'key' | 'pfx' | 'passphrase'> & { ca?: string | string[] };

/** Where the proxy is: its URL (credentials removed) and the `Proxy-Authorization` value, if any. */
export interface Proxy {
  uri: string;
  token?: string | undefined;
}

export interface ResolvedOptions {
  apiVersion: ApiVersion;
  retry: RetryOptions | undefined;
  userAgentPrefix: string | undefined;
  tls: TlsConnect | undefined;
  proxy: Proxy | undefined;
  /** `proxyOptions` as given, for an `HttpClient` (Microsoft's `proxySettings`). */
  proxySettings: ProxySettings | undefined;
  keepAlive: boolean;
  /** The header that carries our request id (Microsoft's `telemetryOptions.clientRequestIdHeaderName`). */
  requestIdHeader: string;
  /** Header names and query parameters logs may show, beyond the defaults. */
  logHeaders: readonly string[];
  logQuery: readonly string[];
  /** The `logger` option, else `loggingOptions.logger` (Microsoft's `Debugger`). */
  logger: Logger | undefined;
  httpClient: HttpClient | undefined;
  perCall: PipelinePolicy[];
  perRetry: PipelinePolicy[];
}

const invalid = (message: string) => new ValidationError(message, 'InvalidOption');

/** Refuses option names no client knows: a misspelt option would otherwise do nothing, silently. */
function checkNames(options: object): void {
  for (const name of Object.keys(options)) {
    if (!CLIENT_OPTION_NAMES.includes(name)) {
      throw invalid(`Unknown client option ${JSON.stringify(name)}; the supported ones are: ${CLIENT_OPTION_NAMES.join(', ')}.`);
    }
  }
}

/** Our name and Microsoft's for one setting: either, or both the same. */
function oneOf<T>(ours: T | undefined, theirs: T | undefined, names: string): T | undefined {
  if (ours !== undefined && theirs !== undefined && ours !== theirs) throw invalid(`${names} say different things (${String(ours)} and ${String(theirs)}): give one.`);
  return ours ?? theirs;
}

function apiVersionOf(options: KeyVaultClientOptions): ApiVersion {
  const version = oneOf(options.apiVersion, options.serviceVersion, 'apiVersion and serviceVersion') ?? DEFAULT_API_VERSION;
  if (!API_VERSIONS.includes(version)) throw new ValidationError(`Unsupported apiVersion ${JSON.stringify(version)}; use one of ${API_VERSIONS.join(', ')}.`);
  return version;
}

function retryOf({ retry, retryOptions }: KeyVaultClientOptions): RetryOptions | undefined {
  if (!retryOptions) return retry;
  if (retry) throw invalid('retry and retryOptions are the same setting under two names: give one.');
  const mapped: RetryOptions = {};
  if (retryOptions.maxRetries !== undefined) mapped.limit = retryOptions.maxRetries;
  if (retryOptions.retryDelayInMs !== undefined) mapped.backoffMs = retryOptions.retryDelayInMs;
  if (retryOptions.maxRetryDelayInMs !== undefined) mapped.maxDelayMs = retryOptions.maxRetryDelayInMs;
  return mapped;
}

/** `ca`, `tlsOptions` and a Node agent's TLS settings, as one set of connector options (CAs add up). */
function tlsOf({ ca, tlsOptions, agent }: KeyVaultClientOptions): TlsConnect | undefined {
  const fromAgent = (agent as { options?: TlsSettings } | undefined)?.options;
  const sources = [tlsOptions, fromAgent].filter((s): s is TlsSettings => !!s);
  const cas = [ca, ...sources.map((s) => s.ca)].filter((c) => c !== undefined).flat();
  const tls: TlsConnect = {};
  if (cas.length) tls.ca = checkCa(cas.map((c) => (Buffer.isBuffer(c) ? c.toString('latin1') : c)))! as string[];
  for (const source of sources) {
    for (const name of ['cert', 'key', 'pfx', 'passphrase'] as const) {
      if (source[name] !== undefined) (tls as Record<string, unknown>)[name] = source[name];
    }
  }
  return Object.keys(tls).length ? tls : undefined;
}

const env = (name: string): string | undefined => process.env[name] || process.env[name.toLowerCase()] || undefined;

/** Whether `NO_PROXY` exempts the vault's host, by Microsoft's rules: `host` matches itself, `.domain` any host under it. */
export function bypassesProxy(host: string, noProxy = env('NO_PROXY')): boolean {
  const patterns = (noProxy ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  return patterns.some((pattern) => (pattern[0] === '.' ? host.endsWith(pattern) || host === pattern.slice(1) : host === pattern));
}

/**
 * The proxy: `proxyOptions`, else (as Microsoft's clients do) `HTTPS_PROXY`, `ALL_PROXY` or `HTTP_PROXY`
 * (upper or lower case) unless `NO_PROXY` names the vault's host. Read once, at construction.
 */
export function proxyOf(settings: ProxySettings | undefined, vaultHost: string): Proxy | undefined {
  let url: URL;
  if (settings) {
    try {
      url = new URL(settings.host);
    } catch {
      throw invalid(`proxyOptions.host must be a URL with its scheme (e.g. "http://proxy.example"), not ${JSON.stringify(settings.host)}.`);
    }
    if (settings.port !== undefined) url.port = String(settings.port);
    if (settings.username) url.username = encodeURIComponent(settings.username);
    if (settings.password) url.password = encodeURIComponent(settings.password);
  } else {
    const fromEnv = env('HTTPS_PROXY') ?? env('ALL_PROXY') ?? env('HTTP_PROXY');
    if (!fromEnv || bypassesProxy(vaultHost)) return undefined;
    url = new URL(fromEnv);
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const token = user || password ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : undefined;
  url.username = '';
  url.password = '';
  return { uri: url.href, token };
}

/**
 * An injected `fetch` is the whole transport: the connection options of ours would not reach it. (An `HttpClient`
 * gets them on each request, as Microsoft's `tlsSettings`, `proxySettings` and `disableKeepAlive`.)
 */
function checkTransport(options: KeyVaultClientOptions): void {
  if (options.fetch === undefined) return;
  if (options.httpClient !== undefined) throw invalid('fetch and httpClient both replace the transport: give one.');
  for (const name of ['proxyOptions', 'tlsOptions', 'keepAliveOptions', 'agent'] as const) {
    if (options[name] !== undefined) throw invalid(`${name} configures the built-in transport, which an injected fetch replaces: configure that fetch instead.`);
  }
}

/** Checks every option and maps Microsoft's names onto ours. */
export function resolveOptions(options: KeyVaultClientOptions, vaultHost: string): ResolvedOptions {
  checkNames(options);
  checkTransport(options);
  const { perCall, perRetry } = splitPolicies(options.additionalPolicies);
  const agentKeepAlive = (options.agent as { keepAlive?: boolean } | undefined)?.keepAlive;
  return {
    apiVersion: apiVersionOf(options),
    retry: retryOf(options),
    userAgentPrefix: oneOf(options.userAgentPrefix, options.userAgentOptions?.userAgentPrefix, 'userAgentPrefix and userAgentOptions.userAgentPrefix'),
    tls: tlsOf(options),
    proxy: proxyOf(options.proxyOptions, vaultHost),
    proxySettings: options.proxyOptions,
    keepAlive: options.keepAliveOptions?.enable ?? agentKeepAlive ?? true,
    requestIdHeader: options.telemetryOptions?.clientRequestIdHeaderName?.toLowerCase() || 'x-ms-client-request-id',
    logHeaders: options.loggingOptions?.additionalAllowedHeaderNames ?? [],
    logQuery: options.loggingOptions?.additionalAllowedQueryParameters ?? [],
    logger: options.logger ?? debuggerLogger(options.loggingOptions?.logger),
    httpClient: checkHttpClient(options.httpClient),
    perCall,
    perRetry,
  };
}
