// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API
// (normally from the `reflect-metadata` package, not a dependency here). This is the small part tsyringe uses.
// Import this module before `@peculiar/x509`.
type Target = object;
const store = new WeakMap<Target, Map<unknown, unknown>>();
const meta = (target: Target): Map<unknown, unknown> => {
  let m = store.get(target);
  if (!m) store.set(target, (m = new Map()));
  return m;
};
const R = Reflect as unknown as Record<string, unknown>;
if (typeof R['getMetadata'] !== 'function') {
  R['defineMetadata'] = (key: unknown, value: unknown, target: Target): void => void meta(target).set(key, value);
  R['getMetadata'] = (key: unknown, target: Target): unknown => {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t) as Target | null) {
      const m = store.get(t);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  R['getOwnMetadata'] = (key: unknown, target: Target): unknown => store.get(target)?.get(key);
  R['hasMetadata'] = (key: unknown, target: Target): boolean => (R['getMetadata'] as (k: unknown, t: Target) => unknown)(key, target) !== undefined;
  R['metadata'] = (key: unknown, value: unknown) => (target: Target): void => void meta(target).set(key, value);
}
export {};
