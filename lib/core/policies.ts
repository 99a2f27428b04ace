/**
 * Microsoft's pipeline seam, for `additionalPolicies` and `httpClient`: our requests as `@azure/core-rest-pipeline`
 * `PipelineRequest`s, answers as `PipelineResponse`s, and back. Built only for clients given policies or an
 * `HttpClient` (none of this runs otherwise), and without loading Microsoft's pipeline: the shapes are plain objects.
 */
import type { HttpClient, HttpHeaders, HttpMethods, PipelinePolicy, PipelineRequest, PipelineResponse, RawHttpHeaders, SendRequest, TlsSettings, ProxySettings } from '@azure/core-rest-pipeline';
import { BufferedResponse } from './buffered-response.js';
import { ValidationError } from './errors.js';
import type { AdditionalPolicyConfig } from './options.js';

/** A mutable, case-insensitive header map, shaped as core-rest-pipeline's `HttpHeaders` (names keep their case for `preserveCase`). */
export class PipelineHeaders implements HttpHeaders {
  readonly #map = new Map<string, { name: string; value: string }>();

  /** From a flat `[name, value, ...]` list; a later name wins. */
  constructor(flat: readonly string[] = []) {
    for (let i = 0; i < flat.length; i += 2) this.set(flat[i]!, flat[i + 1]!);
  }

