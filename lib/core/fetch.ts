import type { Dispatcher } from 'undici';

/** What the transport's `fetch` seam needs to know about TLS and connections. */
export interface TransportFetchOptions {
  /** PEM certificate(s) trusted for this client only, on top of nothing else (e.g. a local vault's CA). */
  ca?: string | string[] | undefined;
  /** Sockets kept per origin. */
  connections?: number | undefined;
}

/**
 * ky's `fetch` seam, implemented on undici's dispatcher API instead of the WHATWG `fetch`:
 * it skips fetch's spec machinery (body mixins, CORS checks, redirects) and gives each client its
 * own keep-alive pool and its own trusted CA, without touching process-wide TLS settings.
 *
 * The answer is read in full by a plain dispatch handler (no Node or web stream) and handed to ky as a
 * {@link BufferedResponse}, whose headers are only parsed when someone reads them: on a successful call
 * nobody does. undici itself is imported on the first request, so importing the SDK stays cheap.
 */
export function createTransportFetch(options: TransportFetchOptions = {}): typeof fetch {
  let dispatcher: Dispatcher | undefined;
  let loading: Promise<Dispatcher> | undefined;
  let closed = false;
  const load = () =>
    (loading ??= import('undici').then(({ Agent }) => (dispatcher = new Agent({
      keepAliveTimeout: 30_000,
      connections: options.connections ?? 64,
      ...(options.ca ? { connect: { ca: options.ca } } : {}),
    }))));

  const transportFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const { url, method, signal } = request;
    const headers: string[] = [];
    request.headers.forEach((value, name) => { headers.push(name, value); });
    // A body given beside its request (`fetch(request, { body })`, as the auth layer resends) replaces the request's own.
    const given = input instanceof Request ? init?.body : undefined;
    const body = given != null ? await bytesOf(given) : request.body ? await readBody(request.body) : null;
    try {
      if (closed) throw new Error('The client is closed.');
      const pool = dispatcher ?? (await load());
      return await new Promise<Response>((resolve, reject) => {
        const handler = new Collector(url, method, signal, resolve, reject);
        if (handler.settled) return;
        const at = pathStart(url);
        pool.dispatch({ origin: url.slice(0, at), path: url.slice(at, hashAt(url)), method: method as Dispatcher.HttpMethod, headers, body }, handler);
      });
    } catch (error) {
      // Speak WHATWG fetch's language so ky classifies the failure: an abort stays an abort,
      // anything else from the socket is the `TypeError('fetch failed')` that ky retries.
      if (signal.aborted) throw signal.reason;
      throw new TypeError('fetch failed', { cause: error });
    }
  };
  const close = async () => {
    closed = true;
    // Also a pool still being created: it closes once it exists.
    await loading?.then((pool) => pool.close(), () => undefined);
  };
  return Object.assign(transportFetch, { close }) as typeof fetch;
}

/**
 * Reads a request body with a reader that is released afterwards: the stream ends closed but unlocked, so
 * ky's clean-up (`body.cancel()`) resolves instead of throwing (and building) an error per request.
 */
