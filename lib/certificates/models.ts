/**
 * The public certificate models, named and shaped as in Microsoft's `@azure/keyvault-certificates`
 * (so porting code only changes construction), with a policy type that turns impossible key
 * combinations into compile errors.
 */
import type { KeyVaultClientOptions, OperationOptions } from '../core/options.js';
import type { KeyVaultIdentifier } from '../identifiers/index.js';
import type { Poller, PollOperationState, PollerOptions } from '../polling/poller.js';

/** What `parseKeyVaultCertificateIdentifier` returns (Microsoft's name). */
export type KeyVaultCertificateIdentifier = KeyVaultIdentifier;

/** Options of a standalone `CertificateClient`: the same as `KeyVaultClient`'s (Microsoft's name). */
export type CertificateClientOptions = KeyVaultClientOptions;

export { KnownCertificateKeyTypes, KnownCertificateKeyCurveNames, KnownKeyUsageTypes } from './known-values.js';

/** `RSA`, `RSA-HSM`, `EC`, `EC-HSM` (`oct` types exist on the wire but are not certificate keys). */
export type CertificateKeyType = 'EC' | 'EC-HSM' | 'RSA' | 'RSA-HSM' | 'oct' | 'oct-HSM';
/** Elliptic curves a certificate key may use. */
export type CertificateKeyCurveName = 'P-256' | 'P-384' | 'P-521' | 'P-256K';
/** X.509 key usages. */
export type KeyUsageType =
  | 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement'
  | 'keyCertSign' | 'cRLSign' | 'encipherOnly' | 'decipherOnly';
/** e.g. `Recoverable+Purgeable`, `CustomizedRecoverable+Purgeable`. */
export type DeletionRecoveryLevel = string;
/** The format of a certificate's secret: PKCS#12 (PFX) or PEM. */
export type CertificateContentType = 'application/x-pem-file' | 'application/x-pkcs12' | undefined;
/** What Key Vault does at a lifetime trigger. */
export type CertificatePolicyAction = 'EmailContacts' | 'AutoRenew';
/** @deprecated Use {@link CertificatePolicyAction}. */
export type ActionType = CertificatePolicyAction;
/** Application-specific string key-value pairs. */
export type CertificateTags = { [propertyName: string]: string };

/** At least one of `T`'s properties is present. */
export type RequireAtLeastOne<T> = {
  [K in keyof T]-?: Required<Pick<T, K>> & Partial<Pick<T, Exclude<keyof T, K>>>;
}[keyof T];
/** An array with at least one element. */
export type ArrayOneOrMore<T> = { 0: T } & Array<T>;

/** Issuer names Key Vault reserves. */
export enum WellKnownIssuer {
  /** A self-signed certificate. */
  Self = 'Self',
  /** The certificate is signed elsewhere and merged in later (`mergeCertificate`). */
  Unknown = 'Unknown',
}

/** Every kind of subject alternative name. */
export interface SubjectAlternativeNamesAll {
  emails: ArrayOneOrMore<string>;
  dnsNames: ArrayOneOrMore<string>;
  userPrincipalNames: ArrayOneOrMore<string>;
  /** URIs (api-version 2025-07-01). */
  uniformResourceIdentifiers: ArrayOneOrMore<string>;
  /** IPv4 and IPv6 addresses (api-version 2025-07-01). */
  ipAddresses: ArrayOneOrMore<string>;
}
/** Subject alternative names: at least one kind present. */
export type SubjectAlternativeNames = RequireAtLeastOne<SubjectAlternativeNamesAll>;

/** When Key Vault acts on a certificate: exactly one of `lifetimePercentage` or `daysBeforeExpiry`. */
export interface LifetimeAction {
  /** 1–99: percentage of the lifetime at which to act. */
  lifetimePercentage?: number;
  /** Days before expiry at which to act (1 to `validityInMonths * 27`). */
  daysBeforeExpiry?: number;
  action?: CertificatePolicyAction;
}

