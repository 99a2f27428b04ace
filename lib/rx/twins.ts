import type { Observable } from 'rxjs';
import type { PagedAsyncIterableIterator } from '../paging/paged.js';
import type { Poller } from '../polling/poller.js';

/** What a twin emits for a method's result: a listing's items, a poller's states, or the one value. */
type Emitted<R> = R extends PagedAsyncIterableIterator<infer T>
  ? T
  : R extends Promise<Poller<unknown, infer S>>
    ? S
    : R extends Promise<infer T>
      ? T
      : never;

/**
 * The twin of a method, overloads included: two call signatures are read (a method with one reads it
 * twice), so `encrypt(parameters, options?)` | `encrypt(algorithm, bytes, options?)` has both twins.
 */
type Twin<F> = F extends { (...args: infer A1): infer R1; (...args: infer A2): infer R2 }
  ? { (...args: A1): Observable<Emitted<R1>>; (...args: A2): Observable<Emitted<R2>> }
  : never;

type Async = (...args: never[]) => Promise<unknown> | PagedAsyncIterableIterator<unknown>;

/**
 * The `$` methods a client must have: `getSecret(...)` → `getSecret$(...)` for each method returning a
 * Promise or a listing. Clients declare `implements ObservableTwins<Methods>`, so that a missing twin, or
 * one whose parameters or emitted type differ from its Promise method, fails to compile.
 */
export type ObservableTwins<C> = {
  [K in keyof C as K extends string ? (C[K] extends Async ? `${K}$` : never) : never]: Twin<C[K]>;
};
