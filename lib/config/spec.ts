import type { KeyVaultKey } from '../keys/models.js';
import type { CertificateWithPrivateKey } from '../certificates/private-key.js';
import { ValidationError } from '../core/errors.js';
import type { Observable } from 'rxjs';
import type { KeyVaultEvent } from '../events/models.js';
import type { RefreshClock } from '../rx/refresher.js';

/** A secret by name, optionally parsed (`parse: Number`); `optional` makes a missing secret `undefined`. */
export interface SecretSource<T = string> {
  /** The secret's name in the vault. */
  secret: string;
  /** A missing secret is `undefined` in the config instead of an error. */
  optional?: boolean;
  /** Turns the secret's value into the config value; a throw is a failed load of this source. */
  parse?: (value: string) => T;
}
/** A key: its public part (`KeyVaultKey.key` is the public JWK). */
export interface KeySource {
  key: string;
  optional?: boolean;
}
/** A certificate with its private key (needs an exportable policy). */
export interface CertificateSource {
  certificateWithPrivateKey: string;
  optional?: boolean;
}
/** Where one config value comes from: a secret name (`'db-password'`) or one of the sources above. */
export type ConfigSource = string | SecretSource<any> | KeySource | CertificateSource;
/** Config keys → sources, e.g. `{ dbPassword: 'db-password', port: { secret: 'port', parse: Number } }`. */
export type ConfigSpec = Record<string, ConfigSource>;

type Maybe<S, T> = S extends { optional: true } ? T | undefined : T;
/** The value a source yields, `parse` results and `optional` included. */
export type ValueOf<S> = S extends string ? string
  : S extends { secret: string } & Required<Pick<SecretSource<infer T>, 'parse'>> ? Maybe<S, T>
    : S extends { secret: string } ? Maybe<S, string>
      : S extends { key: string } ? Maybe<S, KeyVaultKey>
        : S extends { certificateWithPrivateKey: string } ? Maybe<S, CertificateWithPrivateKey>
          : never;
/** The config object a spec yields. */
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** One emission of `config$`: the complete config and the keys whose value changed since the previous one. */
export interface ConfigUpdate<S extends ConfigSpec> {
  readonly config: ConfigOf<S>;
  /** Every key on a subscriber's first emission; afterwards exactly the keys that changed. */
  readonly changed: ReadonlyArray<keyof S & string>;
}

/** `loading` until the first complete config; `ready`; `stale` (serving the last good config after a transient failure); `error`. */
export interface ConfigStatus {
  readonly state: 'loading' | 'ready' | 'stale' | 'error';
  /** Why (for `stale`/`error`, and `loading` after a failed attempt): names the config key, never a value. */
  readonly reason?: string;
  /** Config keys whose last refresh failed. */
  readonly failing: readonly string[];
  readonly since: Date;
}

/** Timers and time, injectable so tests run on a fake clock (the clock of the refresh machinery config$ runs on). */
export type ConfigClock = RefreshClock;

/** Options of `kv.config$(spec, options)`: polling, and the clock and randomness behind its timers. */
export interface ConfigOptions {
  /** Poll every source this often (ms); omitted: no polling (events only). */
  refreshMs?: number;
  /** Spread of each interval, as a fraction of `refreshMs` (±). Default `0.1`. */
  jitter?: number;
  /** Key Vault events (e.g. `receiver.events$`): an event for a watched object refreshes that source once. */
  events?: Observable<KeyVaultEvent>;
  /** Longest wait between retries of a failed refresh when the vault gives no `Retry-After` (ms). Default 60000. */
  maxRetryDelayMs?: number;
  /** For tests: a fake clock. */
  clock?: ConfigClock;
  /** For tests: `Math.random` by default. */
  random?: () => number;
}

/** What `config$` returns: the shared config stream, its status, and a manual refresh. */
export interface ConfigObservable<S extends ConfigSpec> extends Observable<ConfigUpdate<S>> {
  /** The current status now, then each change (shared; does not start loading by itself). */
  readonly status$: Observable<ConfigStatus>;
  /** Refreshes one source (by config key) or all, while the config is subscribed. */
  refresh(key?: keyof S & string): void;
}

export type SourceKind = 'secret' | 'key' | 'certificate';
export interface NormalizedSource {
  readonly key: string;
  readonly kind: SourceKind;
  readonly name: string;
  readonly optional: boolean;
  readonly parse: ((value: string) => unknown) | undefined;
}

/** Checks a spec once, at `config$` time, so a typo fails before any request. */
export function normalizeSpec(spec: ConfigSpec): NormalizedSource[] {
  if (typeof spec !== 'object' || spec === null) throw new ValidationError('config$ needs a spec object: { configKey: source }.', 'InvalidConfigSpec');
  const entries = Object.entries(spec);
  if (entries.length === 0) throw new ValidationError('config$ needs at least one source.', 'InvalidConfigSpec');
  return entries.map(([key, source]) => {
    if (typeof source === 'string') return { key, kind: 'secret', name: source, optional: false, parse: undefined };
    const optional = source?.optional === true;
    if (typeof (source as SecretSource)?.secret === 'string') {
      const parse = (source as SecretSource).parse;
      if (parse !== undefined && typeof parse !== 'function') throw new ValidationError(`config key ${key}: parse must be a function.`, 'InvalidConfigSpec');
      return { key, kind: 'secret', name: (source as SecretSource).secret, optional, parse };
    }
    if (typeof (source as KeySource)?.key === 'string') return { key, kind: 'key', name: (source as KeySource).key, optional, parse: undefined };
    if (typeof (source as CertificateSource)?.certificateWithPrivateKey === 'string') {
      return { key, kind: 'certificate', name: (source as CertificateSource).certificateWithPrivateKey, optional, parse: undefined };
    }
    throw new ValidationError(`config key ${key}: a source is a secret name, { secret }, { key } or { certificateWithPrivateKey }.`, 'InvalidConfigSpec');
  });
}
