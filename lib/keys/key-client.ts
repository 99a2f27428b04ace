import type { Observable } from 'rxjs';
import { ValidationError } from '../core/errors.js';
import { send, perCallOf } from '../core/operation.js';
import { ResourceClient } from '../resources/resource-client.js';
import { checkName } from '../core/validate.js';
import { pagedList, type PagedAsyncIterableIterator } from '../paging/paged.js';
import type { DeleteRecoverState, Poller } from '../polling/poller.js';
import { softDeleteLifecycle } from '../resources/soft-delete.js';
import { fromCall } from '../rx/from-call.js';
import { fromPaged } from '../rx/from-paged.js';
import { fromPoller } from '../rx/from-poller.js';
import type { ObservableTwins } from '../rx/twins.js';
import { compact } from '../wire/codecs.js';
import { CryptographyClient } from './cryptography/client.js';
import { sharing } from '../resources/shared.js';
import type {
  BackupKeyOptions, BeginDeleteKeyOptions, BeginRecoverDeletedKeyOptions, CreateEcKeyOptions, CreateKeyOptions, CreateOctKeyOptions,
  CreateRsaKeyOptions, DeletedKey, GetCryptographyClientOptions, GetDeletedKeyOptions, GetKeyAttestationOptions, GetKeyOptions,
  GetKeyRotationPolicyOptions, GetRandomBytesOptions, ImportKeyOptions, JsonWebKey, KeyProperties, KeyRotationPolicy,
  KeyRotationPolicyProperties, KeyType, KeyVaultKey, ListDeletedKeysOptions, ListPropertiesOfKeysOptions,
  ListPropertiesOfKeyVersionsOptions, PurgeDeletedKeyOptions, ReleaseKeyOptions, ReleaseKeyResult, RestoreKeyBackupOptions,
  RotateKeyOptions, UpdateKeyPropertiesOptions, UpdateKeyRotationPolicyOptions,
} from './models.js';
import { keyOperations as ops } from './operations.js';
import { toDeletedKeyItem, toKeyAttributes, toKeyProperties, toWireJsonWebKey, toWireReleasePolicy, toWireRotationPolicy } from './transform.js';

/** Delete, recover, purge, backup and restore, shared with secrets and certificates. */
const lifecycle = softDeleteLifecycle({
  what: 'key name',
  delete: ops.deleteKey,
  getDeleted: ops.getDeletedKey,
  recover: ops.recoverDeletedKey,
  readRecovered: (ctx, name, options) => send(ctx, ops.getKey, { params: { name, version: '' } }, options),
  purge: ops.purgeDeletedKey,
  backup: ops.backupKey,
  restore: ops.restoreKey,
  isPurgedAtOnce: (deleted) => !deleted.properties.recoveryId,
});

/** The body of create: only what the caller set (the service picks defaults for the rest). */
function createBody(kty: KeyType, options: CreateKeyOptions & { publicExponent?: number } = {}) {
  return compact({
    kty,
    key_size: options.keySize,
    public_exponent: options.publicExponent,
    key_ops: options.keyOps,
    attributes: toKeyAttributes(options),
    tags: options.tags,
    crv: options.curve,
    release_policy: toWireReleasePolicy(options.releasePolicy),
  });
}

/** `updateKeyProperties(name, version, options?)` or `(name, options?)`: the version (empty: the latest) and the options. */
function versionAndOptions(versionOrOptions: string | UpdateKeyPropertiesOptions | undefined, maybeOptions: UpdateKeyPropertiesOptions | undefined): [string, UpdateKeyPropertiesOptions | undefined] {
  return typeof versionOrOptions === 'string' ? [versionOrOptions, maybeOptions] : ['', versionOrOptions];
}

/** The keys of one vault: every operation as a Promise method and as an Observable (`name$`) twin. */
export class KeyClient extends ResourceClient implements ObservableTwins<KeyClient> {
  /**
   * Creates a key, or a new version of it, of any type. Permission: keys/create.
   * @param name - 1–127 letters, digits and dashes.
   * @param keyType - `RSA`, `RSA-HSM`, `EC`, `EC-HSM`, `oct` or `oct-HSM`.
   */
  async createKey(name: string, keyType: KeyType, options?: CreateKeyOptions): Promise<KeyVaultKey> {
    checkName(name, 'key name');
    if (typeof keyType !== 'string' || !keyType) throw new ValidationError('keyType must be a key type such as "RSA" or "EC".', 'InvalidKeyType');
    return send(this.ctx, ops.createKey, { params: { name }, body: createBody(keyType, options) }, perCallOf(options));
  }

