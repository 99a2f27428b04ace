import type { Logger } from './logger.js';

/** Key Vault REST API versions this SDK speaks. */
export type ApiVersion = '2025-07-01' | '7.6' | '7.5' | '7.4';
export const DEFAULT_API_VERSION: ApiVersion = '2025-07-01';
export const API_VERSIONS: readonly ApiVersion[] = ['2025-07-01', '7.6', '7.5', '7.4'];

/** How failed attempts are retried. */
export interface RetryOptions {
  /** Retries after the first attempt, the auth challenge included. Default `3`. `0` turns retries off (a challenge answered never counts as one). */
  limit?: number;
  /** First backoff in ms, doubled on each retry, with full jitter. Default `800`. */
  backoffMs?: number;
  /** Upper bound of one wait, including a server's `Retry-After`. Default `60000`. */
  maxDelayMs?: number;
}

/** Options of `KeyVaultClient` and of each standalone client. Every one is optional. */
export interface KeyVaultClientOptions {
  /** REST API version sent as `api-version`. Default `'2025-07-01'`. */
  apiVersion?: ApiVersion;
  /** Retries on 408, 429, 500, 502, 503, 504, network errors and attempt timeouts (never TLS failures or aborts); `Retry-After`, `retry-after-ms` and `x-ms-retry-after-ms` are honoured. */
  retry?: RetryOptions;
  /** Time limit of ONE attempt in ms (retries get their own). Default `30000`; `false` for none. Use `abortSignal` for an overall deadline. */
  timeout?: number | false;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Put before the `User-Agent` (`myapp/1.2 keyvault-kit/x.y.z ...`). */
  userAgentPrefix?: string;
  /** Receives one line per request and response (allowlisted headers, no bodies, no tokens). Off by default; `KEYVAULT_KIT_LOG=1` logs to stderr. */
  logger?: Logger;
  /** Skip the check that the challenge's resource host matches the vault host. Only for vaults reached through another domain on purpose. Default `false`. */
  disableChallengeResourceVerification?: boolean;
  /** Allow `http://` vault URLs, and only on a loopback host (a local vault). Default `false`. */
  allowInsecureConnection?: boolean;
  /** PEM certificate(s) to trust for this client only, e.g. the local vault's `vault.ca`; process-wide TLS settings stay untouched. PEM text, not a file path. */
  ca?: string | string[];
  /** Replace the transport under ky (tests, instrumentation, a proxy). Default: an undici keep-alive pool per client. */
  fetch?: typeof fetch;
  /** Largest answer read, in bytes; reading stops past it with a `ServiceError` (`ResponseTooLarge`). Default 16 MiB, far above any legitimate answer. */
  maxResponseBytes?: number;
}

/** Options every operation takes as its last argument. */
export interface OperationOptions {
  /** Cancels the call, including retries and waits. An aborted call is never retried. */
  abortSignal?: AbortSignal;
}
