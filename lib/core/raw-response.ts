/**
 * What `onResponse` gets: Microsoft's `FullOperationResponse`, built only for a call that asked for it.
 * The response is the caller's own (every header, the body as served); the request shows what this call
 * chose (its id, its per-call headers), never `authorization`.
 */
import type { RestError } from './errors.js';
import { SafeHeaders } from './http-shapes.js';
import type { FullOperationResponse, OperationRequest, RawHttpHeaders, RawResponseCallback } from './options.js';

/** core-rest-pipeline's `HttpHeaders` read side over a copy of every header given (lower-case names). */
const plainHeaders = (source: Iterable<[string, string]>): RawHttpHeaders => new SafeHeaders(source, null);

/** The request side: url, method, the call's id and per-call headers (flat `[name, value, ...]`). */
export interface SentRequest {
  url: string;
  method: string;
  clientRequestId: string;
  headers: readonly string[] | undefined;
  hasBody: boolean;
  timeout: number | undefined;
}

function requestOf(sent: SentRequest): OperationRequest {
  const pairs: [string, string][] = [['x-ms-client-request-id', sent.clientRequestId]];
  for (let i = 0; sent.headers && i < sent.headers.length; i += 2) pairs.push([sent.headers[i]!, sent.headers[i + 1]!]);
  if (sent.hasBody) pairs.push(['content-type', 'application/json']);
  return { url: sent.url, method: sent.method, headers: plainHeaders(pairs), requestId: sent.clientRequestId, timeout: sent.timeout ?? 0, withCredentials: false };
}

const parse = (text: string | undefined): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

/** Tells `onResponse` about a call's final 2xx answer. */
export function reportResponse(onResponse: RawResponseCallback, sent: SentRequest, response: Response, text: string, parsedBody: unknown): void {
  const headers = plainHeaders(response.headers);
  onResponse({ status: response.status, headers, rawHeaders: headers.toJSON(), request: requestOf(sent), bodyAsText: text, parsedBody });
}

/** Tells `onResponse` about a call the service answered with an error status, as Microsoft's: `(raw, error, error)`. */
export function reportFailure(onResponse: RawResponseCallback, sent: SentRequest, error: RestError): void {
  const answered = error.response;
  if (!answered) return;
  const raw: FullOperationResponse = {
    status: answered.status,
    headers: answered.headers,
    rawHeaders: answered.headers.toJSON(),
    request: requestOf(sent),
    ...(answered.bodyAsText === undefined ? {} : { bodyAsText: answered.bodyAsText, parsedBody: parse(answered.bodyAsText) }),
  };
  onResponse(raw, error, error);
}