  /** Creates an RSA key (`RSA-HSM` with `hsm: true`); `keySize` 2048/3072/4096, `publicExponent`. Permission: keys/create. */
  async createRsaKey(name: string, options?: CreateRsaKeyOptions): Promise<KeyVaultKey> {
    checkName(name, 'key name');
    return send(this.ctx, ops.createKey, { params: { name }, body: createBody(options?.hsm ? 'RSA-HSM' : 'RSA', options) }, perCallOf(options));
  }

  /** Creates an elliptic-curve key (`EC-HSM` with `hsm: true`); `curve` P-256 (default), P-384, P-521, P-256K. Permission: keys/create. */
  async createEcKey(name: string, options?: CreateEcKeyOptions): Promise<KeyVaultKey> {
    checkName(name, 'key name');
    return send(this.ctx, ops.createKey, { params: { name }, body: createBody(options?.hsm ? 'EC-HSM' : 'EC', options) }, perCallOf(options));
  }

  /** Creates a symmetric key (`oct-HSM` with `hsm: true`; Managed HSM only); `keySize` 128/192/256. Permission: keys/create. */
  async createOctKey(name: string, options?: CreateOctKeyOptions): Promise<KeyVaultKey> {
    checkName(name, 'key name');
    return send(this.ctx, ops.createKey, { params: { name }, body: createBody(options?.hsm ? 'oct-HSM' : 'oct', options) }, perCallOf(options));
  }

  /** Imports a key you hold (with its private part) as a new key or version. Permission: keys/import. */
  async importKey(name: string, key: JsonWebKey, options?: ImportKeyOptions): Promise<KeyVaultKey> {
    checkName(name, 'key name');
    if (key === null || typeof key !== 'object' || !key.kty) throw new ValidationError('importKey needs a JsonWebKey with a kty.', 'InvalidKey');
    const body = compact({
      key: toWireJsonWebKey(key),
      Hsm: options?.hardwareProtected,
      attributes: toKeyAttributes(options ?? {}),
      tags: options?.tags,
      release_policy: toWireReleasePolicy(options?.releasePolicy),
    });
    return send(this.ctx, ops.importKey, { params: { name }, body }, perCallOf(options));
  }

  /**
   * A {@link CryptographyClient} for this key on this client's transport and token cache (no new
   * challenge). `key` is a name, a key id URL of this vault, or a `KeyVaultKey` (whose material is
   * then used without fetching it). Permissions: keys/get, plus those of the operations used.
   */
  getCryptographyClient(key: string | KeyVaultKey, options?: GetCryptographyClientOptions): CryptographyClient {
    if (typeof key === 'string') {
      const target = this.resolveName('keys', key, options?.keyVersion);
      return new CryptographyClient(`${this.vaultUrl}/keys/${target.name}${target.version ? `/${target.version}` : ''}`, undefined, sharing(this.ctx));
    }
    if (!key?.properties?.name) throw new ValidationError('getCryptographyClient needs a key name, id or KeyVaultKey.', 'InvalidKey');
    if (key.properties.vaultUrl !== this.vaultUrl) throw new ValidationError(`${key.id ?? key.name} is not in the vault ${this.vaultUrl}.`, 'ForeignHost');
    return new CryptographyClient(key, undefined, sharing(this.ctx));
  }

  /**
   * Reads a key's public part and properties: the latest version, or `options.version`. `name` may
   * also be a key id URL of this vault. Permission: keys/get.
   */
  async getKey(name: string, options?: GetKeyOptions): Promise<KeyVaultKey> {
    return send(this.ctx, ops.getKey, { params: this.resolveName('keys', name, options?.version) }, perCallOf(options));
  }

  /** Reads a key with its attestation (`properties.attestation`); Managed HSM or premium keys. Permission: keys/get. */
  async getKeyAttestation(name: string, options?: GetKeyAttestationOptions): Promise<KeyVaultKey> {
    const target = this.resolveName('keys', name, options?.version);
    return send(this.ctx, target.version ? ops.getKeyAttestation : ops.getLatestKeyAttestation, { params: target }, perCallOf(options));
  }