/** The policy members that do not depend on the key type. */
export interface CertificatePolicyCommon {
  /** Publish issued certificates to certificate transparency logs (issuer dependent). */
  certificateTransparency?: boolean;
  /** The format of the certificate's secret: `application/x-pkcs12` (default) or `application/x-pem-file`. */
  contentType?: CertificateContentType;
  /** The type of certificate to request from the issuer provider. */
  certificateType?: string;
  readonly createdOn?: Date;
  /** Whether certificates made under this policy are enabled. */
  enabled?: boolean;
  /** Whether the private key can be read (as the certificate's secret). */
  exportable?: boolean;
  /** Extended key usage OIDs, e.g. `1.3.6.1.5.5.7.3.1` (server auth). */
  enhancedKeyUsage?: string[];
  /** `Self`, `Unknown`, or the name of an issuer created with `createIssuer`. */
  issuerName?: WellKnownIssuer | string;
  keyUsage?: KeyUsageType[];
  lifetimeActions?: LifetimeAction[];
  /** Keep the same key pair on renewal. */
  reuseKey?: boolean;
  readonly updatedOn?: Date;
  /** Validity of issued certificates, in months. */
  validityInMonths?: number;
}

/** An RSA key (the default when `keyType` is omitted): a size, never a curve. */
export interface RsaCertificateKeyPolicy {
  keyType?: 'RSA' | 'RSA-HSM';
  /** 2048, 3072 or 4096. */
  keySize?: number;
  keyCurveName?: never;
}
/** An elliptic-curve key: a curve, never a size (the curve fixes it). */
export interface EcCertificateKeyPolicy {
  keyType: 'EC' | 'EC-HSM';
  keyCurveName?: CertificateKeyCurveName;
  keySize?: never;
}
/** The key part of a policy, discriminated by `keyType`. */
export type CertificateKeyPolicy = RsaCertificateKeyPolicy | EcCertificateKeyPolicy;

/** A policy's members, as Microsoft's `CertificatePolicyProperties` (key members untyped by kind). */
export interface CertificatePolicyProperties extends CertificatePolicyCommon {
  keyCurveName?: CertificateKeyCurveName;
  keySize?: number;
  keyType?: CertificateKeyType;
}

/** The subject of a policy: a distinguished name, alternative names, or both. */
export interface PolicySubjectProperties {
  /** An X.500 distinguished name, e.g. `CN=example.com, O=Contoso`. */
  subject: string;
  subjectAlternativeNames: SubjectAlternativeNames;
}

/**
 * How Key Vault makes and renews a certificate. Typed so that impossible policies do not compile:
 * an EC key takes a curve and no size, an RSA key a size and no curve, and a subject or subject
 * alternative names are required.
 */
export type CertificatePolicy = CertificatePolicyCommon & CertificateKeyPolicy & RequireAtLeastOne<PolicySubjectProperties>;
/** The policy of an imported certificate: the subject comes from the certificate, so it is optional. */
export type ImportCertificatePolicy = CertificatePolicyCommon & CertificateKeyPolicy & Partial<PolicySubjectProperties>;

/** Everything about a certificate version except its policy and content. */
export interface CertificateProperties {
  readonly createdOn?: Date;
  enabled?: boolean;
  /** The certificate's notAfter. */
  readonly expiresOn?: Date;
  /** `{vaultUrl}/certificates/{name}/{version}`. */
  readonly id?: string;
  readonly name?: string;
  /** The certificate's notBefore. */
  notBefore?: Date;
  readonly recoveryLevel?: DeletionRecoveryLevel;
  tags?: CertificateTags;
  readonly updatedOn?: Date;
  readonly vaultUrl?: string;
  readonly version?: string;
  /** SHA-1 of the DER certificate (the wire's `x5t`). */
  readonly x509Thumbprint?: Uint8Array;
  /** `x509Thumbprint` as lowercase hex. */
  readonly x509ThumbprintString?: string;
  /** Days a deleted certificate stays recoverable. */
  recoverableDays?: number;
  /** Keep the chain in the order given at import or merge (default: leaf first). */
  preserveCertificateOrder?: boolean;
}

/** A certificate version: its DER bytes (`cer`) and properties. */
export interface KeyVaultCertificate {
  /** The X.509 certificate, DER. */
  cer?: Uint8Array;
  id?: string;
  /** The key backing the certificate: use it with a `CryptographyClient` to sign or decrypt in the vault. */
  readonly keyId?: string;
  /** The secret holding the certificate with its private key (when exportable). */
  readonly secretId?: string;
  readonly name: string;
  properties: CertificateProperties;
}

/** The latest version of a certificate, with its policy. */
export interface KeyVaultCertificateWithPolicy extends KeyVaultCertificate {
  readonly policy?: CertificatePolicy;
}

/** A deleted certificate, recoverable until `scheduledPurgeDate`. */
export interface DeletedCertificate extends KeyVaultCertificateWithPolicy {
  readonly deletedOn?: Date;
  /** Use it to recover the certificate. */
  readonly recoveryId?: string;
  readonly scheduledPurgeDate?: Date;
}

