import type { KyInstance, Options as KyOptions } from 'ky';
import { BufferedResponse } from './buffered-response.js';
import { AttemptClock, type Expiring } from './deadlines.js';
import { lookForNodeAgent } from './agent.js';
import { createDispatch } from './dispatch.js';
import { AttemptTimedOut } from './failure.js';
import { requestLine, responseLine, type Logger } from './logger.js';

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
}

/** Sends one request through ky and answers with the whole response, whatever its status. */
export type Exchange = (request: WireRequest) => Promise<BufferedResponse>;

export interface TransportOptions {
  /** Headers of every request (`user-agent`, `accept`, then the user's own, which win), prepared once. */
  headers: Record<string, string>;
  /** Time limit of one exchange in ms, or `false`. */
  timeout: number | false;
  maxResponseBytes: number;
  ca?: string | string[] | undefined;
  /** A replacement for the undici pool (tests, instrumentation, a proxy). */
  fetch?: typeof fetch | undefined;
  logger?: Logger | undefined;
}

export interface Transport {
  readonly exchange: Exchange;
  close(): Promise<void>;
}

/** Headers the transport sets per request: a user's header of the same name would be sent twice. */
const PER_REQUEST = new Set(['authorization', 'x-ms-client-request-id', 'content-type', 'content-length', 'host']);

/** ky's options with the wire request beside them: ky forwards options it does not know to its `fetch`. */
type Beside = { wire: WireRequest };

/**
 * The one transport of a root client: every request goes through ONE ky instance, whose `fetch` is the undici
 * dispatch (or an injected fetch). ky does what only ky does here (the `Request`, the `fetch` call and its
 * response handling); retries, deadlines, auth and errors are ours, outside ky (ky: `retry: 0`,
 * `timeout: false`, `throwHttpErrors: false`). The client's headers are prepared once, and what changes per
 * request (id, token, body) travels beside ky's options to the seam, so ky merges no headers per call.
 */
export function createTransport(options: TransportOptions): Transport {
  // Before `Headers` loads Node's fetch: whether its undici `Agent` can serve the pool (see lookForNodeAgent).
  lookForNodeAgent();
  // Set one by one, so that a later name wins whatever its case (`User-Agent` over `user-agent`).
  const prepared = new Headers();
  for (const [name, value] of Object.entries(options.headers)) prepared.set(name, value);
  const base: string[] = [];
  prepared.forEach((value, name) => { if (!PER_REQUEST.has(name)) base.push(name, value); });
  const clock = options.timeout === false ? undefined : new AttemptClock(options.timeout);
  const { logger, maxResponseBytes } = options;
  const injected = options.fetch;
  const dispatch = injected ? undefined : createDispatch({ ca: options.ca, maxResponseBytes, clock });

  /** What ky calls as its `fetch`: the request ky built, and our wire request beside it. */
  const seam = dispatch
    ? (_request: Request, { wire }: Beside) => {
      const headers = base.concat('x-ms-client-request-id', wire.clientRequestId);
      if (wire.authorization) headers.push('authorization', wire.authorization);
      if (wire.body !== undefined) headers.push('content-type', 'application/json');
      return dispatch(wire.url, wire.method, headers, wire.body, wire.signal);
    }
    : async (request: Request, { wire }: Beside) => {
      // An injected fetch sees a complete request: every header on it, the body beside it.
      const { headers } = request;
      for (let i = 0; i < base.length; i += 2) headers.set(base[i]!, base[i + 1]!);
      headers.set('x-ms-client-request-id', wire.clientRequestId);
      if (wire.authorization) headers.set('authorization', wire.authorization);
      if (wire.body !== undefined) headers.set('content-type', 'application/json');
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
  // pool's code (loadAgentParts) starts loading at the same time.
  let ky: KyInstance | undefined;
  let loading: Promise<KyInstance> | undefined;
  const load = () => (loading ??= (void dispatch?.load().catch(() => undefined), import('ky').then((module) => (ky = module.default.create(defaults)))));

  const send = async (wire: WireRequest): Promise<BufferedResponse> => {
    const http = ky ?? (await load());
    if (!injected) return (await http(wire.url, { method: wire.method, wire } as KyOptions)) as BufferedResponse;
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

  const exchange: Exchange = logger
    ? async (wire) => {
      logger.info(requestLine(wire.method, wire.url, wire.clientRequestId, wire.retry ?? 0, !wire.authorization));
      const response = await send(wire);
      logger.info(responseLine(wire.method, wire.url, response.status, response.headers));
      return response;
    }
    : send;

  return { exchange, close: async () => dispatch?.close() };
}
