import { Agent, type Dispatcher } from 'undici';

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
 */
export function createTransportFetch(options: TransportFetchOptions = {}): typeof fetch {
  const dispatcher = new Agent({
    keepAliveTimeout: 30_000,
    connections: options.connections ?? 64,
    ...(options.ca ? { connect: { ca: options.ca } } : {}),
  });
  const transportFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => { headers[name] = value; });
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : null;
    try {
      const answer = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method as 'GET',
        headers,
        body,
        signal: request.signal,
      }) as Dispatcher.ResponseData;
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(answer.headers)) {
        if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
        else if (value !== undefined) responseHeaders.set(name, String(value));
      }
      const bytes = await answer.body.arrayBuffer();
      const empty = answer.statusCode === 204 || answer.statusCode === 304 || request.method === 'HEAD';
      return new Response(empty ? null : bytes, { status: answer.statusCode, headers: responseHeaders });
    } catch (error) {
      // Speak WHATWG fetch's language so ky classifies the failure: an abort stays an abort,
      // anything else from the socket is the `TypeError('fetch failed')` that ky retries.
      if (request.signal.aborted) throw request.signal.reason;
      throw new TypeError('fetch failed', { cause: error });
    }
  };
  return Object.assign(transportFetch, { close: () => dispatcher.close() }) as typeof fetch;
}