/** An error reported by a certificate operation. */
export interface CertificateOperationError {
  readonly code?: string;
  readonly message?: string;
  readonly innerError?: CertificateOperationError;
}
/** @deprecated Use {@link CertificateOperationError}. */
export type ErrorModel = CertificateOperationError;

/** The pending creation of a certificate (`/certificates/{name}/pending`). */
export interface CertificateOperation {
  readonly id?: string;
  readonly name?: string;
  issuerName?: string;
  certificateType?: string;
  certificateTransparency?: boolean;
  /** The certificate signing request (DER): give it to your CA, then `mergeCertificate` the result. */
  csr?: Uint8Array;
  cancellationRequested?: boolean;
  /** `inProgress`, `completed`, `cancelled` or `failed`. */
  status?: string;
  statusDetails?: string;
  error?: CertificateOperationError;
  /** The certificate's id once completed. */
  target?: string;
  requestId?: string;
  preserveCertificateOrder?: boolean;
  readonly vaultUrl?: string;
}

/** A contact notified about certificate events: at least one of `email`, `name`, `phone`. */
export interface CertificateContactAll {
  email: string;
  name: string;
  phone: string;
}
/** A certificate contact. */
export type CertificateContact = RequireAtLeastOne<CertificateContactAll> | undefined;

/** An administrator of an issuer's organization. */
export interface AdministratorContact {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
}

/** An issuer as listed. */
export interface IssuerProperties {
  /** `{vaultUrl}/certificates/issuers/{name}`. */
  id?: string;
  /** The issuer's name. */
  readonly name?: string;
  /** The issuer provider, e.g. `DigiCert`, `GlobalSign`, `Test`. */
  provider?: string;
}

/**
 * A certificate issuer. `password` is readable but not enumerable: it never reaches
 * `JSON.stringify`, `util.inspect` or a spread by accident.
 */
export interface CertificateIssuer extends IssuerProperties {
  enabled?: boolean;
  readonly createdOn?: Date;
  readonly updatedOn?: Date;
  /** The account id / user name at the provider. */
  accountId?: string;
  /** The account password or key at the provider. */
  password?: string;
  organizationId?: string;
  administratorContacts?: AdministratorContact[];
}

/** A poller that can also cancel its operation, as Microsoft's type names it. */
export type PollerLikeWithCancellation<TState extends PollOperationState<TResult>, TResult> = Poller<TResult, TState> & {
  /** Asks the vault to cancel the operation. */
  cancelOperation(options?: { abortSignal?: AbortSignal }): Promise<void>;
};

/** State of the create / certificate operation pollers. */
export interface CertificateOperationState extends PollOperationState<KeyVaultCertificateWithPolicy> {
  certificateName: string;
  /** The operation as last read from the vault. */
  certificateOperation?: CertificateOperation;
}
/** State of the `beginCreateCertificate` poller. */
export type CreateCertificateState = CertificateOperationState;
/** State of the `beginDeleteCertificate` poller. */
export interface DeleteCertificateState extends PollOperationState<DeletedCertificate> {
  name: string;
  certificateName: string;
}
/** State of the `beginRecoverDeletedCertificate` poller. */
export interface RecoverDeletedCertificateState extends PollOperationState<KeyVaultCertificateWithPolicy> {
  name: string;
  certificateName: string;
}

/** Options of every `begin...` method and of `getCertificateOperation`. */
export type CertificatePollerOptions = PollerOptions;

/** Attributes and tags of a new certificate. */
export interface CreateCertificateOptions extends CertificateProperties, OperationOptions {}
/** Options of `beginCreateCertificate` (permission: certificates/create). */
export interface BeginCreateCertificateOptions extends CreateCertificateOptions, CertificatePollerOptions {}
/** Options of `beginDeleteCertificate` (permission: certificates/delete). */
export type BeginDeleteCertificateOptions = CertificatePollerOptions;
/** Options of `beginRecoverDeletedCertificate` (permission: certificates/recover). */
export type BeginRecoverDeletedCertificateOptions = CertificatePollerOptions;
/** Options of `getCertificateOperation` (permission: certificates/get). */
export type GetCertificateOperationOptions = CertificatePollerOptions;

/** Options of `importCertificate` (permission: certificates/import). */
export interface ImportCertificateOptions extends OperationOptions {
  /** Whether the imported certificate is enabled. */
  enabled?: boolean;
  /** The PFX's password, if its private key is encrypted. */
  password?: string;
  /** The policy; its `contentType` is set from the bytes (PEM or PFX) when omitted. */
  policy?: ImportCertificatePolicy;
  /** Application-specific metadata. */
  tags?: CertificateTags;
  /** Keep the chain in the order given (default: leaf first). */
  preserveCertificateOrder?: boolean;
}

