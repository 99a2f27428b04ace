import type { KeyVaultClientOptions, OperationOptions } from '../core/options.js';
import type { KeyVaultIdentifier } from '../identifiers/index.js';
import type { PollerOptions } from '../polling/poller.js';
import type { ListOptions } from '../paging/paged.js';

/** Options of a standalone `SecretClient`: the same as `KeyVaultClient`'s (Microsoft's name). */
export type SecretClientOptions = KeyVaultClientOptions;
/** What `parseKeyVaultSecretIdentifier` returns (Microsoft's name). */
export type KeyVaultSecretIdentifier = KeyVaultIdentifier;
/** The options of the secret pollers (Microsoft's name): `intervalInMs`, `resumeFrom`, `abortSignal`. */
export type SecretPollerOptions = PollerOptions;

/** Known values of {@link ContentType}, for `getSecret(name, { outContentType })`. */
export enum KnownContentType {
  /** PKCS#12 (PFX): the certificate, its chain and private key in one binary file. */
  PFX = 'application/x-pkcs12',
  /** PEM text: the private key and the certificates, each in its own block. */
  PEM = 'application/x-pem-file',
}

/** `application/x-pem-file` or `application/x-pkcs12`: the format a certificate's secret is returned in. */
export type ContentType = 'application/x-pem-file' | 'application/x-pkcs12';

/** Everything about a secret version except its value. */
export interface SecretProperties {
  /** The vault URL. */
  vaultUrl: string;
  /** The version (32 hex characters). */
  version?: string;
  name: string;
  /** The secret version's id: `{vaultUrl}/secrets/{name}/{version}`. */
  id?: string;
  /** A hint for consumers, e.g. `text/plain` or `application/json`. */
  contentType?: string;
  enabled?: boolean;
  /** Not usable before this date. */
  readonly notBefore?: Date;
  /** Not usable after this date. */
  readonly expiresOn?: Date;
  tags?: Record<string, string>;
  /** For a certificate's secret: the key id of the certificate. */
  readonly certificateKeyId?: string;
  /** True when Key Vault manages it (a certificate's secret). */
  readonly managed?: boolean;
  /** On a certificate's secret: the version of the previous certificate (api 2025-07-01, certificates made after June 2025). */
  readonly previousVersion?: string;
  readonly createdOn?: Date;
  readonly updatedOn?: Date;
  /** e.g. `Recoverable+Purgeable`. */
  readonly recoveryLevel?: string;
  /** Days a deleted secret stays recoverable. */
  recoverableDays?: number;
}

/**
 * A secret with its value. `value` is readable as usual but not enumerable, so that
 * `JSON.stringify`, `util.inspect` and spreading never copy it into logs by accident.
 */
export interface KeyVaultSecret {
  properties: SecretProperties;
  value?: string;
  name: string;
}

/** A deleted secret, recoverable until `scheduledPurgeDate`. */
export interface DeletedSecret {
  properties: SecretProperties & { recoveryId?: string; scheduledPurgeDate?: Date; deletedOn?: Date };
  value?: string;
  name: string;
  /** Use it to recover the secret. */
  recoveryId?: string;
  scheduledPurgeDate?: Date;
  deletedOn?: Date;
}

/** Options of `setSecret` (permission: secrets/set). */
export interface SetSecretOptions extends OperationOptions {
  tags?: Record<string, string>;
  contentType?: string;
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
}

/** Options of `updateSecretProperties` (permission: secrets/set). */
export interface UpdateSecretPropertiesOptions extends OperationOptions {
  contentType?: string;
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  tags?: Record<string, string>;
}

/** Options of `getSecret` (permission: secrets/get). */
export interface GetSecretOptions extends OperationOptions {
  /** A specific version; the latest when omitted. */
  version?: string;
  /** For a certificate's secret: convert to this format (api-version 2025-07-01). */
  outContentType?: ContentType;
}

/** Options of `watchSecret$`. */
export interface WatchSecretOptions {
  /** How often to look for a new version, in ms. Default `30000`. */
  intervalMs?: number;
}

/** Options of `getDeletedSecret`. */
export type GetDeletedSecretOptions = OperationOptions;
/** Options of `purgeDeletedSecret`. */
export type PurgeDeletedSecretOptions = OperationOptions;
/** Options of `backupSecret`. */
export type BackupSecretOptions = OperationOptions;
/** Options of `restoreSecretBackup`. */
export type RestoreSecretBackupOptions = OperationOptions;
/** Options of `listPropertiesOfSecrets`. */
export type ListPropertiesOfSecretsOptions = ListOptions;
/** Options of `listPropertiesOfSecretVersions`. */
export type ListPropertiesOfSecretVersionsOptions = ListOptions;
/** Options of `listDeletedSecrets`. */
export type ListDeletedSecretsOptions = ListOptions;
/** Options of `beginDeleteSecret` (polling interval, resume state). */
export type BeginDeleteSecretOptions = PollerOptions;
/** Options of `beginRecoverDeletedSecret` (polling interval, resume state). */
export type BeginRecoverDeletedSecretOptions = PollerOptions;
