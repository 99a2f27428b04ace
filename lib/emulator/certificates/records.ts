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
import type { AttributeChanges, Attributes } from '../attributes.js';
import type { Fields } from '../input.js';
import type { ObjectKind } from '../objects.js';
import type { Material } from '../key-material.js';
import type { KeyRecord } from '../keys.js';
import type { SecretRecord } from '../secrets.js';
import type { KeyUsage, Sans } from '../../pki/certificates.js';
import type { Curve } from '../../pki/keys.js';

export const CERTIFICATES: ObjectKind = { kind: 'certificates', label: 'Certificate', notFoundCode: 'CertificateNotFound' };

export const PKCS12 = 'application/x-pkcs12';
export const PEM = 'application/x-pem-file';
export const SERVER_AUTH_AND_CLIENT_AUTH = ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'];
export const RETRY_AFTER = '10';
export const IN_PROGRESS_DETAILS = 'Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.';
export const MERGE_DETAILS = 'Pending certificate created. Please Perform Merge to complete the request.';

export interface LifetimeAction {
  readonly trigger: { readonly lifetime_percentage?: number; readonly days_before_expiry?: number };
  readonly action: { readonly action_type: string };
}

export interface IssuerParameters {
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
  /** As the create or import request gave it (7.5+): answered back, the chain itself is stored leaf first. */
  readonly preserveCertOrder?: boolean;
}

/** The pending operation of a name (one at a time), kept after completion until deleted, as the service does. */
export interface OperationRecord {
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
  readonly preserveCertOrder?: boolean;
}

export interface IssuerRecord {
  readonly name: string;
  readonly provider: string;
  readonly credentials?: Fields;
  readonly org_details?: Fields;
  readonly attributes: { readonly enabled: boolean; readonly created: number; readonly updated: number };
}

export interface ContactsRecord {
  readonly contacts: readonly Fields[];
}

/** What a certificate backup carries per version: the certificate and its key and secret. */
export interface BackupVersion {
  readonly certificate: CertificateRecord;
  readonly key?: KeyRecord;
  readonly secret?: SecretRecord;
}