/** Options of `updateCertificateProperties` (permission: certificates/update). */
export interface UpdateCertificatePropertiesOptions extends CertificateProperties, OperationOptions {}
/** @deprecated Microsoft's alias of {@link UpdateCertificatePropertiesOptions}. */
export type UpdateCertificateOptions = UpdateCertificatePropertiesOptions;

/** Options of `createIssuer` (permission: certificates/setissuers). */
export interface CreateIssuerOptions extends OperationOptions {
  /** The account id / user name at the provider. */
  accountId?: string;
  /** The account password or key at the provider (kept out of logs on the returned issuer). */
  password?: string;
  /** The organization's id at the provider. */
  organizationId?: string;
  /** The organization's administrators, as given to the provider. */
  administratorContacts?: AdministratorContact[];
  /** Whether the issuer is enabled. */
  enabled?: boolean;
}
/** Options of `updateIssuer` (permission: certificates/setissuers). */
export interface UpdateIssuerOptions extends CreateIssuerOptions {
  /** A new issuer provider. */
  provider?: string;
}

/** Options of `listPropertiesOfCertificates` (permission: certificates/list). */
export interface ListPropertiesOfCertificatesOptions extends OperationOptions {
  /** Include certificates whose creation is still pending. */
  includePending?: boolean;
}
/** Options of `listDeletedCertificates` (permission: certificates/list). */
export interface ListDeletedCertificatesOptions extends OperationOptions {
  /** Include certificates whose creation is still pending. */
  includePending?: boolean;
}

/** Options of `getCertificateWithPrivateKey` (permission: secrets/get). */
export interface GetCertificateWithPrivateKeyOptions extends OperationOptions {
  /** A specific version; the latest when omitted. */
  version?: string;
  /**
   * `pem` (default) or `pfx`: the format of `pem` / `pfx` on the result. On api-version 2025-07-01
   * the vault converts (`outContentType`); otherwise a PKCS#12 secret is converted to PEM locally.
   */
  format?: 'pem' | 'pfx';
}

/** Options of `getCertificate` (permission: certificates/get). */
export type GetCertificateOptions = OperationOptions;
/** Options of `getCertificateVersion` (permission: certificates/get). */
export type GetCertificateVersionOptions = OperationOptions;
/** Options of `getCertificatePolicy` (permission: certificates/get). */
export type GetCertificatePolicyOptions = OperationOptions;
/** Options of `updateCertificatePolicy` (permission: certificates/update). */
export type UpdateCertificatePolicyOptions = OperationOptions;
/** Options of `cancelCertificateOperation` (permission: certificates/update). */
export type CancelCertificateOperationOptions = OperationOptions;
/** Options of `deleteCertificateOperation` (permission: certificates/update). */
export type DeleteCertificateOperationOptions = OperationOptions;
/** Options of `mergeCertificate` (permission: certificates/create). */
export type MergeCertificateOptions = OperationOptions;
/** Options of `getDeletedCertificate` (permission: certificates/get). */
export type GetDeletedCertificateOptions = OperationOptions;
/** Options of `purgeDeletedCertificate` (permission: certificates/purge). */
export type PurgeDeletedCertificateOptions = OperationOptions;
/** Options of `backupCertificate` (permission: certificates/backup). */
export type BackupCertificateOptions = OperationOptions;
/** Options of `restoreCertificateBackup` (permission: certificates/restore). */
export type RestoreCertificateBackupOptions = OperationOptions;
/** Options of `listPropertiesOfCertificateVersions` (permission: certificates/list). */
export type ListPropertiesOfCertificateVersionsOptions = OperationOptions;
/** Options of `listPropertiesOfIssuers` (permission: certificates/getissuers). */
export type ListPropertiesOfIssuersOptions = OperationOptions;
/** Options of `setContacts` (permission: certificates/managecontacts). */
export type SetContactsOptions = OperationOptions;
/** Options of `getContacts` (permission: certificates/managecontacts). */
export type GetContactsOptions = OperationOptions;
/** Options of `deleteContacts` (permission: certificates/managecontacts). */
export type DeleteContactsOptions = OperationOptions;
/** Options of `getIssuer` (permission: certificates/getissuers). */
export type GetIssuerOptions = OperationOptions;
/** Options of `deleteIssuer` (permission: certificates/deleteissuers). */
export type DeleteIssuerOptions = OperationOptions;
