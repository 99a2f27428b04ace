/** Rendering: certificates, policies, operations and issuers as the service answers them. */
import { renderAttributes } from '../attributes.js';
import type { Fields } from '../input.js';
import type { Deletion, Version } from '../objects.js';
import { thumbprint } from '../../pki/certificates.js';
import { ISSUER_UNKNOWN } from './policy.js';
import { type CertificateRecord, IN_PROGRESS_DETAILS, type IssuerRecord, MERGE_DETAILS, type OperationRecord, type Policy } from './records.js';

export const certificateId = (origin: string, name: string, version?: string): string => `${origin}/certificates/${name}${version ? `/${version}` : ''}`;

export function renderPolicy(origin: string, name: string, policy: Policy): Record<string, unknown> {
  return { id: `${certificateId(origin, name)}/policy`, ...policy };
}

/** A CertificateBundle. */
export function renderCertificate(origin: string, v: Version<CertificateRecord>, operation: OperationRecord | undefined): Record<string, unknown> {
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
    ...(r.preserveCertOrder === undefined ? {} : { preserveCertOrder: r.preserveCertOrder }),
    ...(operation ? { pending: { id: `${certificateId(origin, v.name)}/pending` } } : {}),
  };
}

/** A CertificateItem (lists): unversioned id for the list of names, versioned for the list of versions. */
export function renderItem(origin: string, v: Version<CertificateRecord>, versioned: boolean): Record<string, unknown> {
  const r = v.value;
  return {
    id: certificateId(origin, v.name, versioned ? v.version : undefined),
    ...(r.cer === undefined ? {} : { x5t: thumbprint(Buffer.from(r.cer, 'base64')) }),
    attributes: renderAttributes(r.attributes),
    ...(r.tags === undefined ? {} : { tags: r.tags }),
  };
}

export const deletion = (origin: string, d: Version<CertificateRecord> & Deletion): Record<string, unknown> => ({
  recoveryId: `${origin}/deletedcertificates/${d.name}`,
  deletedDate: d.deletedDate,
  scheduledPurgeDate: d.scheduledPurgeDate,
});

export function renderOperation(origin: string, name: string, op: OperationRecord): Record<string, unknown> {
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
    ...(op.preserveCertOrder === undefined ? {} : { preserveCertOrder: op.preserveCertOrder }),
  };
}

const withoutPassword = ({ pwd: _pwd, ...rest }: Fields): Fields => rest;

export function renderIssuer(origin: string, issuer: IssuerRecord): Record<string, unknown> {
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
