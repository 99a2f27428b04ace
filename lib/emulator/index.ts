// The local vault. A request goes server.ts (auth, api-version, body limits, error shape) -> router.ts (route
// tables listed in routes.ts) -> an area (secrets.ts; keys.ts with key-ops.ts, rotation.ts, hsm.ts;
// certificates/), whose objects live in objects.ts (versioned, soft-deletable, case-insensitive names) over
// store.ts (memory mirrored to SQLite). lifecycle.ts holds the routes every versioned area shares.
// Time: clock.ts (the vault's clock, carried by the store), timekeeper.ts (rotation, lifetime actions, purge and
// expiry events as the clock moves), events.ts (Event Grid webhook delivery), admin.ts (/_emulator/ routes);
// seed.ts applies seed files through the vault's own handlers (internal.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminListener } from './admin.js';
import { type VaultClock, createClock } from './clock.js';
import { EventPublisher, type EventsOptions } from './events.js';
import { IDENTITY_PATHS, type Identity, createIdentity, loadOrCreateIdentityState } from './identity.js';
import { routerOf } from './internal.js';
import { type SeedResult, type VaultSeed, applySeed, readSeedFile } from './seed.js';
import { createListener } from './server.js';
import { openStore } from './store.js';
import { type Notification, startTimekeeper } from './timekeeper.js';
import { type VaultTls, defaultStateDir, issueServerCertificate, loadOrCreateCa } from './tls.js';

export type { VaultClock } from './clock.js';
export type { EventsOptions, KeyVaultEventData } from './events.js';
export type { Notification } from './timekeeper.js';
export { SeedError } from './seed.js';
export type { SeedAttributes, SeedCertificate, SeedContact, SeedDate, SeedIssuer, SeedKey, SeedKeyVersion, SeedResult, SeedSecret, SeedSecretVersion, VaultSeed } from './seed.js';

/** Options of {@link startVault}. */
export interface VaultOptions {
  /** TCP port; `0` (the default) picks a free one, read it from `url`. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /**
   * HTTPS (default `true`), with a server certificate issued at each start by the vault's CA (see `stateDir`).
   * `false` serves plain HTTP, allowed on a loopback host only, since bearer tokens would otherwise cross a network
   * in clear.
   */
  readonly tls?: boolean;
  /**
   * Directory holding the vault's CA (`keyvault-emulator-ca/ca.pem` and its key) and its managed identity's signing
   * key and header secret (`keyvault-emulator-identity.json`, owner-only), made on first use and reused on every
   * start, so whatever trusted the vault before a restart still does, tokens it issued stay valid and `env` stays
   * the same. Default: beside `dataFile` when there is one; otherwise a temporary CA, removed on stop, and a new
   * identity per start (the CLI uses the user's state directory instead, see `defaultStateDir`).
   */
  readonly stateDir?: string;
  /** Extra names (DNS names or IP addresses) the server certificate covers, besides `localhost`, `127.0.0.1`, `::1` and `host`. */
  readonly hostnames?: readonly string[];
  /**
   * Your own server certificate (PEM, chain leaf first) and private key (PEM) instead of the vault's CA. `ca`
   * (what clients must trust) is then `tlsCa` when given, else the last certificate of `tlsCert`.
   */
  readonly tlsCert?: string;
  /** The private key (PEM) of `tlsCert`. */
  readonly tlsKey?: string;
  /** What clients must trust when `tlsCert` is given (PEM); default the last certificate of `tlsCert`. */
  readonly tlsCa?: string;
  /**
   * SQLite file holding the vault's objects. Every acknowledged write is committed (WAL, fsynced) before the
   * response, so the vault survives `kill -9`; a vault started on the same file sees everything. In memory when omitted.
   */
  readonly dataFile?: string;
  /** The only bearer token the vault accepts; by default any non-empty token is. */
  readonly token?: string;
  /**
   * `strict`: accept only tokens the vault's own managed-identity endpoint issued, unexpired, for the vault
   * (`aud` its URL or `https://vault.azure.net`); others get the service's 401 and challenge. Default `any`:
   * any non-empty bearer token.
   */
  readonly auth?: 'any' | 'strict';
  /**
   * Objects to create at start: a seed file's path (JSON, see the README) or the seed itself. Only what the vault
   * does not hold yet is created, so a persistent vault can be seeded on every start. An invalid seed makes
   * `startVault` reject with a {@link SeedError} naming the entry and the reason, before anything changes.
   */
  readonly seed?: string | VaultSeed;
  /** Post Key Vault's Event Grid events to this webhook (a URL, Event Grid schema) or as configured. */
  readonly events?: string | EventsOptions;
  /** The token of the admin routes (`/_emulator/...`); a random one by default, read it from `adminToken`. */
  readonly adminToken?: string;
}

/** Options of {@link RunningVault.issueToken}. */
export interface TokenOptions {
  /** The `aud` claim (default the vault's URL). */
  readonly resource?: string;
  /** Seconds until `exp` (default a day); negative gives an already expired token. */
  readonly lifetimeSeconds?: number;
}

