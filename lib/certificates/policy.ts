import { ValidationError } from '../core/errors.js';
import { checkName } from '../core/validate.js';
import { compact, toDate, type WireAttributes } from '../wire/codecs.js';
import type {
  CertificateContentType, CertificateKeyCurveName, CertificateKeyType, CertificatePolicy, CertificatePolicyAction, CertificatePolicyCommon, PolicySubjectProperties,
  ImportCertificatePolicy, KeyUsageType, LifetimeAction, SubjectAlternativeNames,
} from './models.js';

/** `CertificatePolicy` as served (snake_case blocks). */
export interface WirePolicy {
  id?: string;
  key_props?: { exportable?: boolean; kty?: string; key_size?: number; reuse_key?: boolean; crv?: string };
  secret_props?: { contentType?: string };
  x509_props?: {
    subject?: string;
    ekus?: string[];
    sans?: { emails?: string[]; dns_names?: string[]; upns?: string[]; uris?: string[]; ipAddresses?: string[] };
    key_usage?: string[];
    validity_months?: number;
  };
  lifetime_actions?: { trigger?: { lifetime_percentage?: number; days_before_expiry?: number }; action?: { action_type?: string } }[];
  issuer?: { name?: string; cty?: string; cert_transparency?: boolean };
  attributes?: WireAttributes;
}

/** A self-signed certificate for `CN=MyCert`, as in Microsoft's SDK: a starting point to spread and override. */
export const DefaultCertificatePolicy: Readonly<{ issuerName: string; subject: string }> = Object.freeze({ issuerName: 'Self', subject: 'cn=MyCert' });

const RSA_SIZES = [2048, 3072, 4096];
const CURVES: readonly string[] = ['P-256', 'P-384', 'P-521', 'P-256K'];
const KEY_TYPES: readonly string[] = ['RSA', 'RSA-HSM', 'EC', 'EC-HSM'];
const CONTENT_TYPES: readonly string[] = ['application/x-pem-file', 'application/x-pkcs12'];
const ACTIONS: readonly string[] = ['EmailContacts', 'AutoRenew'];
const KEY_USAGES: readonly string[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];
const RESERVED_ISSUERS = new Set(['self', 'unknown']);
const OID = /^\d+(\.\d+)+$/;
// An attribute type (a name or an OID) followed by '=': the smallest thing that can be a distinguished name.
const DN = /^\s*([A-Za-z][\w-]*|\d+(\.\d+)+)\s*=/;

const invalid = (message: string) => new ValidationError(message, 'InvalidPolicy');
const isIntegerIn = (value: unknown, min: number, max: number) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

function checkStrings(value: unknown, what: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
    throw invalid(`${what} must be an array of non-empty strings.`);
  }
}

const sanCount = (sans: SubjectAlternativeNames | undefined): number =>
  sans ? Object.values(sans as Record<string, unknown>).reduce<number>((n, list) => n + (Array.isArray(list) ? list.length : 0), 0) : 0;

/**
 * Rejects, before anything is sent, the policies the types already forbid (for callers without
 * TypeScript or with casts) and the ones the service would refuse later, or worse, accept half.
 * `requireSubject` is off for imports, whose subject comes from the certificate.
 */
