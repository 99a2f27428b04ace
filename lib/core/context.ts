import { ChallengeAuth, type TokenCredential } from './auth/challenge-auth.js';
import { authenticating } from './auth/challenge-transport.js';
import { lazyDefaultCredential } from './auth/credential.js';
import { ValidationError } from './errors.js';
import { errorFromResponse, toKeyVaultError, whereOf } from './failure.js';
import { resolveOptions } from './client-options.js';
import { failureLine, levelLogger, loggerFromEnv, retryLine, type Logger } from './logger.js';
import type { ApiVersion, KeyVaultClientOptions } from './options.js';
import { perCallPolicies } from './policies.js';
import { retryPolicy, withRetries } from './retry.js';
import type { CallTrace } from './trace-hook.js';
import { createTransport, type WireRequest } from './transport.js';
import { checkVaultUrl } from './validate.js';
import { SDK_VERSION } from './version.js';

/** One call as `send` hands it to the transport. */
export interface HttpRequest {
  method: string;
  /** Our `x-ms-client-request-id`, the same across the call's attempts. */
  clientRequestId: string;
  /** The JSON body, if any. */
  body?: string | undefined;
  /** The caller's signal: ends the call, its waits and its attempt in flight; never retried. */
  signal?: AbortSignal | undefined;
  /** Headers of this call only (`[name, value, ...]`: `requestOptions.headers`, a `perCall` policy's), sent on each of its attempts over the client's. */
  extraHeaders?: readonly string[] | undefined;
  /** This call's attempt time limit in ms (`requestOptions.timeout`; `0`: none), instead of the client's. */
  timeout?: number | undefined;
  /** This call's tracing, when OpenTelemetry is on: each attempt gets an HTTP span. */
  trace?: CallTrace | undefined;
}

/**
 * Sends one call: auth, attempts and waits included. Answers with a 2xx response read in full, or throws
 * the `KeyVaultError` that says why not.
 */
export type Http = (url: string, request: HttpRequest) => Promise<Response>;

/** What every sub-client of one root shares: one transport, one auth state, one vault. */
export interface ClientContext {
  readonly http: Http;
  /** The vault URL as given, without a trailing slash (a base path is kept). */
  readonly vaultUrl: string;
  readonly vaultOrigin: string;
  readonly apiVersion: ApiVersion;
  readonly auth: ChallengeAuth;
  readonly logger: Logger | undefined;
  /** Microsoft's `telemetryOptions`, as given (for tracing). */
  readonly telemetry?: KeyVaultClientOptions['telemetryOptions'];
}

/** Default cap of one answer: far above any legitimate Key Vault answer (a 25-item page, a backup blob). */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

function checkOptions(options: KeyVaultClientOptions): { timeout: number | false; maxResponseBytes: number } {
  const { timeout = 30_000, maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES } = options;
  if (timeout !== false && !(typeof timeout === 'number' && timeout > 0 && timeout <= 2_147_483_647)) {
    throw new ValidationError(`timeout must be a number of ms above 0, or false, not ${String(timeout)}.`, 'InvalidOption');
  }
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1) {
    throw new ValidationError(`maxResponseBytes must be a whole number of bytes above 0, not ${String(maxResponseBytes)}.`, 'InvalidOption');
  }
  return { timeout, maxResponseBytes };
}

/**
 * Builds the one transport of a root client, as three layers a request goes through in order: the attempt
 * loop (retry.ts), challenge auth (auth/challenge-transport.ts), and ky over the undici dispatch (transport.ts).
 * Microsoft's `perCall` policies, when given, wrap the attempt loop; `perRetry` ones sit at ky's seam.
 */
export function createContext(vaultUrl: string, credential: TokenCredential | undefined, options: KeyVaultClientOptions = {}): ClientContext {
  const url = checkVaultUrl(vaultUrl, options.allowInsecureConnection);
  const resolved = resolveOptions(options, url.hostname);
  const { apiVersion } = resolved;
  if (credential !== undefined && typeof credential?.getToken !== 'function') {
    throw new ValidationError('credential must be a TokenCredential (an object with getToken).', 'InvalidCredential');
  }
  const policy = retryPolicy(resolved.retry);
  const { timeout, maxResponseBytes } = checkOptions(options);
  const auth = new ChallengeAuth(credential ?? lazyDefaultCredential(), url.hostname, !options.disableChallengeResourceVerification);
  const prefix = resolved.userAgentPrefix;
  const userAgent = `${prefix ? `${prefix} ` : ''}keyvault-kit/${SDK_VERSION} Node/${process.versions.node}`;
  const headers = { 'user-agent': userAgent, accept: 'application/json', ...options.headers };
  // The `logger` option (or Microsoft's `loggingOptions.logger`), else `KEYVAULT_KIT_LOG`, read once here;
  // `@azure/logger`'s level is read per request.
  const fixedLogger = resolved.logger ?? loggerFromEnv();
  const logger = () => fixedLogger ?? levelLogger();
  const transport = createTransport({
    headers,
    timeout,
    maxResponseBytes,
    tls: resolved.tls,
    proxy: resolved.proxy,
    proxySettings: resolved.proxySettings,
    keepAlive: resolved.keepAlive,
    fetch: options.fetch,
    httpClient: resolved.httpClient,
    perRetry: resolved.perRetry,
    requestIdHeader: resolved.requestIdHeader,
    logger: fixedLogger,
    logAllowed: { headers: resolved.logHeaders, query: resolved.logQuery },
  });
  const exchange = authenticating(transport.exchange, auth);
  const onRetry = (n: number, error: Parameters<typeof retryLine>[3], waitMs: number) => logger()?.warn(retryLine(n, policy.limit, waitMs, error));

  const call: Http = async (target, { method, clientRequestId, body, signal, extraHeaders, timeout, trace }) => {
    const attempt = async (retry: number) => {
      const wire: WireRequest = { url: target, method, clientRequestId, body, signal, retry, extraHeaders, timeout };
      let response: Response;
      try {
        response = await (trace ? trace.attempt(exchange, wire) : exchange(wire));
      } catch (error) {
        throw toKeyVaultError(error, whereOf(wire), signal);
      }
      if (response.ok) return response;
      throw await errorFromResponse(response, whereOf(wire), wire.url);
    };
    try {
      return await withRetries(attempt, policy, signal, onRetry);
    } catch (error) {
      const failure = toKeyVaultError(error, whereOf({ url: target, method, clientRequestId }), signal);
      logger()?.warn(failureLine(method, target, failure));
      throw failure;
    }
  };
  // Microsoft's `perCall` policies run once per call, around the retries; none: nothing in between.
  const http = resolved.perCall.length ? perCallPolicies(resolved.perCall, call, headers, resolved.requestIdHeader) : call;

  const context: ClientContext = { http, vaultUrl: url.href.replace(/\/$/, ''), vaultOrigin: url.origin, apiVersion, auth, logger: fixedLogger };
  return options.telemetryOptions ? { ...context, telemetry: options.telemetryOptions } : context;
}
