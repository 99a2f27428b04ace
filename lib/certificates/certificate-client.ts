import { ResourceClient } from '../resources/resource-client.js';
import { pollOptions, send, perCallOf } from '../core/operation.js';
import { ValidationError } from '../core/errors.js';
import { checkName, checkVersion } from '../core/validate.js';
import { pagedList, type PagedAsyncIterableIterator } from '../paging/paged.js';
import type { Poller } from '../polling/poller.js';
import { softDeleteLifecycle } from '../resources/soft-delete.js';
import { fromCall } from '../rx/from-call.js';
import { fromPaged } from '../rx/from-paged.js';
import { fromPoller } from '../rx/from-poller.js';
import type { ObservableTwins } from '../rx/twins.js';
import { secretOperations } from '../secrets/operations.js';
import { compact } from '../wire/codecs.js';
import type {
  BackupCertificateOptions, BeginCreateCertificateOptions, BeginDeleteCertificateOptions, BeginRecoverDeletedCertificateOptions,
  CancelCertificateOperationOptions, CertificateContact, CertificateIssuer, CertificateOperation, CertificatePolicy, CertificateProperties,
  CreateIssuerOptions, DeleteCertificateOperationOptions, DeleteCertificateState, DeleteContactsOptions, DeleteIssuerOptions, DeletedCertificate,
  GetCertificateOperationOptions, GetCertificateOptions, GetCertificatePolicyOptions, GetCertificateVersionOptions, GetCertificateWithPrivateKeyOptions,
  GetContactsOptions, GetDeletedCertificateOptions, GetIssuerOptions, ImportCertificateOptions, IssuerProperties, KeyVaultCertificate,
  KeyVaultCertificateWithPolicy, ListDeletedCertificatesOptions, ListPropertiesOfCertificatesOptions, ListPropertiesOfCertificateVersionsOptions,
  ListPropertiesOfIssuersOptions, MergeCertificateOptions, PurgeDeletedCertificateOptions, RecoverDeletedCertificateState,
  RestoreCertificateBackupOptions, SetContactsOptions, UpdateCertificatePolicyOptions, UpdateCertificatePropertiesOptions, UpdateIssuerOptions,
} from './models.js';
import { certificateOperations as ops } from './operations.js';
import { attributesAndTags, byName, checkContacts, derCertificates, issuerBody, operationRequests, unBase64 } from './requests.js';
import { CertificateOperationPoller } from './poller.js';
import { checkPolicy, toWirePolicy } from './policy.js';
import { looksLikePem, readCertificateSecret, type CertificateWithPrivateKey } from './private-key.js';
import { toCertificateProperties, toDeletedCertificate, toIssuerProperties } from './transform.js';

/** Delete, recover, purge, backup and restore, shared with secrets and keys. */
const lifecycle = softDeleteLifecycle({
  what: 'certificate name',
  delete: ops.deleteCertificate,
  getDeleted: ops.getDeletedCertificate,
  recover: ops.recoverDeletedCertificate,
  readRecovered: (ctx, name, options) => send(ctx, ops.getCertificate, { params: { name, version: '' } }, options),
  purge: ops.purgeDeletedCertificate,
  backup: ops.backupCertificate,
  restore: ops.restoreCertificate,
  isPurgedAtOnce: (deleted) => !deleted.recoveryId,
  stateOf: (certificateName) => ({ certificateName }),
});

/** The certificates of one vault: every operation as a Promise method and as an Observable (`name$`) twin. */
export class CertificateClient extends ResourceClient implements ObservableTwins<CertificateClient> {
  /**
   * Creates a certificate (or a new version) from a policy. Returns a poller that reads
   * `/certificates/{name}/pending` until the operation leaves `inProgress`, then the certificate;
   * `poller.cancelOperation()` cancels it. Permission: certificates/create.
   * @param certificateName - 1–127 letters, digits and dashes.
   * @param policy - E.g. `{ issuerName: 'Self', subject: 'CN=example.com' }`; impossible policies are rejected before sending.
   */
  async beginCreateCertificate(certificateName: string, policy: CertificatePolicy, options?: BeginCreateCertificateOptions): Promise<CertificateOperationPoller> {
    checkName(certificateName, 'certificate name');
    checkPolicy(policy, true);
    const params = { name: certificateName };
    const body = compact({ policy: toWirePolicy(policy), ...attributesAndTags(options) });
    const requests = operationRequests(this.ctx, certificateName, (signal) => send(this.ctx, ops.createCertificate, { params, body }, pollOptions(options, signal)), options);
    return CertificateOperationPoller.start(requests, certificateName, options);
  }

