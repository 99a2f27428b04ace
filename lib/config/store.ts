import { inspect } from 'node:util';
import type { Subscriber, Subscription } from 'rxjs';
import type { Observable } from 'rxjs';
import { rx } from '../rx/rxjs.js';
import { KeyVaultError } from '../core/errors.js';
import { Refresher, realClock } from '../rx/refresher.js';
import { eventObjectKind, type KeyVaultEvent } from '../events/models.js';
import { isMissing, loadSource, type ConfigVault, type Loaded } from './sources.js';
import type { ConfigClock, ConfigOptions, ConfigStatus, NormalizedSource } from './spec.js';

/** A required source that is missing, or a value `parse` refused: names the config key and the vault object, never a value. */
export class ConfigError extends KeyVaultError {
  override name = 'ConfigError';
  /** The config key whose source failed. */
  readonly configKey: string;
  constructor(message: string, configKey: string, cause: unknown) {
    super(message, { code: 'ConfigSourceFailed', cause });
    this.configKey = configKey;
  }
}

interface SourceState {
  loaded: Loaded | null | undefined; // null: optional and missing; undefined: not loaded yet
  readonly refresher: Refresher<Loaded | null>;
  problem: string | undefined;
  /** The problem is not transient (missing, refused by parse): status `error`, not `stale`. */
  fatal: boolean;
}

// Untyped inside: the spec's types are applied once, by `config$`'s signature.
type Update = { readonly config: Readonly<Record<string, unknown>>; readonly changed: readonly string[] };

/**
 * The shared engine behind one `config$`: the first subscriber starts one load per source, every further
 * subscriber shares it (and gets the current config at once), the last unsubscribe aborts requests and clears
 * every timer. Each source is kept fresh by its own `Refresher` (poll, event, retry: the machinery `watchSecret$`
 * uses too) and only a changed fingerprint (version, enabled, expiry) rebuilds and emits the config.
 */
export class ConfigStore {
  readonly #kv: ConfigVault;
  readonly #sources: NormalizedSource[];
  readonly #options: ConfigOptions;
  readonly #clock: ConfigClock;
  readonly #subscribers = new Set<Subscriber<Update>>();
  readonly #statusSubscribers = new Set<Subscriber<ConfigStatus>>();
  #states = new Map<string, SourceState>();
  #events: Subscription | undefined;
  #config: Readonly<Record<string, unknown>> | undefined;
  #status: ConfigStatus;

  constructor(kv: ConfigVault, sources: NormalizedSource[], options: ConfigOptions) {
    this.#kv = kv;
    this.#sources = sources;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#status = { state: 'loading', failing: [], since: new Date(this.#clock.now()) };
  }

  readonly updates$: Observable<Update> = new (rx().Observable)<Update>((subscriber) => {
    this.#subscribers.add(subscriber);
    if (this.#config) subscriber.next({ config: this.#config, changed: this.#sources.map((s) => s.key) });
    else if (this.#states.size === 0) this.#start();
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) this.#stop();
    };
  });

  readonly status$: Observable<ConfigStatus> = new (rx().Observable)<ConfigStatus>((subscriber) => {
    this.#statusSubscribers.add(subscriber);
    subscriber.next(this.#status);
    return () => { this.#statusSubscribers.delete(subscriber); };
  });

  /** Refreshes one source (or all) now, unless the vault asked to wait (then as soon as allowed). */
  refresh(key?: string): void {
    for (const source of this.#sources) if (key === undefined || source.key === key) this.#states.get(source.key)?.refresher.refresh();
  }

  #start(): void {
    const policy = { clock: this.#clock, intervalMs: this.#options.refreshMs, jitter: this.#options.jitter, maxRetryDelayMs: this.#options.maxRetryDelayMs, random: this.#options.random };
    this.#states = new Map(this.#sources.map((source) => {
      const state: SourceState = {
        loaded: undefined,
        problem: undefined,
        fatal: false,
        refresher: new Refresher<Loaded | null>(
          (signal) => loadSource(this.#kv, source, state.loaded ?? undefined, signal).catch((error: unknown) => {
            if (source.optional && isMissing(error)) return null;
            throw error;
          }),
          { loaded: (loaded) => this.#loaded(source, state, loaded), failed: (error) => this.#failed(source, state, error) },
          policy,
        ),
      };
      return [source.key, state];
    }));
    this.#setStatus('loading');
    this.#events = this.#options.events?.subscribe({ next: (event) => this.#onEvent(event), error: () => {} });
    for (const state of this.#states.values()) state.refresher.start();
  }

  #stop(): void {
    this.#events?.unsubscribe();
    this.#events = undefined;
    const states = this.#states;
    this.#states = new Map();
    for (const state of states.values()) state.refresher.stop();
    this.#config = undefined;
  }

