import type { KyInstance, Options as KyOptions } from 'ky';
import { ChallengeAuth, type TokenCredential } from './auth/challenge-auth.js';
import { TimeoutError, ValidationError, createHttpError } from './errors.js';
import { createTransportFetch, readBody } from './fetch.js';
import { loggerFromEnv, requestLine, responseLine, type Logger } from './logger.js';
import { API_VERSIONS, DEFAULT_API_VERSION, type ApiVersion, type KeyVaultClientOptions, type RetryOptions } from './options.js';
import { RETRY_STATUSES, retryDelayMs, serverDelayMs } from './retry.js';
import { checkVaultUrl } from './validate.js';
import { SDK_VERSION } from './version.js';

/**
 * ky's options, plus the request body as `payload`: ky forwards options it does not know to `fetch`, so the
 * body travels beside ky's request instead of inside it (see `authenticatedFetch`).
 */
export type HttpOptions = KyOptions & { payload?: string };

/** Sends one request through the root's ky instance (ky's own call signature, awaited). */
export type Http = (url: string, options: HttpOptions) => Promise<Response>;

/** What every sub-client of one root shares: one ky instance, one auth state, one vault. */
export interface ClientContext {
  readonly http: Http;
  /** The vault URL as given, without a trailing slash (a base path is kept). */
  readonly vaultUrl: string;
  readonly vaultOrigin: string;
  readonly apiVersion: ApiVersion;
  readonly auth: ChallengeAuth;
  readonly logger: Logger | undefined;
}