/** A running local vault. */
export interface RunningVault {
  /** The vault URL to give clients, e.g. `https://127.0.0.1:53122`. */
  readonly url: string;
  /** The vault's CA certificate (PEM): the one certificate a client must trust. Empty with `tls: false`. */
  readonly ca: string;
  /**
   * Path of a file holding `ca`: in the state directory (kept), or temporary (removed by `stop()`) when the vault
   * has none. Empty with `tls: false`.
   */
  readonly caFile: string;
  /**
   * Environment that points Microsoft's managed-identity credentials (`DefaultAzureCredential`,
   * `ManagedIdentityCredential`, any language) at the vault's token endpoint, as App Service sets it:
   * `IDENTITY_ENDPOINT` and `IDENTITY_HEADER`. The client must also trust {@link ca}.
   */
  readonly env: Readonly<Record<'IDENTITY_ENDPOINT' | 'IDENTITY_HEADER', string>>;
  /** Signs a token as the vault's token endpoint would (for clients that take a token, and for tests). */
  issueToken(options?: TokenOptions): string;
  /** The vault's time: read it, move it forward; rotation, lifetime actions, purge and events follow. */
  readonly clock: VaultClock;
  /** Bearer token of the admin routes (`POST /_emulator/clock`, `GET /_emulator/notifications`). */
  readonly adminToken: string;
  /** What the seed created and what it found already there (empty without `seed`). */
  readonly seeded: SeedResult;
  /** Certificate `EmailContacts` lifetime actions carried out so far. */
  notifications(): Notification[];
  /** Resolves once time-driven work and queued event deliveries are done. */
  settled(): Promise<void>;
  /** Stops listening, drops open connections and closes the data file. */
  stop(): Promise<void>;
}

/** Tenant the vault names in its challenge; clients pass it to their credential and the vault ignores tokens' claims. */
export const EMULATOR_TENANT_ID = '6b3ad0e5-3c4f-4c47-9f52-0a1f1c0c7e55';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/**
 * Starts a Key Vault-compatible server (secrets, keys, certificates) for tests and offline development.
 * Clients authenticate with any bearer token (or `token`, or with `auth: 'strict'` only the vault's own); the
 * vault's challenge names its own origin as the resource, so the scope clients ask for is `<url>/.default`. The
 * vault also serves managed-identity token endpoints: set `env` (and trust `ca`) and `DefaultAzureCredential`
 * gets its tokens from the vault.
 *
 * @example
 * const vault = await startVault();
 * const client = new SecretClient(vault.url, credential, { additionalPolicies: [trust(vault.ca)] });
 * await vault.stop();
 */