  /** The latest version of a certificate, with its policy. Permission: certificates/get. */
  async getCertificate(certificateName: string, options?: GetCertificateOptions): Promise<KeyVaultCertificateWithPolicy> {
    checkName(certificateName, 'certificate name');
    return send(this.ctx, ops.getCertificate, { params: { name: certificateName, version: '' } }, perCallOf(options));
  }

  /** One version of a certificate. Permission: certificates/get. */
  async getCertificateVersion(certificateName: string, version: string, options?: GetCertificateVersionOptions): Promise<KeyVaultCertificate> {
    checkName(certificateName, 'certificate name');
    if (!checkVersion(version)) throw new ValidationError('getCertificateVersion needs a version; use getCertificate for the latest.', 'InvalidVersion');
    return send(this.ctx, ops.getCertificateVersion, { params: { name: certificateName, version } }, perCallOf(options));
  }

  /**
   * A poller over a certificate's pending operation (e.g. one started elsewhere, or awaiting a merge).
   * Permission: certificates/get.
   */
  async getCertificateOperation(certificateName: string, options?: GetCertificateOperationOptions): Promise<CertificateOperationPoller> {
    checkName(certificateName, 'certificate name');
    const requests = operationRequests(this.ctx, certificateName, (signal) => send(this.ctx, ops.getOperation, { params: { name: certificateName } }, pollOptions(options, signal)), options);
    return CertificateOperationPoller.start(requests, certificateName, options);
  }

  /** Asks the vault to cancel a pending creation. Permission: certificates/update. */
  async cancelCertificateOperation(certificateName: string, options?: CancelCertificateOperationOptions): Promise<CertificateOperation> {
    checkName(certificateName, 'certificate name');
    return send(this.ctx, ops.updateOperation, { params: { name: certificateName }, body: { cancellation_requested: true } }, perCallOf(options));
  }

  /** Deletes a certificate's (finished or pending) operation record. Permission: certificates/update. */
  async deleteCertificateOperation(certificateName: string, options?: DeleteCertificateOperationOptions): Promise<CertificateOperation> {
    return byName(this.ctx, ops.deleteOperation, certificateName, 'certificate name', options);
  }

  /**
   * Completes a pending certificate (issuer `Unknown`) with the certificate your CA signed from the
   * operation's `csr`, plus its chain. Permission: certificates/create.
   * @param x509Certificates - DER certificates, or PEM text (as bytes or strings; a PEM may hold a whole chain).
   */
  async mergeCertificate(certificateName: string, x509Certificates: (Uint8Array | string)[], options?: MergeCertificateOptions): Promise<KeyVaultCertificateWithPolicy> {
    checkName(certificateName, 'certificate name');
    return send(this.ctx, ops.mergeCertificate, { params: { name: certificateName }, body: { x5c: derCertificates(x509Certificates) } }, perCallOf(options));
  }

  /**
   * Imports a certificate with its private key: PFX bytes (with `options.password` if encrypted) or
   * PEM text (key and chain). PEM is detected and sent with the `application/x-pem-file` content
   * type the service needs. Permission: certificates/import.
   * @param certificateBytes - PFX or PEM bytes; or a string: PEM text, or the PFX in base64.
   */
  async importCertificate(certificateName: string, certificateBytes: Uint8Array | string, options?: ImportCertificateOptions): Promise<KeyVaultCertificateWithPolicy> {
    checkName(certificateName, 'certificate name');
    const text = typeof certificateBytes === 'string' ? new Uint8Array(Buffer.from(certificateBytes, 'utf8')) : undefined;
    const bytes = text ? (looksLikePem(text) ? text : unBase64(text)) : (certificateBytes as Uint8Array);
    if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new ValidationError('importCertificate needs the PFX bytes or PEM text.', 'InvalidCertificate');
    const pem = looksLikePem(bytes);
    const contentType = pem ? 'application/x-pem-file' : 'application/x-pkcs12';
    const policy = options?.policy;
    if (policy) checkPolicy(policy, false);
    if (policy?.contentType !== undefined && policy.contentType !== contentType) {
      throw new ValidationError(`The policy says ${policy.contentType} but the bytes are ${pem ? 'PEM' : 'PKCS#12'}.`, 'InvalidPolicy');
    }
    const wirePolicy = policy ? toWirePolicy({ ...policy, contentType }) : pem ? { secret_props: { contentType } } : undefined;
    const body = compact({
      value: pem ? Buffer.from(bytes).toString('utf8') : Buffer.from(bytes).toString('base64'),
      pwd: options?.password,
      policy: wirePolicy,
      attributes: options?.enabled === undefined ? undefined : { enabled: options.enabled },
      tags: options?.tags,
      preserveCertOrder: options?.preserveCertificateOrder,
    });
    return send(this.ctx, ops.importCertificate, { params: { name: certificateName }, body }, perCallOf(options));
  }

