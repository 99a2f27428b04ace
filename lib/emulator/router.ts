import { badParameter, VaultError } from './errors.js';

/** A request as a handler sees it: authenticated, api-version checked, path matched, JSON body parsed. */
export interface VaultRequest {
  readonly method: string;
  /** Path without query string and without a trailing slash (`/secrets/a/` reaches `/secrets/{name}`). */
  readonly path: string;
  /** Values of the `{param}` segments of the matched route. A `{name}` param is already validated. */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters, percent-decoded (keys too: `api%2Dversion` arrives as `api-version`). */
  readonly query: ReadonlyMap<string, string>;
  /** Parsed JSON body, `undefined` when the request had none. */
  readonly body: unknown;
  /** `https://host:port` as the client reached the vault: the origin of every id in a response. */
  readonly origin: string;
  readonly apiVersion: string;
}

/** What a handler answers. `body` is serialised as JSON; a 204 or a missing body sends no content at all. */
export interface VaultResponse {
  readonly status: number;
  readonly body?: unknown;
  /** The body already serialised as JSON, for handlers that cache their answer; wins over `body`. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Handlers throw `VaultError` for the service's errors; anything else becomes a 500. */
export type Handler = (req: VaultRequest) => VaultResponse | Promise<VaultResponse>;

/**
 * One line of a route table. `path` segments are literals or `{param}`; one `{param?}` may be left out
 * (so `GET /secrets/{name}/{version?}` also answers `GET /secrets/{name}/`, and
 * `POST /keys/{name}/{version?}/release` answers `POST /keys/{name}/release`). Literal segments win over params
 * (`POST /secrets/restore` beats `PUT /secrets/{name}` and `/keys/{name}/rotationpolicy` beats `/keys/{name}/{version}`).
 * A `{version}` segment may be empty, meaning the latest version.
 */
export interface Route {
  readonly method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly handler: Handler;
}

/** Object names as the service accepts them. */
export const NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** `200` with a JSON body. */
export const ok = (body: unknown): VaultResponse => ({ status: 200, body });

type Segment = string | { readonly param: string };
interface Compiled {
  readonly method: string;
  readonly segments: readonly Segment[];
  readonly handler: Handler;
}

export type Match =
  | { readonly handler: Handler; readonly params: Record<string, string> }
  | 'method-not-allowed'
  | undefined;

/** Route tables compiled once into buckets by segment count, literals sorted before params. */
export class Router {
  readonly #buckets = new Map<number, Compiled[]>();

  constructor(routes: Iterable<Route> = []) {
    this.add(routes);
  }

  add(routes: Iterable<Route>): this {
    for (const route of routes) {
      const raw = route.path.split('/').slice(1);
      const segments: Segment[] = raw.map((s) => (s.startsWith('{') ? { param: s.slice(1, -1).replace(/\?$/, '') } : s));
      this.#insert({ method: route.method, segments, handler: route.handler });
      const optional = raw.findIndex((s) => s.endsWith('?}'));
      if (optional >= 0) this.#insert({ method: route.method, segments: segments.filter((_, i) => i !== optional), handler: route.handler });
    }
    return this;
  }

  /** Finds the handler for `method path` (path without query and trailing slash). */
  match(method: string, path: string): Match {
    const parts = path.split('/');
    const bucket = this.#buckets.get(parts.length - 1);
    if (!bucket) return undefined;
    let pathMatched = false;
    for (const route of bucket) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method !== method) {
        pathMatched = true;
        continue;
      }
      const name = params['name'];
      if (name !== undefined && !NAME.test(name)) throw badParameter(`The request URI contains an invalid name: ${name}`);
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }

  #insert(route: Compiled): void {
    const bucket = this.#buckets.get(route.segments.length) ?? [];
    bucket.push(route);
    bucket.sort((a, b) => specificity(a.segments, b.segments));
    this.#buckets.set(route.segments.length, bucket);
  }
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i + 1]!;
    if (typeof seg === 'string') {
      if (seg !== part) return undefined;
    } else {
      // An empty version means the latest (`/keys/k//encrypt`, as clients build it without a version).
      if (part === '' && seg.param !== 'version') return undefined;
      params[seg.param] = part;
    }
  }
  return params;
}

// Literal before param at the first position where two routes differ, so the most specific route wins.
function specificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = typeof a[i] === 'string';
    const y = typeof b[i] === 'string';
    if (x !== y) return x ? -1 : 1;
  }
  return 0;
}

/** The 405 the vault answers for a known path with an unsupported method. */
export const methodNotAllowed = (method: string): VaultError =>
  new VaultError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
