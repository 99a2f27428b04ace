import { X509Certificate } from 'node:crypto';
import { ResourceClient } from '../core/resource-client.js';
import { send, signalOf, type Operation } from '../core/operation.js';
import type { OperationOptions } from '../core/options.js';
import { ValidationError } from '../core/errors.js';
import { checkName, checkVersion } from '../core/validate.js';
import { pagedList, type PagedAsyncIterableIterator } from '../paging/paged.js';
import { Poller, softDeleteSteps } from '../polling/poller.js';
import type { ObservableTwins } from '../rx/observable.js';
import { secretOperations } from '../secrets/operations.js';
import { compact, toAttributes } from '../wire/codecs.js';
import type {
  AdministratorContact, BackupCertificateOptions, BeginCreateCertificateOptions, BeginDeleteCertificateOptions, BeginRecoverDeletedCertificateOptions,
  CancelCertificateOperationOptions, CertificateContact, CertificateIssuer, CertificateOperation, CertificatePolicy, CertificateProperties,
  CreateIssuerOptions, DeleteCertificateOperationOptions, DeleteCertificateState, DeleteContactsOptions, DeleteIssuerOptions, DeletedCertificate,
  GetCertificateOperationOptions, GetCertificateOptions, GetCertificatePolicyOptions, GetCertificateVersionOptions, GetCertificateWithPrivateKeyOptions,
  GetContactsOptions, GetDeletedCertificateOptions, GetIssuerOptions, ImportCertificateOptions, IssuerProperties, KeyVaultCertificate,
  KeyVaultCertificateWithPolicy, ListDeletedCertificatesOptions, ListPropertiesOfCertificatesOptions, ListPropertiesOfCertificateVersionsOptions,
  ListPropertiesOfIssuersOptions, MergeCertificateOptions, PurgeDeletedCertificateOptions, RecoverDeletedCertificateState,
  RestoreCertificateBackupOptions, SetContactsOptions, UpdateCertificatePolicyOptions, UpdateCertificatePropertiesOptions, UpdateIssuerOptions,
} from './models.js';
import { certificateOperations as ops } from './operations.js';
import { CertificateOperationPoller, type CertificateOperationRequests } from './poller.js';
import { checkPolicy, toWirePolicy } from './policy.js';
import { looksLikePem, pemCertificates, readCertificateSecret, type CertificateWithPrivateKey } from './private-key.js';
import type { ClientContext } from '../core/context.js';
import { toCertificateProperties, toDeletedCertificate, toIssuerProperties } from './transform.js';

/** Passes only the abort signal on: the rest of an options object is the operation's own. */
const withSignal = (signal: AbortSignal | undefined): OperationOptions => (signal ? { abortSignal: signal } : {});
const nonEmpty = <T extends object>(value: T): T | undefined => (Object.keys(value).length ? value : undefined);

/** The many operations that take just a checked name: `{name}` in the path, nothing else. */
function byName<R>(ctx: ClientContext, operation: Operation<never, R>, name: string, what: 'certificate name' | 'issuer name', options: OperationOptions | undefined): Promise<R> {
  checkName(name, what);
  return send(ctx, operation as Operation<unknown, R>, { params: { name } }, signalOf(options));
}

/** The requests behind the create and operation pollers of one certificate. */
function operationRequests(ctx: ClientContext, name: string, start: CertificateOperationRequests['start']): CertificateOperationRequests {
  const params = { name };
  return {
    start,
    read: (signal) => send(ctx, ops.getOperation, { params }, withSignal(signal)),
    getCertificate: (signal) => send(ctx, ops.getCertificate, { params: { name, version: '' } }, withSignal(signal)),
    cancel: (signal) => send(ctx, ops.updateOperation, { params, body: { cancellation_requested: true } }, withSignal(signal)),
  };
}

/** `attributes`, `tags` and `preserveCertOrder` of create, import and update bodies. */
function attributesAndTags(options: CertificateProperties | undefined) {
  return {
    attributes: nonEmpty(toAttributes(options ?? {})),
    tags: options?.tags,
    preserveCertOrder: options?.preserveCertificateOrder,
  };
}

