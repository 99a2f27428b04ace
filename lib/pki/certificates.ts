/**
 * Certificates and CSRs made from a Key Vault policy, CA signing, and what the service reads back from a certificate
 * (subject, SANs, usages, validity). ASN.1 structures from @peculiar/x509; every signature by node:crypto.
 */
import { createHash, createPublicKey, sign as nodeSign, verify as nodeVerify, webcrypto, X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto';
import type { Extension } from '@peculiar/x509';
import { toArrayBuffer, viewOf } from './bytes.js';
import { CURVE_HASH, type KeySpec, keySpecOf, spki, WEB_CURVES } from './keys.js';
import { formatName, subjectName } from './names.js';
import { x509 } from './peculiar.js';

// ---------------------------------------------------------------------------------------------------------------
// Signing through @peculiar/x509 with node:crypto keys

/** Stands where @peculiar/x509 expects a CryptoKey; the Crypto below signs with the node:crypto key inside. */
interface NodeBackedKey {
  readonly algorithm: { readonly name: string; readonly namedCurve?: string; readonly hash: { readonly name: string } };
  readonly type: 'private' | 'public';
  readonly key: KeyObject;
}

function backed(key: KeyObject, type: 'private' | 'public'): NodeBackedKey {
  const spec = keySpecOf(key);
  const algorithm =
    spec.kty === 'RSA'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } }
      : { name: 'ECDSA', namedCurve: WEB_CURVES[spec.crv], hash: { name: CURVE_HASH[spec.crv] } };
  return { algorithm, type, key };
}

const hashOf = (algorithm: { hash?: string | { name: string } }): string => {
  const hash = typeof algorithm.hash === 'string' ? algorithm.hash : (algorithm.hash?.name ?? 'SHA-256');
  return hash.replace('-', '').toLowerCase();
};

// WebCrypto has no secp256k1, Key Vault does: signing with node:crypto gives every curve one code path.
const nodeCrypto = {
  getRandomValues: <T extends ArrayBufferView>(array: T): T => webcrypto.getRandomValues(array as never),
  subtle: {
    digest: (algorithm: string | { name: string }, data: BufferSource) => webcrypto.subtle.digest(algorithm, data),
    exportKey: async (_format: 'spki', key: NodeBackedKey) => new Uint8Array(spki(key.key)).buffer,
    importKey: async (_format: 'spki', data: BufferSource, algorithm: NodeBackedKey['algorithm']): Promise<NodeBackedKey> => ({
      algorithm,
      type: 'public',
      key: createPublicKey({ key: Buffer.from(viewOf(data)), format: 'der', type: 'spki' }),
    }),
    sign: async (algorithm: { hash?: string | { name: string } }, key: NodeBackedKey, data: BufferSource) =>
      new Uint8Array(nodeSign(hashOf(algorithm), viewOf(data), { key: key.key, dsaEncoding: 'ieee-p1363' })).buffer,
    verify: async (algorithm: { hash?: string | { name: string } }, key: NodeBackedKey, signature: BufferSource, data: BufferSource) =>
      nodeVerify(hashOf(algorithm), viewOf(data), { key: key.key, dsaEncoding: 'ieee-p1363' }, viewOf(signature)),
  },
} as unknown as Crypto;

// ---------------------------------------------------------------------------------------------------------------
// Certificates and CSRs from a policy

export const KEY_USAGES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

/** Subject alternative names as a policy holds them. */
export interface Sans {
  readonly dns_names?: readonly string[];
  readonly emails?: readonly string[];
  readonly upns?: readonly string[];
}

/** What a policy's x509_props ask of a certificate. */
export interface CertificateProfile {
  readonly subject: string;
  readonly sans: Sans;
  readonly keyUsage: readonly KeyUsage[];
  readonly ekus: readonly string[];
  readonly validityMonths: number;
  readonly ca: boolean;
}