export async function startVault(options: VaultOptions = {}): Promise<RunningVault> {
  const { port = 0, host = '127.0.0.1', tls = true, dataFile, token, auth = 'any', seed, adminToken = randomBytes(24).toString('base64url') } = options;
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) throw new Error('tlsCert and tlsKey go together.');
  if (!tls && !LOOPBACK.test(host)) throw new Error(`Plain HTTP is only served on a loopback host, not ${host}; use TLS.`);
  if (token !== undefined && token.trim() === '') throw new Error('token must not be empty');
  if (adminToken.trim() === '') throw new Error('adminToken must not be empty');
  if (auth !== 'any' && auth !== 'strict') throw new Error(`auth must be 'any' or 'strict', not ${String(auth)}`);
  if (token !== undefined && auth === 'strict') throw new Error('token and strict auth exclude each other: strict accepts the tokens the vault issues');
  // Read and checked before the data file is opened: a bad seed changes nothing.
  const seedValue = typeof seed === 'string' ? readSeedFile(seed) : seed;
  const clock = createClock();
  const events = options.events === undefined ? undefined : new EventPublisher(typeof options.events === 'string' ? { url: options.events } : options.events, clock);
  const store = openStore(dataFile, clock);
  // A persistent vault keeps the time it was moved to: its objects' dates never come out in the future.
  const shift = store.collection<number>('emulator.clock');
  const saved = (shift.get('offset') ?? 0) - (clock.now().getTime() - Date.now());
  if (saved > 0) clock.advance(saved);
  clock.onChange((now) => shift.put('offset', now.getTime() - Date.now()));
  const router = routerOf(store);
  const timekeeper = startTimekeeper(store, events);
  let seeded: SeedResult = { created: [], skipped: [] };
  let identity: Identity;
  try {
    if (seedValue !== undefined) seeded = await applySeed(store, seedValue, typeof seed === 'string' ? seed : 'seed');
    // Kept beside the CA (made after the seed, which may refuse the start): a restarted vault accepts the tokens it issued.
    const stateDir = stateDirOf(options);
    identity = createIdentity(EMULATOR_TENANT_ID, clock, stateDir === undefined ? undefined : loadOrCreateIdentityState(stateDir));
  } catch (error) {
    timekeeper.stop();
    store.close();
    throw error;
  }
  const vaultListener = createListener({ router, scheme: tls ? 'https' : 'http', token, tenantId: EMULATOR_TENANT_ID, identity, auth });
  const admin = adminListener(store, timekeeper, adminToken);
  // A request made after the clock moved sees what the move caused (a rotated key, a purge): it waits for that work.
  const listener: typeof vaultListener = (req, res) => {
    if (admin(req, res)) return;
    if (!timekeeper.busy()) return vaultListener(req, res);
    timekeeper.idle().then(() => vaultListener(req, res), () => vaultListener(req, res));
  };

  let ca = '';
  let caFile = '';
  let temporaryDir: string | undefined;
  let server: Server;
  if (tls) {
    const vaultTls = await vaultTlsOf(options, host);
    ({ ca, caFile, temporaryDir } = vaultTls);
    server = createHttpsServer({ key: vaultTls.server.key, cert: vaultTls.server.cert, keepAlive: true }, listener);
  } else {
    server = createHttpServer({ keepAlive: true }, listener);
  }
  // Clients keep connections open; without a long keep-alive they race the server closing idle sockets.
  server.keepAliveTimeout = 65_000;
  // Requests the HTTP parser refuses (unknown methods, bad framing, oversized headers) get an answer in Key
  // Vault's error shape too, instead of Node's bare `400` with no body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW' ? ['431 Request Header Fields Too Large', 'RequestHeaderFieldsTooLarge', 'The request line or headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? ['408 Request Timeout', 'RequestTimeout', 'The request was not received in time.']
      : ['400 Bad Request', 'BadRequest', 'The request is not valid HTTP.'];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  // Every TCP connection, from its accept on: stop() drops them all. The HTTP server's own list
  // (closeAllConnections) only holds a TLS connection once its handshake is done, so a connection still in its
  // handshake when stop() began (a client that aborted a request while connecting) would join it afterwards and
  // hold server.close() until a timeout, about a minute later.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    timekeeper.stop();
    store.close();
    if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
    throw error;
  }

  const { port: bound } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  const url = `${tls ? 'https' : 'http'}://${urlHost}:${bound}`;
  events?.start(url);
  // What became due while the vault was stopped (a persistent vault), and the seed's own events.
  void timekeeper.tick();
  const running = {
    url,
    ca,
    caFile,
    issueToken: ({ resource = url, lifetimeSeconds }: TokenOptions = {}) =>
      identity.issue({ resource, ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }) }).token,
    clock,
    // A getter: inspecting or logging the vault object shows `[Getter]`, never the token.
    get adminToken() {
      return adminToken;
    },
    seeded,
    notifications: () => timekeeper.notifications(),
    settled: async () => {
      await timekeeper.idle();
      await events?.idle();
    },
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }).finally(async () => {
        timekeeper.stop();
        await timekeeper.idle();
        store.close();
        if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
      })),
  };
  // Not enumerable: the identity header is a secret, kept out of `console.log(vault)` and `JSON.stringify`.
  const env = { IDENTITY_ENDPOINT: `${url}${IDENTITY_PATHS.appService}`, IDENTITY_HEADER: identity.secret };
  return Object.defineProperty(running, 'env', { value: Object.freeze(env), enumerable: false }) as RunningVault;
}

/** The certificate to serve and the CA to trust: the user's own, the state directory's CA, or a temporary CA. */
async function vaultTlsOf(options: VaultOptions, host: string): Promise<VaultTls> {
  if (options.tlsCert !== undefined && options.tlsKey !== undefined) {
    const ca = options.tlsCa ?? lastCertificate(options.tlsCert);
    const dir = mkdtempSync(join(tmpdir(), 'keyvault-emulator-'));
    writeFileSync(join(dir, 'ca.pem'), ca);
    return { server: { cert: options.tlsCert, key: options.tlsKey }, ca, caFile: join(dir, 'ca.pem'), temporaryDir: dir };
  }
  const stateDir = stateDirOf(options);
  const temporaryDir = stateDir === undefined ? mkdtempSync(join(tmpdir(), 'keyvault-emulator-')) : undefined;
  const { identity, caFile } = await loadOrCreateCa(stateDir ?? temporaryDir!);
  const server = await issueServerCertificate(identity, [host, ...(options.hostnames ?? [])]);
  return { server, ca: identity.cert, caFile, ...(temporaryDir ? { temporaryDir } : {}) };
}

/** The state directory: the one given, else beside the data file; none for an in-memory vault without one. */
const stateDirOf = (options: VaultOptions): string | undefined => options.stateDir ?? (options.dataFile ? defaultStateDir(options.dataFile) : undefined);

const lastCertificate = (pem: string): string => {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks) throw new Error('tlsCert holds no PEM certificate.');
  return `${blocks[blocks.length - 1]}\n`;
};

export { defaultStateDir } from './tls.js';

/** The CA kept in `stateDir` (PEM certificate and key, and the certificate's path), made there if missing. */
export const loadVaultCa = (stateDir: string): Promise<{ identity: { cert: string; key: string }; caFile: string }> => loadOrCreateCa(stateDir);
