/** The area's state: `CertificateVault` creates, completes, imports, saves, deletes, recovers and backs up certificates with their companion key and secret. */
import { randomBytes, X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto';
import type { AttributeChanges, Attributes } from '../attributes.js';
import { decodeBackup, encodeBackup } from '../backup.js';
import { badParameter, conflict, notFound } from '../errors.js';
import { type Deletion, type Version, type VersionedObjects, newVersion, nowSeconds, objectsOf } from '../objects.js';
import { fromKeyObject, nodeKeys } from '../key-material.js';
import { type KeyRecord, addKeyVersion, keysOf } from '../keys.js';
import { type SecretRecord, secretsOf } from '../secrets.js';
import type { Collection, Store } from '../store.js';
import { addMonths, createCsr, createSelfSignedCertificate } from '../../pki/certificates.js';
import { type KeySpec, generatePrivateKey, keySpecOf } from '../../pki/keys.js';
import { type KeyAndChain, toPem } from '../../pki/pem.js';
import { writePfx } from '../../pki/pkcs12.js';
import { ISSUER_SELF, ISSUER_UNKNOWN, keySpec, profileOf } from './policy.js';
import { type BackupVersion, CERTIFICATES, type CertificateRecord, type ContactsRecord, type IssuerRecord, type OperationRecord, PEM, type Policy } from './records.js';

const sameSpec = (a: KeySpec, b: KeySpec): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Validity of a certificate (DER) in epoch seconds. */
function validity(der: Uint8Array): { nbf: number; exp: number } {
  const cert = new NodeCertificate(der);
  return { nbf: Math.floor(Date.parse(cert.validFrom) / 1000), exp: Math.floor(Date.parse(cert.validTo) / 1000) };
}

const inSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Everything the certificate handlers work on, built once per store. */
export class CertificateVault {
  readonly certificates: VersionedObjects<CertificateRecord>;
  readonly secrets: VersionedObjects<SecretRecord>;
  readonly keys: VersionedObjects<KeyRecord>;
  readonly operations: Collection<OperationRecord>;
  readonly issuers: Collection<IssuerRecord>;
  readonly contacts: Collection<ContactsRecord>;

  constructor(readonly store: Store) {
    this.certificates = objectsOf<CertificateRecord>(store, CERTIFICATES);
    this.secrets = secretsOf(store);
    this.keys = keysOf(store);
    this.operations = store.collection<OperationRecord>('certificates.operations');
    this.issuers = store.collection<IssuerRecord>('certificates.issuers');
    this.contacts = store.collection<ContactsRecord>('certificates.contacts');
  }

  operation(name: string): OperationRecord | undefined {
    return this.certificates.state(name) === 'active' ? this.operations.get(name.toLowerCase()) : undefined;
  }

  issuer(name: string): IssuerRecord {
    const found = this.issuers.get(name.toLowerCase());
    if (!found) throw notFound('CertificateIssuerNotFound', 'Issuer not found');
    return found;
  }

  contactsRecord(): ContactsRecord {
    const found = this.contacts.get('contacts');
    if (!found) throw notFound('ContactsNotFound', 'Contacts not found');
    return found;
  }

  pendingOperation(name: string): OperationRecord {
    const op = this.operation(name);
    if (!op) throw notFound('PendingCertificateNotFound', `Pending certificate not found: ${name}`);
    return op;
  }

  /** Starts a new version from a policy: a pending version, then (issuer permitting) the signed certificate. */
  async create(name: string, policy: Policy, changes: AttributeChanges, tags: Record<string, string> | undefined, preserveCertOrder?: boolean): Promise<OperationRecord> {
    if (this.certificates.state(name) === 'deleted') throw this.certificates.deletedConflict(name);
    if (this.operation(name)?.status === 'inProgress') throw conflict(`Certificate ${name} has a pending operation in progress: cancel, delete or merge it first.`);
    const key = await this.#newKey(name, policy);
    const csr = await createCsr(profileOf(policy), key);
    const now = this.store.clock.now();
    const version = newVersion();
    const op: OperationRecord = {
      version,
      requestId: randomBytes(16).toString('hex'),
      issuer: policy.issuer,
      csr: Buffer.from(csr).toString('base64'),
      status: 'inProgress',
      cancellationRequested: false,
      key: fromKeyObject(key),
      attributes: changes,
      ...(tags ? { tags } : {}),
      ...(preserveCertOrder === undefined ? {} : { preserveCertOrder }),
    };
    // The service shows the new version at once: disabled, no certificate yet, its validity planned.
    const created = inSeconds(now);
    const planned: CertificateRecord = {
      attributes: { enabled: false, nbf: created - 600, exp: inSeconds(addMonths(now, policy.x509_props.validity_months)), created, updated: created },
      ...(tags ? { tags } : {}),
      policy,
      ...(preserveCertOrder === undefined ? {} : { preserveCertOrder }),
    };
    this.store.transaction(() => {
      this.certificates.add(name, version, planned);
      this.operations.put(name.toLowerCase(), op);
    });
    if (this.#signsItself(policy.issuer.name)) this.complete(name, op, [await createSelfSignedCertificate(profileOf(policy), key, now)], key);
    return op;
  }

  // The latest key is reused when the policy asks for it and it still fits the policy.
  async #newKey(name: string, policy: Policy): Promise<KeyObject> {
    const latest = policy.key_props.reuse_key ? this.#latestCompleted(name) : undefined;
    const stored = latest && companion(this.keys, latest.name, latest.version, (k) => nodeKeys(k.material).private);
    if (stored && sameSpec(keySpecOf(stored), keySpec(policy))) return stored;
    return generatePrivateKey(keySpec(policy));
  }

  #latestCompleted(name: string): Version<CertificateRecord> | undefined {
    if (this.certificates.state(name) !== 'active') return undefined;
    return this.certificates
      .versions(name)
      .filter((v) => v.value.cer !== undefined)
      .sort((a, b) => a.value.attributes.created - b.value.attributes.created)
      .pop();
  }

  #signsItself(issuer: string): boolean {
    const lower = issuer.toLowerCase();
    return lower === ISSUER_SELF || (lower !== ISSUER_UNKNOWN && !this.issuers.has(lower));
  }

  /** Completes a pending version with its chain (self-signed or merged): certificate, key and secret together. */
  complete(name: string, op: OperationRecord, chain: readonly Uint8Array[], key: KeyObject): Version<CertificateRecord> {
    const pending = this.certificates.get(name, op.version);
    const { key: _done, ...rest } = op;
    return this.store.transaction(() => {
      const done = this.#save(name, op.version, pending.value.policy, { key, chain }, op.attributes, op.tags, pending);
      this.operations.put(name.toLowerCase(), { ...rest, status: 'completed' });
      return done;
    });
  }

  /** Imports a certificate with its key as a new version. */
  import(name: string, content: KeyAndChain, policy: Policy, changes: AttributeChanges, tags: Record<string, string> | undefined, preserveCertOrder?: boolean): Version<CertificateRecord> {
    if (this.certificates.state(name) === 'deleted') throw this.certificates.deletedConflict(name);
    return this.store.transaction(() => this.#save(name, newVersion(), policy, content, changes, tags, undefined, preserveCertOrder));
  }

  /** Writes a completed version: the certificate, its managed key and its managed secret, in one transaction. */
  #save(
    name: string,
    version: string,
    policy: Policy,
    content: KeyAndChain,
    changes: AttributeChanges,
    tags: Record<string, string> | undefined,
    pending: Version<CertificateRecord> | undefined,
    preserveCertOrder = pending?.value.preserveCertOrder,
  ): Version<CertificateRecord> {
    const leaf = content.chain[0]!;
    const now = nowSeconds(this.store);
    const dates = validity(leaf);
    const enabled = changes.enabled ?? true;
    const attributes: Attributes = { enabled, ...dates, created: pending?.value.attributes.created ?? now, updated: now };
    const record: CertificateRecord = {
      cer: Buffer.from(leaf).toString('base64'),
      attributes,
      ...(tags ? { tags } : {}),
      policy,
      ...(preserveCertOrder === undefined ? {} : { preserveCertOrder }),
    };
    const saved = pending ? this.certificates.replace(pending, record) : this.certificates.add(name, version, record);
    // The key's own `exportable` attribute is about key release, not the policy's exportable: it stays off.
    addKeyVersion(this.store, saved.name, {
      kty: policy.key_props.kty as KeyRecord['kty'],
      material: fromKeyObject(content.key!),
      attributes: { enabled, ...dates },
      tags,
      managed: true,
      version,
    });
    const secretContent = policy.key_props.exportable ? content : { chain: content.chain };
    // 2025-07-01's `previousVersion`: the certificate version this one replaces (the secret's latest, same version ids).
    const previous = this.secrets.state(saved.name) === 'active' ? this.secrets.get(saved.name).version : undefined;
    this.secrets.add(saved.name, version, {
      value: policy.secret_props.contentType === PEM ? toPem(secretContent) : Buffer.from(writePfx(secretContent)).toString('base64'),
      contentType: policy.secret_props.contentType,
      ...(tags ? { tags } : {}),
      attributes,
      kid: `/keys/${saved.name}/${version}`,
      managed: true,
      ...(previous === undefined ? {} : { previousVersion: previous }),
    });
    return saved;
  }

  /** Attribute and tag changes reach the key and the secret too, as the service keeps them in step. */
  update(found: Version<CertificateRecord>, record: CertificateRecord): Version<CertificateRecord> {
    return this.store.transaction(() => {
      for (const objects of this.#companions()) {
        if (objects.state(found.name) !== 'active') continue;
        try {
          const companion = objects.get(found.name, found.version) as Version<{ attributes: Attributes; tags?: Record<string, string> }>;
          const { tags: _old, ...value } = companion.value;
          objects.replace(companion, { ...value, attributes: { ...value.attributes, enabled: record.attributes.enabled, updated: record.attributes.updated }, ...(record.tags ? { tags: record.tags } : {}) });
        } catch {
          // a pending version has no key or secret yet
        }
      }
      return this.certificates.replace(found, record);
    });
  }

  #companions(): Array<VersionedObjects<unknown>> {
    return [this.secrets, this.keys] as Array<VersionedObjects<unknown>>;
  }

  /** The certificate, its key and its secret are deleted, recovered and purged together. */
  delete(name: string): Version<CertificateRecord> & Deletion {
    return this.store.transaction(() => {
      const deleted = this.certificates.delete(name);
      for (const objects of this.#companions()) if (objects.state(name) === 'active') objects.delete(name);
      return deleted;
    });
  }

  recover(name: string): Version<CertificateRecord> {
    return this.store.transaction(() => {
      const recovered = this.certificates.recover(name);
      for (const objects of this.#companions()) if (objects.state(name) === 'deleted') objects.recover(name);
      return recovered;
    });
  }

  purge(name: string): void {
    this.store.transaction(() => {
      this.certificates.purge(name);
      for (const objects of this.#companions()) if (objects.state(name) === 'deleted') objects.purge(name);
      this.operations.delete(name.toLowerCase());
    });
  }

  /** A self-contained blob: every version with its key and secret. */
  backup(name: string): string {
    const snapshot = this.certificates.snapshot(name);
    const versions = snapshot.versions.map(([version, certificate]): readonly [string, BackupVersion] => [
      version,
      { certificate, ...companion(this.keys, name, version, (key) => ({ key })), ...companion(this.secrets, name, version, (secret) => ({ secret })) },
    ]);
    return encodeBackup<BackupVersion>(CERTIFICATES.kind, { ...snapshot, versions });
  }

  restore(blob: string): Version<CertificateRecord> {
    const snapshot = decodeBackup<BackupVersion>(CERTIFICATES.kind, blob);
    if (!snapshot.versions.every(([, v]) => typeof v?.certificate?.policy === 'object')) throw badParameter('Backup blob contains invalid data.');
    const completed = snapshot.versions.filter(([, v]) => v.key !== undefined && v.secret !== undefined);
    const latest = completed[completed.length - 1]?.[0];
    return this.store.transaction(() => {
      const restored = this.certificates.restore({ ...snapshot, versions: snapshot.versions.map(([v, b]) => [v, b.certificate] as const) });
      if (latest) {
        this.keys.restore({ name: snapshot.name, latest, versions: completed.map(([v, b]) => [v, b.key!] as const) });
        this.secrets.restore({ name: snapshot.name, latest, versions: completed.map(([v, b]) => [v, b.secret!] as const) });
      }
      return restored;
    });
  }
}

function companion<V, R>(objects: VersionedObjects<V>, name: string, version: string, wrap: (value: V) => R): R | undefined {
  try {
    return wrap(objects.get(name, version).value);
  } catch {
    return undefined;
  }
}