/** Sent on every request; `DefaultAzureCredential` is loaded only if no credential is given, and only when first needed. */
function lazyDefaultCredential(): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= import('@azure/identity').then((identity) => new identity.DefaultAzureCredential());
      return (await credential).getToken(scopes, options);
    },
  };
}

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Builds the one transport of a root client: ky over the fetch seam, with auth, retry and logging as hooks. */
export function createContext(vaultUrl: string, credential: TokenCredential | undefined, options: KeyVaultClientOptions = {}): ClientContext {
  const url = checkVaultUrl(vaultUrl, options.allowInsecureConnection);
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  if (!API_VERSIONS.includes(apiVersion)) {
    throw new ValidationError(`Unsupported apiVersion ${JSON.stringify(apiVersion)}; use one of ${API_VERSIONS.join(', ')}.`);
  }
  if (credential !== undefined && typeof credential?.getToken !== 'function') {
    throw new ValidationError('credential must be a TokenCredential (an object with getToken).', 'InvalidCredential');
  }
  const retry: Required<RetryOptions> = { limit: 3, backoffMs: 800, maxDelayMs: 60_000, ...options.retry };
  const logger = options.logger ?? loggerFromEnv();
  const auth = new ChallengeAuth(credential ?? lazyDefaultCredential(), url.hostname, !options.disableChallengeResourceVerification);
  const transport = options.fetch ?? createTransportFetch({ ca: options.ca });
  const userAgent = `${options.userAgentPrefix ? `${options.userAgentPrefix} ` : ''}keyvault-kit/${SDK_VERSION} Node/${process.versions.node}`;

  const attemptTimeout = options.timeout ?? 30_000;

  /**
   * The first request to a vault goes without a token and without a body, to learn where tokens come from.
   * It runs in a hook, outside ky's attempts: so it has its own retries and attempt timeout, and when they run
   * out it fails as the request would have (503, timeout ...), not as a vault that sent no challenge.
   */
  const discover = async (request: Request): Promise<string | null> => {
    const headers = new Headers(request.headers);
    headers.delete('content-type');
    headers.delete('authorization');
    const where = { method: request.method, path: new URL(request.url).pathname, clientRequestId: request.headers.get('x-ms-client-request-id') ?? undefined };
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      const signal = attemptTimeout === false ? request.signal : AbortSignal.any([request.signal, AbortSignal.timeout(attemptTimeout)]);
      try {
        response = await transport(new Request(request.url, { method: request.method, headers, signal, redirect: 'manual' }));
        await response.body?.cancel();
        if (response.status === 401) return response.headers.get('www-authenticate');
        if (!RETRY_STATUSES.includes(response.status)) return null;
        if (attempt >= 3) throw createHttpError(response.status, undefined, where, serverDelayMs(response.headers));
      } catch (error) {
        if (request.signal.aborted || attempt >= 3) {
          throw signal.aborted && !request.signal.aborted ? new TimeoutError(`An attempt timed out (${where.method} ${where.path}).`, { code: 'Timeout', ...where }) : error;
        }
      }
      await sleep(retryDelayMs(attempt + 1, response?.headers, retry), request.signal);
    }
  };

  /**
   * A refused token, or a demand for more claims: a new token and the same request once more. Done inside
   * the attempt, so the resend has the attempt's signal and timeout, a resend that fails is retried like any
   * attempt, and the resends spend no retry (a user's `retry.limit: 0` cannot break authentication).
   * Two at most: a claims challenge may follow a refresh.
   */
  const authenticatedFetch = async (input: RequestInfo | URL, init?: RequestInit & { payload?: string }): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    // The body goes beside the request (`fetch(request, { body })`), not in it: ky then builds no body stream,
    // tees none for its retries and cancels none, and a resend needs no copy of the request made up front.
    // (A body ky was given after all is read once, with a reader released so that ky's clean-up stays cheap.)
    const body = init?.payload ?? (request.body ? await readBody(request.body) : undefined);
    const withBody = body === undefined ? undefined : { body };
    if (!request.headers.has('authorization')) return transport(request, withBody);
    let sent = request;
    let response = await transport(sent, withBody);
    for (let resends = 0; response.status === 401 && resends < 2; resends++) {
      await response.body?.cancel();
      const refused = sent.headers.get('authorization')!.slice('Bearer '.length);
      await auth.onUnauthorized(response.headers.get('www-authenticate'), request.signal, refused);
      sent = new Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, redirect: request.redirect });
      sent.headers.set('authorization', `Bearer ${await auth.token(request.signal)}`);
      response = await transport(sent, withBody);
    }
    return response;
  };

  const kyOptions: KyOptions = {
    fetch: authenticatedFetch,
    timeout: attemptTimeout,
    throwHttpErrors: true,
    // Key Vault never redirects: a 3xx is an answer (a typed error), never followed, even by an injected fetch.
    redirect: 'manual',
    headers: { 'user-agent': userAgent, accept: 'application/json', ...options.headers },
    retry: {
      limit: retry.limit,
      methods: ['get', 'put', 'post', 'patch', 'delete', 'head'],
      statusCodes: RETRY_STATUSES,
      afterStatusCodes: [],
      retryOnTimeout: true,
      // Waits happen in beforeRetry, where the response's headers are visible.
      delay: () => 0,
    },
    hooks: {
      beforeRequest: [
        async ({ request }) => {
          let token = auth.cachedToken();
          if (!token) {
            if (!auth.knowsScope) await auth.learnScope(() => discover(request));
            token = await auth.token(request.signal);
          }
          request.headers.set('authorization', `Bearer ${token}`);
          logger?.info(requestLine(request.method, request.url, request.headers.get('x-ms-client-request-id') ?? '', 0));
        },
      ],
      beforeRetry: [
        async ({ request, options: normalized, error, retryCount }) => {
          const response = (error as { response?: Response }).response;
          // Only the caller's signal: ky's own has just fired if the attempt timed out.
          const signal = (normalized.context as { signal?: AbortSignal }).signal;
          logger?.warn(requestLine(request.method, request.url, request.headers.get('x-ms-client-request-id') ?? '', retryCount));
          await sleep(retryDelayMs(retryCount, response?.headers, retry), signal);
          // The token may have expired while waiting.
          request.headers.set('authorization', `Bearer ${await auth.token(signal)}`);
        },
      ],
      afterResponse: logger ? [({ request, response }) => { logger.info(responseLine(request.method, request.url, response.status, response.headers)); }] : [],
    },
  };
  // ky is imported with the first request: its module touches the global `Request`, which makes Node load
  // its own fetch (~30 ms), a cost the first request pays anyway and an import of the SDK should not.
  let instance: KyInstance | undefined;
  let loading: Promise<KyInstance> | undefined;
  const http: Http = async (url, init) =>
    (instance ?? (await (loading ??= import('ky').then(({ default: ky }) => (instance = ky.create(kyOptions))))))(url, init);

  return { http, vaultUrl: url.href.replace(/\/$/, ''), vaultOrigin: url.origin, apiVersion, auth, logger };
}
