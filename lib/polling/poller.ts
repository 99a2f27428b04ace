import type { Observable } from 'rxjs';
import { Observable as RxObservable } from '../rx/rxjs.js';
import { AbortError } from '../core/errors.js';

/** The state of a long-running operation, as Microsoft's pollers expose it. */
export interface PollOperationState<T> {
  isStarted: boolean;
  isCompleted: boolean;
  isCancelled?: boolean;
  error?: Error;
  result?: T;
}

/** Options of every `begin...` method. */
export interface PollerOptions {
  /** Wait between polls in ms. Default `2000`; `0` polls back to back (tests, local vault). */
  intervalInMs?: number;
  /** A `poller.toString()` from an earlier poller: continue that operation instead of starting one. */
  resumeFrom?: string;
  abortSignal?: AbortSignal;
}

/** What one long-running operation does: the first request, and one check that returns the result once done. */
export interface PollSteps<T, S extends PollOperationState<T>> {
  start(state: S, signal: AbortSignal | undefined): Promise<void>;
  check(state: S, signal: AbortSignal | undefined): Promise<void>;
}

export const wait = (ms: number, signal?: AbortSignal) =>
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

  constructor(steps: PollSteps<T, S>, state: S, intervalInMs = 2000) {
    this.#steps = steps;
    this.#state = state;
    this.#intervalInMs = intervalInMs;
  }

  /** Starts the operation (unless resuming), as every `begin...` method does before returning. */
  static async begin<T, S extends PollOperationState<T>>(steps: PollSteps<T, S>, initial: S, options: PollerOptions = {}): Promise<Poller<T, S>> {
    const state: S = options.resumeFrom ? { ...initial, ...(JSON.parse(options.resumeFrom) as { state: S }).state } : initial;
    const poller = new Poller(steps, state, options.intervalInMs ?? 2000);
    if (!state.isStarted) await poller.poll({ ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) });
    return poller;
  }

  /** One step: the start request first, then one status check per call. */
  async poll(options: { abortSignal?: AbortSignal } = {}): Promise<void> {
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
  async pollUntilDone(options: { abortSignal?: AbortSignal } = {}): Promise<T> {
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
    return new RxObservable<S>((subscriber) => {
      const controller = new AbortController();
      this.poll({ abortSignal: controller.signal }).then(
        () => { subscriber.next(this.#state); subscriber.complete(); },
        (error: unknown) => subscriber.error(error),
      );
      return () => controller.abort();
    });
  }

  /** Every state until done, then completes; unsubscribing stops polling (and aborts a request in flight). */
  pollUntilDone$(): Observable<S> {
    return new RxObservable<S>((subscriber) => {
      const controller = new AbortController();
      const unsubscribe = this.onProgress((state) => subscriber.next({ ...state }));
      if (this.#state.isCompleted) subscriber.next({ ...this.#state });
      this.pollUntilDone({ abortSignal: controller.signal }).then(
        () => subscriber.complete(),
        (error: unknown) => { if (!controller.signal.aborted) subscriber.error(error); },
      );
      return () => { unsubscribe(); controller.abort(); };
    });
  }
}

/** The state of a delete or recover poller. */
export interface DeleteRecoverState<T> extends PollOperationState<T> {
  name: string;
}

/**
 * Delete and recover, as Key Vault and Microsoft's SDK do them: send the request, then read the
 * object until it is there. 404 means not yet; 403 means the caller may not read it, so the
 * answer to the first request is the result. `doneAtStart` (no `recoveryId`: soft-delete off) ends at once.
 */
export function softDeleteSteps<T>(
  first: (signal: AbortSignal | undefined) => Promise<T>,
  read: (signal: AbortSignal | undefined) => Promise<T>,
  doneAtStart: (result: T) => boolean = () => false,
): PollSteps<T, DeleteRecoverState<T>> {
  return {
    async start(state, signal) {
      state.result = await first(signal);
      if (doneAtStart(state.result)) state.isCompleted = true;
    },
    async check(state, signal) {
      try {
        state.result = await read(signal);
        state.isCompleted = true;
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404) return;
        if (status === 403) { state.isCompleted = true; return; }
        throw error;
      }
    },
  };
}
