// Compile-only: `npm test` type-checks this file; each @ts-expect-error must stay an error.
// It proves that `implements ObservableTwins<...>` is what keeps every client's `$` twins complete and typed.
import type { Observable } from 'rxjs';
import type { ObservableTwins, PagedAsyncIterableIterator, Poller, PollOperationState } from '../../lib/index.js';

interface Methods {
  get(name: string, options?: { abortSignal?: AbortSignal }): Promise<number>;
  list(options?: { maxPageSize?: number }): PagedAsyncIterableIterator<string>;
  begin(name: string): Promise<Poller<boolean, PollOperationState<boolean> & { name: string }>>;
  encrypt(parameters: { plaintext: Uint8Array }): Promise<Uint8Array>;
  encrypt(algorithm: string, plaintext: Uint8Array): Promise<Uint8Array>;
  sync(): number;
}
declare const twins: ObservableTwins<Methods>;

// What each twin emits: the value, a listing's items, a poller's states; overloads keep both forms.
export const a: Observable<number> = twins.get$('n', { abortSignal: AbortSignal.timeout(1) });
export const b: Observable<string> = twins.list$({ maxPageSize: 5 });
export const c: Observable<{ name: string; isCompleted: boolean; result?: boolean }> = twins.begin$('n');
export const d: Observable<Uint8Array> = twins.encrypt$({ plaintext: new Uint8Array(1) });
export const e: Observable<Uint8Array> = twins.encrypt$('RSA-OAEP', new Uint8Array(1));

// @ts-expect-error a synchronous method has no twin
export const f = twins.sync$;
// @ts-expect-error twins keep the parameter types
twins.get$(1);
// @ts-expect-error and each overload's own
twins.encrypt$('RSA-OAEP');

declare const value: Observable<never>;

// @ts-expect-error a client that forgets a twin does not compile
export class Missing implements ObservableTwins<{ get(name: string): Promise<number> }> {
  get(name: string): Promise<number> { return Promise.resolve(name.length); }
}

export class Mistyped implements ObservableTwins<{ get(name: string): Promise<number> }> {
  get(name: string): Promise<number> { return Promise.resolve(name.length); }
  // @ts-expect-error a twin that takes other parameters does not compile
  get$(name: number): Observable<number> { return name ? value : value; }
}

export class WrongValue implements ObservableTwins<{ get(name: string): Promise<number> }> {
  get(name: string): Promise<number> { return Promise.resolve(name.length); }
  // @ts-expect-error a twin that emits something else does not compile
  get$(name: string): Observable<string> { return name ? (value as unknown as Observable<string>) : (value as unknown as Observable<string>); }
}
