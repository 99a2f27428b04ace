import { VaultError } from './errors.js';
import { Router, methodNotAllowed } from './router.js';
import { areas } from './routes.js';
import type { Store } from './store.js';

/** Origin of ids in answers to the vault's own calls; nothing outside sees them. */
const INTERNAL_ORIGIN = 'https://vault.internal';

/**
 * The vault calling its own handlers in process (seed data, certificate renewal): the same validation, defaults
 * and error messages as a client's request, without HTTP, auth or an api-version. Throws the handler's VaultError.
 */
export type VaultCall = (method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => Promise<Record<string, unknown>>;

/** A {@link VaultCall} over `store` (its own router: a scratch store gets one too). */
export function internalCalls(store: Store, router: Router = routerOf(store)): VaultCall {
  return async (method, path, body) => {
    const match = router.match(method, path);
    if (match === undefined) throw new VaultError(404, 'NotFound', `The requested resource ${path} was not found.`);
    if (match === 'method-not-allowed') throw methodNotAllowed(method);
    const response = await match.handler({ method, path, params: match.params, query: new Map(), body, origin: INTERNAL_ORIGIN, apiVersion: '7.6' });
    return (response.body ?? (response.text === undefined ? {} : JSON.parse(response.text))) as Record<string, unknown>;
  };
}

/** Every area's routes over `store`. */
export function routerOf(store: Store): Router {
  const router = new Router();
  for (const area of areas) router.add(area(store));
  return router;
}