  get(name: string): string | undefined { return this.#map.get(name.toLowerCase())?.value; }
  has(name: string): boolean { return this.#map.has(name.toLowerCase()); }
  set(name: string, value: string | number | boolean): void { this.#map.set(name.toLowerCase(), { name, value: String(value) }); }
  delete(name: string): void { this.#map.delete(name.toLowerCase()); }
  toJSON(options: { preserveCase?: boolean } = {}): RawHttpHeaders {
    const json: RawHttpHeaders = {};
    for (const [key, { name, value }] of this.#map) json[options.preserveCase ? name : key] = value;
    return json;
  }
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [key, { value }] of this.#map) yield [key, value];
  }
  /** As the undici dispatch takes them: `[name, value, ...]`. */
  flat(): string[] {
    const flat: string[] = [];
    for (const [key, { value }] of this.#map) flat.push(key, value);
    return flat;
  }
}

export interface RequestInit {
  url: string;
  method: string;
  headers: PipelineHeaders;
  body: string | undefined;
  requestId: string;
  signal: AbortSignal | undefined;
  /** The attempt's time limit in ms (`0`: none), for an `HttpClient` to read; the deadline is ours either way. */
  timeout: number;
  /** The client's connection settings, for an `HttpClient` to use (Microsoft's `tlsSettings`, `proxySettings`, `disableKeepAlive`). */
  tls?: TlsSettings | undefined;
  proxy?: ProxySettings | undefined;
  keepAlive?: boolean | undefined;
}

/** A `PipelineRequest` of ours. */
export function pipelineRequest({ url, method, headers, body, requestId, signal, timeout, tls, proxy, keepAlive }: RequestInit): PipelineRequest {
  const request: PipelineRequest = { url, method: method as HttpMethods, headers, timeout, withCredentials: false, requestId };
  if (tls) request.tlsSettings = tls;
  if (proxy) request.proxySettings = proxy;
  if (keepAlive === false) request.disableKeepAlive = true;
  if (body !== undefined) request.body = body;
  if (signal) request.abortSignal = signal;
  return request;
}

/** The flat headers of a request a policy may have changed (it may have replaced `headers` with Microsoft's own). */
export const flatHeaders = (headers: HttpHeaders): string[] =>
  headers instanceof PipelineHeaders ? headers.flat() : [...headers].flat();

/** A read answer as a `PipelineResponse` (body as text: Key Vault answers JSON). */
export async function pipelineResponse(request: PipelineRequest, response: Response): Promise<PipelineResponse> {
  const headers = new PipelineHeaders();
  response.headers.forEach((value, name) => headers.set(name, value));
  return { request, status: response.status, headers, bodyAsText: await response.text() };
}

/** A `PipelineResponse` (ours, a policy's or an `HttpClient`'s) as the read answer ky and our layers expect. */
export async function bufferedResponse(response: PipelineResponse, maxResponseBytes: number): Promise<BufferedResponse> {
  let bytes: Buffer | null = null;
  if (typeof response.bodyAsText === 'string') bytes = Buffer.from(response.bodyAsText);
  else if (response.readableStreamBody) {
    const chunks: Buffer[] = [];
    for await (const chunk of response.readableStreamBody) chunks.push(Buffer.from(chunk as Uint8Array));
    bytes = Buffer.concat(chunks);
  } else if (response.blobBody) bytes = Buffer.from(await (await response.blobBody).arrayBuffer());
  const raw = response.headers.toJSON();
  const buffered = new BufferedResponse(bytes, response.status, '', raw, response.request.url);
  // An HttpClient reads with no cap of ours: the cap still holds for what it hands back.
  return bytes && bytes.length > maxResponseBytes ? BufferedResponse.read(buffered, maxResponseBytes) : buffered;
}

/** Runs `policies` in order, each around the next, around `last`. */
export function runPolicies(policies: readonly PipelinePolicy[], request: PipelineRequest, last: SendRequest): Promise<PipelineResponse> {
  const at = (i: number): SendRequest => (next) => (i === policies.length ? last(next) : policies[i]!.sendRequest(next, at(i + 1)));
  return at(0)(request);
}

/** The client's policies by position, checked at construction. */
export function splitPolicies(configs: unknown): { perCall: PipelinePolicy[]; perRetry: PipelinePolicy[] } {
  const perCall: PipelinePolicy[] = [];
  const perRetry: PipelinePolicy[] = [];
  if (configs === undefined) return { perCall, perRetry };
  if (!Array.isArray(configs)) throw new ValidationError('additionalPolicies must be an array of { policy, position }.', 'InvalidOption');
  for (const config of configs as AdditionalPolicyConfig[]) {
    if (typeof config?.policy?.sendRequest !== 'function' || (config.position !== 'perCall' && config.position !== 'perRetry')) {
      throw new ValidationError(`additionalPolicies: each entry is { policy: { name, sendRequest(request, next) }, position: 'perCall' | 'perRetry' }, not ${JSON.stringify(config)}.`, 'InvalidOption');
    }
    (config.position === 'perCall' ? perCall : perRetry).push(config.policy);
  }
  return { perCall, perRetry };
}

/** Checks an `httpClient` at construction. */
export function checkHttpClient(client: unknown): HttpClient | undefined {
  if (client === undefined) return undefined;
  if (typeof (client as HttpClient)?.sendRequest !== 'function') throw new ValidationError('httpClient must be an HttpClient (an object with sendRequest(request)).', 'InvalidOption');
  return client as HttpClient;
}

/** One call as context.ts sends it (its `Http`, repeated here so that this file imports nothing back). */
/** What a call carries to the attempt loop (context.ts `HttpRequest`): passed on whole, with the policies' headers. */
interface CallRequest { method: string; clientRequestId: string; body?: string | undefined; signal?: AbortSignal | undefined; extraHeaders?: readonly string[] | undefined }
type Call<R extends CallRequest> = (url: string, request: R) => Promise<Response>;

/**
 * `perCall` policies around a call: they see a `PipelineRequest` with the client's headers, and what they change
 * (url, method, body, headers set) is what every attempt sends; they get the call's answer as a `PipelineResponse`
 * (a call that fails for good throws its `RestError`, which carries `request` and `response`).
 */
export function perCallPolicies<R extends CallRequest>(policies: readonly PipelinePolicy[], call: Call<R>, clientHeaders: Record<string, string>, idHeader: string): Call<R> {
  return async (url, given) => {
    const { method, clientRequestId, body, signal, extraHeaders } = given;
    const client = new PipelineHeaders(Object.entries(clientHeaders).flat());
    client.set(idHeader, clientRequestId);
    if (body !== undefined) client.set('content-type', 'application/json');
    // What the policies change, and the call's own headers, travel to each attempt; the client's are there anyway.
    const before = client.toJSON();
    const headers = new PipelineHeaders(client.flat().concat(extraHeaders ?? []));
    const request = pipelineRequest({ url, method, headers, body, requestId: clientRequestId, signal, timeout: 0 });
    const response = await runPolicies(policies, request, async (sent) => {
      const changed = [...sent.headers].filter(([name, value]) => before[name] !== value && name !== idHeader).flat();
      const answer = await call(sent.url, { ...given, method: sent.method, body: sent.body as string | undefined, extraHeaders: changed.length ? changed : undefined });
      return pipelineResponse(sent, answer);
    });
    return bufferedResponse(response, Number.MAX_SAFE_INTEGER);
  };
}