  /**
   * Changes a version's attributes and tags (`version` empty: the latest). Permission: certificates/update.
   */
  async updateCertificateProperties(certificateName: string, version: string, options?: UpdateCertificatePropertiesOptions): Promise<KeyVaultCertificate> {
    checkName(certificateName, 'certificate name');
    const { attributes, tags } = attributesAndTags(options);
    return send(this.ctx, ops.updateCertificate, { params: { name: certificateName, version: checkVersion(version) }, body: compact({ attributes: attributes ?? {}, tags }) }, perCallOf(options));
  }

  /** A certificate's policy. Permission: certificates/get. */
  async getCertificatePolicy(certificateName: string, options?: GetCertificatePolicyOptions): Promise<CertificatePolicy> {
    return byName(this.ctx, ops.getPolicy, certificateName, 'certificate name', options);
  }

  /**
   * Changes a certificate's policy for its next versions (members left out stay as they are) and
   * returns the policy as updated. Permission: certificates/update.
   */
  async updateCertificatePolicy(certificateName: string, policy: CertificatePolicy, options?: UpdateCertificatePolicyOptions): Promise<CertificatePolicy> {
    checkName(certificateName, 'certificate name');
    checkPolicy(policy, false);
    return send(this.ctx, ops.updatePolicy, { params: { name: certificateName }, body: toWirePolicy(policy) }, perCallOf(options));
  }

  /**
   * Deletes a certificate (all versions, its key and secret). The poller completes once the deleted
   * certificate can be read (soft-delete on) or at once. Permission: certificates/delete.
   */
  async beginDeleteCertificate(certificateName: string, options?: BeginDeleteCertificateOptions): Promise<Poller<DeletedCertificate, DeleteCertificateState>> {
    return lifecycle.beginDelete(this.ctx, certificateName, options);
  }

  /** A deleted certificate, with its policy. Permission: certificates/get. */
  async getDeletedCertificate(certificateName: string, options?: GetDeletedCertificateOptions): Promise<DeletedCertificate> {
    return lifecycle.getDeleted(this.ctx, certificateName, options);
  }

  /** Recovers a deleted certificate; the poller completes once it can be read again. Permission: certificates/recover. */
  async beginRecoverDeletedCertificate(certificateName: string, options?: BeginRecoverDeletedCertificateOptions): Promise<Poller<KeyVaultCertificateWithPolicy, RecoverDeletedCertificateState>> {
    return lifecycle.beginRecover(this.ctx, certificateName, options);
  }

  /** Deletes a deleted certificate for good. Resolves `null`, as Microsoft's does. Permission: certificates/purge. */
  async purgeDeletedCertificate(certificateName: string, options?: PurgeDeletedCertificateOptions): Promise<null> {
    await lifecycle.purge(this.ctx, certificateName, options);
    return null;
  }

  /** An opaque, encrypted copy of all versions, restorable in a vault of the same subscription and geography. Permission: certificates/backup. */
  async backupCertificate(certificateName: string, options?: BackupCertificateOptions): Promise<Uint8Array> {
    return lifecycle.backup(this.ctx, certificateName, options);
  }

  /** Restores a backup; fails with a `ConflictError` if the name exists. Permission: certificates/restore. */
  async restoreCertificateBackup(backup: Uint8Array, options?: RestoreCertificateBackupOptions): Promise<KeyVaultCertificateWithPolicy> {
    return lifecycle.restore(this.ctx, backup, options);
  }

  /** Every certificate's latest properties, page by page. Permission: certificates/list. */
  listPropertiesOfCertificates(options?: ListPropertiesOfCertificatesOptions): PagedAsyncIterableIterator<CertificateProperties> {
    return pagedList(this.ctx, ops.listCertificates, { query: { includePending: options?.includePending } }, toCertificateProperties, options);
  }

