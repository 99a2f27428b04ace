/** Wire ⇄ public for keys: `KeyBundle`/`KeyItem`/`DeletedKeyBundle`, JSON Web Keys, rotation policies. */
import { ValidationError } from '../core/errors.js';
import { parseKeyVaultId } from '../identifiers/index.js';
import { compact, fromAttributes, fromBase64Url, toAttributes, toBase64Url, toDate, type WireAttributes } from '../wire/codecs.js';
import type {
  DeletedKey, JsonWebKey, KeyAttestation, KeyProperties, KeyReleasePolicy, KeyRotationLifetimeAction, KeyRotationPolicy,
  KeyRotationPolicyAction, KeyRotationPolicyProperties, KeyVaultKey,
} from './models.js';

/** `JsonWebKey` as served: base64url strings, `key_ops`, `key_hsm`. */
export interface WireJsonWebKey {
  kid?: string;
  kty?: string;
  key_ops?: string[];
  n?: string;
  e?: string;
  d?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  p?: string;
  q?: string;
  k?: string;
  key_hsm?: string;
  crv?: string;
  x?: string;
  y?: string;
}

export interface WireKeyAttributes extends WireAttributes {
  attestation?: { certificatePemFile?: string; privateKeyAttestation?: string; publicKeyAttestation?: string; version?: string };
}

export interface WireReleasePolicy {
  contentType?: string;
  immutable?: boolean;
  data?: string;
}

/** `KeyBundle`, `KeyItem` (`kid` instead of `key`) and `DeletedKeyBundle`/`DeletedKeyItem`. */
export interface WireKey {
  key?: WireJsonWebKey;
  kid?: string;
  attributes?: WireKeyAttributes;
  tags?: Record<string, string>;
  managed?: boolean;
  release_policy?: WireReleasePolicy;
  recoveryId?: string;
  scheduledPurgeDate?: number;
  deletedDate?: number;
}

export interface WireRotationPolicy {
  id?: string;
  lifetimeActions?: { trigger?: { timeAfterCreate?: string; timeBeforeExpiry?: string }; action?: { type?: string } }[];
  attributes?: { expiryTime?: string; created?: number; updated?: number };
}

const PUBLIC_BYTES = ['n', 'e', 'x', 'y'] as const;
/** Members that must never reach a log: private key material and HSM tokens. */
const PRIVATE_BYTES = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

/** Defines a member readable but not enumerable: `JSON.stringify`, `inspect` and spreads skip it. */
function hidden<T extends object>(target: T, key: string, value: unknown): void {
  if (value !== undefined) Object.defineProperty(target, key, { value, enumerable: false, writable: true, configurable: true });
}

export function toJsonWebKey(wire: WireJsonWebKey): JsonWebKey {
  const jwk: JsonWebKey = compact({ kid: wire.kid, kty: wire.kty, keyOps: wire.key_ops, crv: wire.crv });
  for (const name of PUBLIC_BYTES) if (wire[name] !== undefined) jwk[name] = fromBase64Url(wire[name])!;
  for (const name of PRIVATE_BYTES) hidden(jwk, name, fromBase64Url(wire[name]));
  hidden(jwk, 't', fromBase64Url(wire.key_hsm));
  return jwk;
}

/** Reads members directly (enumerable or not), so a key this SDK returned imports whole. */
export function toWireJsonWebKey(jwk: JsonWebKey): WireJsonWebKey {
  const wire: WireJsonWebKey = compact({ kid: jwk.kid, kty: jwk.kty, key_ops: jwk.keyOps, crv: jwk.crv, key_hsm: checkedBase64Url(jwk.t, 't') });
  for (const name of [...PUBLIC_BYTES, ...PRIVATE_BYTES]) {
    const value = checkedBase64Url(jwk[name], name);
    if (value !== undefined) wire[name] = value;
  }
  return wire;
}

/** A caller's bytes (key material, a release policy) as base64url; anything but a Uint8Array is refused. */
function checkedBase64Url(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Uint8Array)) throw new ValidationError(`JsonWebKey.${name} must be a Uint8Array.`, 'InvalidKey');
  return toBase64Url(value);
}

function toReleasePolicy(wire: WireReleasePolicy | undefined): KeyReleasePolicy | undefined {
  return wire && compact({ contentType: wire.contentType, immutable: wire.immutable, encodedPolicy: fromBase64Url(wire.data) });
}

export function toWireReleasePolicy(policy: KeyReleasePolicy | undefined): WireReleasePolicy | undefined {
  return policy && compact({ contentType: policy.contentType, immutable: policy.immutable, data: checkedBase64Url(policy.encodedPolicy, 'encodedPolicy') });
}

