import { type AttributeChanges, type Attributes, attributeChanges, newAttributes, renderAttributes, updatedAttributes } from './attributes.js';
import { badParameter, forbidden } from './errors.js';
import { type Fields, bodyObject, optBool, optInt, optObject, optString, optStringArray, optTags } from './input.js';
import { KEY_OPS, KEY_TYPES, type KeySpec, type KeyType, type Material, defaultKeyOps, family, fromJwk, generateMaterial, isHsm, keySize, publicFields, resolveSpec } from './key-material.js';
import { type ObjectKind, type Version, type VersionedObjects, newVersion, nowSeconds, objectsOf } from './objects.js';
import { lifecycleRoutes, refuseManaged } from './lifecycle.js';
import { type Route, type VaultRequest, ok } from './router.js';
import type { Store } from './store.js';

/** A key release policy as stored and served (`data` is base64url of the policy JSON). */
export interface ReleasePolicy {
  readonly contentType: string;
  readonly data: string;
  readonly immutable?: boolean;
}

export interface KeyAttributes extends Attributes {
  readonly exportable: boolean;
}

/** One stored key version. `material` holds the private parts and never leaves the vault except by release. */
export interface KeyRecord {
  readonly kty: KeyType;
  readonly key_ops: readonly string[];
  readonly material: Material;
  /** What rotation regenerates. */
  readonly spec: KeySpec;
  readonly attributes: KeyAttributes;
  readonly tags?: Record<string, string>;
  readonly release_policy?: ReleasePolicy;
  readonly managed?: boolean;
}

export const KEYS: ObjectKind = { kind: 'keys', label: 'Key', notFoundCode: 'KeyNotFound' };

/** The vault's keys (shared instance per store). */
export const keysOf = (store: Store): VersionedObjects<KeyRecord> => objectsOf<KeyRecord>(store, KEYS);

/** What a new key version is made of (certificates pass `version` to share their own, and `managed`). */
export interface KeyInput {
  readonly kty: KeyType;
  readonly material: Material;
  readonly keyOps?: readonly string[] | undefined;
  readonly attributes?: (AttributeChanges & { readonly exportable?: boolean | undefined }) | undefined;
  readonly tags?: Record<string, string> | undefined;
  readonly releasePolicy?: ReleasePolicy | undefined;
  readonly managed?: boolean | undefined;
  readonly version?: string | undefined;
  /** Sets `exp` this many seconds after creation (rotation's `expiryTime`). */
  readonly expiresAfter?: number | undefined;
}

/** Stores a new key version (409 while the name is deleted), durable when this returns. */
export function addKeyVersion(store: Store, name: string, input: KeyInput): Version<KeyRecord> {
  const exportable = input.attributes?.exportable ?? false;
  if (exportable && !input.releasePolicy) throw badParameter('An exportable key must have a release policy.');
  if (!exportable && input.releasePolicy) throw badParameter('A release policy can only be set on an exportable key.');
  const m = input.material;
  const now = nowSeconds(store);
  const record: KeyRecord = {
    kty: input.kty,
    key_ops: input.keyOps ?? defaultKeyOps(input.kty),
    material: m,
    spec: { kty: input.kty, ...(m.crv ? { crv: m.crv } : { keySize: keySize(m) }), ...(m.e ? { publicExponent: Number(`0x${Buffer.from(m.e, 'base64url').toString('hex')}`) } : {}) },
    attributes: { ...newAttributes({ ...input.attributes, ...(input.expiresAfter === undefined ? {} : { exp: now + input.expiresAfter }) }, now), exportable },
    ...(input.tags ? { tags: input.tags } : {}),
    ...(input.releasePolicy ? { release_policy: input.releasePolicy } : {}),
    ...(input.managed ? { managed: true } : {}),
  };
  return keysOf(store).add(name, input.version ?? newVersion(), record);
}

/** Generates and stores a new key version. */
export async function createKeyVersion(store: Store, name: string, spec: KeySpec, input: Omit<KeyInput, 'kty' | 'material'> = {}): Promise<Version<KeyRecord>> {
  // Fail on a deleted name before spending time on key generation.
  if (keysOf(store).state(name) === 'deleted') throw keysOf(store).deletedConflict(name);
  return addKeyVersion(store, name, { ...input, kty: spec.kty, material: await generateMaterial(spec) });
}

/** `https://vault/keys/name/version` (or without version for list items). */
export const kidOf = (origin: string, v: Version<KeyRecord>, versioned = true): string => `${origin}/keys/${v.name}${versioned ? `/${v.version}` : ''}`;

export function renderKeyAttributes(r: KeyRecord): Record<string, unknown> {
  return { ...renderAttributes(r.attributes), hsmPlatform: isHsm(r.kty) ? '2' : '0' };
}

/** A KeyBundle: public JWK only. */
export function renderKey(origin: string, v: Version<KeyRecord>): Record<string, unknown> {
  const r = v.value;
  return {
    key: { kid: kidOf(origin, v), kty: r.kty, key_ops: r.key_ops, ...publicFields(r.material) },
    attributes: renderKeyAttributes(r),
    ...(r.tags ? { tags: r.tags } : {}),
    ...(r.managed ? { managed: true } : {}),
    ...(r.release_policy ? { release_policy: r.release_policy } : {}),
  };
}

const renderItem = (origin: string, v: Version<KeyRecord>, versioned: boolean): Record<string, unknown> => ({
  kid: kidOf(origin, v, versioned),
  attributes: renderKeyAttributes(v.value),
  ...(v.value.tags ? { tags: v.value.tags } : {}),
  ...(v.value.managed ? { managed: true } : {}),
});

