import type { Dispatcher } from 'undici';
import { loadAgentParts } from './agent.js';
import { BufferedResponse } from './buffered-response.js';
import type { Proxy, TlsConnect } from './client-options.js';
import type { AttemptClock, Expiring } from './deadlines.js';
import { AnswerTooLarge, AttemptTimedOut } from './failure.js';
import { rememberingPeer } from './tls.js';

/** What the undici side of the transport needs to know about TLS, connections and limits. */
export interface DispatchOptions {
  /** TLS settings of this client only: trusted CA(s) (e.g. a local vault's), a client certificate. */
  tls?: TlsConnect | undefined;
  /** An HTTP proxy, reached with `CONNECT` (undici's `ProxyAgent`, loaded only then). */
  proxy?: Proxy | undefined;
  /** `false`: a connection per request (`connection: close`). Default `true`. */
  keepAlive?: boolean | undefined;
  /** Sockets kept per origin. */
  connections?: number | undefined;
  /** Largest answer read; past it, reading stops with {@link AnswerTooLarge}. */
  maxResponseBytes: number;
  /** The client's attempt deadlines; none when the client has no attempt timeout. */
  clock?: AttemptClock | undefined;
}

/**
 * Sends one request and reads its answer in full. `headers` is flat (`[name, value, ...]`). `clock` replaces
 * the client's attempt deadlines for this request (`null`: none).
 */
export interface Dispatch {
  (url: string, method: string, headers: string[], body: string | undefined, signal: AbortSignal | undefined, clock?: AttemptClock | null): Promise<BufferedResponse>;
  /** Starts loading the pool's code ({@link loadAgentParts}), if not yet started. */
  load(): Promise<unknown>;
  /** Closes the pool (also a pool still being created). */
  close(): Promise<void>;
}

/**
 * The transport under ky, on undici's dispatcher API instead of the WHATWG `fetch`: it skips fetch's spec
 * machinery (body mixins, CORS checks, redirects) and gives each client its own keep-alive pool and its own
 * trusted CA, without touching process-wide TLS settings.
 *
 * The answer is read in full by a plain dispatch handler (no Node or web stream), within the attempt deadline
 * and the size cap, and handed back as a {@link BufferedResponse}, whose headers are only parsed when someone
 * reads them: on a successful call nobody does. The pool's code is loaded on the first request (the least of
 * undici that does: {@link loadAgentParts}), so importing the SDK stays cheap.
 */
export function createDispatch(options: DispatchOptions): Dispatch {
  let pool: Dispatcher | undefined;
  let loading: Promise<Dispatcher> | undefined;
  let closed = false;
  const { maxResponseBytes, clock, proxy, tls = {} } = options;
  const load = () =>
    (loading ??= (proxy
      // Through a proxy (rare): undici's ProxyAgent; the TLS settings are the vault's (`requestTls`), not the proxy's.
      ? import('undici').then(({ ProxyAgent }) => new ProxyAgent({ ...common, uri: proxy.uri, ...(proxy.token && { token: proxy.token }), requestTls: tls }))
      : loadAgentParts().then(({ Agent, buildConnector }) => new Agent({ ...common, connect: rememberingPeer(buildConnector(tls)) }))
    ).then((made: Dispatcher) => (pool = made)));
  const common = { keepAliveTimeout: 30_000, connections: options.connections ?? 64 };
  // Without keep-alive, undici sends `connection: close` and drops the socket after the answer.
  const reset = options.keepAlive === false;

  const dispatch = async (url: string, method: string, headers: string[], body: string | undefined, signal: AbortSignal | undefined, own?: AttemptClock | null): Promise<BufferedResponse> => {
    const attemptClock = own === undefined ? clock : (own ?? undefined);
    try {
      if (closed) throw new Error('The client is closed.');
      const dispatcher = pool ?? (await load());
      return await new Promise<BufferedResponse>((resolve, reject) => {
        const handler = new Collector(url, method, signal, maxResponseBytes, attemptClock, resolve, reject);
        if (handler.settled) return;
        const at = pathStart(url);
        dispatcher.dispatch({ origin: url.slice(0, at), path: url.slice(at, hashAt(url)), method: method as Dispatcher.HttpMethod, headers, body: body ?? null, reset }, handler);
      });
    } catch (error) {
      // Speak WHATWG fetch's language so that ky classifies the failure: an abort stays an abort, our own
      // verdicts (deadline, size) stay ours, anything else from the socket is the `TypeError('fetch failed')`.
      if (signal?.aborted) throw signal.reason;
      if (error instanceof AttemptTimedOut || error instanceof AnswerTooLarge) throw error;
      throw new TypeError('fetch failed', { cause: error });
    }
  };
  const close = async () => {
    closed = true;
    await loading?.then((dispatcher) => dispatcher.close(), () => undefined);
  };
  return Object.assign(dispatch, { load, close });
}