  /**
   * Changes a version's attributes, allowed operations, tags or release policy; without a version,
   * the latest. Permission: keys/update.
   */
  async updateKeyProperties(name: string, keyVersion: string, options?: UpdateKeyPropertiesOptions): Promise<KeyVaultKey>;
  async updateKeyProperties(name: string, options?: UpdateKeyPropertiesOptions): Promise<KeyVaultKey>;
  async updateKeyProperties(name: string, versionOrOptions?: string | UpdateKeyPropertiesOptions, maybeOptions?: UpdateKeyPropertiesOptions): Promise<KeyVaultKey> {
    const [version, options] = versionAndOptions(versionOrOptions, maybeOptions);
    const body = compact({
      key_ops: options?.keyOps,
      attributes: toKeyAttributes(options ?? {}),
      tags: options?.tags,
      release_policy: toWireReleasePolicy(options?.releasePolicy),
    });
    return send(this.ctx, ops.updateKey, { params: this.resolveName('keys', name, version), body }, perCallOf(options));
  }

  /**
   * Deletes a key (all versions). Returns a poller that completes once the deleted key can be read
   * (soft-delete on) or at once. Permission: keys/delete.
   */
  async beginDeleteKey(name: string, options?: BeginDeleteKeyOptions): Promise<Poller<DeletedKey, DeleteRecoverState<DeletedKey>>> {
    return lifecycle.beginDelete(this.ctx, name, options);
  }

  /** Reads a deleted key. Permission: keys/get. */
  async getDeletedKey(name: string, options?: GetDeletedKeyOptions): Promise<DeletedKey> {
    return lifecycle.getDeleted(this.ctx, name, options);
  }

  /** Recovers a deleted key; the poller completes once it can be read again. Permission: keys/recover. */
  async beginRecoverDeletedKey(name: string, options?: BeginRecoverDeletedKeyOptions): Promise<Poller<KeyVaultKey, DeleteRecoverState<KeyVaultKey>>> {
    return lifecycle.beginRecover(this.ctx, name, options);
  }

  /** Deletes a deleted key for good. Permission: keys/purge. */
  async purgeDeletedKey(name: string, options?: PurgeDeletedKeyOptions): Promise<void> {
    return lifecycle.purge(this.ctx, name, options);
  }

  /** An opaque, encrypted copy of all versions, restorable in a vault of the same subscription and geography. Permission: keys/backup. */
  async backupKey(name: string, options?: BackupKeyOptions): Promise<Uint8Array> {
    return lifecycle.backup(this.ctx, name, options);
  }

  /** Restores a backup; fails with a `ConflictError` if the name exists. Permission: keys/restore. */
  async restoreKeyBackup(backup: Uint8Array, options?: RestoreKeyBackupOptions): Promise<KeyVaultKey> {
    return lifecycle.restore(this.ctx, backup, options);
  }

  /** Creates a new version of the key now, as its rotation policy would. Permission: keys/rotate. */
  async rotateKey(name: string, options?: RotateKeyOptions): Promise<KeyVaultKey> {
    checkName(name, 'key name');
    return send(this.ctx, ops.rotateKey, { params: { name } }, perCallOf(options));
  }

  /** Reads the key's rotation policy (the defaults when none was set). Permission: keys/getrotationpolicy. */
  async getKeyRotationPolicy(keyName: string, options?: GetKeyRotationPolicyOptions): Promise<KeyRotationPolicy> {
    checkName(keyName, 'key name');
    return send(this.ctx, ops.getRotationPolicy, { params: { name: keyName } }, perCallOf(options));
  }

  /**
   * Replaces the key's rotation policy. Durations are ISO 8601 (`P90D`, `P3M`, `PT48H`) and checked
   * before sending; an empty `lifetimeActions` restores the defaults. Permission: keys/setrotationpolicy.
   */
  async updateKeyRotationPolicy(keyName: string, policy: KeyRotationPolicyProperties, options?: UpdateKeyRotationPolicyOptions): Promise<KeyRotationPolicy> {
    checkName(keyName, 'key name');
    return send(this.ctx, ops.updateRotationPolicy, { params: { name: keyName }, body: toWireRotationPolicy(policy) }, perCallOf(options));
  }

