import { KeyVaultClient } from '../../lib/index.js';
import type { ConfigClock } from '../../lib/config/spec.js';

export const VAULT = 'https://myvault.vault.azure.net';
const CHALLENGE = 'Bearer authorization="https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47", resource="https://vault.azure.net"';

/** Timers on a clock that moves only when told: request times and waits are exact, whatever the machine's load. */
export class FakeClock implements ConfigClock {
  #now = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #ids = 0;
  now = (): number => this.#now;
  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = ++this.#ids;
    this.#timers.set(id, { at: this.#now + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown): void => { this.#timers.delete(handle as number); };
  get pending(): number {
    return this.#timers.size;
  }
  /** Moves time forward, running each timer at its time and letting the requests it starts settle. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await settle();
      const next = [...this.#timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.#timers.delete(next[0]);
      this.#now = next[1].at;
      next[1].callback();
    }
    this.#now = end;
    await settle();
  }
}

/** Lets promise chains and the fake transport's answers run (no wall-clock wait is asserted on). */
export async function settle(): Promise<void> {
  do {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  } while (inflight > 0);
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
/** Requests the fake vault is answering (not held ones): `settle` waits for them. */
let inflight = 0;

/** Loads ky and the auth path once, so that the first test's requests take no longer than the others'. */
export async function warmUp(): Promise<void> {
  const vault = new FakeVault({ now: () => 0 });
  vault.set('warm', 'up');
  await vault.client().secrets.getSecret('warm');
}

interface Version { version: string; value: string; enabled: boolean; expires?: number }
export interface Served { method: string; path: string; at: number }

/**
 * A vault in a function (the client's injected `fetch`): secrets with versions, scripted failures, and a log of
 * every request with the fake clock's time. Requests can be held to test what subscribers see meanwhile.
 */
export class FakeVault {
  readonly log: Served[] = [];
  /** Requests answered; with `keepLog = false` (memory tests) only this is kept, not the log. */
  requests = 0;
  keepLog = true;
  readonly secrets = new Map<string, Version[]>();
  /** Per secret name: answers to give before the real one (status, Retry-After seconds). */
  readonly failures = new Map<string, { status: number; retryAfter?: number }[]>();
  readonly held = new Map<string, Array<() => void>>();
  readonly hold = new Set<string>();
  #counter = 0;
  constructor(readonly clock: { now(): number }) {}

  set(name: string, value: string, attributes: Partial<Omit<Version, 'version' | 'value'>> = {}): string {
    const version = (++this.#counter).toString(16).padStart(32, '0');
    // Memory tests (keepLog off) keep only the latest version: the vault's history is not the client's memory.
    const versions = this.keepLog ? this.secrets.get(name) ?? [] : [];
    versions.push({ version, value, enabled: true, ...attributes });
    this.secrets.set(name, versions);
    return version;
  }

  update(name: string, attributes: Partial<Omit<Version, 'version' | 'value'>>): void {
    Object.assign(this.secrets.get(name)!.at(-1)!, attributes);
  }

  release(name: string): void {
    this.hold.delete(name);
    for (const go of this.held.get(name) ?? []) go();
    this.held.delete(name);
  }

  /** GETs of one secret so far. */
  gets(name: string): Served[] {
    return this.log.filter((r) => r.method === 'GET' && r.path === `/secrets/${name}/`);
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    inflight++;
    try {
      return await this.#answer(input, init);
    } finally {
      inflight--;
    }
  };

  async #answer(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request ? input : new Request(input, init);
    if (!request.headers.has('authorization')) return json(401, { error: { code: 'Unauthorized', message: 'no token' } }, { 'www-authenticate': CHALLENGE });
    const path = new URL(request.url).pathname;
    this.requests++;
    if (this.keepLog) this.log.push({ method: request.method, path, at: this.clock.now() });
    const name = /^\/secrets\/([^/]+)\/?$/.exec(path)?.[1];
    if (request.method !== 'GET' || !name) return json(400, { error: { code: 'BadParameter', message: 'not faked' } });
    if (this.hold.has(name)) {
      inflight--;
      await new Promise<void>((resolve, reject) => {
        this.held.set(name, [...(this.held.get(name) ?? []), resolve]);
        request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
      }).finally(() => inflight++);
    }
    const failure = this.failures.get(name)?.shift();
    if (failure) return json(failure.status, { error: { code: failure.status === 429 ? 'Throttled' : 'ServiceUnavailable', message: 'try later' } }, failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) });
    const latest = this.secrets.get(name)?.at(-1);
    if (!latest) return json(404, { error: { code: 'SecretNotFound', message: `A secret with (name/id) ${name} was not found in this key vault.` } });
    if (!latest.enabled) return json(403, { error: { code: 'Forbidden', message: 'Operation get is not allowed on a disabled secret.', innererror: { code: 'SecretDisabled' } } });
    return json(200, { value: latest.value, id: `${VAULT}/secrets/${name}/${latest.version}`, attributes: { enabled: latest.enabled, ...(latest.expires ? { exp: latest.expires } : {}), created: 1, updated: 1 } });
  }

  client(): KeyVaultClient {
    return new KeyVaultClient(VAULT, { getToken: async () => ({ token: 'token', expiresOnTimestamp: Date.now() + 3600_000 }) }, { fetch: this.fetch, retry: { limit: 0 } });
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
