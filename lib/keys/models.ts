/**
 * The public models of keys, named and shaped as in Microsoft's `@azure/keyvault-keys`, so that
 * code written for it ports by changing only how clients are constructed.
 */
import type { KeyVaultClientOptions, OperationOptions } from '../core/options.js';
import type { KeyVaultIdentifier } from '../identifiers/index.js';
import type { ListOptions } from '../paging/paged.js';
import type { PollerOptions } from '../polling/poller.js';

/** Options of a standalone `KeyClient`: the same as `KeyVaultClient`'s (Microsoft's name). */
export type KeyClientOptions = KeyVaultClientOptions;
/** Options of a remote `CryptographyClient`: the same as `KeyVaultClient`'s (Microsoft's name). */
export type CryptographyClientOptions = KeyVaultClientOptions;
/** What `parseKeyVaultKeyIdentifier` returns (Microsoft's name). */
export type KeyVaultKeyIdentifier = KeyVaultIdentifier;

/** `string` that still autocompletes the known values. */
type Open<T extends string> = T | (string & {});

/** `EC`, `EC-HSM`, `RSA`, `RSA-HSM`, `oct`, `oct-HSM`. */
export type KeyType = Open<'EC' | 'EC-HSM' | 'RSA' | 'RSA-HSM' | 'oct' | 'oct-HSM'>;
/** What a key may be used for: `encrypt`, `decrypt`, `sign`, `verify`, `wrapKey`, `unwrapKey`, `import`, `export`. */
export type KeyOperation = Open<'encrypt' | 'decrypt' | 'sign' | 'verify' | 'wrapKey' | 'unwrapKey' | 'import' | 'export'>;
/** Elliptic curves: `P-256`, `P-384`, `P-521`, `P-256K` (secp256k1). */
export type KeyCurveName = Open<'P-256' | 'P-384' | 'P-521' | 'P-256K'>;
/** e.g. `Recoverable+Purgeable`, `CustomizedRecoverable+Purgeable` (exported publicly by the certificates models, under the same name). */
type DeletionRecoveryLevel = Open<
  'Purgeable' | 'Recoverable+Purgeable' | 'Recoverable' | 'Recoverable+ProtectedSubscription' |
  'CustomizedRecoverable+Purgeable' | 'CustomizedRecoverable' | 'CustomizedRecoverable+ProtectedSubscription'
>;
/** How `releaseKey` protects the exported key: `CKM_RSA_AES_KEY_WRAP`, `RSA_AES_KEY_WRAP_256`, `RSA_AES_KEY_WRAP_384`. */
export type KeyExportEncryptionAlgorithm = Open<'CKM_RSA_AES_KEY_WRAP' | 'RSA_AES_KEY_WRAP_256' | 'RSA_AES_KEY_WRAP_384'>;

/** Known values of {@link KeyType}. */
export enum KnownKeyTypes {
  /** Elliptic curve key. */ EC = 'EC',
  /** Elliptic curve key in a hardware security module. */ ECHSM = 'EC-HSM',
  /** RSA key. */ RSA = 'RSA',
  /** RSA key in a hardware security module. */ RSAHSM = 'RSA-HSM',
  /** Symmetric key (octet sequence; Managed HSM). */ Oct = 'oct',
  /** Symmetric key in a hardware security module (Managed HSM). */ OctHSM = 'oct-HSM',
}
/** Known values of {@link KeyOperation}. */
export enum KnownKeyOperations {
  /** Encrypt with the key. */ Encrypt = 'encrypt',
  /** Decrypt with the key. */ Decrypt = 'decrypt',
  /** Sign a digest. */ Sign = 'sign',
  /** Verify a signature. */ Verify = 'verify',
  /** Wrap (encrypt) another key. */ WrapKey = 'wrapKey',
  /** Unwrap (decrypt) another key. */ UnwrapKey = 'unwrapKey',
  /** Import the key. */ Import = 'import',
  /** Export (release) the key under its release policy. */ Export = 'export',
}
/** Known values of {@link KeyCurveName}. */
export enum KnownKeyCurveNames {
  /** NIST P-256 (secp256r1). */ P256 = 'P-256',
  /** NIST P-384 (secp384r1). */ P384 = 'P-384',
  /** NIST P-521 (secp521r1). */ P521 = 'P-521',
  /** SECG secp256k1. */ P256K = 'P-256K',
}
/** Known values of {@link DeletionRecoveryLevel}. */
export enum KnownDeletionRecoveryLevel {
  /** No soft-delete: a deletion is permanent. */ Purgeable = 'Purgeable',
  /** Soft-deleted for the retention period (90 days); purge allowed. */ RecoverablePurgeable = 'Recoverable+Purgeable',
  /** Soft-deleted for the retention period; no purge (purge protection). */ Recoverable = 'Recoverable',
  /** As `Recoverable`, and the subscription itself cannot be cancelled meanwhile. */ RecoverableProtectedSubscription = 'Recoverable+ProtectedSubscription',
  /** As `Recoverable+Purgeable`, with a retention period of 7–89 days. */ CustomizedRecoverablePurgeable = 'CustomizedRecoverable+Purgeable',
  /** As `Recoverable`, with a retention period of 7–89 days. */ CustomizedRecoverable = 'CustomizedRecoverable',
  /** As `Recoverable+ProtectedSubscription`, with a retention period of 7–89 days. */ CustomizedRecoverableProtectedSubscription = 'CustomizedRecoverable+ProtectedSubscription',
}
/** Known values of {@link KeyExportEncryptionAlgorithm}. */
export enum KnownKeyExportEncryptionAlgorithm {
  /** PKCS#11 `CKM_RSA_AES_KEY_WRAP`. */ CkmRsaAesKeyWrap = 'CKM_RSA_AES_KEY_WRAP',
  /** RSA-OAEP + AES key wrap, SHA-256. */ RsaAesKeyWrap256 = 'RSA_AES_KEY_WRAP_256',
  /** RSA-OAEP + AES key wrap, SHA-384. */ RsaAesKeyWrap384 = 'RSA_AES_KEY_WRAP_384',
}

