import type { Observable } from 'rxjs';
import { NetworkError, ServiceError, ThrottledError, TimeoutError } from '../core/errors.js';
import { rx } from './rxjs.js';

/** Timers and time, injectable so tests run on a fake clock. */
export interface RefreshClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: RefreshClock = { now: () => Date.now(), setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

export interface RefreshPolicy {
  readonly clock: RefreshClock;
  /** Load again this long after each success (± `jitter`); omitted: only on `refresh()` (events, by hand). */
  readonly intervalMs?: number | undefined;
  /** Spread of each interval, as a fraction of `intervalMs` (±). Default `0.1`. */
  readonly jitter?: number | undefined;
  /** Longest backoff after a failure when the vault gives no `Retry-After` (ms). Default 60000. */
  readonly maxRetryDelayMs?: number | undefined;
  readonly random?: (() => number) | undefined;
}

export interface RefreshHandlers<T> {
  /** A load succeeded. */
  loaded(value: T): void;
  /** A load failed: `true` to retry (as Retry-After says, else with backoff), `false` to stop retrying. */
  failed(error: unknown): boolean;
}

/** The wait before retrying after the n-th failure in a row: the service's `Retry-After` (429/503), else 1 s, 2 s, 4 s … up to `max`. */
export function retryDelay(error: unknown, failures: number, max = 60_000): number {
  const hinted = error instanceof ThrottledError || error instanceof ServiceError ? error.retryAfterMs : undefined;
  return hinted ?? Math.min(1000 * 2 ** (failures - 1), max);
}

/**
 * Keeps one source fresh: what `config$` (one per source) and `watchSecret$` (one per subscription) share.
 * At most one load in flight (a `refresh()` meanwhile runs once more after it), a poll timer after each success,
 * a retry timer after each failure, and a `Retry-After` that holds back every load until it has passed. State is
 * a handful of fields reset on each load: nothing is kept per poll, so a subscription lives for weeks at a flat size.
 */
export class Refresher<T> {
  readonly #load: (signal: AbortSignal) => Promise<T>;
  readonly #on: RefreshHandlers<T>;
  readonly #policy: RefreshPolicy;
  #running = false;
  #timer: unknown;
  /** The load in flight. Its own controller, never a long-lived signal: see `refresh`. */
  #request: AbortController | undefined;
  #again = false;
  #failures = 0;
  #retryAt = 0;

  constructor(load: (signal: AbortSignal) => Promise<T>, on: RefreshHandlers<T>, policy: RefreshPolicy) {
    this.#load = load;
    this.#on = on;
    this.#policy = policy;
  }

  start(): void {
    this.#running = true;
    this.refresh();
  }

  /** Loads now (or once the load in flight settles, or once a `Retry-After` has passed). */
  refresh(): void {
    if (!this.#running) return;
    if (this.#request) {
      this.#again = true;
      return;
    }
    const wait = this.#retryAt - this.#policy.clock.now();
    if (wait > 0) return this.#schedule(wait);
    this.#clearTimer();
    // One controller per load, dropped when it settles: a long-lived signal handed to every request would
    // collect a dependant-signal entry per request (AbortSignal.any in the transport) for as long as it lives.
    const request = new AbortController();
    this.#request = request;
    this.#load(request.signal).then(
      (value) => this.#settled(request, () => {
        this.#failures = 0;
        this.#retryAt = 0;
        this.#on.loaded(value);
        return this.#policy.intervalMs === undefined ? undefined : this.#jittered(this.#policy.intervalMs);
      }),
      (error: unknown) => this.#settled(request, () => {
        if (!this.#on.failed(error)) return undefined;
        const delay = retryDelay(error, ++this.#failures, this.#policy.maxRetryDelayMs);
        this.#retryAt = this.#policy.clock.now() + delay;
        return delay;
      }),
    );
  }

  /** Aborts the load in flight and clears the timer; `start()` begins afresh (failures and waits forgotten). */
  stop(): void {
    this.#running = false;
    const request = this.#request;
    this.#request = undefined;
    request?.abort();
    this.#clearTimer();
    this.#again = false;
    this.#failures = 0;
    this.#retryAt = 0;
  }

  #settled(request: AbortController, handle: () => number | undefined): void {
    if (this.#request !== request) return; // stopped meanwhile
    this.#request = undefined;
    const delay = handle();
    if (!this.#running) return; // the handler stopped it
    if (this.#again) {
      this.#again = false;
      this.refresh();
    } else if (delay !== undefined) {
      this.#schedule(delay);
    }
  }

  #schedule(delay: number): void {
    this.#clearTimer();
    this.#timer = this.#policy.clock.setTimeout(() => {
      this.#timer = undefined;
      this.refresh();
    }, delay);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#policy.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #jittered(ms: number): number {
    const jitter = this.#policy.jitter ?? 0.1;
    return Math.max(0, Math.round(ms * (1 + jitter * (2 * (this.#policy.random ?? Math.random)() - 1))));
  }
}

/** Failures that pass by themselves: throttling (429), the service unavailable (5xx), the network, a timeout. */
export const isTransient = (error: unknown): boolean =>
  error instanceof ThrottledError || error instanceof ServiceError || error instanceof NetworkError || error instanceof TimeoutError;

export interface WatchOptions<T> {
  readonly policy: RefreshPolicy;
  /** Equal values are not emitted again. */
  readonly same: (previous: T, next: T) => boolean;
  /** Which failures are retried (as `Retry-After` says, else with backoff); any other ends the stream. Default {@link isTransient}. */
  readonly retry?: (error: unknown) => boolean;
}

/**
 * One source as a cold Observable: each subscription runs its own {@link Refresher}, emits the first value and
 * then each one `same` says differs; unsubscribing aborts the load in flight and clears the timer.
 */
export function watch$<T>(load: (signal: AbortSignal) => Promise<T>, options: WatchOptions<T>): Observable<T> {
  const retry = options.retry ?? isTransient;
  return new (rx().Observable)<T>((subscriber) => {
    let last: { value: T } | undefined;
    const refresher = new Refresher<T>(load, {
      loaded: (value) => {
        if (last && options.same(last.value, value)) return;
        last = { value };
        subscriber.next(value);
      },
      failed: (error) => {
        if (retry(error)) return true;
        subscriber.error(error);
        return false;
      },
    }, options.policy);
    refresher.start();
    return () => refresher.stop();
  });
}
