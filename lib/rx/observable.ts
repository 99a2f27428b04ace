import type { Observable } from 'rxjs';
import { Observable as RxObservable } from './rxjs.js';
import type { PagedAsyncIterableIterator } from '../paging/paged.js';
import { Poller, type PollOperationState } from '../polling/poller.js';

/** `getSecret(...)` → `getSecret$(...)`: the Observable twin of each async method. */
type Twin<F> = F extends (...args: infer A) => PagedAsyncIterableIterator<infer T>
  ? (...args: A) => Observable<T>
  : F extends (...args: infer A) => Promise<Poller<unknown, infer S>>
    ? (...args: A) => Observable<S>
    : F extends (...args: infer A) => Promise<infer R>
      ? (...args: A) => Observable<R>
      : never;

type Async = (...args: never[]) => Promise<unknown> | PagedAsyncIterableIterator<unknown>;

/** The `$` methods of a client, computed from its async methods so the two can never drift apart. */
export type ObservableTwins<C> = {
  [K in keyof C as K extends string ? (C[K] extends Async ? `${K}$` : never) : never]: Twin<C[K]>;
};

interface Signalled {
  abortSignal?: AbortSignal;
}

/**
 * Chains the subscription's controller to a caller's `abortSignal` without mutating the caller's
 * options, and removes the listener when the subscription ends.
 */
function chain(options: Signalled | undefined, controller: AbortController): { options: Signalled; release: () => void } {
  const callerSignal = options?.abortSignal;
  if (!callerSignal) return { options: { ...options, abortSignal: controller.signal }, release: () => {} };
  const forward = () => controller.abort(callerSignal.reason);
  if (callerSignal.aborted) forward();
  else callerSignal.addEventListener('abort', forward, { once: true });
  return { options: { ...options, abortSignal: controller.signal }, release: () => callerSignal.removeEventListener('abort', forward) };
}

const isPaged = (value: unknown): value is PagedAsyncIterableIterator<unknown> =>
  typeof (value as PagedAsyncIterableIterator<unknown>)?.byPage === 'function';

/**
 * Turns one async method call into a cold Observable: nothing runs before subscribe, each
 * subscription gets its own AbortController, unsubscribe aborts the request in flight. A listing
 * emits item by item and fetches no further page once unsubscribed; a poller emits each state.
 */
export function observe(method: (...args: unknown[]) => unknown, self: unknown, args: unknown[], declaredIndex: number | undefined): Observable<unknown> {
  return new RxObservable((subscriber) => {
    const controller = new AbortController();
    const callArgs = [...args];
    const optionsIndex = declaredIndex ?? overloadedOptionsIndex(callArgs);
    while (callArgs.length < optionsIndex) callArgs.push(undefined);
    const { options, release } = chain(callArgs[optionsIndex] as Signalled | undefined, controller);
    callArgs[optionsIndex] = options;
    let settled = false;
    const fail = (error: unknown) => { if (!controller.signal.aborted || !subscriber.closed) subscriber.error(error); };
    (async () => {
      const result = method.apply(self, callArgs);
      if (isPaged(result)) {
        for await (const page of result.byPage()) {
          for (const item of page) {
            if (subscriber.closed) return;
            subscriber.next(item);
          }
          if (subscriber.closed) return;
        }
      } else {
        const value = await result;
        if (value instanceof Poller) {
          await new Promise<void>((resolve, reject) => {
            const inner = (value as Poller<unknown, PollOperationState<unknown>>).pollUntilDone$().subscribe({
              next: (state) => subscriber.next(state),
              error: reject,
              complete: resolve,
            });
            controller.signal.addEventListener('abort', () => { inner.unsubscribe(); resolve(); }, { once: true });
          });
        } else {
          subscriber.next(value);
        }
      }
    })().then(
      () => { settled = true; subscriber.complete(); },
      (error: unknown) => { settled = true; fail(error); },
    );
    return () => {
      release();
      if (!settled) controller.abort();
    };
  });
}

/**
 * Adds `name$` beside every async method found on `source` (and its own bases) onto `target`.
 * The options object is the method's last declared parameter, found from `Function.length`:
 * client methods therefore declare no default parameter values.
 */
export function installObservableTwins(target: object, source: object = target): void {
  for (let proto = source; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      const method = descriptor?.value as ((...args: unknown[]) => unknown) | undefined;
      if (name === 'constructor' || name.endsWith('$') || typeof method !== 'function' || `${name}$` in target) continue;
      if (!ASYNC_NAMES.test(name) && method.constructor.name !== 'AsyncFunction') continue;
      // Overloaded methods (`encrypt(params, options?)` | `encrypt(alg, bytes, options?)`) take rest parameters.
      const optionsIndex = method.length === 0 ? undefined : method.length - 1;
      Object.defineProperty(target, `${name}$`, {
        configurable: true,
        writable: true,
        value: function (this: unknown, ...args: unknown[]) { return observe(method, this, args, optionsIndex); },
      });
    }
  }
}

const twinned = new WeakSet<object>();

/**
 * Installs the `$` twins of an instance's class when the first instance is built. Doing it there rather
 * than at module load leaves client modules free of side effects, so a bundler can drop unused clients.
 */
export function ensureObservableTwins(instance: object): void {
  const proto = Object.getPrototypeOf(instance) as object;
  if (twinned.has(proto)) return;
  installObservableTwins(proto);
  twinned.add(proto);
}

/** For overloads: a trailing plain object (not bytes) beyond the first argument is the options; else options go last. */
function overloadedOptionsIndex(args: unknown[]): number {
  const last = args.at(-1);
  const isOptions = args.length > 1 && typeof last === 'object' && last !== null && !ArrayBuffer.isView(last) && !Array.isArray(last);
  return isOptions ? args.length - 1 : args.length;
}

/** Methods returning a listing are not `async` functions; their names say what they are. */
const ASYNC_NAMES = /^(list|begin)/;