  /** Every version's properties of one certificate. Permission: certificates/list. */
  listPropertiesOfCertificateVersions(certificateName: string, options?: ListPropertiesOfCertificateVersionsOptions): PagedAsyncIterableIterator<CertificateProperties> {
    checkName(certificateName, 'certificate name');
    return pagedList(this.ctx, ops.listCertificateVersions, { params: { name: certificateName } }, toCertificateProperties, options);
  }

  /** Deleted certificates still recoverable. Permission: certificates/list. */
  listDeletedCertificates(options?: ListDeletedCertificatesOptions): PagedAsyncIterableIterator<DeletedCertificate> {
    return pagedList(this.ctx, ops.listDeletedCertificates, { query: { includePending: options?.includePending } }, toDeletedCertificate, options);
  }

  /** Replaces the vault's certificate contacts; returns them as stored. Permission: certificates/managecontacts. */
  async setContacts(contacts: CertificateContact[], options?: SetContactsOptions): Promise<CertificateContact[]> {
    checkContacts(contacts);
    const body = { contacts: contacts.map((c) => compact({ email: c!.email, name: c!.name, phone: c!.phone })) };
    return send(this.ctx, ops.setContacts, { body }, perCallOf(options));
  }

  /** The vault's certificate contacts (a `NotFoundError` when none are set). Permission: certificates/managecontacts. */
  async getContacts(options?: GetContactsOptions): Promise<CertificateContact[]> {
    return send(this.ctx, ops.getContacts, {}, perCallOf(options));
  }

  /** Removes every certificate contact and returns the ones removed. Permission: certificates/managecontacts. */
  async deleteContacts(options?: DeleteContactsOptions): Promise<CertificateContact[]> {
    return send(this.ctx, ops.deleteContacts, {}, perCallOf(options));
  }

  /**
   * Adds (or replaces) a certificate issuer. Permission: certificates/setissuers.
   * @param issuerName - The name policies refer to in `issuerName`.
   * @param provider - The issuer provider, e.g. `DigiCert` or `GlobalSign`.
   */
  async createIssuer(issuerName: string, provider: string, options?: CreateIssuerOptions): Promise<CertificateIssuer> {
    checkName(issuerName, 'issuer name');
    if (typeof provider !== 'string' || provider.trim() === '') throw new ValidationError('createIssuer needs a provider.', 'InvalidIssuer');
    return send(this.ctx, ops.setIssuer, { params: { name: issuerName }, body: issuerBody(provider, options) }, perCallOf(options));
  }

  /** Changes an issuer; members left out stay as they are. Permission: certificates/setissuers. */
  async updateIssuer(issuerName: string, options?: UpdateIssuerOptions): Promise<CertificateIssuer> {
    checkName(issuerName, 'issuer name');
    return send(this.ctx, ops.updateIssuer, { params: { name: issuerName }, body: issuerBody(options?.provider, options) }, perCallOf(options));
  }

  /** An issuer, with its name read from its id. Permission: certificates/getissuers. */
  async getIssuer(issuerName: string, options?: GetIssuerOptions): Promise<CertificateIssuer> {
    return byName(this.ctx, ops.getIssuer, issuerName, 'issuer name', options);
  }

  /** Deletes an issuer and returns it. Permission: certificates/deleteissuers. */
  async deleteIssuer(issuerName: string, options?: DeleteIssuerOptions): Promise<CertificateIssuer> {
    return byName(this.ctx, ops.deleteIssuer, issuerName, 'issuer name', options);
  }

  /** Every issuer's name and provider. Permission: certificates/getissuers. */
  listPropertiesOfIssuers(options?: ListPropertiesOfIssuersOptions): PagedAsyncIterableIterator<IssuerProperties> {
    return pagedList(this.ctx, ops.listIssuers, {}, toIssuerProperties, options);
  }

