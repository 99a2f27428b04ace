import { ConfigStore } from './store.js';
import type { ConfigVault } from './sources.js';
import { normalizeSpec, type ConfigObservable, type ConfigOptions, type ConfigSpec } from './spec.js';
import { ValidationError } from '../core/errors.js';

/** Builds the shared config stream of `kv.config$(spec, options)`: see `KeyVaultClient.config$`. */
export function createConfig$<S extends ConfigSpec>(kv: ConfigVault, spec: S, options: ConfigOptions = {}): ConfigObservable<S> {
  const sources = normalizeSpec(spec);
  if (options.refreshMs !== undefined && !(options.refreshMs > 0)) throw new ValidationError('refreshMs must be a positive number of ms.', 'InvalidOption');
  const store = new ConfigStore(kv, sources, options);
  return Object.assign(store.updates$, {
    status$: store.status$,
    refresh: (key?: string) => store.refresh(key),
  }) as unknown as ConfigObservable<S>;
}