function keyType(value: string | undefined): KeyType {
  if (value === undefined) throw badParameter("Property 'kty' is required.");
  if (!(KEY_TYPES as readonly string[]).includes(value)) throw badParameter(`The key type ${value} is not supported. Supported types: ${KEY_TYPES.join(', ')}.`);
  return value as KeyType;
}

function keyOps(fields: Fields, name = 'key_ops'): string[] | undefined {
  const ops = optStringArray(fields, name);
  const bad = ops?.find((op) => !(KEY_OPS as readonly string[]).includes(op));
  if (bad !== undefined) throw badParameter(`The key operation ${bad} is not supported.`);
  return ops;
}

/** `release_policy` of a request: `data` must be base64url of a JSON object. */
export function releasePolicy(body: Fields): ReleasePolicy | undefined {
  const raw = optObject(body, 'release_policy');
  if (!raw) return undefined;
  const data = optString(raw, 'data');
  let policy: unknown;
  try {
    policy = data === undefined ? undefined : JSON.parse(Buffer.from(data, 'base64url').toString());
  } catch {
    policy = undefined;
  }
  if (!policy || typeof policy !== 'object') throw badParameter('The release policy data must be base64url-encoded JSON.');
  const immutable = optBool(raw, 'immutable');
  return { contentType: optString(raw, 'contentType') ?? 'application/json; charset=utf-8', data: data!, ...(immutable === undefined ? {} : { immutable }) };
}

function keyAttributeChanges(body: Fields): AttributeChanges & { exportable?: boolean } {
  const changes = attributeChanges(body);
  const exportable = optBool(changes.raw, 'exportable');
  return { ...changes, ...(exportable === undefined ? {} : { exportable }) };
}

/** innererror code of the 403 for changing a key that backs a certificate. */
export const MANAGED = 'KeyManagedByKeyVault';

/** The 403 for writing a new version under a name whose key a certificate manages. */
export function refuseManagedName(keys: VersionedObjects<KeyRecord>, name: string, operation: string): void {
  if (keys.state(name) === 'active') refuseManaged(keys.get(name), operation, MANAGED);
}

/** Key routes: create, import, read, update, and the shared lifecycle (list, delete, recover, purge, backup, restore). */
export function keyRoutes(store: Store): Route[] {
  const keys = keysOf(store);
  const name = (req: VaultRequest): string => req.params['name']!;

  return [
    ...lifecycleRoutes(keys, { collection: 'keys', deletedCollection: 'deletedkeys', bundle: renderKey, item: renderItem, managedCode: MANAGED }),
    {
      method: 'POST',
      path: '/keys/{name}/create',
      handler: async (req) => {
        const body = bodyObject(req);
        refuseManagedName(keys, name(req), 'create');
        const spec = resolveSpec({ kty: keyType(optString(body, 'kty')), keySize: optInt(body, 'key_size'), publicExponent: optInt(body, 'public_exponent'), crv: optString(body, 'crv') });
        const attributes = keyAttributeChanges(body);
        const created = await createKeyVersion(store, name(req), spec, { keyOps: keyOps(body), attributes, tags: optTags(body), releasePolicy: releasePolicy(body) });
        return ok(renderKey(req.origin, created));
      },
    },
    {
      method: 'PUT',
      path: '/keys/{name}',
      handler: (req) => {
        const body = bodyObject(req);
        refuseManagedName(keys, name(req), 'import');
        const jwk = optObject(body, 'key');
        if (!jwk) throw badParameter("Property 'key' is required.");
        let kty = keyType(optString(jwk, 'kty'));
        if (optBool(body, 'Hsm') && !isHsm(kty)) kty = `${kty}-HSM` as KeyType;
        const imported = addKeyVersion(store, name(req), {
          kty,
          material: fromJwk(jwk, kty),
          keyOps: keyOps(jwk),
          attributes: keyAttributeChanges(body),
          tags: optTags(body),
          releasePolicy: releasePolicy(body),
        });
        return ok(renderKey(req.origin, imported));
      },
    },
    {
      method: 'GET',
      path: '/keys/{name}/{version?}',
      handler: (req) => {
        const found = keys.get(name(req), req.params['version']);
        if (!found.value.attributes.enabled) throw forbidden('Operation get is not allowed on a disabled key.');
        return ok(renderKey(req.origin, found));
      },
    },
    {
      method: 'PATCH',
      path: '/keys/{name}/{version?}',
      handler: (req) => {
        const body = bodyObject(req);
        const found = keys.get(name(req), req.params['version']);
        refuseManaged(found, 'update', MANAGED);
        const current = found.value;
        const changes = keyAttributeChanges(body);
        if (changes.exportable !== undefined && changes.exportable !== current.attributes.exportable) throw badParameter('The exportable attribute of a key cannot be changed.');
        const policy = releasePolicy(body);
        if (policy && current.release_policy?.immutable) throw badParameter('The release policy of this key is immutable.');
        if (policy && !current.attributes.exportable) throw badParameter('A release policy can only be set on an exportable key.');
        const ops = keyOps(body);
        const tags = optTags(body);
        const updated = keys.replace(found, {
          ...current,
          ...(ops ? { key_ops: ops } : {}),
          ...(tags ? { tags } : {}),
          ...(policy ? { release_policy: policy } : {}),
          attributes: { ...updatedAttributes(current.attributes, changes, nowSeconds(store)), exportable: current.attributes.exportable },
        });
        return ok(renderKey(req.origin, updated));
      },
    },
  ];
}

/** Key families an algorithm table entry applies to. */
export const familyOf = (r: KeyRecord): 'RSA' | 'EC' | 'oct' => family(r.kty);