  /** 1–128 random bytes from the HSM (Managed HSM only). Permission: rng. */
  async getRandomBytes(count: number, options?: GetRandomBytesOptions): Promise<Uint8Array> {
    if (!Number.isInteger(count) || count < 1 || count > 128) throw new ValidationError(`count must be an integer from 1 to 128, not ${count}.`, 'InvalidCount');
    return send(this.ctx, ops.getRandomBytes, { body: { count } }, perCallOf(options));
  }

  /**
   * Releases an exportable key to an attested environment that satisfies its release policy.
   * Permission: keys/release.
   * @param targetAttestationToken - The attestation token (JWT) of the environment receiving the key.
   */
  async releaseKey(name: string, targetAttestationToken: string, options?: ReleaseKeyOptions): Promise<ReleaseKeyResult> {
    const target = this.resolveName('keys', name, options?.version);
    if (typeof targetAttestationToken !== 'string' || !targetAttestationToken) throw new ValidationError('releaseKey needs an attestation token.', 'InvalidArgument');
    const body = compact({ target: targetAttestationToken, nonce: options?.nonce, enc: options?.algorithm });
    return send(this.ctx, target.version ? ops.releaseKey : ops.releaseLatestKey, { params: target, body }, perCallOf(options));
  }

  /** Every key's latest properties (no key material), page by page. Permission: keys/list. */
  listPropertiesOfKeys(options?: ListPropertiesOfKeysOptions): PagedAsyncIterableIterator<KeyProperties> {
    return pagedList(this.ctx, ops.listKeys, {}, toKeyProperties, options);
  }

  /** Every version's properties of one key. Permission: keys/list. */
  listPropertiesOfKeyVersions(name: string, options?: ListPropertiesOfKeyVersionsOptions): PagedAsyncIterableIterator<KeyProperties> {
    checkName(name, 'key name');
    return pagedList(this.ctx, ops.listKeyVersions, { params: { name } }, toKeyProperties, options);
  }

  /** Deleted keys still recoverable. Permission: keys/list. */
  listDeletedKeys(options?: ListDeletedKeysOptions): PagedAsyncIterableIterator<DeletedKey> {
    return pagedList(this.ctx, ops.listDeletedKeys, {}, toDeletedKeyItem, options);
  }