function toAttestation(wire: WireKeyAttributes['attestation']): KeyAttestation | undefined {
  return wire && compact({
    certificatePemFile: fromBase64Url(wire.certificatePemFile),
    privateKeyAttestation: fromBase64Url(wire.privateKeyAttestation),
    publicKeyAttestation: fromBase64Url(wire.publicKeyAttestation),
    version: wire.version,
  });
}

export function toKeyProperties(wire: WireKey): KeyProperties {
  const kid = wire.key?.kid ?? wire.kid ?? '';
  const id = parseKeyVaultId(kid);
  const attributes = wire.attributes ?? {};
  return compact({
    id: kid,
    name: id.name,
    vaultUrl: id.vaultUrl,
    version: id.version,
    tags: wire.tags,
    managed: wire.managed,
    ...fromAttributes(attributes),
    exportable: attributes.exportable,
    hsmPlatform: attributes.hsmPlatform,
    attestation: toAttestation(attributes.attestation),
    releasePolicy: toReleasePolicy(wire.release_policy),
  });
}

export function toKeyVaultKey(wire: WireKey): KeyVaultKey {
  const properties = toKeyProperties(wire);
  const key = wire.key ? toJsonWebKey(wire.key) : undefined;
  return compact({ key, id: properties.id, name: properties.name, keyType: key?.kty, keyOperations: key?.keyOps, properties });
}

function deletedParts(wire: WireKey) {
  return compact({ recoveryId: wire.recoveryId, scheduledPurgeDate: toDate(wire.scheduledPurgeDate), deletedOn: toDate(wire.deletedDate) });
}

export function toDeletedKey(wire: WireKey): DeletedKey {
  const key = toKeyVaultKey(wire);
  return { ...key, properties: { ...key.properties, ...deletedParts(wire) } };
}

/** A listing's `DeletedKeyItem`: properties only, no key material. */
export function toDeletedKeyItem(wire: WireKey): DeletedKey {
  const properties = { ...toKeyProperties(wire), ...deletedParts(wire) };
  return compact({ id: properties.id, name: properties.name, properties });
}

/** The `attributes` of create/import/update: the common ones plus `exportable`. */
export function toKeyAttributes(options: { enabled?: boolean | undefined; notBefore?: Date | undefined; expiresOn?: Date | undefined; exportable?: boolean | undefined }): WireKeyAttributes {
  return compact({ ...toAttributes(options), exportable: options.exportable });
}

// ISO 8601 durations as Key Vault takes them: P90D, P3M, PT48H, P1Y10D.
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

function checkDuration(value: string | undefined, what: string): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || !DURATION.test(value))) {
    throw new ValidationError(`${what} must be an ISO 8601 duration such as P90D or PT48H, not ${JSON.stringify(value)}.`, 'InvalidDuration');
  }
  return value;
}

const ACTIONS: Record<string, KeyRotationPolicyAction> = { rotate: 'Rotate', notify: 'Notify' };

export function toKeyRotationPolicy(wire: WireRotationPolicy): KeyRotationPolicy {
  const lifetimeActions = (wire.lifetimeActions ?? []).map((item): KeyRotationLifetimeAction => compact({
    // The service compares the action case-insensitively; the public model has one spelling.
    action: ACTIONS[(item.action?.type ?? '').toLowerCase()] ?? (item.action?.type as KeyRotationPolicyAction),
    timeAfterCreate: item.trigger?.timeAfterCreate,
    timeBeforeExpiry: item.trigger?.timeBeforeExpiry,
  }));
  return compact({
    id: wire.id,
    lifetimeActions,
    expiresIn: wire.attributes?.expiryTime,
    createdOn: toDate(wire.attributes?.created),
    updatedOn: toDate(wire.attributes?.updated),
  });
}

export function toWireRotationPolicy(policy: KeyRotationPolicyProperties): WireRotationPolicy {
  if (policy === null || typeof policy !== 'object') throw new ValidationError('A rotation policy must be an object.', 'InvalidPolicy');
  const lifetimeActions = policy.lifetimeActions?.map((item, i) => {
    const action = ACTIONS[String(item?.action).toLowerCase()];
    if (!action) throw new ValidationError(`lifetimeActions[${i}].action must be "Rotate" or "Notify".`, 'InvalidPolicy');
    if ((item.timeAfterCreate === undefined) === (item.timeBeforeExpiry === undefined)) {
      throw new ValidationError(`lifetimeActions[${i}] needs exactly one of timeAfterCreate and timeBeforeExpiry.`, 'InvalidPolicy');
    }
    const trigger = compact({
      timeAfterCreate: checkDuration(item.timeAfterCreate, `lifetimeActions[${i}].timeAfterCreate`),
      timeBeforeExpiry: checkDuration(item.timeBeforeExpiry, `lifetimeActions[${i}].timeBeforeExpiry`),
    });
    return { trigger, action: { type: action } };
  });
  return compact({ lifetimeActions, attributes: compact({ expiryTime: checkDuration(policy.expiresIn, 'expiresIn') }) });
}
