import { ChallengeAuth, type TokenCredential } from './auth/challenge-auth.js';
import { authenticating } from './auth/challenge-transport.js';
import { lazyDefaultCredential } from './auth/credential.js';
import { ValidationError } from './errors.js';
import { errorFromResponse, toKeyVaultError, whereOf } from './failure.js';
import { failureLine, loggerFromEnv, retryLine, type Logger } from './logger.js';
import { API_VERSIONS, DEFAULT_API_VERSION, type ApiVersion, type KeyVaultClientOptions } from './options.js';
import { retryPolicy, withRetries, type OnRetry } from './retry.js';
import { checkCa } from './tls.js';
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
  /** This call's own headers (flat `[name, value, ...]`) and attempt time limit (`requestOptions`). */
  headers?: string[] | undefined;
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
 */
export function createContext(vaultUrl: string, credential: TokenCredential | undefined, options: KeyVaultClientOptions = {}): ClientContext {
  const url = checkVaultUrl(vaultUrl, options.allowInsecureConnection);
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  if (!API_VERSIONS.includes(apiVersion)) {
    throw new ValidationError(`Unsupported apiVersion ${JSON.stringify(apiVersion)}; use one of ${API_VERSIONS.join(', ')}.`);
  }
  if (credential !== undefined && typeof credential?.getToken !== 'function') {
    throw new ValidationError('credential must be a TokenCredential (an object with getToken).', 'InvalidCredential');
  }
  const policy = retryPolicy(options.retry);
  const { timeout, maxResponseBytes } = checkOptions(options);
  const ca = checkCa(options.ca);
  const logger = options.logger ?? loggerFromEnv();
  const auth = new ChallengeAuth(credential ?? lazyDefaultCredential(), url.hostname, !options.disableChallengeResourceVerification);
  const userAgent = `${options.userAgentPrefix ? `${options.userAgentPrefix} ` : ''}keyvault-kit/${SDK_VERSION} Node/${process.versions.node}`;
  const transport = createTransport({
    headers: { 'user-agent': userAgent, accept: 'application/json', ...options.headers },
    timeout,
    maxResponseBytes,
    ca,
    fetch: options.fetch,
    logger,
  });
  const exchange = authenticating(transport.exchange, auth);

  const onRetry: OnRetry | undefined = logger && ((n, error, waitMs) => logger.warn(retryLine(n, policy.limit, waitMs, error)));

  const http: Http = async (target, { method, clientRequestId, body, signal, headers, timeout, trace }) => {
    const attempt = async (retry: number) => {
      const wire: WireRequest = { url: target, method, clientRequestId, body, signal, retry, headers, timeout };
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
      logger?.warn(failureLine(method, target, failure));
      throw failure;
    }
  };

  return { http, vaultUrl: url.href.replace(/\/$/, ''), vaultOrigin: url.origin, apiVersion, auth, logger };
}
