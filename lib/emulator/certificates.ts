/**
 * The certificates area of the local vault: create (Self, Unknown + merge, named issuers), import (PFX/PEM),
 * versions, policy, soft delete, backup, contacts and issuers. Every completed certificate version has a key and
 * a secret of the same name and version, both `managed`, the secret holding the PFX or PEM the policy asks for.
 *
 * Issuers, as emulated: `Self` signs at once; `Unknown` leaves the operation in progress with a CSR until a
 * merge; an issuer registered through the issuers API stays in progress (no CA to reach offline; cancel, delete
 * or merge it). Any other name is signed as `Self`: the service's recorded sessions carry the sanitized name of
 * their Self issuer, and a local vault has no CA to forward an unregistered name to.
 */
import { randomBytes, X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto';
import { type AttributeChanges, type Attributes, attributeChanges, renderAttributes } from './attributes.js';
import { decodeBackup, encodeBackup } from './backup.js';
import { badParameter, conflict, notFound } from './errors.js';
import { type Fields, bodyObject, optBool, optInt, optObject, optString, optStringArray, optTags, reqString } from './input.js';
import { type Deletion, type ObjectKind, type Version, type VersionedObjects, newVersion, nowSeconds, objectsOf } from './objects.js';
import { page } from './paging.js';
import { type Route, type VaultRequest, type VaultResponse, ok } from './router.js';
import { type Material, fromKeyObject, nodeKeys } from './key-material.js';
import { type KeyRecord, addKeyVersion, keysOf } from './keys.js';
import { type SecretRecord, secretsOf } from './secrets.js';
import type { Collection, Store } from './store.js';
import {
  CURVES,
  type CertificateProfile,
  type Curve,
  KEY_USAGES,
  type KeyAndChain,
  type KeySpec,
  type KeyUsage,
  Pkcs12Error,
  RSA_SIZES,
  type Sans,
  addMonths,
  certificateMatchesKey,
  createCsr,
  createSelfSignedCertificate,
  describeCertificate,
  fromPem,
  fromPfx,
  generatePrivateKey,
  keyBits,
  keySpecOf,
  leafFirst,
  looksLikePem,
  parseX5c,
  subjectName,
  thumbprint,
  toPem,
  toPfx,
} from './x509.js';

export const CERTIFICATES: ObjectKind = { kind: 'certificates', label: 'Certificate', notFoundCode: 'CertificateNotFound' };

const PKCS12 = 'application/x-pkcs12';
const PEM = 'application/x-pem-file';
const SERVER_AUTH_AND_CLIENT_AUTH = ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'];
const RETRY_AFTER = '10';
const IN_PROGRESS_DETAILS = 'Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.';
const MERGE_DETAILS = 'Pending certificate created. Please Perform Merge to complete the request.';

// ---------------------------------------------------------------------------------------------------------------
// Stored shapes

interface LifetimeAction {
  readonly trigger: { readonly lifetime_percentage?: number; readonly days_before_expiry?: number };
  readonly action: { readonly action_type: string };
}

interface IssuerParameters {
  readonly name: string;
  readonly cty?: string;
  readonly cert_transparency?: boolean;
}

/** A certificate policy with the service's defaults filled in, in the service's field order. */
export interface Policy {
  readonly key_props: { readonly exportable: boolean; readonly kty: string; readonly key_size: number; readonly crv?: Curve; readonly reuse_key: boolean };
  readonly secret_props: { readonly contentType: string };
  readonly x509_props: {
    readonly subject?: string;
    readonly sans?: Sans;
    readonly ekus: readonly string[];
    readonly key_usage: readonly KeyUsage[];
    readonly validity_months: number;
    readonly basic_constraints: { readonly ca: boolean };
  };
  readonly lifetime_actions: readonly LifetimeAction[];
  readonly issuer: IssuerParameters;
  readonly attributes: { readonly enabled: boolean; readonly created: number; readonly updated: number };
}

/** One certificate version. `cer` is absent while the version waits for its issuer. */
export interface CertificateRecord {
  readonly cer?: string;
  readonly attributes: Attributes;
  readonly tags?: Record<string, string>;
  readonly policy: Policy;
}

/** The pending operation of a name (one at a time), kept after completion until deleted, as the service does. */
interface OperationRecord {
  readonly version: string;
  readonly requestId: string;
  readonly issuer: IssuerParameters;
  readonly csr: string;
  readonly status: 'inProgress' | 'completed' | 'cancelled';
  readonly cancellationRequested: boolean;
  /** The pending key until the operation completes. */
  readonly key?: Material;
  readonly attributes: AttributeChanges;
  readonly tags?: Record<string, string>;
}

interface IssuerRecord {
  readonly name: string;
  readonly provider: string;
  readonly credentials?: Fields;
  readonly org_details?: Fields;
  readonly attributes: { readonly enabled: boolean; readonly created: number; readonly updated: number };
}

interface ContactsRecord {
  readonly contacts: readonly Fields[];
}

/** What a certificate backup carries per version: the certificate and its key and secret. */
interface BackupVersion {
  readonly certificate: CertificateRecord;
  readonly key?: KeyRecord;
  readonly secret?: SecretRecord;
}

// ---------------------------------------------------------------------------------------------------------------
// Policy: validation and the service's defaults

const ISSUER_SELF = 'self';
const ISSUER_UNKNOWN = 'unknown';

/**
 * A policy from a request, validated, with defaults filled in (`base` supplies the fields a partial update leaves
 * out). Throws the service's 400 for anything malformed.
 */
export function normalizePolicy(raw: Fields, now: number, base?: Policy): Policy {
  const keyProps = optObject(raw, 'key_props') ?? {};
  const x509Props = optObject(raw, 'x509_props') ?? {};
  const issuer = normalizeIssuer(optObject(raw, 'issuer'), base?.issuer);
  const key_props = normalizeKeyProps(keyProps, base?.key_props);
  const contentType = optString(optObject(raw, 'secret_props') ?? {}, 'contentType') ?? base?.secret_props.contentType ?? PKCS12;
  if (contentType !== PKCS12 && contentType !== PEM) throw badParameter(`Invalid secret content type '${contentType}'. Supported: ${PKCS12}, ${PEM}.`);
  const attributes = optObject(raw, 'attributes') ?? {};
  return {
    key_props,
    secret_props: { contentType },
    x509_props: normalizeX509Props(x509Props, key_props.kty, base?.x509_props),
    lifetime_actions: normalizeLifetimeActions(raw, issuer, base?.lifetime_actions),
    issuer,
    attributes: { enabled: optBool(attributes, 'enabled') ?? base?.attributes.enabled ?? true, created: base?.attributes.created ?? now, updated: now },
  };
}

function normalizeKeyProps(raw: Fields, base: Policy['key_props'] | undefined): Policy['key_props'] {
  const crvRaw = optString(raw, 'crv');
  const kty = optString(raw, 'kty') ?? (crvRaw ? 'EC' : (base?.kty ?? 'RSA'));
  if (!['RSA', 'RSA-HSM', 'EC', 'EC-HSM'].includes(kty)) throw badParameter(`Invalid key type '${kty}'. Certificates support RSA, RSA-HSM, EC and EC-HSM keys.`);
  const sameFamily = base !== undefined && base.kty.startsWith(kty.slice(0, 2));
  const size = optInt(raw, 'key_size');
  const exportable = optBool(raw, 'exportable') ?? base?.exportable ?? true;
  const reuse_key = optBool(raw, 'reuse_key') ?? base?.reuse_key ?? false;
  if (kty.startsWith('RSA')) {
    const key_size = size ?? (sameFamily ? base.key_size : 2048);
    if (!RSA_SIZES.includes(key_size)) throw badParameter(`Invalid key size ${key_size} for an RSA key. Supported sizes: ${RSA_SIZES.join(', ')}.`);
    if (crvRaw) throw badParameter('A curve name (crv) is only valid for EC keys.');
    return { exportable, kty, key_size, reuse_key };
  }
  const crv = (crvRaw ?? (sameFamily ? base.crv : undefined) ?? curveForSize(size)) as Curve;
  if (!CURVES.includes(crv)) throw badParameter(`Invalid curve name '${crv}'. Supported: ${CURVES.join(', ')}.`);
  const key_size = keyBits({ kty: 'EC', crv });
  if (size !== undefined && size !== key_size) throw badParameter(`Key size ${size} does not match curve ${crv}.`);
  return { exportable, kty, key_size, crv, reuse_key };
}

function curveForSize(size: number | undefined): Curve {
  const crv = CURVES.find((c) => c !== 'P-256K' && keyBits({ kty: 'EC', crv: c }) === (size ?? 256));
  if (!crv) throw badParameter(`Invalid key size ${String(size)} for an EC key.`);
  return crv;
}

function normalizeX509Props(raw: Fields, kty: string, base: Policy['x509_props'] | undefined): Policy['x509_props'] {
  const subject = optString(raw, 'subject') ?? base?.subject;
  const sansRaw = optObject(raw, 'sans');
  const sans = sansRaw ? normalizeSans(sansRaw) : base?.sans;
  if (!subject && !hasSans(sans)) throw badParameter('The policy must specify a subject or subject alternative names.');
  if (subject) validSubject(subject);
  const ekus = optStringArray(raw, 'ekus') ?? base?.ekus ?? SERVER_AUTH_AND_CLIENT_AUTH;
  for (const eku of ekus) if (!/^[0-2](\.\d+)+$/.test(eku)) throw badParameter(`Invalid extended key usage '${eku}': expected an object identifier.`);
  const keyUsage = optStringArray(raw, 'key_usage') ?? base?.key_usage ?? (kty.startsWith('EC') ? ['digitalSignature', 'keyAgreement'] : ['digitalSignature', 'keyEncipherment']);
  for (const usage of keyUsage) if (!(KEY_USAGES as readonly string[]).includes(usage)) throw badParameter(`Invalid key usage '${usage}'.`);
  const validity_months = optInt(raw, 'validity_months') ?? base?.validity_months ?? 12;
  if (validity_months < 1 || validity_months > 1200) throw badParameter('validity_months must be between 1 and 1200.');
  const ca = optBool(optObject(raw, 'basic_constraints') ?? {}, 'ca') ?? base?.basic_constraints.ca ?? false;
  return {
    ...(subject ? { subject } : {}),
    ...(sans ? { sans } : {}),
    ekus: [...ekus],
    key_usage: keyUsage as KeyUsage[],
    validity_months,
    basic_constraints: { ca },
  };
}

function validSubject(subject: string): void {
  try {
    subjectName(subject);
  } catch {
    throw badParameter(`Invalid subject '${subject}': expected an X.500 distinguished name such as CN=example.`);
  }
}

function normalizeSans(raw: Fields): Sans {
  const out: { dns_names?: string[]; emails?: string[]; upns?: string[] } = {};
  for (const field of ['dns_names', 'emails', 'upns'] as const) {
    const values = optStringArray(raw, field);
    if (values?.some((v) => v.trim() === '')) throw badParameter(`Empty value in sans.${field}.`);
    if (values) out[field] = values;
  }
  return out;
}

const hasSans = (sans: Sans | undefined): boolean => !!sans && [sans.dns_names, sans.emails, sans.upns].some((list) => !!list?.length);

function normalizeIssuer(raw: Fields | undefined, base: IssuerParameters | undefined): IssuerParameters {
  if (!raw) return base ?? { name: 'Unknown' };
  const name = optString(raw, 'name') ?? base?.name ?? 'Unknown';
  const cty = optString(raw, 'cty');
  const transparency = optBool(raw, 'cert_transparency');
  return { name, ...(cty === undefined ? {} : { cty }), ...(transparency === undefined ? {} : { cert_transparency: transparency }) };
}

function normalizeLifetimeActions(raw: Fields, issuer: IssuerParameters, base: readonly LifetimeAction[] | undefined): LifetimeAction[] {
  const value = raw['lifetime_actions'];
  if (value === undefined || value === null) {
    if (base) return [...base];
    // The service's default: renew self-made certificates, remind the contacts of the others.
    const action_type = issuer.name.toLowerCase() === ISSUER_UNKNOWN ? 'EmailContacts' : 'AutoRenew';
    return [{ trigger: { lifetime_percentage: 80 }, action: { action_type } }];
  }
  if (!Array.isArray(value)) throw badParameter("Property 'lifetime_actions' must be an array.");
  return value.map((item: unknown) => normalizeLifetimeAction(item));
}

function normalizeLifetimeAction(item: unknown): LifetimeAction {
  if (!item || typeof item !== 'object' || Array.isArray(item)) throw badParameter('Each lifetime action must be an object.');
  const trigger = optObject(item as Fields, 'trigger') ?? {};
  const percentage = optInt(trigger, 'lifetime_percentage');
  const days = optInt(trigger, 'days_before_expiry');
  if ((percentage === undefined) === (days === undefined)) throw badParameter('A lifetime action trigger needs exactly one of lifetime_percentage and days_before_expiry.');
  if (percentage !== undefined && (percentage < 1 || percentage > 99)) throw badParameter('lifetime_percentage must be between 1 and 99.');
  if (days !== undefined && days < 1) throw badParameter('days_before_expiry must be positive.');
  const actionType = optString(optObject(item as Fields, 'action') ?? {}, 'action_type');
  const action_type = ['AutoRenew', 'EmailContacts'].find((a) => a.toLowerCase() === actionType?.toLowerCase());
  if (!action_type) throw badParameter(`Invalid lifetime action type '${String(actionType)}'. Supported: AutoRenew, EmailContacts.`);
  return { trigger: percentage !== undefined ? { lifetime_percentage: percentage } : { days_before_expiry: days! }, action: { action_type } };
}

/** The key a policy asks for. */
function keySpec(policy: Policy): KeySpec {
  const { kty, key_size, crv } = policy.key_props;
  return kty.startsWith('RSA') ? { kty: 'RSA', size: key_size } : { kty: 'EC', crv: crv ?? 'P-256' };
}

function profileOf(policy: Policy): CertificateProfile {
  const x = policy.x509_props;
  return {
    // The service requires a subject or SANs; a SAN-only certificate still needs a name to sign, an empty CN.
    subject: x.subject ?? 'CN=',
    sans: x.sans ?? {},
    keyUsage: x.key_usage,
    ekus: x.ekus,
    validityMonths: x.validity_months,
    ca: x.basic_constraints.ca,
  };
}

/** The policy the service derives from an imported certificate (and the request's policy, when one was sent). */
function importedPolicy(raw: Fields | undefined, content: KeyAndChain, contentType: string, now: number): Policy {
  const info = describeCertificate(content.chain[0]!);
  const spec = keySpecOf(content.key!);
  const requested = raw ?? {};
  const keyProps = optObject(requested, 'key_props') ?? {};
  const base = normalizePolicy(
    {
      ...requested,
      key_props: { ...keyProps, kty: spec.kty, ...(spec.kty === 'EC' ? { crv: spec.crv } : { key_size: spec.size }) },
      secret_props: { contentType: optString(optObject(requested, 'secret_props') ?? {}, 'contentType') ?? contentType },
      x509_props: { subject: info.subject || 'CN=', ...(info.sans ? { sans: info.sans } : {}), ekus: info.ekus, key_usage: info.keyUsage, basic_constraints: { ca: info.ca } },
      issuer: optObject(requested, 'issuer') ?? { name: 'Unknown' },
    },
    now,
  );
  const validity_months = Math.max(1, Math.round((info.notAfter.getTime() - info.notBefore.getTime()) / (30.5 * 86_400_000)));
  return { ...base, x509_props: { ...base.x509_props, validity_months } };
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

const certificateId = (origin: string, name: string, version?: string): string => `${origin}/certificates/${name}${version ? `/${version}` : ''}`;

function renderPolicy(origin: string, name: string, policy: Policy): Record<string, unknown> {
  return { id: `${certificateId(origin, name)}/policy`, ...policy };
}

/** A CertificateBundle. */
function renderCertificate(origin: string, v: Version<CertificateRecord>, operation: OperationRecord | undefined): Record<string, unknown> {
  const r = v.value;
  return {
    id: certificateId(origin, v.name, v.version),
    ...(r.cer === undefined
      ? {}
      : {
          kid: `${origin}/keys/${v.name}/${v.version}`,
          sid: `${origin}/secrets/${v.name}/${v.version}`,
          x5t: thumbprint(Buffer.from(r.cer, 'base64')),
          cer: r.cer,
        }),
    attributes: renderAttributes(r.attributes),
    ...(r.tags === undefined ? {} : { tags: r.tags }),
    policy: renderPolicy(origin, v.name, r.policy),
    ...(operation ? { pending: { id: `${certificateId(origin, v.name)}/pending` } } : {}),
  };
}

/** A CertificateItem (lists): unversioned id for the list of names, versioned for the list of versions. */
function renderItem(origin: string, v: Version<CertificateRecord>, versioned: boolean): Record<string, unknown> {
  const r = v.value;
  return {
    id: certificateId(origin, v.name, versioned ? v.version : undefined),
    ...(r.cer === undefined ? {} : { x5t: thumbprint(Buffer.from(r.cer, 'base64')) }),
    attributes: renderAttributes(r.attributes),
    ...(r.tags === undefined ? {} : { tags: r.tags }),
  };
}

const deletion = (origin: string, d: Version<CertificateRecord> & Deletion): Record<string, unknown> => ({
  recoveryId: `${origin}/deletedcertificates/${d.name}`,
  deletedDate: d.deletedDate,
  scheduledPurgeDate: d.scheduledPurgeDate,
});

function renderOperation(origin: string, name: string, op: OperationRecord): Record<string, unknown> {
  const details = op.status !== 'inProgress' ? undefined : op.issuer.name.toLowerCase() === ISSUER_UNKNOWN ? MERGE_DETAILS : IN_PROGRESS_DETAILS;
  return {
    id: `${certificateId(origin, name)}/pending`,
    issuer: op.issuer,
    csr: op.csr,
    cancellation_requested: op.cancellationRequested,
    status: op.status,
    ...(details ? { status_details: details } : {}),
    ...(op.status === 'completed' ? { target: certificateId(origin, name) } : {}),
    request_id: op.requestId,
  };
}

const withoutPassword = ({ pwd: _pwd, ...rest }: Fields): Fields => rest;

function renderIssuer(origin: string, issuer: IssuerRecord): Record<string, unknown> {
  return {
    id: `${origin}/certificates/issuers/${issuer.name}`,
    provider: issuer.provider,
    // The account password is write-only, as in the service.
    ...(issuer.credentials ? { credentials: withoutPassword(issuer.credentials) } : {}),
    // The service answers a `zip: 0` nobody sent; so does the emulator, for clients that expect it.
    ...(issuer.org_details ? { org_details: { zip: 0, ...issuer.org_details } } : {}),
    attributes: issuer.attributes,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The area's state

const sameSpec = (a: KeySpec, b: KeySpec): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Validity of a certificate (DER) in epoch seconds. */
function validity(der: Uint8Array): { nbf: number; exp: number } {
  const cert = new NodeCertificate(der);
  return { nbf: Math.floor(Date.parse(cert.validFrom) / 1000), exp: Math.floor(Date.parse(cert.validTo) / 1000) };
}

const inSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Everything the certificate handlers work on, built once per store. */
class CertificateVault {
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
  async create(name: string, policy: Policy, changes: AttributeChanges, tags: Record<string, string> | undefined): Promise<OperationRecord> {
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
    };
    // The service shows the new version at once: disabled, no certificate yet, its validity planned.
    const created = inSeconds(now);
    const planned: CertificateRecord = {
      attributes: { enabled: false, nbf: created - 600, exp: inSeconds(addMonths(now, policy.x509_props.validity_months)), created, updated: created },
      ...(tags ? { tags } : {}),
      policy,
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
  import(name: string, content: KeyAndChain, policy: Policy, changes: AttributeChanges, tags: Record<string, string> | undefined): Version<CertificateRecord> {
    if (this.certificates.state(name) === 'deleted') throw this.certificates.deletedConflict(name);
    return this.store.transaction(() => this.#save(name, newVersion(), policy, content, changes, tags, undefined));
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
  ): Version<CertificateRecord> {
    const leaf = content.chain[0]!;
    const now = nowSeconds(this.store);
    const dates = validity(leaf);
    const enabled = changes.enabled ?? true;
    const attributes: Attributes = { enabled, ...dates, created: pending?.value.attributes.created ?? now, updated: now };
    const record: CertificateRecord = { cer: Buffer.from(leaf).toString('base64'), attributes, ...(tags ? { tags } : {}), policy };
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
    this.secrets.add(saved.name, version, {
      value: policy.secret_props.contentType === PEM ? toPem(secretContent) : Buffer.from(toPfx(secretContent)).toString('base64'),
      contentType: policy.secret_props.contentType,
      ...(tags ? { tags } : {}),
      attributes,
      kid: `/keys/${saved.name}/${version}`,
      managed: true,
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

// ---------------------------------------------------------------------------------------------------------------
// Request bodies

const includePending = (req: VaultRequest): boolean => req.query.get('includePending') === 'true';

/** The attribute changes of a request, without the raw object (operations keep them until completion). */
function changesOf(body: Fields): AttributeChanges {
  const { raw: _raw, ...changes } = attributeChanges(body);
  return changes;
}

/** A PFX (base64, with its password) or PEM text (or base64 of it), as an import's `value` may hold. */
function readImportValue(value: string, password: string, contentType: string | undefined): { content: KeyAndChain; contentType: string } {
  let content: KeyAndChain;
  let pem = contentType === PEM || value.includes('-----BEGIN');
  try {
    if (pem) content = fromPem(value, password);
    else {
      const bytes = Buffer.from(value, 'base64');
      pem = looksLikePem(bytes);
      content = pem ? fromPem(bytes.toString('utf8'), password) : fromPfx(bytes, password);
    }
  } catch (error) {
    if (error instanceof Pkcs12Error) throw badParameter(error.message);
    throw badParameter('The specified certificate content is not valid: expected a base64 PFX or PEM with a private key and certificate.');
  }
  if (!content.chain.length) throw badParameter('The specified certificate content contains no certificate.');
  if (!content.key) throw badParameter('The specified certificate content contains no private key.');
  if (!certificateMatchesKey(content.chain[0]!, content.key)) throw badParameter('The private key does not match the certificate.');
  try {
    keySpecOf(content.key);
  } catch {
    throw badParameter('The certificate key type is not supported: Key Vault certificates hold RSA or EC (P-256, P-384, P-521, P-256K) keys.');
  }
  return { content, contentType: contentType ?? (pem ? PEM : PKCS12) };
}

function contactsOf(body: Fields): Fields[] {
  const list = body['contacts'];
  if (!Array.isArray(list)) throw badParameter("Property 'contacts' must be an array.");
  return list.map((contact: unknown) => {
    if (!contact || typeof contact !== 'object' || Array.isArray(contact)) throw badParameter('Each contact must be an object.');
    const fields = contact as Fields;
    const email = optString(fields, 'email');
    const name = optString(fields, 'name');
    const phone = optString(fields, 'phone');
    if (!email && !name && !phone) throw badParameter('A contact needs an email, a name or a phone.');
    return { ...(email === undefined ? {} : { email }), ...(name === undefined ? {} : { name }), ...(phone === undefined ? {} : { phone }) };
  });
}

function issuerFrom(name: string, body: Fields, base: IssuerRecord | undefined, now: number): IssuerRecord {
  const provider = base ? (optString(body, 'provider') ?? base.provider) : reqString(body, 'provider');
  const credentials = optObject(body, 'credentials');
  const orgDetails = optObject(body, 'org_details');
  if (orgDetails && orgDetails['admin_details'] !== undefined && !Array.isArray(orgDetails['admin_details'])) throw badParameter("Property 'admin_details' must be an array.");
  const enabled = optBool(optObject(body, 'attributes') ?? {}, 'enabled');
  const mergedCredentials = credentials ? { ...base?.credentials, ...credentials } : base?.credentials;
  const org = orgDetails ?? base?.org_details;
  return {
    name: base?.name ?? name,
    provider,
    ...(mergedCredentials ? { credentials: mergedCredentials } : {}),
    ...(org ? { org_details: org } : {}),
    attributes: { enabled: enabled ?? base?.attributes.enabled ?? true, created: base?.attributes.created ?? now, updated: now },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Routes

/** The certificates route table. */
export function certificateRoutes(store: Store): Route[] {
  const vault = new CertificateVault(store);
  const name = (req: VaultRequest): string => req.params['name']!;
  const bundle = (req: VaultRequest, v: Version<CertificateRecord>): Record<string, unknown> => renderCertificate(req.origin, v, vault.operation(v.name));
  const deleted = (req: VaultRequest, d: Version<CertificateRecord> & Deletion) => ({ ...deletion(req.origin, d), ...renderCertificate(req.origin, d, undefined) });
  // Retry-After tells pollers to come back while the operation is in progress (not on its deletion).
  const operation = (req: VaultRequest, op: OperationRecord, retryAfter = op.status === 'inProgress'): VaultResponse => ({
    status: 200,
    body: renderOperation(req.origin, vault.certificates.get(name(req)).name, op),
    ...(retryAfter ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
  });
  const visible = (req: VaultRequest) => (v: Version<CertificateRecord>) => includePending(req) || v.value.cer !== undefined;
  const issuer = (req: VaultRequest): IssuerRecord => vault.issuer(name(req));
  const contacts = (): ContactsRecord => vault.contactsRecord();
  const renderContacts = (req: VaultRequest, c: ContactsRecord) => ({ id: `${req.origin}/certificates/contacts`, contacts: c.contacts });

  return [
    {
      method: 'POST',
      path: '/certificates/{name}/create',
      handler: async (req) => {
        const body = bodyObject(req);
        const policy = optObject(body, 'policy');
        if (!policy) throw badParameter("Property 'policy' is required.");
        const normalized = normalizePolicy(policy, nowSeconds(store));
        const op = await vault.create(name(req), normalized, changesOf(body), optTags(body));
        const display = vault.certificates.get(name(req)).name;
        // The service answers the creation itself as in progress, whatever the issuer; the next poll tells more.
        const started: OperationRecord = { ...op, status: 'inProgress' };
        return {
          status: 202,
          body: renderOperation(req.origin, display, started),
          headers: { Location: `${certificateId(req.origin, display)}/pending?api-version=${req.apiVersion}&request_id=${op.requestId}`, 'Retry-After': RETRY_AFTER },
        };
      },
    },
    {
      method: 'POST',
      path: '/certificates/{name}/import',
      handler: async (req) => {
        const body = bodyObject(req);
        const policyRaw = optObject(body, 'policy');
        const requestedType = policyRaw && optString(optObject(policyRaw, 'secret_props') ?? {}, 'contentType');
        const { content, contentType } = readImportValue(reqString(body, 'value'), optString(body, 'pwd') ?? '', requestedType);
        const policy = importedPolicy(policyRaw, content, contentType, nowSeconds(store));
        return ok(bundle(req, vault.import(name(req), content, policy, changesOf(body), optTags(body))));
      },
    },
    { method: 'GET', path: '/certificates/{name}/pending', handler: (req) => operation(req, vault.pendingOperation(name(req))) },
    {
      method: 'PATCH',
      path: '/certificates/{name}/pending',
      handler: (req) => {
        const requested = optBool(bodyObject(req), 'cancellation_requested');
        if (requested === undefined) throw badParameter("Property 'cancellation_requested' is required.");
        const op = vault.pendingOperation(name(req));
        if (!requested) return operation(req, op);
        const cancelled: OperationRecord = { ...op, cancellationRequested: true, ...(op.status === 'inProgress' ? { status: 'cancelled' as const } : {}) };
        vault.operations.put(name(req).toLowerCase(), cancelled);
        return operation(req, cancelled);
      },
    },
    {
      method: 'DELETE',
      path: '/certificates/{name}/pending',
      handler: (req) => {
        const op = vault.pendingOperation(name(req));
        const response = operation(req, op, false);
        vault.operations.delete(name(req).toLowerCase());
        return response;
      },
    },
    {
      method: 'POST',
      path: '/certificates/{name}/pending/merge',
      handler: (req) => {
        const body = bodyObject(req);
        const x5c = optStringArray(body, 'x5c');
        if (!x5c?.length) throw badParameter('Property x5c has invalid value X5C must has at least one valid item');
        const op = vault.pendingOperation(name(req));
        if (op.status !== 'inProgress' || !op.key) throw conflict(`The pending operation of certificate ${name(req)} is ${op.status}: there is nothing to merge.`);
        let chain: Uint8Array[];
        try {
          chain = parseX5c(x5c);
        } catch {
          throw badParameter('Property x5c has invalid value X5C must has at least one valid item');
        }
        const key = nodeKeys(op.key).private;
        // The service finds the leaf by the pending key; a chain without it is refused, as there.
        if (!chain.some((c) => certificateMatchesKey(c, key))) throw badParameter('Unable to parse X5c certificate chain and locate leaf certificate');
        const changes = changesOf(body);
        const tags = optTags(body) ?? op.tags;
        const merged: OperationRecord = { ...op, attributes: { ...op.attributes, ...changes }, ...(tags ? { tags } : {}) };
        const done = vault.complete(name(req), merged, leafFirst({ key, chain }).chain, key);
        return { status: 201, body: bundle(req, done), headers: { Location: `${certificateId(req.origin, done.name)}?api-version=${req.apiVersion}` } };
      },
    },
    { method: 'GET', path: '/certificates/{name}/policy', handler: (req) => { const v = vault.certificates.get(name(req)); return ok(renderPolicy(req.origin, v.name, v.value.policy)); } },
    {
      method: 'PATCH',
      path: '/certificates/{name}/policy',
      handler: (req) => {
        const latest = vault.certificates.get(name(req));
        const policy = normalizePolicy(bodyObject(req), nowSeconds(store), latest.value.policy);
        vault.certificates.replace(latest, { ...latest.value, policy });
        return ok(renderPolicy(req.origin, latest.name, policy));
      },
    },
    {
      method: 'GET',
      path: '/certificates/{name}/versions',
      handler: (req) => ok(page(req, vault.certificates.versions(name(req)), (v) => v.version, (v) => renderItem(req.origin, v, true))),
    },
    { method: 'GET', path: '/certificates/{name}/{version?}', handler: (req) => ok(bundle(req, vault.certificates.get(name(req), req.params['version']))) },
    {
      method: 'PATCH',
      path: '/certificates/{name}/{version?}',
      handler: (req) => {
        const body = bodyObject(req);
        const found = vault.certificates.get(name(req), req.params['version']);
        const changes = changesOf(body);
        const tags = optTags(body);
        const policyRaw = optObject(body, 'policy');
        const now = nowSeconds(store);
        const record: CertificateRecord = {
          ...found.value,
          // nbf and exp belong to the certificate itself; only `enabled` can change.
          attributes: { ...found.value.attributes, ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }), updated: now },
          ...(tags === undefined ? {} : { tags }),
          ...(policyRaw ? { policy: normalizePolicy(policyRaw, now, found.value.policy) } : {}),
        };
        return ok(bundle(req, vault.update(found, record)));
      },
    },
    { method: 'DELETE', path: '/certificates/{name}', handler: (req) => ok(deleted(req, vault.delete(name(req)))) },
    {
      method: 'GET',
      path: '/certificates',
      handler: (req) => ok(page(req, vault.certificates.list().filter(visible(req)), (v) => v.name.toLowerCase(), (v) => renderItem(req.origin, v, false))),
    },
    { method: 'POST', path: '/certificates/{name}/backup', handler: (req) => ok({ value: vault.backup(name(req)) }) },
    { method: 'POST', path: '/certificates/restore', handler: (req) => ok(bundle(req, vault.restore(reqString(bodyObject(req), 'value')))) },
    { method: 'GET', path: '/deletedcertificates/{name}', handler: (req) => ok(deleted(req, vault.certificates.getDeleted(name(req)))) },
    {
      method: 'GET',
      path: '/deletedcertificates',
      handler: (req) =>
        ok(
          page(
            req,
            vault.certificates.listDeleted().filter(visible(req)),
            (d) => d.name.toLowerCase(),
            (d) => ({ ...deletion(req.origin, d), ...renderItem(req.origin, d, false) }),
          ),
        ),
    },
    { method: 'POST', path: '/deletedcertificates/{name}/recover', handler: (req) => ok(bundle(req, vault.recover(name(req)))) },
    {
      method: 'DELETE',
      path: '/deletedcertificates/{name}',
      handler: (req) => {
        vault.purge(name(req));
        return { status: 204 };
      },
    },
    {
      method: 'PUT',
      path: '/certificates/contacts',
      handler: (req) => {
        const record: ContactsRecord = { contacts: contactsOf(bodyObject(req)) };
        vault.contacts.put('contacts', record);
        return ok(renderContacts(req, record));
      },
    },
    { method: 'GET', path: '/certificates/contacts', handler: (req) => ok(renderContacts(req, contacts())) },
    {
      method: 'DELETE',
      path: '/certificates/contacts',
      handler: (req) => {
        const record = contacts();
        vault.contacts.delete('contacts');
        return ok(renderContacts(req, record));
      },
    },
    {
      method: 'GET',
      path: '/certificates/issuers',
      handler: (req) => {
        const all = [...vault.issuers.values()].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
        return ok(page(req, all, (i) => i.name.toLowerCase(), (i) => ({ id: `${req.origin}/certificates/issuers/${i.name}`, provider: i.provider })));
      },
    },
    {
      method: 'PUT',
      path: '/certificates/issuers/{name}',
      handler: (req) => {
        const record = issuerFrom(name(req), bodyObject(req), undefined, nowSeconds(store));
        vault.issuers.put(name(req).toLowerCase(), record);
        return ok(renderIssuer(req.origin, record));
      },
    },
    { method: 'GET', path: '/certificates/issuers/{name}', handler: (req) => ok(renderIssuer(req.origin, issuer(req))) },
    {
      method: 'PATCH',
      path: '/certificates/issuers/{name}',
      handler: (req) => {
        const record = issuerFrom(name(req), bodyObject(req), issuer(req), nowSeconds(store));
        vault.issuers.put(name(req).toLowerCase(), record);
        return ok(renderIssuer(req.origin, record));
      },
    },
    {
      method: 'DELETE',
      path: '/certificates/issuers/{name}',
      handler: (req) => {
        const record = issuer(req);
        vault.issuers.delete(name(req).toLowerCase());
        return ok(renderIssuer(req.origin, record));
      },
    },
  ];
}
