import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VaultError } from './errors.js';
import { type VaultCall, internalCalls } from './internal.js';
import { openStore, type Store } from './store.js';

/** A date in a seed file: epoch seconds (as Key Vault's wire format) or an ISO 8601 string. */
export type SeedDate = number | string;

/** Attributes of a seeded version, named as Microsoft's SDKs name them. */
export interface SeedAttributes {
  readonly enabled?: boolean;
  readonly notBefore?: SeedDate;
  readonly expiresOn?: SeedDate;
}

/** One version of a seeded secret: its value and, optionally, content type, tags and attributes. */
export interface SeedSecretVersion {
  readonly value: string;
  readonly contentType?: string;
  readonly tags?: Record<string, string>;
  readonly attributes?: SeedAttributes;
}

/** A secret: either one version (the fields beside `name`) or several, oldest first (`versions`; the last is the latest). */
export type SeedSecret = { readonly name: string } & (SeedSecretVersion | { readonly versions: readonly SeedSecretVersion[] });

/** A key version: generated (`kty` with `size` or `curve`) or imported (`jwk`, or `pem`: a PKCS#8/PKCS#1/SEC1 private key). */
export interface SeedKeyVersion {
  readonly kty?: 'RSA' | 'RSA-HSM' | 'EC' | 'EC-HSM' | 'oct' | 'oct-HSM';
  readonly size?: number;
  readonly curve?: 'P-256' | 'P-384' | 'P-521' | 'P-256K';
  readonly jwk?: Record<string, unknown>;
  readonly pem?: string;
  readonly keyOps?: readonly string[];
  readonly tags?: Record<string, string>;
  readonly attributes?: SeedAttributes;
}

/** A key: one version or several (`versions`, oldest first), with an optional rotation policy in the REST body shape. */
export type SeedKey = { readonly name: string; readonly rotationPolicy?: Record<string, unknown> } & (SeedKeyVersion | { readonly versions: readonly SeedKeyVersion[] });

/**
 * A certificate: made from `policy` (the REST CertificatePolicy body, e.g. `{ issuer: { name: 'Self' }, x509_props:
 * { subject: 'CN=a' } }`; `CN=<name>` self-signed when omitted), or imported from `pfx` (base64) or `pem` (text).
 */
export interface SeedCertificate {
  readonly name: string;
  readonly policy?: Record<string, unknown>;
  readonly pfx?: string;
  readonly pem?: string;
  readonly password?: string;
  readonly tags?: Record<string, string>;
  readonly attributes?: SeedAttributes;
}

/** A certificate issuer in the REST body shape (`provider`, `credentials`, `org_details`, `attributes`). */
export interface SeedIssuer {
  readonly name: string;
  readonly provider: string;
  readonly [field: string]: unknown;
}

/** A certificate contact to seed (as `setContacts` takes it). */
export interface SeedContact {
  readonly email?: string;
  readonly name?: string;
  readonly phone?: string;
}

/** What `--seed <file>` holds and `startVault({ seed })` takes. Every part is optional. */
export interface VaultSeed {
  readonly secrets?: readonly SeedSecret[];
  readonly keys?: readonly SeedKey[];
  readonly certificates?: readonly SeedCertificate[];
  readonly issuers?: readonly SeedIssuer[];
  readonly contacts?: readonly SeedContact[];
}

/** What seeding did: `kind/name` of what it created and of what it left as it was. */
export interface SeedResult {
  readonly created: readonly string[];
  readonly skipped: readonly string[];
}

/** A seed the vault refuses: names the file, the entry (a JSON path) and the reason. */
export class SeedError extends Error {
  constructor(
    readonly file: string,
    readonly entry: string,
    readonly reason: string,
  ) {
    super(`Invalid seed ${file}: ${entry}: ${reason}`);
    this.name = 'SeedError';
  }
}

