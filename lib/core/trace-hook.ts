import type { TracingContext } from './options.js';
import type { Exchange, WireRequest } from './transport.js';

/**
 * What the core asks of tracing, implemented with OpenTelemetry by `telemetry/tracing.ts` when
 * `@opentelemetry/api` is installed (core does not import telemetry/: the implementation is installed here).
 * While nothing is installed, `send` and the attempt loop read one property and move on: no span, no allocation.
 */
export interface Tracer {
  /**
   * The tracing of one call: its span named `name` (Microsoft's span name), child of `parent` or of the active
   * context; without a name (a listing's page, as Microsoft's), no call span, only HTTP spans under the parent.
   */
  start(name: string | undefined, parent: TracingContext | undefined): CallTrace;
}

/** One call's tracing. */
export interface CallTrace {
  /** Runs the call with its span active, and ends the span with the call's outcome. */
  run<T>(call: () => Promise<T>): Promise<T>;
  /** Sends one attempt under its HTTP span, with that span's `traceparent` on the request. */
  attempt(exchange: Exchange, wire: WireRequest): ReturnType<Exchange>;
}

/** The installed tracer, and the load in progress (the first calls wait for it, then it is gone). */
export const tracingHook: { tracer: Tracer | undefined; loading: Promise<unknown> | undefined } = {
  tracer: undefined,
  loading: undefined,
};