/**
 * A JSON Web Key with its byte members as `Uint8Array` (base64url only on the wire). The private
 * members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`, `t`) of keys this SDK hands out are readable but
 * not enumerable: `JSON.stringify`, `util.inspect` and spreads never copy them by accident.
 */
export interface JsonWebKey {
  /** The key id: `{vaultUrl}/keys/{name}/{version}`. */
  kid?: string;
  /** `RSA`, `RSA-HSM`, `EC`, `EC-HSM`, `oct` or `oct-HSM`. */
  kty?: KeyType;
  /** The operations the key allows (checked before each cryptographic call). */
  keyOps?: KeyOperation[];
  /** RSA modulus. */
  n?: Uint8Array;
  /** RSA public exponent. */
  e?: Uint8Array;
  /** RSA private exponent, or the EC private key. */
  d?: Uint8Array;
  /** RSA private key parameter. */
  dp?: Uint8Array;
  /** RSA private key parameter. */
  dq?: Uint8Array;
  /** RSA private key parameter. */
  qi?: Uint8Array;
  /** RSA secret prime. */
  p?: Uint8Array;
  /** RSA secret prime, with `p < q`. */
  q?: Uint8Array;
  /** Symmetric key. */
  k?: Uint8Array;
  /** HSM token, for Bring Your Own Key (`key_hsm` on the wire). */
  t?: Uint8Array;
  /** EC curve: `P-256`, `P-384`, `P-521` or `P-256K`. */
  crv?: KeyCurveName;
  /** X coordinate of an EC public key. */
  x?: Uint8Array;
  /** Y coordinate of an EC public key. */
  y?: Uint8Array;
}

/** The rules under which an exportable key may be released. */
export interface KeyReleasePolicy {
  /** Default `application/json; charset=utf-8`. */
  contentType?: string;
  /** The policy document (bytes of the JSON policy). */
  encodedPolicy?: Uint8Array;
  /** Once true, the policy can never change. */
  immutable?: boolean;
}

/** A key's attestation, from `getKeyAttestation` (Managed HSM / premium keys). */
export interface KeyAttestation {
  /** The certificates to validate the attestation with, PEM text as bytes. */
  certificatePemFile?: Uint8Array;
  /** The attestation of the private key material. */
  privateKeyAttestation?: Uint8Array;
  /** The attestation of the public key material. */
  publicKeyAttestation?: Uint8Array;
  /** The attestation format version. */
  version?: string;
}

/** Everything about a key version except the key material. */
export interface KeyProperties {
  /** The key version's id: `{vaultUrl}/keys/{name}/{version}`. */
  id?: string;
  /** The key name. */
  name: string;
  /** The vault URL. */
  vaultUrl: string;
  /** The version (32 hex characters). */
  version?: string;
  /** `false` makes every operation on it fail. */
  enabled?: boolean;
  /** Not usable before this date. */
  notBefore?: Date;
  /** Not usable after this date. */
  expiresOn?: Date;
  /** Your metadata: up to 15 name/value pairs. */
  tags?: { [propertyName: string]: string };
  /** When this version was created. */
  readonly createdOn?: Date;
  /** When this version was last updated. */
  readonly updatedOn?: Date;
  /** How a deleted key can be recovered, e.g. `Recoverable+Purgeable`. */
  readonly recoveryLevel?: DeletionRecoveryLevel;
  /** Days a deleted key stays recoverable. */
  recoverableDays?: number;
  /** True when Key Vault manages it (a certificate's key). */
  readonly managed?: boolean;
  /** Whether the private key can be released (`releaseKey`). */
  exportable?: boolean;
  /** The rules under which `releaseKey` may export it. */
  releasePolicy?: KeyReleasePolicy;
  /** The HSM platform the key lives on. */
  readonly hsmPlatform?: string;
  /** Present on `getKeyAttestation` results. */
  attestation?: KeyAttestation;
}

