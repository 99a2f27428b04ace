/** Certificate policies: validation, the service's defaults, and the key and profile a policy asks for. */
import { badParameter } from '../errors.js';
import { type Fields, optBool, optInt, optObject, optString, optStringArray } from '../input.js';
import { type CertificateProfile, KEY_USAGES, type KeyUsage, type Sans, describeCertificate } from '../../pki/certificates.js';
import { CURVES, type Curve, type KeySpec, RSA_SIZES, keyBits, keySpecOf } from '../../pki/keys.js';
import { subjectName } from '../../pki/names.js';
import type { KeyAndChain } from '../../pki/pem.js';
import { type IssuerParameters, type LifetimeAction, PEM, PKCS12, type Policy, SERVER_AUTH_AND_CLIENT_AUTH } from './records.js';

export const ISSUER_SELF = 'self';
export const ISSUER_UNKNOWN = 'unknown';

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
export function keySpec(policy: Policy): KeySpec {
  const { kty, key_size, crv } = policy.key_props;
  return kty.startsWith('RSA') ? { kty: 'RSA', size: key_size } : { kty: 'EC', crv: crv ?? 'P-256' };
}

export function profileOf(policy: Policy): CertificateProfile {
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
export function importedPolicy(raw: Fields | undefined, content: KeyAndChain, contentType: string, now: number): Policy {
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
