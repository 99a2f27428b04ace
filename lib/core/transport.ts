import type { HttpClient, PipelinePolicy, PipelineRequest, PipelineResponse, ProxySettings } from '@azure/core-rest-pipeline';
import type { KyInstance, Options as KyOptions } from 'ky';
import { BufferedResponse } from './buffered-response.js';
import type { Proxy, TlsConnect } from './client-options.js';
import { AttemptClock, type Expiring } from './deadlines.js';
import { lookForNodeAgent } from './agent.js';
import { createDispatch } from './dispatch.js';
import { AttemptTimedOut } from './failure.js';
import { levelLogger, loadAzureLogger, requestDetail, requestLine, responseLine, type LogAllowed, type Logger, type TransportLogger } from './logger.js';
import { bufferedResponse, flatHeaders, PipelineHeaders, pipelineRequest, pipelineResponse, runPolicies } from './policies.js';

/** One request on the wire, as the attempt loop and the auth layer hand it to the transport. */
export interface WireRequest {
  readonly url: string;
  readonly method: string;
  /** Our `x-ms-client-request-id`, the same for every attempt of one call. */
  readonly clientRequestId: string;
  /** The JSON body, if any. */
  readonly body: string | undefined;
  /** The caller's signal, if any: the only `AbortSignal` on the default path. */
  readonly signal: AbortSignal | undefined;
  /** `Bearer <token>`; none on the challenge request. */
  authorization?: string | undefined;
  /** Retries before this attempt (for the log). */
  retry?: number;
  /** Headers set for this call only (`[name, value, ...]`, e.g. by a `perCall` policy): they win over the client's. */
  extraHeaders?: readonly string[] | undefined;
  /** This call's attempt time limit in ms (`0`: none), instead of the client's `timeout`. */
  timeout?: number | undefined;
}

/** Sends one request through ky and answers with the whole response, whatever its status. */
export type Exchange = (request: WireRequest) => Promise<BufferedResponse>;

export interface TransportOptions {
  /** Headers of every request (`user-agent`, `accept`, then the user's own, which win), prepared once. */
  headers: Record<string, string>;
  /** Time limit of one exchange in ms, or `false`. */
  timeout: number | false;
  maxResponseBytes: number;
  tls?: TlsConnect | undefined;
  proxy?: Proxy | undefined;
  /** `proxyOptions` as given, handed to an `HttpClient` as `proxySettings`. */
  proxySettings?: ProxySettings | undefined;
  keepAlive?: boolean | undefined;
  /** A replacement for the undici pool (tests, instrumentation, a proxy). */
  fetch?: typeof fetch | undefined;
  /** Microsoft's `HttpClient`: sends every request instead of the undici pool. */
  httpClient?: HttpClient | undefined;
  /** Microsoft's `perRetry` policies, run around each request at the seam. */
  perRetry?: readonly PipelinePolicy[] | undefined;
  /** The header of our request id. Default `x-ms-client-request-id`. */
  requestIdHeader?: string | undefined;
  /** The client's logger (its option, or `KEYVAULT_KIT_LOG`'s); without one, `@azure/logger`'s level decides per request. */
  logger?: Logger | undefined;
  /** What the client's `loggingOptions` allow into log lines. */
  logAllowed?: LogAllowed | undefined;
}

export interface Transport {
  readonly exchange: Exchange;
  close(): Promise<void>;
}

/** Headers the transport sets per request: a user's header of the same name would be sent twice. */
const PER_REQUEST = ['authorization', 'x-ms-client-request-id', 'content-type', 'content-length', 'host'];

/** The client's flat headers without those a call sets itself, then the call's. */
function withOwn(base: readonly string[], own: readonly string[]): string[] {
  const names = new Set(own.filter((_, i) => i % 2 === 0));
  const merged: string[] = [];
  for (let i = 0; i < base.length; i += 2) if (!names.has(base[i]!)) merged.push(base[i]!, base[i + 1]!);
  return merged.concat(own);
}

/** ky's options with the wire request beside them: ky forwards options it does not know to its `fetch`. */
type Beside = { wire: WireRequest };

