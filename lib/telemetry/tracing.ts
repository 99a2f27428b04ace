/**
 * OpenTelemetry tracing, as Microsoft's Key Vault clients produce it (`@azure/core-tracing` with the
 * OpenTelemetry instrumenter, `@azure/core-rest-pipeline`'s tracingPolicy), when `@opentelemetry/api` is
 * installed (an optional peer dependency). It is imported once, when the first client is built; if it is
 * absent, nothing more happens and the core's per-call hook stays empty (see core/trace-hook.ts).
 *
 * - One span per operation, named as Microsoft's (`SecretClient.getSecret`, `DeleteSecretPoller.deleteSecret`),
 *   kind INTERNAL, `az.namespace: Microsoft.KeyVault`, status OK or ERROR (with `error.type` and the exception).
 *   A listing has none (nor has Microsoft's): its page requests are HTTP spans under the caller's span.
 * - One CLIENT span per attempt, `HTTP GET` and so on, with the stable HTTP semantic conventions
 *   (`http.request.method`, `url.full`, `server.address`, `server.port`, `http.response.status_code`,
 *   `http.request.resend_count` from the second attempt, `error.type`), and its W3C `traceparent` (and
 *   `tracestate`) sent to the vault, as Azure services expect whatever propagator the app configured.
 * - The parent is `tracingOptions.tracingContext` when given, else the active context.
 * - As Microsoft's instrumenter: `AZURE_TRACING_DISABLED` turns these spans off, `AZURE_HTTP_TRACING_DISABLED` only
 *   the HTTP ones (and so the `traceparent`).
 */
import type * as Api from '@opentelemetry/api';
import { whereOf, toKeyVaultError } from '../core/failure.js';
import type { TracingContext } from '../core/options.js';
import { tracingHook, type CallTrace, type Tracer } from '../core/trace-hook.js';
import type { Exchange, WireRequest } from '../core/transport.js';
import { SDK_VERSION } from '../core/version.js';

/** Microsoft's namespace for Key Vault spans. */
export const NAMESPACE = 'Microsoft.KeyVault';

let started = false;

/**
 * Looks for `@opentelemetry/api` once per process (called by every client constructor; only the first call
 * does anything). The first calls wait for the answer, so a span is never missed to the race.
 */
export function startTracing(): void {
  if (started) return;
  started = true;
  tracingHook.loading = import('@opentelemetry/api').then(
    (api) => { tracingHook.tracer = openTelemetryTracer(api); },
    () => undefined, // not installed: no tracing, at no cost
  ).finally(() => { tracingHook.loading = undefined; });
}

/** Microsoft's reading of a switch in the environment: set, and neither `false` nor `0`. */
const switchedOn = (name: string): boolean => {
  const value = process.env[name]?.toLowerCase();
  return value !== undefined && value !== 'false' && value !== '0';
};

/** What a call does when its spans are switched off: exactly what it does without a tracer. */
const UNTRACED: CallTrace = { run: (call) => call(), attempt: (exchange, wire) => exchange(wire) };

/** The class name of what a call threw (`NotFoundError`, `TimeoutError` ...): OpenTelemetry's `error.type`. */
const errorType = (error: unknown): string => (error as object | null)?.constructor?.name ?? 'Error';

/** The URL as the span shows it: query values other than `api-version` redacted, as Microsoft's sanitizer does. */
function sanitized(url: URL): string {
  if (!url.search) return url.href;
  const copy = new URL(url.href);
  for (const name of [...copy.searchParams.keys()]) if (name !== 'api-version') copy.searchParams.set(name, 'REDACTED');
  return copy.href;
}

/** A tracer on the given OpenTelemetry API. */
export function openTelemetryTracer(api: typeof Api): Tracer {
  const { context, trace, SpanKind, SpanStatusCode } = api;
  const tracer = trace.getTracer('keyvault-kit', SDK_VERSION);

  const attempt = async (parent: Api.Context, exchange: Exchange, wire: WireRequest) => {
    if (switchedOn('AZURE_HTTP_TRACING_DISABLED')) return exchange(wire);
    const url = new URL(wire.url);
    const attributes: Api.Attributes = {
      'az.namespace': NAMESPACE,
      'http.request.method': wire.method,
      'url.full': sanitized(url),
      'server.address': url.hostname,
      'server.port': Number(url.port) || (url.protocol === 'http:' ? 80 : 443),
      'az.client_request_id': wire.clientRequestId,
    };
    if (wire.retry) attributes['http.request.resend_count'] = wire.retry;
    const span = tracer.startSpan(`HTTP ${wire.method}`, { kind: SpanKind.CLIENT, attributes }, parent);
    // As Microsoft's tracingPolicy: a span that is not recorded (sampled out) is not propagated either.
    if (!span.isRecording()) {
      span.end();
      return exchange(wire);
    }
    const { traceId, spanId, traceFlags, traceState } = span.spanContext();
    const headers = [...(wire.extraHeaders ?? []), 'traceparent', `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`];
    const state = traceState?.serialize();
    if (state) headers.push('tracestate', state);
    try {
      const response = await context.with(trace.setSpan(parent, span), () => exchange({ ...wire, extraHeaders: headers }));
      span.setAttribute('http.response.status_code', response.status);
      const requestId = response.headers.get('x-ms-request-id');
      if (requestId) span.setAttribute('az.service_request_id', requestId);
      // HTTP semantic conventions: a client span fails on 4xx and 5xx, and stays unset otherwise.
      if (response.status >= 400) {
        span.setAttribute('error.type', String(response.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return response;
    } catch (error) {
      const failure = toKeyVaultError(error, whereOf(wire), wire.signal);
      span.setAttribute('error.type', errorType(failure));
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      throw error;
    } finally {
      span.end();
    }
  };

  return {
    start(name: string | undefined, given: TracingContext | undefined): CallTrace {
      if (switchedOn('AZURE_TRACING_DISABLED')) return UNTRACED;
      const parent = (given as Api.Context | undefined) ?? context.active();
      if (name === undefined) {
        return { run: (call) => call(), attempt: (exchange, wire) => attempt(parent, exchange, wire) };
      }
      const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes: { 'az.namespace': NAMESPACE } }, parent);
      const own = trace.setSpan(parent, span);
      return {
        async run(call) {
          try {
            const result = await context.with(own, call);
            span.setStatus({ code: SpanStatusCode.OK });
            return result;
          } catch (error) {
            span.setAttribute('error.type', errorType(error));
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
            span.recordException(error as Error);
            throw error;
          } finally {
            span.end();
          }
        },
        attempt: (exchange, wire) => attempt(own, exchange, wire),
      };
    },
  };
}