function issuerBody(provider: string | undefined, options: UpdateIssuerOptions | undefined) {
  const admins = options?.administratorContacts?.map((a: AdministratorContact) => compact({ first_name: a.firstName, last_name: a.lastName, email: a.email, phone: a.phone }));
  return compact({
    provider,
    credentials: nonEmpty(compact({ account_id: options?.accountId, pwd: options?.password })),
    org_details: nonEmpty(compact({ id: options?.organizationId, admin_details: admins })),
    attributes: options?.enabled === undefined ? undefined : { enabled: options.enabled },
  });
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/** Bytes that are base64 text decoded (DER and PFX are binary, never all base64 characters); others as they are. */
const unBase64 = (bytes: Uint8Array): Uint8Array => {
  const text = Buffer.from(bytes).toString('latin1');
  return BASE64_TEXT.test(text) ? new Uint8Array(Buffer.from(text, 'base64')) : bytes;
};

const isCertificate = (der: Uint8Array): boolean => {
  try {
    return Boolean(new X509Certificate(der));
  } catch {
    return false;
  }
};

/**
 * DER certificates from DER bytes, PEM text (a chain may come as one PEM file), or base64 text of
 * DER, which Microsoft's own merge sample passes.
 */
function derCertificates(certificates: readonly (Uint8Array | string)[]): string[] {
  if (!Array.isArray(certificates) || certificates.length === 0) throw new ValidationError('mergeCertificate needs at least one certificate.', 'InvalidCertificate');
  return certificates.flatMap((entry) => {
    const bytes = typeof entry === 'string' ? new Uint8Array(Buffer.from(entry, 'utf8')) : entry;
    if (!(bytes instanceof Uint8Array)) throw new ValidationError('Certificates must be Uint8Array (DER or PEM) or PEM strings.', 'InvalidCertificate');
    if (looksLikePem(bytes)) return pemCertificates(Buffer.from(bytes).toString('utf8')).map((der) => Buffer.from(der).toString('base64'));
    // Not recognised here (e.g. base64 text that kept its `-----END CERTIFICATE-----` line, as Microsoft's sample
    // sends): sent base64-encoded as Microsoft's client sends every entry, for the service to judge.
    const der = unBase64(bytes);
    return [Buffer.from(isCertificate(der) ? der : bytes).toString('base64')];
  });
}

function checkContacts(contacts: CertificateContact[]): void {
  if (!Array.isArray(contacts) || contacts.length === 0) throw new ValidationError('setContacts needs at least one contact (use deleteContacts to remove them all).', 'InvalidContacts');
  for (const contact of contacts) {
    if (!contact || !(contact.email || contact.name || contact.phone)) throw new ValidationError('Each contact needs an email, a name or a phone.', 'InvalidContacts');
  }
}

class CertificateOperations extends ResourceClient {
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
    const requests = operationRequests(this.ctx, certificateName, (signal) => send(this.ctx, ops.createCertificate, { params, body }, withSignal(signal)));
    return CertificateOperationPoller.start(requests, certificateName, options);
  }

  /** The latest version of a certificate, with its policy. Permission: certificates/get. */
  async getCertificate(certificateName: string, options?: GetCertificateOptions): Promise<KeyVaultCertificateWithPolicy> {
    checkName(certificateName, 'certificate name');
    return send(this.ctx, ops.getCertificate, { params: { name: certificateName, version: '' } }, signalOf(options));
  }

  /** One version of a certificate. Permission: certificates/get. */
  async getCertificateVersion(certificateName: string, version: string, options?: GetCertificateVersionOptions): Promise<KeyVaultCertificate> {
    checkName(certificateName, 'certificate name');
    if (!checkVersion(version)) throw new ValidationError('getCertificateVersion needs a version; use getCertificate for the latest.', 'InvalidVersion');
    return send(this.ctx, ops.getCertificateVersion, { params: { name: certificateName, version } }, signalOf(options));
  }

  /**
   * A poller over a certificate's pending operation (e.g. one started elsewhere, or awaiting a merge).
   * Permission: certificates/get.
   */
  async getCertificateOperation(certificateName: string, options?: GetCertificateOperationOptions): Promise<CertificateOperationPoller> {
    checkName(certificateName, 'certificate name');
    const requests = operationRequests(this.ctx, certificateName, (signal) => send(this.ctx, ops.getOperation, { params: { name: certificateName } }, withSignal(signal)));
    return CertificateOperationPoller.start(requests, certificateName, options);
  }

  /** Asks the vault to cancel a pending creation. Permission: certificates/update. */
  async cancelCertificateOperation(certificateName: string, options?: CancelCertificateOperationOptions): Promise<CertificateOperation> {
    checkName(certificateName, 'certificate name');
    return send(this.ctx, ops.updateOperation, { params: { name: certificateName }, body: { cancellation_requested: true } }, signalOf(options));
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
    return send(this.ctx, ops.mergeCertificate, { params: { name: certificateName }, body: { x5c: derCertificates(x509Certificates) } }, signalOf(options));
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
    return send(this.ctx, ops.importCertificate, { params: { name: certificateName }, body }, signalOf(options));
  }

  /**
   * Changes a version's attributes and tags (`version` empty: the latest). Permission: certificates/update.
   */
  async updateCertificateProperties(certificateName: string, version: string, options?: UpdateCertificatePropertiesOptions): Promise<KeyVaultCertificate> {
    checkName(certificateName, 'certificate name');
    const { attributes, tags } = attributesAndTags(options);
    return send(this.ctx, ops.updateCertificate, { params: { name: certificateName, version: checkVersion(version) }, body: compact({ attributes: attributes ?? {}, tags }) }, signalOf(options));
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
    return send(this.ctx, ops.updatePolicy, { params: { name: certificateName }, body: toWirePolicy(policy) }, signalOf(options));
  }

  /**
   * Deletes a certificate (all versions, its key and secret). The poller completes once the deleted
   * certificate can be read (soft-delete on) or at once. Permission: certificates/delete.
   */
  async beginDeleteCertificate(certificateName: string, options?: BeginDeleteCertificateOptions): Promise<Poller<DeletedCertificate, DeleteCertificateState>> {
    const name = certificateName;
    checkName(name, 'certificate name');
    const steps = softDeleteSteps(
      (signal) => send(this.ctx, ops.deleteCertificate, { params: { name } }, withSignal(signal)),
      (signal) => send(this.ctx, ops.getDeletedCertificate, { params: { name } }, withSignal(signal)),
      (deleted) => !deleted.recoveryId,
    );
    return Poller.begin<DeletedCertificate, DeleteCertificateState>(steps, { name, certificateName: name, isStarted: false, isCompleted: false }, options);
  }

  /** A deleted certificate, with its policy. Permission: certificates/get. */
  async getDeletedCertificate(certificateName: string, options?: GetDeletedCertificateOptions): Promise<DeletedCertificate> {
    return byName(this.ctx, ops.getDeletedCertificate, certificateName, 'certificate name', options);
  }

  /** Recovers a deleted certificate; the poller completes once it can be read again. Permission: certificates/recover. */
  async beginRecoverDeletedCertificate(certificateName: string, options?: BeginRecoverDeletedCertificateOptions): Promise<Poller<KeyVaultCertificateWithPolicy, RecoverDeletedCertificateState>> {
    const name = certificateName;
    checkName(name, 'certificate name');
    const steps = softDeleteSteps(
      (signal) => send(this.ctx, ops.recoverDeletedCertificate, { params: { name } }, withSignal(signal)),
      (signal) => send(this.ctx, ops.getCertificate, { params: { name, version: '' } }, withSignal(signal)),
    );
    return Poller.begin<KeyVaultCertificateWithPolicy, RecoverDeletedCertificateState>(steps, { name, certificateName: name, isStarted: false, isCompleted: false }, options);
  }

  /** Deletes a deleted certificate for good. Resolves `null`, as Microsoft's does. Permission: certificates/purge. */
  async purgeDeletedCertificate(certificateName: string, options?: PurgeDeletedCertificateOptions): Promise<null> {
    return byName(this.ctx, ops.purgeDeletedCertificate, certificateName, 'certificate name', options);
  }

  /** An opaque, encrypted copy of all versions, restorable in a vault of the same subscription and geography. Permission: certificates/backup. */
  async backupCertificate(certificateName: string, options?: BackupCertificateOptions): Promise<Uint8Array> {
    return byName(this.ctx, ops.backupCertificate, certificateName, 'certificate name', options);
  }

  /** Restores a backup; fails with a `ConflictError` if the name exists. Permission: certificates/restore. */
  async restoreCertificateBackup(backup: Uint8Array, options?: RestoreCertificateBackupOptions): Promise<KeyVaultCertificateWithPolicy> {
    if (!(backup instanceof Uint8Array) || backup.length === 0) throw new ValidationError('A backup must be a non-empty Uint8Array.', 'InvalidBackup');
    return send(this.ctx, ops.restoreCertificate, { body: { value: Buffer.from(backup).toString('base64url') } }, signalOf(options));
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
    return send(this.ctx, ops.setContacts, { body }, signalOf(options));
  }

  /** The vault's certificate contacts (a `NotFoundError` when none are set). Permission: certificates/managecontacts. */
  async getContacts(options?: GetContactsOptions): Promise<CertificateContact[]> {
    return send(this.ctx, ops.getContacts, {}, signalOf(options));
  }

  /** Removes every certificate contact and returns the ones removed. Permission: certificates/managecontacts. */
  async deleteContacts(options?: DeleteContactsOptions): Promise<CertificateContact[]> {
    return send(this.ctx, ops.deleteContacts, {}, signalOf(options));
  }

  /**
   * Adds (or replaces) a certificate issuer. Permission: certificates/setissuers.
   * @param issuerName - The name policies refer to in `issuerName`.
   * @param provider - The issuer provider, e.g. `DigiCert` or `GlobalSign`.
   */
  async createIssuer(issuerName: string, provider: string, options?: CreateIssuerOptions): Promise<CertificateIssuer> {
    checkName(issuerName, 'issuer name');
    if (typeof provider !== 'string' || provider.trim() === '') throw new ValidationError('createIssuer needs a provider.', 'InvalidIssuer');
    return send(this.ctx, ops.setIssuer, { params: { name: issuerName }, body: issuerBody(provider, options) }, signalOf(options));
  }

  /** Changes an issuer; members left out stay as they are. Permission: certificates/setissuers. */
  async updateIssuer(issuerName: string, options?: UpdateIssuerOptions): Promise<CertificateIssuer> {
    checkName(issuerName, 'issuer name');
    return send(this.ctx, ops.updateIssuer, { params: { name: issuerName }, body: issuerBody(options?.provider, options) }, signalOf(options));
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
    const secret = await send(this.ctx, secretOperations.getSecret, { params: { name: certificateName, version }, ...(query ? { query } : {}) }, signalOf(options));
    if (!secret.value) throw new ValidationError(`The secret of certificate ${certificateName} has no value.`, 'NoPrivateKey');
    const { contentType, version: read, id } = secret.properties;
    const readCer = async () => (await send(this.ctx, ops.getCertificateVersion, { params: { name: certificateName, version: read ?? version } }, signalOf(options))).cer;
    return readCertificateSecret(secret.value, contentType, format, { name: certificateName, version: read, secretId: id }, readCer);
  }
}

/** The certificates of one vault: every operation as a Promise method and as an Observable (`name$`) twin. */
export interface CertificateClient extends ObservableTwins<CertificateOperations> {}
/** The certificates of one vault: every operation as a Promise method and as an Observable (`name$`) twin. */
export class CertificateClient extends CertificateOperations {}