/**
 * The one transport of a root client: every request goes through ONE ky instance, whose `fetch` is the undici
 * dispatch (or an injected fetch). ky does what only ky does here (the `Request`, the `fetch` call and its
 * response handling); retries, deadlines, auth and errors are ours, outside ky (ky: `retry: 0`,
 * `timeout: false`, `throwHttpErrors: false`). The client's headers are prepared once, and what changes per
 * request (id, token, body) travels beside ky's options to the seam, so ky merges no headers per call.
 * A client given Microsoft's `perRetry` policies or an `HttpClient` has another seam: the request becomes a
 * `PipelineRequest` there (policies.ts), goes through the policies, then the `HttpClient` or the dispatch.
 */
export function createTransport(options: TransportOptions): Transport {
  const idHeader = options.requestIdHeader ?? 'x-ms-client-request-id';
  const perRequest = new Set([...PER_REQUEST, idHeader]);
  // Before `Headers` loads Node's fetch: whether its undici `Agent` can serve the pool (see lookForNodeAgent).
  lookForNodeAgent();
  // Set one by one, so that a later name wins whatever its case (`User-Agent` over `user-agent`).
  const prepared = new Headers();
  for (const [name, value] of Object.entries(options.headers)) prepared.set(name, value);
  const base: string[] = [];
  prepared.forEach((value, name) => { if (!perRequest.has(name)) base.push(name, value); });
  const clock = options.timeout === false ? undefined : new AttemptClock(options.timeout);
  const { logAllowed, maxResponseBytes, httpClient, perRetry = [] } = options;
  const injected = options.fetch;
  // An HttpClient, like an injected fetch, gets a signal per attempt and our deadline around it.
  const signalled = injected ?? httpClient;
  const dispatch = signalled ? undefined : createDispatch({ tls: options.tls, proxy: options.proxy, keepAlive: options.keepAlive, maxResponseBytes, clock });
  // A per-call `timeout` gets its own clock (one per distinct limit), keeping one clock's deadlines in order.
  const clocks = new Map<number, AttemptClock>();
  const clockOf = (wire: WireRequest): AttemptClock | undefined => {
    const ms = wire.timeout;
    if (ms === undefined) return clock;
    if (ms === 0) return undefined;
    let own = clocks.get(ms);
    if (!own) {
      if (clocks.size >= 32) clocks.clear();
      clocks.set(ms, (own = new AttemptClock(ms)));
    }
    return own;
  };
  /** The clock argument of the dispatch: nothing when the call keeps the client's, `null` for none. */
  const ownClock = (wire: WireRequest): AttemptClock | null | undefined => (wire.timeout === undefined ? undefined : clockOf(wire) ?? null);

  /** Every header of one request, flat: the client's, then this request's (the call's own win). */
  const headersOf = (wire: WireRequest): string[] => {
    const headers = base.concat(idHeader, wire.clientRequestId);
    if (wire.authorization) headers.push('authorization', wire.authorization);
    if (wire.body !== undefined) headers.push('content-type', 'application/json');
    if (!wire.extraHeaders) return headers;
    return new PipelineHeaders(headers.concat(wire.extraHeaders)).flat();
  };

  /** The undici dispatch, or an injected fetch (which sees a complete request: every header on it, the body beside it). */
  const direct = (url: string, method: string, headers: string[], body: string | undefined, signal: AbortSignal | undefined, own: AttemptClock | null | undefined): Promise<BufferedResponse> => {
    if (dispatch) return dispatch(url, method, headers, body, signal, own);
    const init: RequestInit = { method, headers: pairs(headers), redirect: 'manual', ...(body !== undefined && { body }), ...(signal && { signal }) };
    return injected!(url, init).then((response) => BufferedResponse.read(response, maxResponseBytes));
  };

  /** Microsoft's seam: the request as a `PipelineRequest` through the `perRetry` policies, then the `HttpClient` or ours. */
  const viaPipeline = async (wire: WireRequest, signal: AbortSignal | undefined): Promise<BufferedResponse> => {
    const request = pipelineRequest({
      url: wire.url, method: wire.method, headers: new PipelineHeaders(headersOf(wire)), body: wire.body, requestId: wire.clientRequestId, signal, timeout: clockOf(wire)?.ms ?? 0,
      tls: options.tls, proxy: options.proxySettings, keepAlive: options.keepAlive,
    });
    const last = httpClient
      ? (sent: PipelineRequest) => httpClient.sendRequest(sent)
      : async (sent: PipelineRequest): Promise<PipelineResponse> => pipelineResponse(sent, await direct(sent.url, sent.method, flatHeaders(sent.headers), sent.body as string | undefined, sent.abortSignal as AbortSignal | undefined, ownClock(wire)));
    return bufferedResponse(await runPolicies(perRetry, request, last), maxResponseBytes);
  };
  const pipeline = httpClient !== undefined || perRetry.length > 0;

  /** What ky calls as its `fetch`: the request ky built, and our wire request beside it. */
  const seam = pipeline
    ? (request: Request, { wire }: Beside) => viaPipeline(wire, signalled ? request.signal : wire.signal)
    : dispatch
      ? (_request: Request, { wire }: Beside) => dispatch(wire.url, wire.method, headersOf(wire), wire.body, wire.signal, ownClock(wire))
      : async (request: Request, { wire }: Beside) => {
        // An injected fetch sees a complete request: every header on it, the body beside it.
        const { headers } = request;
        const all = headersOf(wire);
        for (let i = 0; i < all.length; i += 2) headers.set(all[i]!, all[i + 1]!);
        return BufferedResponse.read(await injected!(request, wire.body === undefined ? undefined : { body: wire.body }), maxResponseBytes);
      };

  const defaults: KyOptions = {
    fetch: seam as unknown as typeof fetch,
    retry: 0,
    timeout: false,
    throwHttpErrors: false,
  };
  // ky is imported with the first request: its module touches the global `Request`, which makes Node load
  // its own fetch (~30 ms), a cost the first request pays anyway and an import of the SDK should not. The
  // pool's code (loadAgentParts) starts loading at the same time, and `@azure/logger` (for `setLogLevel`/
  // `AZURE_LOG_LEVEL`) beside them, once.
  let ky: KyInstance | undefined;
  let loading: Promise<KyInstance> | undefined;
  const load = () => (loading ??= (void dispatch?.load().catch(() => undefined), Promise.all([import('ky'), loadAzureLogger()]).then(([module]) => (ky = module.default.create(defaults)))));

  const send = (http: KyInstance, wire: WireRequest): Promise<BufferedResponse> => {
    if (!signalled) return http(wire.url, { method: wire.method, wire } as KyOptions) as Promise<unknown> as Promise<BufferedResponse>;
    return viaInjected(http, wire);
  };

  /**
   * An injected fetch only knows signals: it gets one per attempt (tied to the caller's), aborted when the
   * attempt's deadline passes; and the attempt ends then even if that fetch ignores its signal. Key Vault
   * never redirects: a 3xx is an answer (a typed error), never followed, even by an injected fetch (the
   * undici dispatch never follows one).
   */
  const viaInjected = (http: KyInstance, wire: WireRequest): Promise<BufferedResponse> => {
    const call = (signal: AbortSignal | undefined) => http(wire.url, { method: wire.method, wire, signal, redirect: 'manual' } as KyOptions) as Promise<unknown> as Promise<BufferedResponse>;
    const clock = clockOf(wire);
    if (!clock) return call(wire.signal);
    const controller = new AbortController();
    return new Promise<BufferedResponse>((resolve, reject) => {
      const deadline: Expiring = {
        deadline: 0,
        expire: () => {
          const timedOut = new AttemptTimedOut(clock.ms);
          controller.abort(timedOut);
          reject(timedOut);
        },
      };
      clock.start(deadline);
      call(wire.signal ? AbortSignal.any([wire.signal, controller.signal]) : controller.signal)
        .then(resolve, reject)
        .finally(() => clock.stop(deadline));
    });
  };

  const logged = async (http: KyInstance, wire: WireRequest, logger: TransportLogger): Promise<BufferedResponse> => {
    logger.info(requestLine(wire.method, wire.url, wire.clientRequestId, wire.retry ?? 0, !wire.authorization, logAllowed));
    logger.verbose?.(requestDetail(wire.method, wire.url, new Headers(pairs(headersOf(wire))), logAllowed));
    const response = await send(http, wire);
    logger.info(responseLine(wire.method, wire.url, response.status, response.headers, logAllowed));
    return response;
  };
  const fixedLogger = options.logger;
  const exchange: Exchange = (wire) => {
    if (!ky) return load().then(() => exchange(wire));
    // Per request, as `setLogLevel` may change at run time; without a logger, nothing is formatted.
    const logger = fixedLogger ?? levelLogger();
    return logger ? logged(ky, wire, logger) : send(ky, wire);
  };

  return { exchange, close: async () => dispatch?.close() };
}

/** `[name, value, ...]` as `[[name, value], ...]`. */
const pairs = (flat: readonly string[]): [string, string][] => {
  const all: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) all.push([flat[i]!, flat[i + 1]!]);
  return all;
};