export function checkPolicy(policy: CertificatePolicy | ImportCertificatePolicy, requireSubject: boolean): void {
  if (policy === null || typeof policy !== 'object') throw invalid('A certificate policy must be an object.');
  const p = policy as CertificatePolicyCommon & Partial<PolicySubjectProperties> & { keyType?: string; keySize?: number; keyCurveName?: string };
  const ec = p.keyType === 'EC' || p.keyType === 'EC-HSM';
  if (p.keyType !== undefined && !KEY_TYPES.includes(p.keyType)) throw invalid(`keyType must be one of ${KEY_TYPES.join(', ')}, not ${JSON.stringify(p.keyType)}.`);
  if (ec && p.keySize !== undefined) throw invalid(`An ${p.keyType} key takes keyCurveName, not keySize (the curve fixes the size).`);
  if (!ec && p.keyCurveName !== undefined) throw invalid(`keyCurveName is only for EC keys: set keyType: 'EC' (or drop keyCurveName for an RSA key).`);
  if (p.keySize !== undefined && !RSA_SIZES.includes(p.keySize)) throw invalid(`An RSA keySize must be 2048, 3072 or 4096, not ${p.keySize}.`);
  if (p.keyCurveName !== undefined && !CURVES.includes(p.keyCurveName)) throw invalid(`keyCurveName must be one of ${CURVES.join(', ')}.`);
  if (p.contentType !== undefined && !CONTENT_TYPES.includes(p.contentType)) throw invalid(`contentType must be application/x-pkcs12 or application/x-pem-file.`);
  if (p.subject !== undefined && (typeof p.subject !== 'string' || !DN.test(p.subject))) {
    throw invalid(`subject must be a distinguished name such as "CN=example.com", not ${JSON.stringify(p.subject)}.`);
  }
  const sans = p.subjectAlternativeNames as Record<string, unknown> | undefined;
  if (sans !== undefined) {
    if (sans === null || typeof sans !== 'object') throw invalid('subjectAlternativeNames must be an object.');
    for (const [kind, list] of Object.entries(sans)) {
      if (!['emails', 'dnsNames', 'userPrincipalNames', 'uniformResourceIdentifiers', 'ipAddresses'].includes(kind)) throw invalid(`Unknown subject alternative name kind ${JSON.stringify(kind)}.`);
      checkStrings(list, `subjectAlternativeNames.${kind}`);
    }
  }
  if (requireSubject && !p.subject?.trim() && sanCount(p.subjectAlternativeNames) === 0) {
    throw invalid('A certificate policy needs a subject or at least one subject alternative name.');
  }
  if (p.issuerName !== undefined && !RESERVED_ISSUERS.has(String(p.issuerName).toLowerCase())) checkName(p.issuerName, 'issuer name');
  if (p.validityInMonths !== undefined && !isIntegerIn(p.validityInMonths, 1, 1200)) throw invalid('validityInMonths must be a whole number of months (1-1200).');
  checkStrings(p.enhancedKeyUsage, 'enhancedKeyUsage');
  for (const eku of p.enhancedKeyUsage ?? []) if (!OID.test(eku)) throw invalid(`enhancedKeyUsage entries are OIDs such as 1.3.6.1.5.5.7.3.1, not ${JSON.stringify(eku)}.`);
  checkStrings(p.keyUsage, 'keyUsage');
  for (const usage of p.keyUsage ?? []) if (!KEY_USAGES.includes(usage)) throw invalid(`Unknown key usage ${JSON.stringify(usage)}.`);
  for (const action of p.lifetimeActions ?? []) checkLifetimeAction(action, p.validityInMonths);
}

function checkLifetimeAction(action: LifetimeAction, validityInMonths: number | undefined): void {
  const { lifetimePercentage: percent, daysBeforeExpiry: days } = action ?? {};
  if ((percent === undefined) === (days === undefined)) throw invalid('A lifetime action takes exactly one of lifetimePercentage or daysBeforeExpiry.');
  if (percent !== undefined && !isIntegerIn(percent, 1, 99)) throw invalid('lifetimePercentage must be a whole number from 1 to 99.');
  if (days !== undefined && !isIntegerIn(days, 1, (validityInMonths ?? 1200) * 27)) throw invalid('daysBeforeExpiry must be a whole number from 1 to validityInMonths * 27.');
  if (action.action !== undefined && !ACTIONS.includes(action.action)) throw invalid('A lifetime action is EmailContacts or AutoRenew.');
}