type Json = Record<string, unknown>;
type Check = (value: unknown, path: string) => string | undefined;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v) => (typeof v === 'string' ? undefined : 'must be a string');
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const int: Check = (v) => (Number.isInteger(v) ? undefined : 'must be an integer');
const obj: Check = (v) => (isObject(v) ? undefined : 'must be an object');
const tags: Check = (v) => (isObject(v) && Object.values(v).every((x) => typeof x === 'string') ? undefined : 'must be an object of strings');
const strings: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'must be an array of strings');
const date: Check = (v) => (Number.isInteger(v) || (typeof v === 'string' && Number.isFinite(Date.parse(v))) ? undefined : 'must be epoch seconds or an ISO 8601 date');
const array: Check = (v) => (Array.isArray(v) ? undefined : 'must be an array');
const attributes: Check = (v, path) => fields(v, path, { enabled: bool, notBefore: date, expiresOn: date });

/** Checks an object's fields: unknown fields are refused (a typo would otherwise be silently ignored). */
function fields(v: unknown, path: string, known: Record<string, Check>, required: readonly string[] = []): string | undefined {
  if (!isObject(v)) throw new EntryError(path, 'must be an object');
  for (const name of required) if (v[name] === undefined) throw new EntryError(`${path}.${name}`, 'is required');
  for (const [name, value] of Object.entries(v)) {
    const check = known[name];
    if (!check) throw new EntryError(`${path}.${name}`, `is not a known field (expected one of ${Object.keys(known).join(', ')})`);
    const problem = check(value, `${path}.${name}`);
    if (problem) throw new EntryError(`${path}.${name}`, problem);
  }
  return undefined;
}

