import type {
  Agent, HttpClient, LogPolicyOptions, PipelinePolicy, PipelineRetryOptions, ProxySettings, TelemetryOptions, TlsSettings,
  UserAgentPolicyOptions,
} from '@azure/core-rest-pipeline';
import type { HttpHeadersLike } from './http-shapes.js';
import type { Logger } from './logger.js';

/** Key Vault REST API versions this SDK sends: every one Microsoft's packages accept. */
export type ApiVersion = '2025-07-01' | '7.6' | '7.5' | '7.4' | '7.3' | '7.2' | '7.1' | '7.0';
export const DEFAULT_API_VERSION: ApiVersion = '2025-07-01';
export const API_VERSIONS: readonly ApiVersion[] = ['2025-07-01', '7.6', '7.5', '7.4', '7.3', '7.2', '7.1', '7.0'];

/** How failed attempts are retried. */
export interface RetryOptions {
  /** Retries after the first attempt, the auth challenge included. Default `3`. `0` turns retries off (a challenge answered never counts as one). */
  limit?: number;
  /** First backoff in ms, doubled on each retry, with full jitter. Default `800`. */
  backoffMs?: number;
  /** Upper bound of one wait, including a server's `Retry-After`. Default `60000`. */
  maxDelayMs?: number;
}

/** Microsoft's `keepAliveOptions`. */
export interface KeepAliveOptions {
  /** `false`: every request on a new connection (`connection: close`). Default `true`. */
  enable?: boolean;
}

/** Microsoft's `redirectOptions`: accepted, but Key Vault never redirects and a 3xx is never followed (see the README). */
export interface RedirectOptions {
  handleRedirects?: boolean;
  maxRetries?: number;
}

/** One of Microsoft's `additionalPolicies`: where the policy runs. */
export interface AdditionalPolicyConfig {
  policy: PipelinePolicy;
  /** `perCall`: once per call, around the retries; `perRetry`: around each attempt (the auth challenge included). */
  position: 'perCall' | 'perRetry';
}

/** Options of `KeyVaultClient` and of each standalone client. Every one is optional. */
export interface KeyVaultClientOptions {
  /** REST API version sent as `api-version`. Default `'2025-07-01'`. */
  apiVersion?: ApiVersion;
  /** Microsoft's name of {@link apiVersion} (give one, or both the same). */
  serviceVersion?: ApiVersion;
  /** Retries on 408, 429, 500, 502, 503, 504, network errors and attempt timeouts (never TLS failures or aborts); `Retry-After`, `retry-after-ms` and `x-ms-retry-after-ms` are honoured. */
  retry?: RetryOptions;
  /** Microsoft's retry options, mapped onto {@link retry}: `maxRetries` → `limit`, `retryDelayInMs` → `backoffMs`, `maxRetryDelayInMs` → `maxDelayMs`. */
  retryOptions?: PipelineRetryOptions;
  /** Time limit of ONE attempt in ms (retries get their own). Default `30000`; `false` for none. Use `abortSignal` for an overall deadline. */
  timeout?: number | false;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Put before the `User-Agent` (`myapp/1.2 keyvault-kit/x.y.z ...`). */
  userAgentPrefix?: string;
  /** Microsoft's name of {@link userAgentPrefix}. */
  userAgentOptions?: UserAgentPolicyOptions;
  /** Receives one line per request and response (allowlisted headers, no bodies, no tokens). Off by default; `KEYVAULT_KIT_LOG=1` logs to stderr, `@azure/logger`'s `setLogLevel`/`AZURE_LOG_LEVEL` log through it. */
  logger?: Logger;
  /** Microsoft's log options: `additionalAllowedHeaderNames` and `additionalAllowedQueryParameters` are shown in log lines (beyond the defaults, which are theirs); `logger` (a `Debugger`) receives the lines when no `logger` option is given. */
  loggingOptions?: LogPolicyOptions;
  /** Skip the check that the challenge's resource host matches the vault host. Only for vaults reached through another domain on purpose. Default `false`. */
  disableChallengeResourceVerification?: boolean;
  /** Allow `http://` vault URLs, and only on a loopback host (a local vault). Default `false`. */
  allowInsecureConnection?: boolean;
  /** PEM certificate(s) to trust for this client only, e.g. the local vault's `vault.ca`; process-wide TLS settings stay untouched. PEM text, not a file path. */
  ca?: string | string[];
  /** Microsoft's TLS settings: `ca` (as {@link ca}), and a client certificate (`cert` + `key`, or `pfx`, with `passphrase`). */
  tlsOptions?: TlsSettings;
  /** An HTTP proxy (`host` with its scheme, `port`, `username`, `password`), reached with `CONNECT`. Without it, `HTTPS_PROXY`/`ALL_PROXY`/`HTTP_PROXY` and `NO_PROXY` are read as Microsoft's clients do. */
  proxyOptions?: ProxySettings;
  /** Microsoft's keep-alive switch: `{ enable: false }` opens a connection per request. */
  keepAliveOptions?: KeepAliveOptions;
  /** Accepted for Microsoft's code; redirects are never followed (Key Vault does not redirect). */
  redirectOptions?: RedirectOptions;
  /** Microsoft's telemetry options: `clientRequestIdHeaderName` names the header that carries the request id. */
  telemetryOptions?: TelemetryOptions;
  /** An `@azure/core-rest-pipeline` `HttpClient` that sends every request (ky still builds and hands each one to it). */
  httpClient?: HttpClient;
  /** `@azure/core-rest-pipeline` policies: `perCall` once per call around the retries, `perRetry` around each attempt. */
  additionalPolicies?: AdditionalPolicyConfig[];
  /** Microsoft's Node `https.Agent`: its TLS settings (`ca`, `cert`, `key`, `pfx`, `passphrase`) and `keepAlive` are used; the agent itself is not (requests go through undici). */
  agent?: Agent;
  /** Replace the transport under ky (tests, instrumentation, a proxy). Default: an undici keep-alive pool per client. */
  fetch?: typeof fetch;
  /** Largest answer read, in bytes; reading stops past it with a `ServiceError` (`ResponseTooLarge`). Default 16 MiB, far above any legitimate answer. */
  maxResponseBytes?: number;
}

