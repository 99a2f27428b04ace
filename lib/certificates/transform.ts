import { ValidationError } from '../core/errors.js';
import { parseKeyVaultId } from '../identifiers/index.js';
import { compact, fromAttributes, fromBase64, toDate, type WireAttributes } from '../wire/codecs.js';
import type {
  AdministratorContact, CertificateContact, CertificateIssuer, CertificateOperation, CertificateOperationError, CertificateProperties,
  DeletedCertificate, IssuerProperties, KeyVaultCertificate, KeyVaultCertificateWithPolicy,
} from './models.js';
import { fromWirePolicy, type WirePolicy } from './policy.js';

/** `CertificateBundle` / `CertificateItem` / `DeletedCertificate*` as served. */
export interface WireCertificate {
  id?: string;
  kid?: string;
  sid?: string;
  x5t?: string;
  cer?: string;
  contentType?: string;
  attributes?: WireAttributes;
  tags?: Record<string, string>;
  policy?: WirePolicy;
  preserveCertOrder?: boolean;
  recoveryId?: string;
  scheduledPurgeDate?: number;
  deletedDate?: number;
}

export interface WireError {
  code?: string;
  message?: string;
  innererror?: WireError | null;
}

/** `CertificateOperation` as served. */
export interface WireOperation {
  id?: string;
  issuer?: { name?: string; cty?: string; cert_transparency?: boolean };
  csr?: string;
  cancellation_requested?: boolean;
  status?: string;
  status_details?: string;
  error?: WireError | null;
  target?: string;
  request_id?: string;
  preserveCertOrder?: boolean;
}

export interface WireIssuer {
  id?: string;
  provider?: string;
  credentials?: { account_id?: string; pwd?: string };
  org_details?: { id?: string; admin_details?: { first_name?: string; last_name?: string; email?: string; phone?: string }[] };
  attributes?: { enabled?: boolean; created?: number; updated?: number };
}

export interface WireContacts {
  id?: string;
  contacts?: { email?: string; name?: string; phone?: string }[];
}

// Buffers, as Microsoft's (`fromBase64` reads both alphabets).
const bytes = (base64: string | undefined) => (base64 === undefined ? undefined : fromBase64(base64));

export function toCertificateProperties(wire: WireCertificate): CertificateProperties {
  const id = parseKeyVaultId(wire.id ?? '');
  const thumbprint = bytes(wire.x5t);
  const { enabled, notBefore, expiresOn, createdOn, updatedOn, recoveryLevel, recoverableDays } = fromAttributes(wire.attributes);
  return compact({
    id: wire.id,
    name: id.name,
    vaultUrl: id.vaultUrl,
    version: id.version,
    enabled, notBefore, expiresOn, createdOn, updatedOn, recoveryLevel, recoverableDays,
    tags: wire.tags,
    x509Thumbprint: thumbprint,
    x509ThumbprintString: thumbprint && Buffer.from(thumbprint).toString('hex'),
    preserveCertificateOrder: wire.preserveCertOrder,
  });
}

export function toKeyVaultCertificate(wire: WireCertificate): KeyVaultCertificate {
  const properties = toCertificateProperties(wire);
  return compact({ id: wire.id, name: properties.name!, keyId: wire.kid, secretId: wire.sid, cer: bytes(wire.cer), properties });
}

export function toCertificateWithPolicy(wire: WireCertificate): KeyVaultCertificateWithPolicy {
  return compact({ ...toKeyVaultCertificate(wire), policy: wire.policy ? fromWirePolicy(wire.policy) : undefined });
}

export function toDeletedCertificate(wire: WireCertificate): DeletedCertificate {
  return compact({
    ...toCertificateWithPolicy(wire),
    recoveryId: wire.recoveryId,
    scheduledPurgeDate: toDate(wire.scheduledPurgeDate),
    deletedOn: toDate(wire.deletedDate),
  });
}

function toOperationError(wire: WireError | null | undefined): CertificateOperationError | undefined {
  if (!wire) return undefined;
  return compact({ code: wire.code, message: wire.message, innerError: toOperationError(wire.innererror) });
}

/** The name and vault come from the operation's id (`.../certificates/{name}/pending`). */
export function toCertificateOperation(wire: WireOperation): CertificateOperation {
  const id = wire.id ? parseKeyVaultId(wire.id) : undefined;
  return compact({
    id: wire.id,
    name: id?.name,
    vaultUrl: id?.vaultUrl,
    issuerName: wire.issuer?.name,
    certificateType: wire.issuer?.cty,
    certificateTransparency: wire.issuer?.cert_transparency,
    csr: bytes(wire.csr),
    cancellationRequested: wire.cancellation_requested,
    status: wire.status,
    statusDetails: wire.status_details,
    error: toOperationError(wire.error),
    target: wire.target,
    requestId: wire.request_id,
    preserveCertificateOrder: wire.preserveCertOrder,
  });
}

/** Issuer ids are `{vault}/certificates/issuers/{name}`: the name is the last segment, not "issuers". */
function issuerName(id: string | undefined): string | undefined {
  if (!id) return undefined;
  let path: string;
  try {
    path = new URL(id).pathname;
  } catch {
    throw new ValidationError(`Not an issuer id: ${JSON.stringify(id)}.`, 'InvalidId');
  }
  const match = /\/certificates\/issuers\/([^/]+)\/?$/.exec(path);
  if (!match) throw new ValidationError(`Not an issuer id: ${JSON.stringify(id)}.`, 'InvalidId');
  return decodeURIComponent(match[1]!);
}

export function toIssuerProperties(wire: WireIssuer): IssuerProperties {
  return compact({ id: wire.id, name: issuerName(wire.id), provider: wire.provider });
}

/** The issuer's `password` is defined non-enumerable: readable, never serialised or printed by accident. */
export function toCertificateIssuer(wire: WireIssuer): CertificateIssuer {
  const issuer: CertificateIssuer = compact({
    ...toIssuerProperties(wire),
    accountId: wire.credentials?.account_id,
    organizationId: wire.org_details?.id,
    administratorContacts: wire.org_details?.admin_details?.map((a): AdministratorContact => compact({ firstName: a.first_name, lastName: a.last_name, email: a.email, phone: a.phone })),
    enabled: wire.attributes?.enabled,
    createdOn: toDate(wire.attributes?.created),
    updatedOn: toDate(wire.attributes?.updated),
  });
  const password = wire.credentials?.pwd;
  if (password !== undefined) Object.defineProperty(issuer, 'password', { value: password, enumerable: false, writable: true, configurable: true });
  return issuer;
}

export function toContacts(wire: WireContacts | undefined): CertificateContact[] {
  return (wire?.contacts ?? []).map((c) => compact({ email: c.email, name: c.name, phone: c.phone }) as CertificateContact);
}
