import type { Observable } from 'rxjs';
import { AbortError, KeyVaultError } from '../core/errors.js';
import { bridgeSignal, perCallOf } from '../core/operation.js';
import type { OperationOptions } from '../core/options.js';
import type { AbortSignalLike, CancelOnProgress, PollerLike, PollOperationState } from './poller-like.js';
import { resumeState, writeToken } from './token.js';

export type { PollOperationState } from './poller-like.js';

/** Options of every `begin...` method; the per-call options apply to every request of the operation. */
export interface PollerOptions extends OperationOptions {
  /** Wait between polls in ms. Default `2000`; `0` polls back to back (tests, local vault). */
  intervalInMs?: number;
  /** A `poller.toString()` from an earlier poller (ours or Microsoft's): continue that operation instead of starting one. */
  resumeFrom?: string;
}

/** What one long-running operation does: the first request, one check that returns the result once done, and a cancel. */
export interface PollSteps<T, S extends PollOperationState<T>> {
  start(state: S, signal: AbortSignal | undefined): Promise<void>;
  check(state: S, signal: AbortSignal | undefined): Promise<void>;
  /** Asks the service to cancel. Absent: the operation cannot be cancelled and `cancelOperation()` rejects with `cannotCancel`. */
  cancel?(state: S, signal: AbortSignal | undefined): Promise<void>;
  /** The message of that rejection (Microsoft's words, e.g. "Canceling the deletion of a secret is not supported."). */
  cannotCancel?: string;
}

/**
 * A poller's Observable faces, built from its plain methods by `rx/from-poller.ts` and handed to the
 * poller by the code that creates it: polling/ does not import rx/ (rx/ imports polling/).
 */
export interface PollerObservables {
  poll$<T, S extends PollOperationState<T>>(poller: Poller<T, S>): Observable<S>;
  pollUntilDone$<T, S extends PollOperationState<T>>(poller: Poller<T, S>): Observable<S>;
}

/** `pollUntilDone()` was ended by `stopPolling()` (the name is core-lro's). The operation itself goes on. */
export class PollerStoppedError extends AbortError {
  override name = 'PollerStoppedError';
  constructor() {
    super('Polling was stopped (stopPolling()); the operation goes on at the service.', { code: 'Aborted' });
  }
}