/** Where the path starts in a serialised absolute URL (`https://host:port/...`). */
const pathStart = (url: string): number => {
  const at = url.indexOf('/', url.indexOf('//') + 2);
  return at < 0 ? url.length : at;
};
const hashAt = (url: string): number => {
  const at = url.indexOf('#');
  return at < 0 ? url.length : at;
};

/**
 * Collects one answer in memory; settles once: on the response's end, an error, the caller's abort, the
 * attempt's deadline, or an answer past the size cap.
 */
class Collector implements Dispatcher.DispatchHandler, Expiring {
  settled = false;
  deadline = 0;
  #url: string;
  #method: string;
  #signal: AbortSignal | undefined;
  #limit: number;
  #clock: AttemptClock | undefined;
  #resolve: (response: BufferedResponse) => void;
  #reject: (error: unknown) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #status = 0;
  #statusText = '';
  #headers: Record<string, string | string[] | undefined> = {};
  #chunks: Buffer[] = [];
  #size = 0;
  #onAbort = () => this.#fail(this.#signal!.reason);

  constructor(url: string, method: string, signal: AbortSignal | undefined, limit: number, clock: AttemptClock | undefined, resolve: (response: BufferedResponse) => void, reject: (error: unknown) => void) {
    this.#url = url;
    this.#method = method;
    this.#signal = signal;
    this.#limit = limit;
    this.#clock = clock;
    this.#resolve = resolve;
    this.#reject = reject;
    if (signal?.aborted) {
      this.#settle(signal.reason);
    } else {
      signal?.addEventListener('abort', this.#onAbort, { once: true });
      clock?.start(this);
    }
  }

  expire(): void {
    this.#fail(new AttemptTimedOut(this.#clock!.ms));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.settled) controller.abort(new Error('settled'));
    else this.#controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    // 1xx answers are informational: the real one follows.
    if (statusCode < 200) return;
    this.#status = statusCode;
    this.#statusText = statusMessage ?? '';
    this.#headers = headers;
    // A declared size past the cap fails before a byte of it is read.
    if (Number(headers['content-length']) > this.#limit) this.#fail(new AnswerTooLarge(this.#limit));
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size > this.#limit) return this.#fail(new AnswerTooLarge(this.#limit));
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const status = this.#status;
    const empty = status === 204 || status === 304 || this.#method === 'HEAD';
    const chunks = this.#chunks;
    const bytes = empty ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    this.#settle(undefined, new BufferedResponse(bytes, status, this.#statusText, this.#headers, this.#url));
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#settle(error);
  }

  /** Stops the exchange (the socket is dropped) and settles with `error`. */
  #fail(error: unknown): void {
    if (this.settled) return;
    this.#controller?.abort(error as Error);
    this.#settle(error);
  }

  #settle(error: unknown, response?: BufferedResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.#chunks = [];
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#clock?.stop(this);
    if (response) this.#resolve(response);
    else this.#reject(error);
  }
}
