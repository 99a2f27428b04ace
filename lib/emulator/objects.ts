import { randomBytes } from 'node:crypto';
import { secondsOf } from './clock.js';
import { conflict, notFound } from './errors.js';
import type { Collection, Store } from './store.js';

/** Days a deleted object stays recoverable, and the recovery level the vault reports (soft delete, purge allowed). */
export const RECOVERABLE_DAYS = 90;
export const RECOVERY_LEVEL = 'Recoverable+Purgeable';

/** Seconds since the epoch on the store's clock, the unit of every Key Vault timestamp. */
export const nowSeconds = (store: Store): number => secondsOf(store.clock);

/** A new object version: 32 lowercase hex digits, as the service makes them. */
export const newVersion = (): string => randomBytes(16).toString('hex');

/** When and until when a deleted object can be recovered. */
export interface Deletion {
  readonly deletedDate: number;
  readonly scheduledPurgeDate: number;
}

/** The per-name record: display name (names are case-insensitive), latest version, deletion state. */
interface Meta {
  readonly name: string;
  readonly latest: string;
  readonly deleted?: Deletion;
}

/** One version of an object, as handlers see it. */
export interface Version<V> {
  readonly name: string;
  readonly version: string;
  readonly value: V;
}

/** Everything about one name, self-contained: what a backup carries. */
export interface Snapshot<V> {
  readonly name: string;
  readonly latest: string;
  readonly versions: ReadonlyArray<readonly [string, V]>;
}

/** How an area names itself in the service's messages: `{ kind: 'secrets', label: 'Secret', notFoundCode: 'SecretNotFound' }`. */
export interface ObjectKind {
  readonly kind: string;
  readonly label: string;
  readonly notFoundCode: string;
}

/**
 * Versioned, soft-deletable objects of one kind (secrets, keys, certificates), persisted in two collections:
 * `<kind>` (name -> meta) and `<kind>.versions` (`name/version` -> version record). Names and versions are
 * case-insensitive, as in the service. Lookups throw the service's 404/409 errors.
 */
export class VersionedObjects<V> {
  readonly #meta: Collection<Meta>;
  readonly #versions: Collection<V>;
  // name -> versions: the index behind "versions of a name", rebuilt from the store at start.
  readonly #index = new Map<string, Set<string>>();
  // Sorted lists, kept until the next change: paging through many objects must not sort them for every page.
  readonly #lists = new Map<boolean, { readonly generation: number; readonly items: readonly unknown[] }>();
  #generation = 0;
  readonly #observers = new Set<(v: Version<V>, previous: V | undefined) => void>();

  constructor(
    readonly store: Store,
    readonly kind: ObjectKind,
  ) {
    this.#meta = store.collection<Meta>(kind.kind);
    this.#versions = store.collection<V>(`${kind.kind}.versions`);
    for (const id of this.#versions.keys()) {
      const [name = '', version = ''] = id.split('/');
      this.#versionsOf(name).add(version);
    }
  }

  /** The active object's version (latest when `version` is empty or undefined), or a 404. */
  get(name: string, version?: string): Version<V> {
    const key = name.toLowerCase();
    const meta = this.#meta.get(key);
    if (!meta || meta.deleted) throw this.notFound(name, version);
    const v = version ? version.toLowerCase() : meta.latest;
    const value = this.#versions.get(`${key}/${v}`);
    if (value === undefined) throw this.notFound(name, version);
    return { name: meta.name, version: v, value };
  }

  /** Whether the name is free, active or soft-deleted. */
  state(name: string): 'absent' | 'active' | 'deleted' {
    const meta = this.#meta.get(name.toLowerCase());
    return !meta ? 'absent' : meta.deleted ? 'deleted' : 'active';
  }

  /** Adds a version and makes it the latest (409 while the name is deleted). */
  add(name: string, version: string, value: V): Version<V> {
    const key = name.toLowerCase();
    const meta = this.#meta.get(key);
    if (meta?.deleted) throw this.deletedConflict(name);
    this.store.transaction(() => {
      this.#putVersion(key, version, value);
      this.#meta.put(key, { name: meta?.name ?? name, latest: version });
    });
    this.#generation++;
    const added = { name: meta?.name ?? name, version, value };
    this.#notify(added, undefined);
    return added;
  }

  /**
   * Calls `observer` after each new version (`previous` undefined) and each replaced one (`previous` = the old
   * value), once committed. Event notifications hook in here; observers must not throw.
   */
  observe(observer: (v: Version<V>, previous: V | undefined) => void): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  #notify(v: Version<V>, previous: V | undefined): void {
    for (const observer of this.#observers) observer(v, previous);
  }

  /** Replaces an existing version (updates). */
  replace(found: Version<V>, value: V): Version<V> {
    this.#versions.put(`${found.name.toLowerCase()}/${found.version}`, value);
    this.#generation++;
    const replaced = { ...found, value };
    this.#notify(replaced, found.value);
    return replaced;
  }

  /** Active objects with their latest version, sorted by name (a shared array: do not modify it). */
  list(): ReadonlyArray<Version<V>> {
    return this.#cached(false, () => this.#listMeta(false).map((m) => this.#latest(m)));
  }