const block = <T extends object>(value: T): T | undefined => {
  const compacted = compact(value) as T;
  return Object.keys(compacted).length ? compacted : undefined;
};

/** The public policy as the wire's `CertificatePolicy`; empty blocks are left out. */
export function toWirePolicy(policy: CertificatePolicy | ImportCertificatePolicy): WirePolicy {
  const p = policy as CertificatePolicyCommon & Partial<PolicySubjectProperties> & { keyType?: string; keySize?: number; keyCurveName?: string };
  const sans = p.subjectAlternativeNames as Partial<Record<string, string[]>> | undefined;
  return compact({
    key_props: block({ exportable: p.exportable, kty: p.keyType, key_size: p.keySize, reuse_key: p.reuseKey, crv: p.keyCurveName }),
    secret_props: block({ contentType: p.contentType }),
    x509_props: block({
      subject: p.subject,
      ekus: p.enhancedKeyUsage,
      sans: sans ? block({ emails: sans.emails, dns_names: sans.dnsNames, upns: sans.userPrincipalNames, uris: sans.uniformResourceIdentifiers, ipAddresses: sans.ipAddresses }) : undefined,
      key_usage: p.keyUsage,
      validity_months: p.validityInMonths,
    }),
    lifetime_actions: p.lifetimeActions?.map((a) => compact({
      trigger: compact({ lifetime_percentage: a.lifetimePercentage, days_before_expiry: a.daysBeforeExpiry }),
      action: a.action === undefined ? undefined : { action_type: a.action },
    })),
    issuer: block({ name: p.issuerName, cty: p.certificateType, cert_transparency: p.certificateTransparency }),
    attributes: p.enabled === undefined ? undefined : { enabled: p.enabled },
  }) as WirePolicy;
}

const nonEmpty = (list: string[] | undefined) => (list?.length ? list : undefined);

/**
 * The wire policy as the public, flattened one. An EC policy drops the `key_size` the service
 * reports (256, 384, 521): the curve says it, and a read policy must be valid to send back.
 */
export function fromWirePolicy(wire: WirePolicy | undefined): CertificatePolicy {
  const key = wire?.key_props ?? {};
  const x509 = wire?.x509_props ?? {};
  const ec = key.kty === 'EC' || key.kty === 'EC-HSM';
  const sans = compact({
    emails: nonEmpty(x509.sans?.emails),
    dnsNames: nonEmpty(x509.sans?.dns_names),
    userPrincipalNames: nonEmpty(x509.sans?.upns),
    uniformResourceIdentifiers: nonEmpty(x509.sans?.uris),
    ipAddresses: nonEmpty(x509.sans?.ipAddresses),
  });
  return compact({
    issuerName: wire?.issuer?.name,
    certificateType: wire?.issuer?.cty,
    certificateTransparency: wire?.issuer?.cert_transparency,
    subject: x509.subject,
    subjectAlternativeNames: Object.keys(sans).length ? sans : undefined,
    keyType: key.kty as CertificateKeyType | undefined,
    keySize: ec ? undefined : key.key_size,
    keyCurveName: key.crv as CertificateKeyCurveName | undefined,
    exportable: key.exportable,
    reuseKey: key.reuse_key,
    contentType: wire?.secret_props?.contentType as CertificateContentType,
    enhancedKeyUsage: x509.ekus,
    keyUsage: x509.key_usage as KeyUsageType[] | undefined,
    validityInMonths: x509.validity_months,
    lifetimeActions: wire?.lifetime_actions?.map((a) => compact({
      action: a.action?.action_type as CertificatePolicyAction | undefined,
      lifetimePercentage: a.trigger?.lifetime_percentage,
      daysBeforeExpiry: a.trigger?.days_before_expiry,
    })),
    enabled: wire?.attributes?.enabled,
    createdOn: toDate(wire?.attributes?.created),
    updatedOn: toDate(wire?.attributes?.updated),
  }) as unknown as CertificatePolicy;
}