  // The Observable twins, one line each over an rx/ adapter; `implements ObservableTwins` checks them all.
  /** {@link KeyClient.createKey} as a cold, cancellable Observable. */
  createKey$(name: string, keyType: KeyType, options?: CreateKeyOptions) { return fromCall(options, (o) => this.createKey(name, keyType, o)); }
  /** {@link KeyClient.createRsaKey} as a cold, cancellable Observable. */
  createRsaKey$(name: string, options?: CreateRsaKeyOptions) { return fromCall(options, (o) => this.createRsaKey(name, o)); }
  /** {@link KeyClient.createEcKey} as a cold, cancellable Observable. */
  createEcKey$(name: string, options?: CreateEcKeyOptions) { return fromCall(options, (o) => this.createEcKey(name, o)); }
  /** {@link KeyClient.createOctKey} as a cold, cancellable Observable. */
  createOctKey$(name: string, options?: CreateOctKeyOptions) { return fromCall(options, (o) => this.createOctKey(name, o)); }
  /** {@link KeyClient.importKey} as a cold, cancellable Observable. */
  importKey$(name: string, key: JsonWebKey, options?: ImportKeyOptions) { return fromCall(options, (o) => this.importKey(name, key, o)); }
  /** {@link KeyClient.getKey} as a cold, cancellable Observable. */
  getKey$(name: string, options?: GetKeyOptions) { return fromCall(options, (o) => this.getKey(name, o)); }
  /** {@link KeyClient.getKeyAttestation} as a cold, cancellable Observable. */
  getKeyAttestation$(name: string, options?: GetKeyAttestationOptions) { return fromCall(options, (o) => this.getKeyAttestation(name, o)); }
  /** {@link KeyClient.updateKeyProperties} as a cold, cancellable Observable. */
  updateKeyProperties$(name: string, keyVersion: string, options?: UpdateKeyPropertiesOptions): Observable<KeyVaultKey>;
  updateKeyProperties$(name: string, options?: UpdateKeyPropertiesOptions): Observable<KeyVaultKey>;
  updateKeyProperties$(name: string, versionOrOptions?: string | UpdateKeyPropertiesOptions, maybeOptions?: UpdateKeyPropertiesOptions): Observable<KeyVaultKey> {
    const [version, options] = versionAndOptions(versionOrOptions, maybeOptions);
    return fromCall(options, (o) => this.updateKeyProperties(name, version, o));
  }
  /** {@link KeyClient.beginDeleteKey} as a cold, cancellable Observable. */
  beginDeleteKey$(name: string, options?: BeginDeleteKeyOptions) { return fromPoller(options, (o) => this.beginDeleteKey(name, o)); }
  /** {@link KeyClient.getDeletedKey} as a cold, cancellable Observable. */
  getDeletedKey$(name: string, options?: GetDeletedKeyOptions) { return fromCall(options, (o) => this.getDeletedKey(name, o)); }
  /** {@link KeyClient.beginRecoverDeletedKey} as a cold, cancellable Observable. */
  beginRecoverDeletedKey$(name: string, options?: BeginRecoverDeletedKeyOptions) { return fromPoller(options, (o) => this.beginRecoverDeletedKey(name, o)); }
  /** {@link KeyClient.purgeDeletedKey} as a cold, cancellable Observable. */
  purgeDeletedKey$(name: string, options?: PurgeDeletedKeyOptions) { return fromCall(options, (o) => this.purgeDeletedKey(name, o)); }
  /** {@link KeyClient.backupKey} as a cold, cancellable Observable. */
  backupKey$(name: string, options?: BackupKeyOptions) { return fromCall(options, (o) => this.backupKey(name, o)); }
  /** {@link KeyClient.restoreKeyBackup} as a cold, cancellable Observable. */
  restoreKeyBackup$(backup: Uint8Array, options?: RestoreKeyBackupOptions) { return fromCall(options, (o) => this.restoreKeyBackup(backup, o)); }
  /** {@link KeyClient.rotateKey} as a cold, cancellable Observable. */
  rotateKey$(name: string, options?: RotateKeyOptions) { return fromCall(options, (o) => this.rotateKey(name, o)); }
  /** {@link KeyClient.getKeyRotationPolicy} as a cold, cancellable Observable. */
  getKeyRotationPolicy$(keyName: string, options?: GetKeyRotationPolicyOptions) { return fromCall(options, (o) => this.getKeyRotationPolicy(keyName, o)); }
  /** {@link KeyClient.updateKeyRotationPolicy} as a cold, cancellable Observable. */
  updateKeyRotationPolicy$(keyName: string, policy: KeyRotationPolicyProperties, options?: UpdateKeyRotationPolicyOptions) { return fromCall(options, (o) => this.updateKeyRotationPolicy(keyName, policy, o)); }
  /** {@link KeyClient.getRandomBytes} as a cold, cancellable Observable. */
  getRandomBytes$(count: number, options?: GetRandomBytesOptions) { return fromCall(options, (o) => this.getRandomBytes(count, o)); }
  /** {@link KeyClient.releaseKey} as a cold, cancellable Observable. */
  releaseKey$(name: string, targetAttestationToken: string, options?: ReleaseKeyOptions) { return fromCall(options, (o) => this.releaseKey(name, targetAttestationToken, o)); }
  /** {@link KeyClient.listPropertiesOfKeys} as a cold, cancellable Observable. */
  listPropertiesOfKeys$(options?: ListPropertiesOfKeysOptions) { return fromPaged(options, (o) => this.listPropertiesOfKeys(o)); }
  /** {@link KeyClient.listPropertiesOfKeyVersions} as a cold, cancellable Observable. */
  listPropertiesOfKeyVersions$(name: string, options?: ListPropertiesOfKeyVersionsOptions) { return fromPaged(options, (o) => this.listPropertiesOfKeyVersions(name, o)); }
  /** {@link KeyClient.listDeletedKeys} as a cold, cancellable Observable. */
  listDeletedKeys$(options?: ListDeletedKeysOptions) { return fromPaged(options, (o) => this.listDeletedKeys(o)); }
}