  /** Versions of an active name sorted by version (empty for an unknown or deleted name, as the service answers). */
  versions(name: string): Array<Version<V>> {
    const key = name.toLowerCase();
    const meta = this.#meta.get(key);
    if (!meta || meta.deleted) return [];
    return [...this.#versionsOf(key)].sort().map((version) => ({ name: meta.name, version, value: this.#versions.get(`${key}/${version}`)! }));
  }

  /** Soft-deletes a name: its latest version and the deletion dates. */
  delete(name: string): Version<V> & Deletion {
    const key = name.toLowerCase();
    const meta = this.#meta.get(key);
    if (!meta || meta.deleted) throw this.notFound(name);
    const deletedDate = nowSeconds(this.store);
    const deleted = { deletedDate, scheduledPurgeDate: deletedDate + RECOVERABLE_DAYS * 86400 };
    this.#meta.put(key, { ...meta, deleted });
    this.#generation++;
    return { ...this.#latest(meta), ...deleted };
  }

  /** A soft-deleted name's latest version and deletion dates, or a 404 "Deleted X not found". */
  getDeleted(name: string): Version<V> & Deletion {
    const meta = this.#meta.get(name.toLowerCase());
    if (!meta?.deleted) throw this.deletedNotFound(name);
    return { ...this.#latest(meta), ...meta.deleted };
  }

  /** Soft-deleted names, sorted (a shared array: do not modify it). */
  listDeleted(): ReadonlyArray<Version<V> & Deletion> {
    return this.#cached(true, () => this.#listMeta(true).map((m) => ({ ...this.#latest(m), ...m.deleted! })));
  }

  recover(name: string): Version<V> {
    const key = name.toLowerCase();
    const meta = this.#meta.get(key);
    if (!meta?.deleted) throw this.deletedNotFound(name);
    this.#meta.put(key, { name: meta.name, latest: meta.latest });
    this.#generation++;
    return this.#latest(meta);
  }

  /** Removes a soft-deleted name and all its versions for good. */
  purge(name: string): void {
    const key = name.toLowerCase();
    if (!this.#meta.get(key)?.deleted) throw this.deletedNotFound(name);
    this.store.transaction(() => {
      for (const version of this.#versionsOf(key)) this.#versions.delete(`${key}/${version}`);
      this.#meta.delete(key);
    });
    this.#index.delete(key);
    this.#generation++;
  }

  /** All versions of an active name, for a backup. */
  snapshot(name: string): Snapshot<V> {
    const { name: display, version: latest } = this.get(name);
    return { name: display, latest, versions: this.versions(name).map((v) => [v.version, v.value] as const) };
  }

  /** Restores a backup; 409 when the name exists, active or deleted. */
  restore(snapshot: Snapshot<V>): Version<V> {
    const key = snapshot.name.toLowerCase();
    if (this.#meta.has(key)) throw conflict(`${this.kind.label} ${snapshot.name} already exists in this vault, or is in a deleted but recoverable state. Restore is not allowed.`);
    this.store.transaction(() => {
      for (const [version, value] of snapshot.versions) this.#putVersion(key, version, value);
      this.#meta.put(key, { name: snapshot.name, latest: snapshot.latest });
    });
    this.#generation++;
    return this.get(snapshot.name);
  }

  /** The service's 404 for an unknown (or deleted) name or version. */
  notFound(name: string, version?: string): Error {
    const label = this.kind.label.toLowerCase();
    return notFound(
      this.kind.notFoundCode,
      `A ${label} with (name/id) ${version ? `${name}/${version}` : name} was not found in this key vault. If you recently deleted this ${label} you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    );
  }

  deletedNotFound(name: string): Error {
    return notFound(this.kind.notFoundCode, `Deleted ${this.kind.label} not found: ${name}`);
  }

  deletedConflict(name: string): Error {
    const label = this.kind.label.toLowerCase();
    return conflict(`${this.kind.label} ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the ${label} can only be recovered or purged.`);
  }

  #putVersion(key: string, version: string, value: V): void {
    this.#versions.put(`${key}/${version}`, value);
    this.#versionsOf(key).add(version);
  }

  #versionsOf(key: string): Set<string> {
    let set = this.#index.get(key);
    if (!set) this.#index.set(key, (set = new Set()));
    return set;
  }

  #latest(meta: Meta): Version<V> {
    return { name: meta.name, version: meta.latest, value: this.#versions.get(`${meta.name.toLowerCase()}/${meta.latest}`)! };
  }

  #cached<T>(deleted: boolean, build: () => T[]): readonly T[] {
    const hit = this.#lists.get(deleted);
    if (hit?.generation === this.#generation) return hit.items as readonly T[];
    const items = build();
    this.#lists.set(deleted, { generation: this.#generation, items });
    return items;
  }

  #listMeta(deleted: boolean): Meta[] {
    const out: Meta[] = [];
    for (const meta of this.#meta.values()) if (!!meta.deleted === deleted) out.push(meta);
    return out.sort((a, b) => compareNames(a.name, b.name));
  }
}

const compareNames = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

const cache = new WeakMap<Store, Map<string, VersionedObjects<unknown>>>();

/** The store's objects of one kind: the same instance for every caller (secrets, keys and certificates share them). */
export function objectsOf<V>(store: Store, kind: ObjectKind): VersionedObjects<V> {
  let byKind = cache.get(store);
  if (!byKind) cache.set(store, (byKind = new Map()));
  let objects = byKind.get(kind.kind);
  if (!objects) byKind.set(kind.kind, (objects = new VersionedObjects<unknown>(store, kind)));
  return objects as VersionedObjects<V>;
}