/** A key: its public material as a {@link JsonWebKey} and its {@link KeyProperties}. */
export interface KeyVaultKey {
  /** The public key material (private members only in a JsonWebKey you supply). */
  key?: JsonWebKey;
  /** The key name. */
  name: string;
  /** The key version's id: `{vaultUrl}/keys/{name}/{version}`. */
  id?: string;
  /** Same as `key.kty`. */
  keyType?: KeyType;
  /** Same as `key.keyOps`. */
  keyOperations?: KeyOperation[];
  /** Everything about the version except its material. */
  properties: KeyProperties;
}

/** A deleted key, recoverable until `properties.scheduledPurgeDate`. */
export interface DeletedKey {
  /** The public key material (private members only in a JsonWebKey you supply). */
  key?: JsonWebKey;
  /** The key name. */
  name: string;
  /** The key version's id: `{vaultUrl}/keys/{name}/{version}`. */
  id?: string;
  /** Same as `key.kty`. */
  keyType?: KeyType;
  /** Same as `key.keyOps`. */
  keyOperations?: KeyOperation[];
  /** The properties, plus when it was deleted and until when it can be recovered. */
  properties: KeyProperties & {
    /** Use it to recover the key. */
    readonly recoveryId?: string;
    readonly scheduledPurgeDate?: Date;
    deletedOn?: Date;
  };
}

/** Options of `createKey` (permission: keys/create). */
export interface CreateKeyOptions extends OperationOptions {
  /** Your metadata: up to 15 name/value pairs. */
  tags?: { [propertyName: string]: string };
  /** Allowed operations; the service's default for the key type when omitted. */
  keyOps?: KeyOperation[];
  /** `false` makes every operation on it fail. */
  enabled?: boolean;
  /** Not usable before this date. */
  notBefore?: Date;
  /** Not usable after this date (decrypt, unwrap and verify still work). */
  readonly expiresOn?: Date;
  /** RSA: 2048, 3072 or 4096. oct-HSM: 128, 192 or 256. */
  keySize?: number;
  /** EC: `P-256`, `P-384`, `P-521` or `P-256K`. */
  curve?: KeyCurveName;
  /** `createRsaKey`/`createEcKey`/`createOctKey`: an HSM-backed key (`RSA-HSM`, ...). */
  hsm?: boolean;
  /** Whether the private key can be released; needs a `releasePolicy`. */
  exportable?: boolean;
  /** The rules under which `releaseKey` may export it. */
  releasePolicy?: KeyReleasePolicy;
}
/** Options of `createEcKey` (permission: keys/create). */
export interface CreateEcKeyOptions extends CreateKeyOptions {}
/** Options of `createRsaKey` (permission: keys/create). */
export interface CreateRsaKeyOptions extends CreateKeyOptions {
  /** The RSA public exponent, e.g. 65537. */
  publicExponent?: number;
}
/** Options of `createOctKey` (permission: keys/create; Managed HSM only). */
export interface CreateOctKeyOptions extends CreateKeyOptions {}

/** Options of `importKey` (permission: keys/import). */
export interface ImportKeyOptions extends OperationOptions {
  /** Your metadata: up to 15 name/value pairs. */
  tags?: { [propertyName: string]: string };
  /** Import into an HSM. */
  hardwareProtected?: boolean;
  /** `false` makes every operation on it fail. */
  enabled?: boolean;
  /** Not usable before this date. */
  notBefore?: Date;
  /** Not usable after this date (decrypt, unwrap and verify still work). */
  expiresOn?: Date;
  /** Whether the private key can be released (`releaseKey`); needs a `releasePolicy`. */
  exportable?: boolean;
  /** The rules under which `releaseKey` may export it. */
  releasePolicy?: KeyReleasePolicy;
}

/** Options of `updateKeyProperties` (permission: keys/update). */
export interface UpdateKeyPropertiesOptions extends OperationOptions {
  /** The operations the key allows (checked before each cryptographic call). */
  keyOps?: KeyOperation[];
  /** `false` makes every operation on it fail. */
  enabled?: boolean;
  /** Not usable before this date. */
  notBefore?: Date;
  /** Not usable after this date (decrypt, unwrap and verify still work). */
  expiresOn?: Date;
  /** Your metadata: up to 15 name/value pairs. */
  tags?: { [propertyName: string]: string };
  /** Only for an exportable key. */
  releasePolicy?: KeyReleasePolicy;
}