  /**
   * The certificate with its private key, read from the certificate's secret
   * (`GET /secrets/{name}/{version}`): the chain as `X509Certificate`s and PEM, the key as a
   * `KeyObject` and PEM, and the PFX bytes with `format: 'pfx'`. The private parts are not
   * enumerable and never printed. Needs an exportable policy. Permission: secrets/get.
   */
  async getCertificateWithPrivateKey(certificateName: string, options?: GetCertificateWithPrivateKeyOptions): Promise<CertificateWithPrivateKey> {
    checkName(certificateName, 'certificate name');
    const version = checkVersion(options?.version);
    const format = options?.format ?? 'pem';
    if (format !== 'pem' && format !== 'pfx') throw new ValidationError(`format must be 'pem' or 'pfx', not ${JSON.stringify(format)}.`, 'InvalidFormat');
    // On 2025-07-01 the vault converts; on older versions the secret comes as stored and is converted here.
    const query = this.ctx.apiVersion === '2025-07-01' ? { outContentType: format === 'pem' ? 'application/x-pem-file' : 'application/x-pkcs12' } : undefined;
    const secret = await send(this.ctx, secretOperations.getSecret, { params: { name: certificateName, version }, ...(query ? { query } : {}) }, perCallOf(options));
    if (!secret.value) throw new ValidationError(`The secret of certificate ${certificateName} has no value.`, 'NoPrivateKey');
    const { contentType, version: read, id } = secret.properties;
    const readCer = async () => (await send(this.ctx, ops.getCertificateVersion, { params: { name: certificateName, version: read ?? version } }, perCallOf(options))).cer;
    return readCertificateSecret(secret.value, contentType, format, { name: certificateName, version: read, secretId: id }, readCer);
  }