class EntryError extends Error {
  constructor(
    readonly entry: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const SECRET_VERSION = { value: str, contentType: str, tags, attributes };
const KEY_VERSION = { kty: str, size: int, curve: str, jwk: obj, pem: str, keyOps: strings, tags, attributes };

/** Versions of an entry: its `versions`, or the entry itself as the one version. */
function versionsOf(entry: Json, path: string, shape: Record<string, Check>, check: (v: Json, path: string) => void): Array<[Json, string]> {
  if (entry['versions'] === undefined) {
    const { name: _n, rotationPolicy: _r, ...version } = entry;
    check(version, path);
    return [[version, path]];
  }
  const list = entry['versions'];
  if (!Array.isArray(list) || list.length === 0) throw new EntryError(`${path}.versions`, 'must be a non-empty array');
  if (Object.keys(shape).some((k) => entry[k] !== undefined)) throw new EntryError(path, 'has both versions and version fields: put every version in versions');
  return list.map((v, i) => {
    check(v as Json, `${path}.versions[${i}]`);
    return [v as Json, `${path}.versions[${i}]`];
  });
}

function checkSecretVersion(v: Json, path: string): void {
  fields(v, path, SECRET_VERSION, ['value']);
}

function checkKeyVersion(v: Json, path: string): void {
  fields(v, path, KEY_VERSION);
  const sources = ['kty', 'jwk', 'pem'].filter((k) => v[k] !== undefined);
  if (sources.length !== 1) throw new EntryError(path, 'needs exactly one of kty (generate), jwk or pem (import)');
  if (v['pem'] !== undefined) {
    try {
      createPrivateKey(String(v['pem']));
    } catch {
      throw new EntryError(`${path}.pem`, 'is not a private key in PEM');
    }
  }
}

const NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** Checks the seed's shape, reporting the first problem with its JSON path. */
function checkShape(seed: unknown): void {
  fields(seed, '$', { $schema: str, secrets: array, keys: array, certificates: array, issuers: array, contacts: array });
  const s = seed as Json;
  const named = (list: unknown, part: string, check: (entry: Json, path: string) => void): void => {
    const seen = new Set<string>();
    ((list as unknown[] | undefined) ?? []).forEach((entry, i) => {
      const path = `$.${part}[${i}]`;
      if (!isObject(entry)) throw new EntryError(path, 'must be an object');
      if (typeof entry['name'] !== 'string' || !NAME.test(entry['name'])) throw new EntryError(`${path}.name`, 'must be 1-127 letters, digits and dashes');
      if (seen.has(entry['name'].toLowerCase())) throw new EntryError(`${path}.name`, `${entry['name']} appears twice in ${part}`);
      seen.add(entry['name'].toLowerCase());
      check(entry, path);
    });
  };
  named(s['secrets'], 'secrets', (e, p) => {
    fields(e, p, { name: str, versions: array, ...SECRET_VERSION });
    versionsOf(e, p, SECRET_VERSION, checkSecretVersion);
  });
  named(s['keys'], 'keys', (e, p) => {
    fields(e, p, { name: str, versions: array, rotationPolicy: obj, ...KEY_VERSION });
    versionsOf(e, p, KEY_VERSION, checkKeyVersion);
  });
  named(s['certificates'], 'certificates', (e, p) => {
    fields(e, p, { name: str, policy: obj, pfx: str, pem: str, password: str, tags, attributes });
    if (e['pfx'] !== undefined && e['pem'] !== undefined) throw new EntryError(p, 'has both pfx and pem');
  });
  named(s['issuers'], 'issuers', (e, p) => {
    if (typeof e['provider'] !== 'string') throw new EntryError(`${p}.provider`, 'is required (a string)');
  });
  ((s['contacts'] as unknown[] | undefined) ?? []).forEach((c, i) => fields(c, `$.contacts[${i}]`, { email: str, name: str, phone: str }));
}

const seconds = (d: unknown): number | undefined => (d === undefined ? undefined : typeof d === 'number' ? d : Math.floor(Date.parse(String(d)) / 1000));

function wireAttributes(a: unknown): Json | undefined {
  if (!isObject(a)) return undefined;
  const out: Json = {};
  if (a['enabled'] !== undefined) out['enabled'] = a['enabled'];
  if (a['notBefore'] !== undefined) out['nbf'] = seconds(a['notBefore']);
  if (a['expiresOn'] !== undefined) out['exp'] = seconds(a['expiresOn']);
  return out;
}

const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function keyBody(v: Json): Json {
  const common = { key_ops: v['keyOps'], tags: v['tags'], attributes: wireAttributes(v['attributes']) };
  if (v['kty'] !== undefined) return defined({ kty: v['kty'], key_size: v['size'], crv: v['curve'], ...common });
  const jwk = v['jwk'] !== undefined ? (v['jwk'] as Json) : (createPrivateKey(String(v['pem'])).export({ format: 'jwk' }) as Json);
  return defined({ key: { ...jwk, ...(v['keyOps'] ? { key_ops: v['keyOps'] } : {}) }, tags: v['tags'], attributes: wireAttributes(v['attributes']) });
}

/** One step of applying a seed: the entry it comes from, the object it makes, and the calls that make it. */
interface Step {
  readonly path: string;
  readonly object: string;
  readonly calls: ReadonlyArray<readonly [Parameters<VaultCall>[0], string, unknown?]>;
}

function stepsOf(seed: VaultSeed): Step[] {
  const s = seed as unknown as Json;
  const list = (part: string): Json[] => (s[part] as Json[] | undefined) ?? [];
  const steps: Step[] = [];
  list('issuers').forEach((e, i) => {
    const { name, ...body } = e;
    steps.push({ path: `$.issuers[${i}]`, object: `issuers/${String(name)}`, calls: [['PUT', `/certificates/issuers/${String(name)}`, body]] });
  });
  if (list('contacts').length) steps.push({ path: '$.contacts', object: 'contacts', calls: [['PUT', '/certificates/contacts', { contacts: list('contacts') }]] });
  list('secrets').forEach((e, i) => {
    const versions = versionsOf(e, `$.secrets[${i}]`, SECRET_VERSION, checkSecretVersion);
    const calls = versions.map(([v]) => ['PUT', `/secrets/${String(e['name'])}`, defined({ value: v['value'], contentType: v['contentType'], tags: v['tags'], attributes: wireAttributes(v['attributes']) })] as const);
    steps.push({ path: `$.secrets[${i}]`, object: `secrets/${String(e['name'])}`, calls });
  });
  list('keys').forEach((e, i) => {
    const versions = versionsOf(e, `$.keys[${i}]`, KEY_VERSION, checkKeyVersion);
    const name = String(e['name']);
    const calls: Array<Step['calls'][number]> = versions.map(([v]) => (v['kty'] !== undefined ? (['POST', `/keys/${name}/create`, keyBody(v)] as const) : (['PUT', `/keys/${name}`, keyBody(v)] as const)));
    if (e['rotationPolicy']) calls.push(['PUT', `/keys/${name}/rotationpolicy`, e['rotationPolicy']]);
    steps.push({ path: `$.keys[${i}]`, object: `keys/${name}`, calls });
  });
  list('certificates').forEach((e, i) => {
    const name = String(e['name']);
    const common = { tags: e['tags'], attributes: wireAttributes(e['attributes']) };
    const body =
      e['pfx'] !== undefined ? defined({ value: e['pfx'], pwd: e['password'], policy: e['policy'], ...common })
      : e['pem'] !== undefined ? defined({ value: e['pem'], pwd: e['password'], policy: { ...(e['policy'] as Json | undefined), secret_props: { contentType: 'application/x-pem-file' } }, ...common })
      : defined({ policy: e['policy'] ?? { issuer: { name: 'Self' }, x509_props: { subject: `CN=${name}` } }, ...common });
    const path = e['pfx'] !== undefined || e['pem'] !== undefined ? `/certificates/${name}/import` : `/certificates/${name}/create`;
    steps.push({ path: `$.certificates[${i}]`, object: `certificates/${name}`, calls: [['POST', path, body]] });
  });
  return steps;
}

/**
 * The idempotence rule: an entry is applied only when its object is absent from the vault (for secrets, keys and
 * certificates: no object of that name, active or soft-deleted; for an issuer: no issuer of that name; for contacts:
 * no contacts set). Whatever already exists is left as it is, so seeding a persistent vault twice creates nothing twice.
 */
async function exists(call: VaultCall, object: string): Promise<boolean> {
  const [kind, name] = object.split('/');
  const probes: Array<readonly ['GET', string]> =
    kind === 'contacts' ? [['GET', '/certificates/contacts']]
    : kind === 'issuers' ? [['GET', `/certificates/issuers/${name}`]]
    : [['GET', `/${kind}/${name}/versions`], ['GET', `/deleted${kind}/${name}`], ...(kind === 'certificates' ? [['GET', `/certificates/${name}/pending`] as const] : [])];
  for (const [method, path] of probes) {
    try {
      const answer = await call(method, path);
      // A list of versions is empty for a name that only has a pending certificate (the pending probe finds it).
      if (!Array.isArray(answer['value']) || answer['value'].length > 0) return true;
    } catch (error) {
      if (!(error instanceof VaultError && error.status === 404)) throw error;
    }
  }
  return false;
}

/** Reads a seed file (JSON). */
export function readSeedFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SeedError(file, '$', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SeedError(file, '$', `is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Applies a seed to the vault's store through the vault's own handlers. Everything is checked first: the shape,
 * then a dry run of every entry to be applied on a scratch in-memory vault, so an invalid seed (a bad PEM, a policy
 * the service refuses) fails with its file, entry and reason and changes nothing.
 */
export async function applySeed(store: Store, seed: unknown, source = 'seed'): Promise<SeedResult> {
  let steps: Step[];
  try {
    checkShape(seed);
    steps = stepsOf(seed as VaultSeed);
  } catch (error) {
    if (error instanceof EntryError) throw new SeedError(source, error.entry, error.reason);
    throw error;
  }
  const call = internalCalls(store);
  const todo: Step[] = [];
  const skipped: string[] = [];
  for (const step of steps) {
    if (await exists(call, step.object)) skipped.push(step.object);
    else todo.push(step);
  }
  const scratch = openStore(undefined, store.clock);
  try {
    await run(internalCalls(scratch), todo, source);
  } finally {
    scratch.close();
  }
  await run(call, todo, source);
  return { created: todo.map((s) => s.object), skipped };
}

async function run(call: VaultCall, steps: readonly Step[], source: string): Promise<void> {
  for (const step of steps) {
    for (const [method, path, body] of step.calls) {
      try {
        await call(method, path, body);
      } catch (error) {
        const reason = error instanceof VaultError ? `${error.code}: ${error.message}` : (error as Error).message;
        throw new SeedError(source, step.path, reason);
      }
    }
  }
}
