import type { Observable } from 'rxjs';
import { AbortError, ValidationError } from '../core/errors.js';
import { signalOf } from '../core/operation.js';
import type { AbortSignalLike, OperationOptions } from '../core/options.js';

/** The state of a long-running operation, as Microsoft's pollers expose it. */
export interface PollOperationState<T> {
  isStarted: boolean;
  isCompleted: boolean;
  isCancelled?: boolean;
  error?: Error;
  result?: T;
}

/** Options of every `begin...` method; the per-call options apply to every request of the operation. */
export interface PollerOptions extends OperationOptions {
  /** Wait between polls in ms. Default `2000`; `0` polls back to back (tests, local vault). */
  intervalInMs?: number;
  /** A `poller.toString()` from an earlier poller: continue that operation instead of starting one. */
  resumeFrom?: string;
}

/** What one long-running operation does: the first request, and one check that returns the result once done. */
export interface PollSteps<T, S extends PollOperationState<T>> {
  start(state: S, signal: AbortSignalLike | undefined): Promise<void>;
  check(state: S, signal: AbortSignalLike | undefined): Promise<void>;
}

/**
 * A poller's Observable faces, built from its plain methods by `rx/from-poller.ts` and handed to the
 * poller by the code that creates it: polling/ does not import rx/ (rx/ imports polling/).
 */
export interface PollerObservables {
  poll$<T, S extends PollOperationState<T>>(poller: Poller<T, S>): Observable<S>;
  pollUntilDone$<T, S extends PollOperationState<T>>(poller: Poller<T, S>): Observable<S>;
}

/** The state inside a `resumeFrom` token (a `poller.toString()`); anything else is a `ValidationError`. */
export function resumedState<S>(resumeFrom: string): Partial<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(resumeFrom);
  } catch {
    parsed = undefined;
  }
  const state = (parsed as { state?: unknown } | undefined)?.state;
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new ValidationError('resumeFrom must be the toString() of a poller of the same operation.', 'InvalidResumeState');
  }
  return state as Partial<S>;
}

export const wait = (ms: number, signal?: AbortSignalLike) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError('Polling was aborted.', { code: 'Aborted' }));
    const onAbort = () => { clearTimeout(timer); reject(new AbortError('Polling was aborted.', { code: 'Aborted' })); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A small resumable state machine: `poll()` advances one step, `pollUntilDone()` loops with
 * `intervalInMs` between steps, `toString()` serialises the state for `resumeFrom`.
 */
export class Poller<T, S extends PollOperationState<T> = PollOperationState<T>> {
  #state: S;
  #steps: PollSteps<T, S>;
  #intervalInMs: number;
  #stopped = false;
  #listeners = new Set<(state: S) => void>();
  #pending: Promise<void> | undefined;
  #observables: PollerObservables;

  constructor(steps: PollSteps<T, S>, state: S, observables: PollerObservables, intervalInMs = 2000) {
    this.#steps = steps;
    this.#state = state;
    this.#observables = observables;
    this.#intervalInMs = intervalInMs;
  }

  /**
   * Starts the operation (unless resuming), as every `begin...` method does before returning. A
   * `resumeFrom` that is not a poller's `toString()` is a `ValidationError`.
   */
  static async begin<T, S extends PollOperationState<T>>(steps: PollSteps<T, S>, initial: S, options: PollerOptions | undefined, observables: PollerObservables): Promise<Poller<T, S>> {
    const state: S = options?.resumeFrom ? { ...initial, ...resumedState<S>(options.resumeFrom) } : initial;
    const poller = new Poller(steps, state, observables, options?.intervalInMs ?? 2000);
    if (!state.isStarted) await poller.poll(signalOf(options));
    return poller;
  }

  /** One step: the start request first, then one status check per call. */
  async poll(options: { abortSignal?: AbortSignalLike | undefined } = {}): Promise<void> {
    if (this.#state.isCompleted) return;
    this.#pending ??= (async () => {
      try {
        if (!this.#state.isStarted) {
          await this.#steps.start(this.#state, options.abortSignal);
          this.#state.isStarted = true;
        } else {
          await this.#steps.check(this.#state, options.abortSignal);
        }
      } catch (error) {
        if (!(error instanceof AbortError)) {
          this.#state.error = error as Error;
          this.#state.isCompleted = true;
        }
        throw error;
      } finally {
        this.#pending = undefined;
      }
      for (const listener of this.#listeners) listener(this.#state);
    })();
    return this.#pending;
  }

  /** Polls until the operation completes and returns its result (throws its error). */
  async pollUntilDone(options: { abortSignal?: AbortSignalLike | undefined } = {}): Promise<T> {
    this.#stopped = false;
    while (!this.#state.isCompleted) {
      if (this.#stopped) throw new AbortError('Polling was stopped.', { code: 'Aborted' });
      await this.poll(options);
      if (!this.#state.isCompleted && this.#intervalInMs > 0) await wait(this.#intervalInMs, options.abortSignal);
    }
    if (this.#state.error) throw this.#state.error;
    return this.#state.result as T;
  }

  /** Calls `callback` with the state after every poll; returns the unsubscribe function. */
  onProgress(callback: (state: S) => void): () => void {
    this.#listeners.add(callback);
    return () => this.#listeners.delete(callback);
  }

  /** True once the operation has completed, failed or been cancelled. */
  isDone(): boolean { return this.#state.isCompleted; }
  /** Stops a running `pollUntilDone` after its current poll: it rejects with an `AbortError`. */
  stopPolling(): void { this.#stopped = true; }
  /** True after `stopPolling()`. */
  isStopped(): boolean { return this.#stopped; }
  /** The result once the operation has completed, else `undefined`. */
  getResult(): T | undefined { return this.#state.result; }
  /** The state seen at the last poll. */
  getOperationState(): S { return this.#state; }

  /** The state as JSON, for `resumeFrom` (secret values are never part of it). */
  toString(): string {
    const { error, ...state } = this.#state;
    return JSON.stringify({ state: { ...state, ...(error ? { error: { name: error.name, message: error.message } } : {}) } });
  }

  /** One poll as an Observable: cold, cancelled on unsubscribe, emits the state after the step. */
  poll$(): Observable<S> {
    return this.#observables.poll$(this);
  }

  /** Every state until done, then completes; unsubscribing stops polling (and aborts a request in flight). */
  pollUntilDone$(): Observable<S> {
    return this.#observables.pollUntilDone$(this);
  }
}

/** The state of a delete or recover poller. */
export interface DeleteRecoverState<T> extends PollOperationState<T> {
  name: string;
}