  // The Observable twins, one line each over an rx/ adapter; `implements ObservableTwins` checks them all.
  /** {@link CertificateClient.beginCreateCertificate} as a cold, cancellable Observable. */
  beginCreateCertificate$(certificateName: string, policy: CertificatePolicy, options?: BeginCreateCertificateOptions) { return fromPoller(options, (o) => this.beginCreateCertificate(certificateName, policy, o)); }
  /** {@link CertificateClient.getCertificate} as a cold, cancellable Observable. */
  getCertificate$(certificateName: string, options?: GetCertificateOptions) { return fromCall(options, (o) => this.getCertificate(certificateName, o)); }
  /** {@link CertificateClient.getCertificateVersion} as a cold, cancellable Observable. */
  getCertificateVersion$(certificateName: string, version: string, options?: GetCertificateVersionOptions) { return fromCall(options, (o) => this.getCertificateVersion(certificateName, version, o)); }
  /** {@link CertificateClient.getCertificateOperation} as a cold, cancellable Observable. */
  getCertificateOperation$(certificateName: string, options?: GetCertificateOperationOptions) { return fromPoller(options, (o) => this.getCertificateOperation(certificateName, o)); }
  /** {@link CertificateClient.cancelCertificateOperation} as a cold, cancellable Observable. */
  cancelCertificateOperation$(certificateName: string, options?: CancelCertificateOperationOptions) { return fromCall(options, (o) => this.cancelCertificateOperation(certificateName, o)); }
  /** {@link CertificateClient.deleteCertificateOperation} as a cold, cancellable Observable. */
  deleteCertificateOperation$(certificateName: string, options?: DeleteCertificateOperationOptions) { return fromCall(options, (o) => this.deleteCertificateOperation(certificateName, o)); }
  /** {@link CertificateClient.mergeCertificate} as a cold, cancellable Observable. */
  mergeCertificate$(certificateName: string, x509Certificates: (Uint8Array | string)[], options?: MergeCertificateOptions) { return fromCall(options, (o) => this.mergeCertificate(certificateName, x509Certificates, o)); }
  /** {@link CertificateClient.importCertificate} as a cold, cancellable Observable. */
  importCertificate$(certificateName: string, certificateBytes: Uint8Array | string, options?: ImportCertificateOptions) { return fromCall(options, (o) => this.importCertificate(certificateName, certificateBytes, o)); }
  /** {@link CertificateClient.updateCertificateProperties} as a cold, cancellable Observable. */
  updateCertificateProperties$(certificateName: string, version: string, options?: UpdateCertificatePropertiesOptions) { return fromCall(options, (o) => this.updateCertificateProperties(certificateName, version, o)); }
  /** {@link CertificateClient.getCertificatePolicy} as a cold, cancellable Observable. */
  getCertificatePolicy$(certificateName: string, options?: GetCertificatePolicyOptions) { return fromCall(options, (o) => this.getCertificatePolicy(certificateName, o)); }
  /** {@link CertificateClient.updateCertificatePolicy} as a cold, cancellable Observable. */
  updateCertificatePolicy$(certificateName: string, policy: CertificatePolicy, options?: UpdateCertificatePolicyOptions) { return fromCall(options, (o) => this.updateCertificatePolicy(certificateName, policy, o)); }
  /** {@link CertificateClient.beginDeleteCertificate} as a cold, cancellable Observable. */
  beginDeleteCertificate$(certificateName: string, options?: BeginDeleteCertificateOptions) { return fromPoller(options, (o) => this.beginDeleteCertificate(certificateName, o)); }
  /** {@link CertificateClient.getDeletedCertificate} as a cold, cancellable Observable. */
  getDeletedCertificate$(certificateName: string, options?: GetDeletedCertificateOptions) { return fromCall(options, (o) => this.getDeletedCertificate(certificateName, o)); }
  /** {@link CertificateClient.beginRecoverDeletedCertificate} as a cold, cancellable Observable. */
  beginRecoverDeletedCertificate$(certificateName: string, options?: BeginRecoverDeletedCertificateOptions) { return fromPoller(options, (o) => this.beginRecoverDeletedCertificate(certificateName, o)); }
  /** {@link CertificateClient.purgeDeletedCertificate} as a cold, cancellable Observable. */
  purgeDeletedCertificate$(certificateName: string, options?: PurgeDeletedCertificateOptions) { return fromCall(options, (o) => this.purgeDeletedCertificate(certificateName, o)); }
  /** {@link CertificateClient.backupCertificate} as a cold, cancellable Observable. */
  backupCertificate$(certificateName: string, options?: BackupCertificateOptions) { return fromCall(options, (o) => this.backupCertificate(certificateName, o)); }
  /** {@link CertificateClient.restoreCertificateBackup} as a cold, cancellable Observable. */
  restoreCertificateBackup$(backup: Uint8Array, options?: RestoreCertificateBackupOptions) { return fromCall(options, (o) => this.restoreCertificateBackup(backup, o)); }
  /** {@link CertificateClient.listPropertiesOfCertificates} as a cold, cancellable Observable. */
  listPropertiesOfCertificates$(options?: ListPropertiesOfCertificatesOptions) { return fromPaged(options, (o) => this.listPropertiesOfCertificates(o)); }
  /** {@link CertificateClient.listPropertiesOfCertificateVersions} as a cold, cancellable Observable. */
  listPropertiesOfCertificateVersions$(certificateName: string, options?: ListPropertiesOfCertificateVersionsOptions) { return fromPaged(options, (o) => this.listPropertiesOfCertificateVersions(certificateName, o)); }
  /** {@link CertificateClient.listDeletedCertificates} as a cold, cancellable Observable. */
  listDeletedCertificates$(options?: ListDeletedCertificatesOptions) { return fromPaged(options, (o) => this.listDeletedCertificates(o)); }
  /** {@link CertificateClient.setContacts} as a cold, cancellable Observable. */
  setContacts$(contacts: CertificateContact[], options?: SetContactsOptions) { return fromCall(options, (o) => this.setContacts(contacts, o)); }
  /** {@link CertificateClient.getContacts} as a cold, cancellable Observable. */
  getContacts$(options?: GetContactsOptions) { return fromCall(options, (o) => this.getContacts(o)); }
  /** {@link CertificateClient.deleteContacts} as a cold, cancellable Observable. */
  deleteContacts$(options?: DeleteContactsOptions) { return fromCall(options, (o) => this.deleteContacts(o)); }
  /** {@link CertificateClient.createIssuer} as a cold, cancellable Observable. */
  createIssuer$(issuerName: string, provider: string, options?: CreateIssuerOptions) { return fromCall(options, (o) => this.createIssuer(issuerName, provider, o)); }
  /** {@link CertificateClient.updateIssuer} as a cold, cancellable Observable. */
  updateIssuer$(issuerName: string, options?: UpdateIssuerOptions) { return fromCall(options, (o) => this.updateIssuer(issuerName, o)); }
  /** {@link CertificateClient.getIssuer} as a cold, cancellable Observable. */
  getIssuer$(issuerName: string, options?: GetIssuerOptions) { return fromCall(options, (o) => this.getIssuer(issuerName, o)); }
  /** {@link CertificateClient.deleteIssuer} as a cold, cancellable Observable. */
  deleteIssuer$(issuerName: string, options?: DeleteIssuerOptions) { return fromCall(options, (o) => this.deleteIssuer(issuerName, o)); }
  /** {@link CertificateClient.listPropertiesOfIssuers} as a cold, cancellable Observable. */
  listPropertiesOfIssuers$(options?: ListPropertiesOfIssuersOptions) { return fromPaged(options, (o) => this.listPropertiesOfIssuers(o)); }
  /** {@link CertificateClient.getCertificateWithPrivateKey} as a cold, cancellable Observable. */
  getCertificateWithPrivateKey$(certificateName: string, options?: GetCertificateWithPrivateKeyOptions) { return fromCall(options, (o) => this.getCertificateWithPrivateKey(certificateName, o)); }
}