function profileExtensions(profile: CertificateProfile): Extension[] {
  const extensions: Extension[] = [];
  if (profile.keyUsage.length) {
    const flags = profile.keyUsage.reduce((sum, usage) => sum | (1 << KEY_USAGES.indexOf(usage)), 0);
    extensions.push(new x509.KeyUsagesExtension(flags, true));
  }
  extensions.push(new x509.BasicConstraintsExtension(profile.ca, undefined, profile.ca));
  if (profile.ekus.length) extensions.push(new x509.ExtendedKeyUsageExtension([...profile.ekus], false));
  const names = [
    ...(profile.sans.dns_names ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(profile.sans.emails ?? []).map((value) => ({ type: 'email' as const, value })),
    ...(profile.sans.upns ?? []).map((value) => ({ type: 'upn' as const, value })),
  ];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  return extensions;
}

/** `months` calendar months after `from` (the end of validity the service computes). */
export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** A certificate signed by its own key, as the `Self` issuer makes it: valid from ten minutes ago. */
export async function createSelfSignedCertificate(profile: CertificateProfile, key: KeyObject, now = new Date()): Promise<Uint8Array> {
  const publicKey = toArrayBuffer(spki(key));
  const name = subjectName(profile.subject);
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: name,
      issuer: name,
      notBefore: new Date(now.getTime() - 10 * 60_000),
      notAfter: addMonths(now, profile.validityMonths),
      publicKey,
      signingKey: backed(key, 'private') as unknown as CryptoKey,
      extensions: [
        ...profileExtensions(profile),
        await x509.AuthorityKeyIdentifierExtension.create(publicKey, false, nodeCrypto),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, nodeCrypto),
      ],
    },
    nodeCrypto,
  );
  return new Uint8Array(cert.rawData);
}

/** A PKCS#10 request for the profile, signed by the key: what a pending operation's `csr` holds. */
export async function createCsr(profile: CertificateProfile, key: KeyObject): Promise<Uint8Array> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: subjectName(profile.subject),
      keys: { privateKey: backed(key, 'private'), publicKey: backed(key, 'public') } as unknown as CryptoKeyPair,
      signingAlgorithm: backed(key, 'private').algorithm,
      extensions: profileExtensions(profile),
    },
    nodeCrypto,
  );
  return new Uint8Array(csr.rawData);
}

/** A CA: its certificate (DER) and private key. */
export interface Issuer {
  readonly cert: Uint8Array;
  readonly key: KeyObject;
}

/**
 * Signs a CSR (DER) as `issuer` would: the CSR's subject, key and requested extensions, valid from ten minutes
 * ago for `validityMonths`. Throws when the CSR's own signature does not verify.
 */
export async function signCsr(csr: Uint8Array, issuer: Issuer, validityMonths = 12, now = new Date()): Promise<Uint8Array> {
  const request = new x509.Pkcs10CertificateRequest(toArrayBuffer(csr));
  if (!(await request.verify(nodeCrypto))) throw new Error('The CSR signature does not verify.');
  const ca = new x509.X509Certificate(toArrayBuffer(issuer.cert));
  const publicKey = request.publicKey.rawData;
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: request.subjectName,
      issuer: ca.subjectName,
      notBefore: new Date(now.getTime() - 10 * 60_000),
      notAfter: addMonths(now, validityMonths),
      publicKey,
      signingKey: backed(issuer.key, 'private') as unknown as CryptoKey,
      extensions: [
        ...request.extensions,
        await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey.rawData, false, nodeCrypto),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, nodeCrypto),
      ],
    },
    nodeCrypto,
  );
  return new Uint8Array(cert.rawData);
}

/** What the service reads back from a certificate to fill a bundle and derive a policy. */
export interface CertificateInfo {
  readonly subject: string;
  readonly sans: Sans | undefined;
  readonly keyUsage: KeyUsage[];
  readonly ekus: string[];
  readonly ca: boolean;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** base64url SHA-1 of the DER: the bundle's `x5t`. */
  readonly x5t: string;
  readonly key: KeySpec;
}

/** Reads a certificate (DER); throws on anything that is not one. */
export function describeCertificate(der: Uint8Array): CertificateInfo {
  const node = new NodeCertificate(der);
  const cert = new x509.X509Certificate(toArrayBuffer(der));
  const usages = cert.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  const sanNames = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
  const pick = (type: string) => sanNames.filter((n) => n.type === type).map((n) => n.value);
  const sans = { dns_names: pick('dns'), emails: pick('email'), upns: pick('upn') };
  return {
    subject: formatName(cert.subjectName.toArrayBuffer()),
    sans: sanNames.length ? (Object.fromEntries(Object.entries(sans).filter(([, v]) => v.length)) as Sans) : undefined,
    keyUsage: KEY_USAGES.filter((_u, i) => usages & (1 << i)),
    ekus: Array.from(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [], String),
    ca: cert.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
    notBefore: new Date(node.validFrom),
    notAfter: new Date(node.validTo),
    x5t: thumbprint(der),
    key: keySpecOf(node.publicKey),
  };
}

/** base64url SHA-1 of a certificate's DER. */
export const thumbprint = (der: Uint8Array): string => createHash('sha1').update(der).digest('base64url');
