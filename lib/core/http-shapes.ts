/**
 * Plain objects shaped like `@azure/core-rest-pipeline`'s `PipelineRequest`/`PipelineResponse`, built only when
 * something needs them (an error, a verbose log line), so that code written against Microsoft's packages can read
 * `error.request.url` or `error.response.headers.get(...)` without the SDK loading Microsoft's pipeline.
 * Headers are allow-listed: `authorization` and anything unknown never get in.
 */

/** Microsoft's default allow-list (core-rest-pipeline's `Sanitizer`), lower-cased. */
export const ALLOWED_HEADER_NAMES: ReadonlySet<string> = new Set([
  'x-ms-client-request-id', 'x-ms-return-client-request-id', 'x-ms-useragent', 'x-ms-correlation-request-id',
  'x-ms-request-id', 'client-request-id', 'ms-cv', 'return-client-request-id', 'traceparent',
  'access-control-allow-credentials', 'access-control-allow-headers', 'access-control-allow-methods',
  'access-control-allow-origin', 'access-control-expose-headers', 'access-control-max-age',
  'access-control-request-headers', 'access-control-request-method', 'origin', 'accept', 'accept-encoding',
  'cache-control', 'connection', 'content-length', 'content-type', 'date', 'etag', 'expires', 'if-match',
  'if-modified-since', 'if-none-match', 'if-unmodified-since', 'last-modified', 'pragma', 'request-id',
  'retry-after', 'server', 'transfer-encoding', 'user-agent', 'www-authenticate',
  // Key Vault's own, harmless.
  'x-ms-keyvault-service-version', 'x-ms-keyvault-region', 'x-ms-keyvault-network-info',
]);

/** The read side of core-rest-pipeline's `HttpHeaders` (on errors: allow-listed headers only). */
export interface HttpHeadersLike extends Iterable<[string, string]> {
  /** The header's value (names are case-insensitive), or `undefined` when it is absent (or, on an error, not allow-listed). */
  get(name: string): string | undefined;
  /** Whether the header is present (on an error: and allow-listed). */
  has(name: string): boolean;
  /** The headers as a plain object, names lower-cased (`preserveCase` is accepted for compatibility). */
  toJSON(options?: { preserveCase?: boolean }): Record<string, string>;
}

/** What `error.request` holds: a `PipelineRequest`'s url, method and allow-listed headers; never a body. */
export interface PipelineRequestLike {
  readonly url: string;
  readonly method: string;
  readonly headers: HttpHeadersLike;
  /** Our `x-ms-client-request-id`, as Microsoft's `requestId`. */
  readonly requestId: string;
  readonly timeout: number;
  readonly withCredentials: boolean;
}

/** What `error.response` holds: a `PipelineResponse`'s status, allow-listed headers and the service's error text. */
export interface PipelineResponseLike {
  readonly request: PipelineRequestLike;
  readonly status: number;
  readonly headers: HttpHeadersLike;
  /** The service's error body (Key Vault's `{"error":{...}}`), never a request's or a secret's content. */
  readonly bodyAsText?: string;
}

type HeaderSource = Headers | Iterable<[string, string]> | Record<string, string | undefined> | undefined;

/**
 * Allow-listed, read-only headers (mutators exist only for shape: they change this copy, never the wire).
 * `allowed: null` keeps every header: for what the caller may see in full (its own response, in `onResponse`).
 */
export class SafeHeaders implements HttpHeadersLike {
  readonly #map = new Map<string, string>();

  constructor(source?: HeaderSource, allowed: ReadonlySet<string> | null = ALLOWED_HEADER_NAMES) {
    const entries: Iterable<[string, string | undefined]> = !source ? [] : Symbol.iterator in source ? (source as Iterable<[string, string]>) : Object.entries(source);
    for (const [name, value] of entries) {
      const key = name.toLowerCase();
      if (value !== undefined && (allowed === null || allowed.has(key))) this.#map.set(key, value);
    }
  }

  get(name: string): string | undefined { return this.#map.get(name.toLowerCase()); }
  has(name: string): boolean { return this.#map.has(name.toLowerCase()); }
  set(name: string, value: string | number | boolean): void { this.#map.set(name.toLowerCase(), String(value)); }
  delete(name: string): void { this.#map.delete(name.toLowerCase()); }
  toJSON(): Record<string, string> { return Object.fromEntries(this.#map); }
  [Symbol.iterator](): IterableIterator<[string, string]> { return this.#map.entries(); }
}

/** A `PipelineRequest`-shaped view of a request: allow-listed headers and no body. */
export function requestShape(method: string, url: string, headers?: HeaderSource, requestId = ''): PipelineRequestLike {
  const safe = new SafeHeaders(headers);
  return { url, method, headers: safe, requestId: requestId || safe.get('x-ms-client-request-id') || '', timeout: 0, withCredentials: false };
}
