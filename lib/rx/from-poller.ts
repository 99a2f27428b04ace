import type { Observable } from 'rxjs';
import type { Poller, PollerObservables, PollOperationState } from '../polling/poller.js';
import { subscribeAbortable, type Signalled } from './from-call.js';
import { rx } from './rxjs.js';

/** One poll as an Observable: cold, cancelled on unsubscribe, emits the state after the step. */
function poll$<T, S extends PollOperationState<T>>(poller: Poller<T, S>): Observable<S> {
  return new (rx().Observable)<S>((subscriber) => {
    const controller = new AbortController();
    poller.poll({ abortSignal: controller.signal }).then(
      () => { subscriber.next(poller.getOperationState()); subscriber.complete(); },
      (error: unknown) => subscriber.error(error),
    );
    return () => controller.abort();
  });
}

/** Every state until done, then completes; unsubscribing stops polling (and aborts a request in flight). */
function pollUntilDone$<T, S extends PollOperationState<T>>(poller: Poller<T, S>): Observable<S> {
  return new (rx().Observable)<S>((subscriber) => {
    const controller = new AbortController();
    const unsubscribe = poller.onProgress((state) => subscriber.next({ ...state }));
    if (poller.isDone()) subscriber.next({ ...poller.getOperationState() });
    poller.pollUntilDone({ abortSignal: controller.signal }).then(
      () => subscriber.complete(),
      (error: unknown) => { if (!controller.signal.aborted) subscriber.error(error); },
    );
    return () => { unsubscribe(); controller.abort(); };
  });
}

/** A poller's `poll$()` and `pollUntilDone$()`, handed to each poller by the code that creates it. */
export const pollerObservables: PollerObservables = { poll$, pollUntilDone$ };

/** The twin of a `begin...` method: starts the operation on subscribe, then emits each state until done. */
export function fromPoller<O extends Signalled, T, S extends PollOperationState<T>>(options: O | undefined, begin: (options: O) => Promise<Poller<T, S>>): Observable<S> {
  return subscribeAbortable<O, S>(options, async (beginOptions, subscriber) => {
    const poller = await begin(beginOptions);
    // The state after begin's poll (pollUntilDone$ emits it itself when that poll already ended the operation).
    if (!poller.isDone()) subscriber.next({ ...poller.getOperationState() });
    const signal = beginOptions.abortSignal!;
    await new Promise<void>((resolve, reject) => {
      const stop = () => { inner.unsubscribe(); resolve(); };
      const inner = pollUntilDone$(poller).subscribe({
        next: (state) => subscriber.next(state),
        error: (error: unknown) => { signal.removeEventListener('abort', stop); reject(error); },
        complete: () => { signal.removeEventListener('abort', stop); resolve(); },
      });
      if (!inner.closed) signal.addEventListener('abort', stop, { once: true });
    });
  });
}