export async function readBody(stream: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<Buffer<ArrayBuffer>> {
  const reader = stream.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  try {
    for (let part = await reader.read(); !part.done; part = await reader.read()) chunks.push(part.value);
  } finally {
    reader.releaseLock();
  }
  const first = chunks[0];
  return chunks.length === 1 && first ? Buffer.from(first.buffer, first.byteOffset, first.byteLength) : Buffer.concat(chunks);
}

const bytesOf = async (body: BodyInit): Promise<Buffer> =>
  typeof body === 'string' ? Buffer.from(body)
    : ArrayBuffer.isView(body) ? Buffer.from(body.buffer, body.byteOffset, body.byteLength)
      : Buffer.from(await new Response(body).arrayBuffer());

/** Where the path starts in a serialised absolute URL (`https://host:port/...`): a Request's URL always has one. */
const pathStart = (url: string): number => {
  const at = url.indexOf('/', url.indexOf('//') + 2);
  return at < 0 ? url.length : at;
};
const hashAt = (url: string): number => {
  const at = url.indexOf('#');
  return at < 0 ? url.length : at;
};

/** Collects one answer in memory; settles once, on the response's end, an error, or the request's abort. */
class Collector implements Dispatcher.DispatchHandler {
  settled = false;
  #url: string;
  #method: string;
  #signal: AbortSignal;
  #resolve: (response: Response) => void;
  #reject: (error: unknown) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #status = 0;
  #statusText = '';
  #headers: Record<string, string | string[] | undefined> = {};
  #chunks: Buffer[] = [];
  #onAbort = () => {
    this.#controller?.abort(this.#signal.reason);
    this.#settle(this.#signal.reason);
  };

  constructor(url: string, method: string, signal: AbortSignal, resolve: (response: Response) => void, reject: (error: unknown) => void) {
    this.#url = url;
    this.#method = method;
    this.#signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
    if (signal.aborted) this.#settle(signal.reason);
    else signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.settled) controller.abort(this.#signal.reason);
    else this.#controller = controller;
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    // 1xx answers are informational: the real one follows.
    if (statusCode < 200) return;
    this.#status = statusCode;
    this.#statusText = statusMessage ?? '';
    this.#headers = headers;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
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

  #settle(error: unknown, response?: Response): void {
    if (this.settled) return;
    this.settled = true;
    this.#signal.removeEventListener('abort', this.#onAbort);
    if (response) this.#resolve(response);
    else this.#reject(error);
  }
}

type RawHeaders = Record<string, string | string[] | undefined>;

/**
 * A response already read in full. It has the whole `Response` surface (ky accepts it by its
 * `Symbol.toStringTag`), but no stream and no `Headers` unless asked for: `clone()` shares the bytes
 * instead of teeing a stream, and `text()` decodes them in one go.
 */
export class BufferedResponse implements Response {
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly type: ResponseType = 'basic';
  readonly redirected = false;
  #bytes: Buffer | null;
  #raw: RawHeaders;
  #headers: Headers | undefined;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;
  #used = false;

  constructor(bytes: Buffer | null, status: number, statusText: string, headers: RawHeaders, url: string) {
    this.#bytes = bytes;
    this.status = status;
    this.statusText = statusText;
    this.#raw = headers;
    this.url = url;
  }

  get [Symbol.toStringTag](): string {
    return 'Response';
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      for (const name in this.#raw) {
        const value = this.#raw[name];
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else if (value !== undefined) headers.append(name, value);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  /** A stream over the bytes, made on first access (nothing on the hot path asks for it). */
  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    const bytes = this.#bytes;
    if (bytes === null) return null;
    // highWaterMark 0: a stream pulls as soon as it is made otherwise, and looking at `body` (as ky does
    // after its afterResponse hooks) would mark the body read before anyone reads it.
    this.#stream ??= new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull: (controller) => {
        this.#used = true;
        if (bytes.length > 0) controller.enqueue(new Uint8Array(bytes));
        controller.close();
      },
      cancel: () => { this.#used = true; },
    }, { highWaterMark: 0 });
    return this.#stream;
  }

  clone(): Response {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
    const copy = new BufferedResponse(this.#bytes, this.status, this.statusText, this.#raw, this.url);
    copy.#headers = this.#headers && new Headers(this.#headers);
    return copy;
  }

  #take(): Buffer {
    if (this.#used || this.#stream?.locked) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes ?? Buffer.alloc(0);
  }

  async text(): Promise<string> {
    const text = this.#take().toString('utf8');
    // As a WHATWG Response decodes: UTF-8, a leading byte order mark dropped.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  async json(): Promise<any> {
    return JSON.parse(await this.text());
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(this.#take());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer;
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.bytes()], { type: this.headers.get('content-type') ?? '' });
  }

  async formData(): Promise<FormData> {
    return new Response(await this.bytes(), { headers: this.headers }).formData();
  }
}