export const wait = (ms: number, signal?: AbortSignalLike) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError('Polling was aborted.', { code: 'Aborted' }));
    const onAbort = () => { clearTimeout(timer); reject(new AbortError('Polling was aborted.', { code: 'Aborted' })); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** A running `pollUntilDone()` loop: its promise, whether calls without a signal share it, and how `stopPolling()` ends it. */
interface Run<T> { promise: Promise<T>; shared: boolean; stop(): void }

/**
 * A small resumable state machine with all of core-lro's `PollerLike` members: `poll()` advances one step,
 * `pollUntilDone()` loops with `intervalInMs` between steps, `toString()` serialises the state for `resumeFrom`.
 */
export class Poller<T, S extends PollOperationState<T> = PollOperationState<T>> implements PollerLike<S, T> {
  #state: S;
  #steps: PollSteps<T, S>;
  #intervalInMs: number;
  /** As core-lro's: stopped until `pollUntilDone()` runs, and again after `stopPolling()` or a failure. */
  #stopped = true;
  #listeners = new Set<(state: S) => void>();
  #pending: Promise<void> | undefined;
  #cancelling: Promise<void> | undefined;
  /** The loops running now: one shared by the calls without an `abortSignal`, one per call with one (its own scope). */
  #runs = new Set<Run<T>>();
  #observables: PollerObservables;

  constructor(steps: PollSteps<T, S>, state: S, observables: PollerObservables, intervalInMs = 2000) {
    this.#steps = steps;
    this.#state = state;
    this.#observables = observables;
    this.#intervalInMs = intervalInMs;
  }

  /**
   * Polls once (the start request, or with `resumeFrom` a check) and returns the poller, as every `begin...`
   * method of Microsoft's does. A `resumeFrom` that is not a poller's `toString()` is a `ValidationError`.
   */
  static async begin<T, S extends PollOperationState<T>>(steps: PollSteps<T, S>, initial: S, options: PollerOptions | undefined, observables: PollerObservables): Promise<Poller<T, S>> {
    const state = options?.resumeFrom ? resumeState(initial, options.resumeFrom) : initial;
    const poller = new Poller(steps, state, observables, options?.intervalInMs ?? 2000);
    await poller.poll(perCallOf(options));
    return poller;
  }

  /** One step: the start request first, then one status check per call. Concurrent calls share one request. */
  poll(options: { abortSignal?: AbortSignalLike | undefined } = {}): Promise<void> {
    if (this.isDone()) return Promise.resolve();
    if (!this.#pending) {
      const { signal, release } = bridgeSignal(options.abortSignal);
      this.#pending = this.#step(signal).finally(() => { release(); this.#pending = undefined; });
    }
    return this.#pending;
  }

  async #step(signal: AbortSignal | undefined): Promise<void> {
    try {
      if (!this.#state.isStarted) {
        await this.#steps.start(this.#state, signal);
        this.#state.isStarted = true;
      } else {
        await this.#steps.check(this.#state, signal);
      }
    } catch (error) {
      if (!(error instanceof AbortError)) {
        this.#state.error = error as Error;
        this.#state.isCompleted = true;
        this.#stopped = true;
      }
      throw error;
    }
    for (const listener of this.#listeners) listener(this.#state);
  }

  /**
   * Polls until the operation ends and resolves with its result (rejects with its error). A call without an
   * `abortSignal` while such a loop runs gets the same promise (as core-lro's); a call with one gets its own loop,
   * which its signal alone ends. Requests are shared either way. `stopPolling()` rejects them at once (`PollerStoppedError`).
   */
  pollUntilDone(options: { abortSignal?: AbortSignalLike | undefined } = {}): Promise<T> {
    const shared = options.abortSignal ? undefined : [...this.#runs].find((run) => run.shared);
    if (shared) return shared.promise;
    if (this.isDone()) return this.#outcome();
    const { signal, release } = bridgeSignal(options.abortSignal);
    const stop = new AbortController();
    let stopped!: (error: Error) => void;
    const whenStopped = new Promise<never>((_, reject) => { stopped = reject; });
    const promise = Promise.race([this.#loop(signal, stop.signal), whenStopped]);
    const run: Run<T> = { promise, shared: !signal, stop: () => { stop.abort(); stopped(new PollerStoppedError()); this.#runs.delete(run); } };
    this.#runs.add(run);
    this.#stopped = false;
    const ended = () => { release(); this.#runs.delete(run); };
    promise.then(ended, ended);
    return promise;
  }

  async #loop(signal: AbortSignal | undefined, stop: AbortSignal): Promise<T> {
    try {
      while (!this.isDone() && !stop.aborted) {
        try {
          await this.poll({ abortSignal: signal });
        } catch (error) {
          // Another caller's abort ended the request this loop shared: poll again, under this loop's own signal.
          if (error instanceof AbortError && !signal?.aborted && !stop.aborted) continue;
          throw error;
        }
        if (!this.isDone() && this.#intervalInMs > 0) await wait(this.#intervalInMs, signal ? AbortSignal.any([signal, stop]) : stop);
      }
      return await this.#outcome();
    } catch (error) {
      if (stop.aborted) return undefined as T; // stopPolling() already answered the caller
      // Failed or cancelled (or aborted, if no other loop runs): as core-lro's, a poller that ended badly is stopped.
      if (!(error instanceof AbortError) || this.#runs.size <= 1) this.#stopped = true;
      throw error;
    }
  }

  /** The result of an operation that has ended, or its error. */
  async #outcome(): Promise<T> {
    if (this.#state.error) throw this.#state.error;
    return this.#state.result as T;
  }

  /** Calls `callback` with the state after every poll; returns the function that stops it. */
  onProgress(callback: (state: S) => void): CancelOnProgress {
    const listener = (state: S) => callback(state); // one entry per call, even for the same callback
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  /** True once the operation has completed, failed or been cancelled. */
  isDone(): boolean { return Boolean(this.#state.isCompleted || this.#state.isCancelled || this.#state.error); }
  /** Ends a running `pollUntilDone()` at once: it rejects with a `PollerStoppedError`. A request in flight still updates the state. */
  stopPolling(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const run of [...this.#runs]) run.stop();
  }
  /** True unless a `pollUntilDone()` is running or has completed (as core-lro's: true before the first one, after `stopPolling()` and after a failure). */
  isStopped(): boolean { return this.#stopped; }

  /**
   * Asks the service to cancel the operation. Only certificate creation can be cancelled; for the others it
   * rejects as Microsoft's do ("Canceling the deletion of a secret is not supported."). Concurrent calls share one request.
   */
  cancelOperation(options: { abortSignal?: AbortSignalLike | undefined } = {}): Promise<void> {
    if (!this.#cancelling) {
      const { signal, release } = bridgeSignal(options.abortSignal);
      this.#cancelling = this.#cancel(signal).finally(() => { release(); this.#cancelling = undefined; });
    }
    return this.#cancelling;
  }

  async #cancel(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#steps.cancel) throw new KeyVaultError(this.#steps.cannotCancel ?? 'This operation cannot be cancelled.', { code: 'CancelNotSupported' });
    if (this.isDone()) return;
    await this.#steps.cancel(this.#state, signal);
  }

  /** The result: the pending object while the operation runs (where the service gives one), the final one when done. */
  getResult(): T | undefined { return this.#state.result; }
  /** The state seen at the last poll. */
  getOperationState(): S { return this.#state; }

  /** A resume token, `{"state":{...}}` as Microsoft's (secret values are never part of it): pass it as `resumeFrom`. */
  toString(): string {
    return writeToken(this.#state);
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