/** Every option name a client takes: ours and Microsoft's. Any other is refused (never silently ignored). */
export const CLIENT_OPTION_NAMES: readonly string[] = [
  'apiVersion', 'serviceVersion', 'retry', 'retryOptions', 'timeout', 'headers', 'userAgentPrefix', 'userAgentOptions', 'logger',
  'loggingOptions', 'disableChallengeResourceVerification', 'allowInsecureConnection', 'ca', 'tlsOptions', 'proxyOptions',
  'keepAliveOptions', 'redirectOptions', 'telemetryOptions', 'httpClient', 'additionalPolicies', 'agent', 'fetch', 'maxResponseBytes',
] satisfies (keyof KeyVaultClientOptions)[];

/** Options every operation takes as its last argument. */

/**
 * Azure's `AbortSignalLike` (`@azure/abort-controller`): a DOM `AbortSignal` or any object with `aborted` and
 * `abort` listeners (polyfills, Microsoft's own `AbortController`).
 */
export interface AbortSignalLike {
  /** Whether the signal has aborted. */
  readonly aborted: boolean;
  /** Why it aborted, where the signal says. */
  readonly reason?: unknown;
  /** Calls `listener` once the signal aborts. */
  addEventListener(type: 'abort', listener: (this: AbortSignalLike, ev: any) => any, options?: any): void;
  /** Removes a listener added with `addEventListener`. */
  removeEventListener(type: 'abort', listener: (this: AbortSignalLike, ev: any) => any, options?: any): void;
}

/** The read side of `@azure/core-rest-pipeline`'s `HttpHeaders`, as `onResponse` gets them (every header). */
export type RawHttpHeaders = HttpHeadersLike;

/** The request of a {@link FullOperationResponse}: what was sent, without its `authorization` header or body. */
export interface OperationRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: RawHttpHeaders;
  /** Our `x-ms-client-request-id`. */
  readonly requestId: string;
  /** The attempt time limit in ms (`0`: none). */
  readonly timeout: number;
  readonly withCredentials: boolean;
}

/** What `onResponse` gets: Microsoft's `FullOperationResponse` (`@azure-rest/core-client`). */
export interface FullOperationResponse {
  readonly status: number;
  /** Every response header. */
  readonly headers: RawHttpHeaders;
  /** The same headers as a plain object. */
  readonly rawHeaders: Record<string, string>;
  readonly request: OperationRequest;
  /** The body as served (a `getSecret` body holds the secret's value). */
  readonly bodyAsText?: string;
  /** The body parsed as JSON, `undefined` when empty. */
  readonly parsedBody?: unknown;
}

/**
 * Called once per call with the final response, as Microsoft's clients do: on success with the response alone;
 * when the service answered with an error status, with the error too (second and third argument, as theirs).
 */
export type RawResponseCallback = (rawResponse: FullOperationResponse, error?: unknown, legacyError?: unknown) => void;

/** What one call's HTTP requests carry beside the operation's own parameters. */
export interface OperationRequestOptions {
  /**
   * Headers sent with this call only (on every attempt); they win over the client's `headers` of the same name.
   * `authorization`, `content-type`, `content-length` and `host` are the SDK's and are not taken from here; an
   * `x-ms-client-request-id` given here is used as the call's id.
   */
  headers?: Record<string, string | number | boolean>;
  /** Time limit of ONE attempt of this call in ms, instead of the client's `timeout`. */
  timeout?: number;
}

/** Where this call's spans go: Microsoft's `OperationTracingOptions`. */
export interface OperationTracingOptions {
  /**
   * The parent of this call's span: an OpenTelemetry `Context` (`@azure/core-tracing`'s `TracingContext`).
   * Default: the active context.
   */
  tracingContext?: TracingContext;
}

/** An OpenTelemetry `Context`, as `@azure/core-tracing` types it. */
export interface TracingContext {
  /** The value under `key` (OpenTelemetry keeps the active span under one). */
  getValue(key: symbol): unknown;
  /** A new context with `key` set to `value`. */
  setValue(key: symbol, value: unknown): TracingContext;
  /** A new context without `key`. */
  deleteValue(key: symbol): TracingContext;
}

/** Options every operation takes as its last argument (Microsoft's `OperationOptions`). */
export interface OperationOptions {
  /** Cancels the call, including retries and waits. An aborted call is never retried. */
  abortSignal?: AbortSignalLike;
  /** Headers and an attempt time limit for this call only. */
  requestOptions?: OperationRequestOptions;
  /** The parent of this call's OpenTelemetry span. */
  tracingOptions?: OperationTracingOptions;
  /** Sees the final HTTP response of this call (status, headers, body). */
  onResponse?: RawResponseCallback;
}
