import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { type VaultClock, createClock } from './clock.js';

/**
 * A keyed set of JSON records of one kind, read from memory. Records are plain JSON values; treat the ones you
 * get as immutable and `put` a new object to change one (the store keeps the same object for reads).
 */
export interface Collection<T> {
  get(id: string): T | undefined;
  has(id: string): boolean;
  /** Stores the record; with a data file it is durable (committed) when this returns, or when the enclosing transaction does. */
  put(id: string, record: T): void;
  delete(id: string): boolean;
  keys(): IterableIterator<string>;
  values(): IterableIterator<T>;
  entries(): IterableIterator<[string, T]>;
  readonly size: number;
}

/**
 * The vault's state: named collections mirrored to SQLite when a data file is given. Every area (secrets, keys,
 * certificates) persists its objects through `collection(kind)`; kinds are free-form, prefix them with the area.
 */
export interface Store {
  /** The collection of that kind (the same instance on every call). */
  collection<T>(kind: string): Collection<T>;
  /** Runs `fn` atomically: all its writes commit together (memory and disk), or none if it throws. */
  transaction<R>(fn: () => R): R;
  close(): void;
  /** The vault's time, which every area reads through the store it is given. */
  readonly clock: VaultClock;
}

/** Opens the vault's store: in memory, or mirrored to a SQLite file (WAL, `synchronous=FULL`) whose records are loaded first. */
export function openStore(dataFile?: string, clock: VaultClock = createClock()): Store {
  return new MirroredStore(dataFile === undefined ? undefined : openDatabase(dataFile), clock);
}

interface Database {
  readonly db: DatabaseSync;
  readonly upsert: StatementSync;
  readonly remove: StatementSync;
}

function openDatabase(file: string): Database {
  // Loaded only for a data file, so an in-memory vault runs where node:sqlite is missing or still experimental.
  const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite') | undefined;
  if (!sqlite) throw new Error('A data file needs node:sqlite (Node.js 22.5 or later).');
  const db = new sqlite.DatabaseSync(file);
  // FULL: a write acknowledged to a client has been fsynced, so it survives kill -9 and power loss alike.
  db.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;');
  db.exec('CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID');
  return {
    db,
    upsert: db.prepare('INSERT INTO records (kind, id, json) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json'),
    remove: db.prepare('DELETE FROM records WHERE kind = ? AND id = ?'),
  };
}

type Undo = () => void;

class MirroredStore implements Store {
  readonly #maps = new Map<string, Map<string, unknown>>();
  readonly #collections = new Map<string, Collection<unknown>>();
  #undo: Undo[] | undefined;

  constructor(
    readonly database: Database | undefined,
    readonly clock: VaultClock,
  ) {
    if (!database) return;
    for (const row of database.db.prepare('SELECT kind, id, json FROM records').iterate()) {
      this.#map(String(row['kind'])).set(String(row['id']), JSON.parse(String(row['json'])));
    }
  }

  collection<T>(kind: string): Collection<T> {
    let c = this.#collections.get(kind);
    if (!c) this.#collections.set(kind, (c = this.#collection(kind)));
    return c as Collection<T>;
  }

  transaction<R>(fn: () => R): R {
    if (this.#undo) return fn();
    const undo: Undo[] = (this.#undo = []);
    this.database?.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.database?.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.database?.db.isTransaction) this.database.db.exec('ROLLBACK');
      for (const u of undo.reverse()) u();
      throw error;
    } finally {
      this.#undo = undefined;
    }
  }

  close(): void {
    this.database?.db.close();
  }

  #map(kind: string): Map<string, unknown> {
    let m = this.#maps.get(kind);
    if (!m) this.#maps.set(kind, (m = new Map()));
    return m;
  }

  #remember(map: Map<string, unknown>, id: string): void {
    if (!this.#undo) return;
    const had = map.has(id);
    const previous = map.get(id);
    this.#undo.push(() => (had ? map.set(id, previous) : map.delete(id)));
  }

  #collection(kind: string): Collection<unknown> {
    const map = this.#map(kind);
    const db = this.database;
    return {
      get: (id) => map.get(id),
      has: (id) => map.has(id),
      put: (id, record) => {
        // Serialise before touching memory so a record that cannot be stored leaves no trace.
        const json = db ? JSON.stringify(record) : undefined;
        this.#remember(map, id);
        db?.upsert.run(kind, id, json!);
        map.set(id, record);
      },
      delete: (id) => {
        if (!map.has(id)) return false;
        this.#remember(map, id);
        db?.remove.run(kind, id);
        return map.delete(id);
      },
      keys: () => map.keys(),
      values: () => map.values(),
      entries: () => map.entries(),
      get size() {
        return map.size;
      },
    };
  }
}