  #onEvent(event: KeyVaultEvent): void {
    const kind = eventObjectKind(event.type);
    const name = event.data.objectName.toLowerCase();
    if (!this.#sameVault(event.data.vaultName)) return;
    for (const source of this.#sources) {
      // A certificate's private key lives in its secret: events about either concern it.
      const concerned = source.kind === kind || (source.kind === 'certificate' && kind === 'secret');
      if (concerned && source.name.toLowerCase() === name) this.#states.get(source.key)?.refresher.refresh();
    }
  }

  /** Events name the vault; a loopback (local) vault has no name to compare, so it takes any. */
  #sameVault(vaultName: string): boolean {
    const host = new URL(this.#kv.vaultUrl).hostname.toLowerCase();
    if (host === 'localhost' || /^[\d.]+$|^\[/.test(host)) return true;
    return host.split('.')[0] === vaultName.toLowerCase();
  }

  #loaded(source: NormalizedSource, state: SourceState, loaded: Loaded | null): void {
    const before = state.loaded;
    state.loaded = loaded;
    state.problem = undefined;
    state.fatal = false;
    if (this.#config) {
      if (before !== loaded) this.#emit([source.key]);
    } else if ([...this.#states.values()].every((s) => s.loaded !== undefined)) {
      this.#emit(this.#sources.map((s) => s.key));
    }
    this.#updateStatus();
  }

  /**
   * A failure. Before the first config, a missing required source or a refused value ends the stream with an error
   * that names it; anything else (429, 503, network, even 403) is retried, as Retry-After says or with backoff,
   * while the last good config keeps being served. Returns whether to retry.
   */
  #failed(source: NormalizedSource, state: SourceState, error: unknown): boolean {
    const missing = isMissing(error);
    const fatal = missing || !(error instanceof KeyVaultError);
    const reason = missing ? `${source.key}: the required ${source.kind} '${source.name}' is missing or disabled`
      : fatal ? `${source.key}: ${source.kind} '${source.name}' could not be parsed`
        : `${source.key}: ${(error as KeyVaultError).code}${(error as KeyVaultError).statusCode ? ` (${(error as KeyVaultError).statusCode})` : ''}`;
    state.problem = reason;
    state.fatal = fatal;
    if (fatal && !this.#config) {
      const failure = new ConfigError(`config$ could not load ${reason}.`, source.key, error);
      const subscribers = [...this.#subscribers];
      this.#setStatus('error', reason);
      this.#stop();
      this.#subscribers.clear();
      for (const subscriber of subscribers) subscriber.error(failure);
      return false;
    }
    this.#updateStatus();
    return true;
  }

  #emit(changed: string[]): void {
    this.#config = buildConfig(this.#sources, this.#states);
    const update = Object.freeze({ config: this.#config, changed: Object.freeze(changed) });
    for (const subscriber of [...this.#subscribers]) subscriber.next(update);
  }

  #updateStatus(): void {
    const failing = [...this.#states.entries()].filter(([, s]) => s.problem !== undefined);
    const reason = failing.map(([, s]) => s.problem).join('; ') || undefined;
    if (!this.#config) return this.#setStatus('loading', reason, failing.map(([key]) => key));
    this.#setStatus(failing.length === 0 ? 'ready' : failing.some(([, s]) => s.fatal) ? 'error' : 'stale', reason, failing.map(([key]) => key));
  }

  #setStatus(state: ConfigStatus['state'], reason?: string, failing: string[] = []): void {
    const previous = this.#status;
    if (previous.state === state && previous.reason === reason) return;
    this.#status = Object.freeze({ state, ...(reason ? { reason } : {}), failing: Object.freeze(failing), since: new Date(this.#clock.now()) });
    for (const subscriber of [...this.#statusSubscribers]) subscriber.next(this.#status);
  }
}

const REDACTED = '[redacted]';

/**
 * The frozen config. Values are readable (`config.dbPassword`, destructuring) but not enumerable, and
 * inspect/JSON show secret-sourced values as `[redacted]`: logging the config never leaks a secret.
 */
function buildConfig(sources: NormalizedSource[], states: Map<string, SourceState>): Readonly<Record<string, unknown>> {
  const config = {};
  const shown: Record<string, unknown> = {};
  for (const source of sources) {
    const loaded = states.get(source.key)?.loaded;
    const value = loaded ? loaded.value : undefined;
    Object.defineProperty(config, source.key, { value, enumerable: false });
    shown[source.key] = value === undefined ? undefined : loaded?.secret ? REDACTED : value;
  }
  Object.defineProperty(config, 'toJSON', { value: () => shown });
  Object.defineProperty(config, inspect.custom, { value: (_: number, options: object) => `Config ${inspect(shown, options)}` });
  return Object.freeze(config);
}
