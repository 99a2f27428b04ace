import type { Observable, Subscriber } from 'rxjs';
import type { AbortSignalLike } from '../core/options.js';
import { rx } from './rxjs.js';

/** The options object every SDK method takes last. */
export interface Signalled {
  abortSignal?: AbortSignalLike;
}

/**
 * The heart of every `$` twin, after rxjs's `fromFetch`: nothing runs before subscribe; each
 * subscription gets its own AbortController, chained to the caller's `abortSignal` (whose listener is
 * removed when the subscription ends); the caller's options are copied, never mutated; unsubscribing
 * aborts only what is still in flight. `run` gets the options to call with, and the subscriber.
 */
export function subscribeAbortable<O extends Signalled, T>(options: O | undefined, run: (options: O, subscriber: Subscriber<T>) => Promise<void>): Observable<T> {
  return new (rx().Observable)<T>((subscriber) => {
    const controller = new AbortController();
    const callerSignal = options?.abortSignal;
    const forward = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) forward();
    else callerSignal?.addEventListener('abort', forward, { once: true });
    let settled = false;
    run({ ...options, abortSignal: controller.signal } as unknown as O, subscriber).then(
      () => { settled = true; subscriber.complete(); },
      (error: unknown) => { settled = true; if (!controller.signal.aborted || !subscriber.closed) subscriber.error(error); },
    );
    return () => {
      callerSignal?.removeEventListener('abort', forward);
      if (!settled) controller.abort();
    };
  });
}

/** The twin of a Promise method: `getSecret$(n, o) { return fromCall(o, (o) => this.getSecret(n, o)); }`. */
export function fromCall<O extends Signalled, T>(options: O | undefined, call: (options: O) => Promise<T>): Observable<T> {
  return subscribeAbortable<O, T>(options, async (callOptions, subscriber) => {
    subscriber.next(await call(callOptions));
  });
}