/** Options of `getKey` (permission: keys/get). */
export interface GetKeyOptions extends OperationOptions {
  /** A specific version; the latest when omitted. */
  version?: string;
}

/** Options of `getKeyAttestation` (permission: keys/get; api-version 7.6 or later). */
export interface GetKeyAttestationOptions extends OperationOptions {
  /** A specific version; the latest when omitted. */
  version?: string;
}

/** Options of `getCryptographyClient`. */
export interface GetCryptographyClientOptions {
  /** The key version to use; the latest when omitted (resolved on first use). */
  keyVersion?: string;
}

/** Options of `releaseKey` (permission: keys/release). */
export interface ReleaseKeyOptions extends OperationOptions {
  /** A nonce of yours, echoed in the released token for freshness. */
  nonce?: string;
  /** How the exported key material is protected. */
  algorithm?: KeyExportEncryptionAlgorithm;
  /** The version to release; the latest when omitted. */
  version?: string;
}

/** What `releaseKey` returns. */
export interface ReleaseKeyResult {
  /** A signed token (JWS) carrying the released key. */
  value: string;
}

/** `Rotate` or `Notify`. */
export type KeyRotationPolicyAction = 'Rotate' | 'Notify';

/** One action of a rotation policy and when it fires (ISO 8601 durations such as `P30D`, `P1Y2M`, `PT48H`). */
export interface KeyRotationLifetimeAction {
  /** Time after a version's creation, e.g. `P90D`. */
  timeAfterCreate?: string;
  /** Time before a version's expiry, e.g. `P30D`. */
  timeBeforeExpiry?: string;
  /** `Rotate` (a new version) or `Notify` (an Event Grid event). */
  action: KeyRotationPolicyAction;
}

/** The settable part of a rotation policy. An empty `lifetimeActions` resets the policy to the defaults. */
export interface KeyRotationPolicyProperties {
  /** Lifetime of each new version, an ISO 8601 duration (at least 28 days), e.g. `P90D`. */
  expiresIn?: string;
  /** What happens when; at most one `Rotate` and one `Notify`. */
  lifetimeActions?: KeyRotationLifetimeAction[];
}

/** A key's rotation policy as stored. */
export interface KeyRotationPolicy extends KeyRotationPolicyProperties {
  /** `{vaultUrl}/keys/{name}/rotationpolicy`; absent while no policy was set. */
  readonly id?: string;
  /** When this version was created. */
  readonly createdOn?: Date;
  /** When this version was last updated. */
  readonly updatedOn?: Date;
}

/** Options of `beginDeleteKey` and `beginRecoverDeletedKey`. */
export interface KeyPollerOptions extends PollerOptions {}
/** Options of `beginDeleteKey` (permission: keys/delete). */
export interface BeginDeleteKeyOptions extends KeyPollerOptions {}
/** Options of `beginRecoverDeletedKey` (permission: keys/recover). */
export interface BeginRecoverDeletedKeyOptions extends KeyPollerOptions {}

/** Options of `getDeletedKey` (permission: keys/get). */
export interface GetDeletedKeyOptions extends OperationOptions {}
/** Options of `purgeDeletedKey` (permission: keys/purge). */
export interface PurgeDeletedKeyOptions extends OperationOptions {}
/** Options of `backupKey` (permission: keys/backup). */
export interface BackupKeyOptions extends OperationOptions {}
/** Options of `restoreKeyBackup` (permission: keys/restore). */
export interface RestoreKeyBackupOptions extends OperationOptions {}
/** Options of `listPropertiesOfKeys` (permission: keys/list). */
export interface ListPropertiesOfKeysOptions extends ListOptions {}
/** Options of `listPropertiesOfKeyVersions` (permission: keys/list). */
export interface ListPropertiesOfKeyVersionsOptions extends ListOptions {}
/** Options of `listDeletedKeys` (permission: keys/list). */
export interface ListDeletedKeysOptions extends ListOptions {}
/** Options of `rotateKey` (permission: keys/rotate). */
export interface RotateKeyOptions extends OperationOptions {}
/** Options of `getKeyRotationPolicy` (permission: keys/getrotationpolicy). */
export interface GetKeyRotationPolicyOptions extends OperationOptions {}
/** Options of `updateKeyRotationPolicy` (permission: keys/setrotationpolicy). */
export interface UpdateKeyRotationPolicyOptions extends OperationOptions {}
/** Options of `getRandomBytes` (Managed HSM; permission: rng). */
export interface GetRandomBytesOptions extends OperationOptions {}
