/**
 * Certificates for the local vault: keys, self-signed certificates and CSRs made from a Key Vault policy, PKCS#12
 * and PEM in both directions, and what the service reads back from a certificate (subject, SANs, usages, validity).
 * ASN.1 structures come from @peculiar/x509 and pkijs; the cryptography from node:crypto.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPair as generateNodeKeyPair,
  pbkdf2Sync,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  timingSafeEqual,
  webcrypto,
  X509Certificate as NodeCertificate,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { x509 } from './peculiar.js';
import type { Extension, Name } from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PKCS12_OID as OID } from '../wire/pkcs12-oids.js';

// ---------------------------------------------------------------------------------------------------------------
// Keys

/** Elliptic curves as Key Vault names them. */
export type Curve = 'P-256' | 'P-384' | 'P-521' | 'P-256K';
export const CURVES: readonly Curve[] = ['P-256', 'P-384', 'P-521', 'P-256K'];
export const RSA_SIZES: readonly number[] = [2048, 3072, 4096];

/** The key a policy asks for. */
export type KeySpec = { readonly kty: 'RSA'; readonly size: number } | { readonly kty: 'EC'; readonly crv: Curve };

const NODE_CURVES: Record<Curve, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', 'P-256K': 'secp256k1' };
const CURVE_BITS: Record<Curve, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, 'P-256K': 256 };
// The hash the service pairs with each curve when it signs a certificate or CSR.
const CURVE_HASH: Record<Curve, string> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512', 'P-256K': 'SHA-256' };
const WEB_CURVES: Record<Curve, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', 'P-256K': 'K-256' };

const generateAsync = promisify(generateNodeKeyPair);

/** A new private key (node:crypto, so P-256K works too). */
export async function generatePrivateKey(spec: KeySpec): Promise<KeyObject> {
  const pair =
    spec.kty === 'RSA'
      ? await generateAsync('rsa', { modulusLength: spec.size, publicExponent: 0x10001 })
      : await generateAsync('ec', { namedCurve: NODE_CURVES[spec.crv] });
  return pair.privateKey;
}

/** What a key is, in Key Vault's words: `{kty: 'RSA', size: 2048}` or `{kty: 'EC', crv: 'P-256'}`. */
export function keySpecOf(key: KeyObject): KeySpec {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { kty: 'RSA', size: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const crv = CURVES.find((c) => NODE_CURVES[c] === details.namedCurve);
    if (crv) return { kty: 'EC', crv };
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** Bits of a key: the modulus for RSA, the curve size for EC. */
export const keyBits = (spec: KeySpec): number => (spec.kty === 'RSA' ? spec.size : CURVE_BITS[spec.crv]);

/** The private key as PKCS#8 DER, the form PFX and PEM carry. */
const pkcs8 = (key: KeyObject): Buffer => key.export({ type: 'pkcs8', format: 'der' });

const spki = (key: KeyObject): Buffer => createPublicKey(key).export({ type: 'spki', format: 'der' });

/** Whether a certificate (DER) carries the public half of a private key. */
export function certificateMatchesKey(cert: Uint8Array, key: KeyObject): boolean {
  return new NodeCertificate(cert).publicKey.export({ type: 'spki', format: 'der' }).equals(spki(key));
}

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
      key: createPublicKey({ key: Buffer.from(bytesOf(data)), format: 'der', type: 'spki' }),
    }),
    sign: async (algorithm: { hash?: string | { name: string } }, key: NodeBackedKey, data: BufferSource) =>
      new Uint8Array(nodeSign(hashOf(algorithm), bytesOf(data), { key: key.key, dsaEncoding: 'ieee-p1363' })).buffer,
    verify: async (algorithm: { hash?: string | { name: string } }, key: NodeBackedKey, signature: BufferSource, data: BufferSource) =>
      nodeVerify(hashOf(algorithm), bytesOf(data), { key: key.key, dsaEncoding: 'ieee-p1363' }, bytesOf(signature)),
  },
} as unknown as Crypto;

// ---------------------------------------------------------------------------------------------------------------
// Names

/** Attribute names the service writes (.NET's X500DistinguishedName: S for state, E for e-mail). */
const NAME_ALIASES: Record<string, string> = {
  S: '2.5.4.8',
  ST: '2.5.4.8',
  E: '1.2.840.113549.1.9.1',
  EMAIL: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
  STREET: '2.5.4.9',
  SERIALNUMBER: '2.5.4.5',
  T: '2.5.4.12',
  TITLE: '2.5.4.12',
  G: '2.5.4.42',
  GN: '2.5.4.42',
  SN: '2.5.4.4',
  UID: '0.9.2342.19200300.100.1.1',
};
const SHORT_NAMES: Record<string, string> = { ST: 'S', '2.5.4.8': 'S', '1.2.840.113549.1.9.1': 'E', '2.5.4.9': 'STREET', '2.5.4.5': 'SERIALNUMBER', '2.5.4.12': 'T', '2.5.4.42': 'G', '2.5.4.4': 'SN' };

/**
 * A Key Vault subject (`CN=foo, O=bar`, names case-insensitive) as an X.500 name. Like .NET and RFC 4514, the
 * string lists the most specific RDN first, so the encoded sequence runs the other way.
 */
export function subjectName(subject: string): Name {
  const canonical = subject.replace(/(^|[,;+]\s*)([A-Za-z][A-Za-z0-9]*)\s*=/g, (_m, sep: string, attr: string) => `${sep}${attr.toUpperCase()}=`);
  const parsed = new x509.Name(canonical, NAME_ALIASES).toJSON();
  if (parsed.length === 0) throw new Error('empty subject');
  return new x509.Name(parsed.reverse());
}

/** A name (DER) written as the service writes it: most specific first, `S=` and `E=`, quoted when needed. */
export function formatName(der: ArrayBuffer | Uint8Array): string {
  return new x509.Name(toArrayBuffer(der))
    .toJSON()
    .reverse()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([attr, values]) => values.map((v) => `${SHORT_NAMES[attr] ?? attr}=${/[,;+="\n<>#]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v}`))
        .join(' + '),
    )
    .join(', ');
}

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

// ---------------------------------------------------------------------------------------------------------------
// A private key and its chain, in PEM and PKCS#12

/** The content of a certificate's secret: the chain (leaf first) and, when exportable, the private key. */
export interface KeyAndChain {
  readonly key?: KeyObject;
  readonly chain: readonly Uint8Array[];
}

/** Puts the certificate that carries the key first, as Key Vault's `cer` and chains do. */
export function leafFirst(content: KeyAndChain): KeyAndChain {
  const { key, chain } = content;
  const leaf = key ? chain.findIndex((c) => certificateMatchesKey(c, key)) : 0;
  if (leaf <= 0) return content;
  return { ...content, chain: [chain[leaf]!, ...chain.filter((_c, i) => i !== leaf)] };
}

/** PEM as the service stores it in a certificate's secret: the PKCS#8 private key, then the chain. */
export function toPem(content: KeyAndChain): string {
  const blocks = content.key ? [content.key.export({ type: 'pkcs8', format: 'pem' }).toString().trim()] : [];
  for (const cert of content.chain) blocks.push(pemBlock('CERTIFICATE', cert));
  return `${blocks.join('\n')}\n`;
}

const pemBlock = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----`;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Reads PEM text: certificates and at most one private key (PKCS#8, PKCS#1, SEC1, or encrypted with `password`). */
export function fromPem(text: string, password?: string): KeyAndChain {
  let key: KeyObject | undefined;
  const chain: Uint8Array[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const label = match[1]!;
    if (label === 'CERTIFICATE') chain.push(new Uint8Array(new NodeCertificate(match[0]).raw));
    else if (label.endsWith('PRIVATE KEY')) key = createPrivateKey({ key: match[0], format: 'pem', ...(password ? { passphrase: password } : {}) });
  }
  return leafFirst(key ? { key, chain } : { chain });
}

/** Whether bytes are PEM text rather than DER (x5c entries and import values come both ways). */
export const looksLikePem = (bytes: Uint8Array): boolean => Buffer.from(bytes.subarray(0, 64)).toString('latin1').includes('-----BEGIN');

/**
 * Certificates from a merge's `x5c`: each entry base64 DER, or base64 of PEM text, or base64 of the certificate's
 * base64 text with its armour partly stripped (what the JS SDK's own merge test sends).
 */
export function parseX5c(entries: readonly string[]): Uint8Array[] {
  return entries.flatMap((entry) => {
    const bytes = Buffer.from(entry, 'base64');
    if (bytes[0] === 0x30) return [derCertificate(bytes)];
    const text = bytes.toString('latin1');
    if (text.includes('-----BEGIN')) return [...fromPem(text).chain];
    return [derCertificate(Buffer.from(text.replace(/-----[A-Z0-9 ]+-----/g, '').replace(/\s+/g, ''), 'base64'))];
  });
}

const derCertificate = (bytes: Uint8Array): Uint8Array => new Uint8Array(new NodeCertificate(bytes).raw);

// ---------------------------------------------------------------------------------------------------------------
// PKCS#12


const DIGESTS: Record<string, string> = { '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512', '2.16.840.1.101.3.4.2.4': 'sha224' };
const HMACS: Record<string, string> = { '1.2.840.113549.2.7': 'sha1', '1.2.840.113549.2.8': 'sha224', '1.2.840.113549.2.9': 'sha256', '1.2.840.113549.2.10': 'sha384', '1.2.840.113549.2.11': 'sha512' };
const PBES2_CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};
// PKCS#12's own password-based schemes (RFC 7292 appendix C): what openssl 1.x, Windows and Python still write.
const PKCS12_PBE: Record<string, { cipher: string; keyLength: number; rc2Bits?: number }> = {
  '1.2.840.113549.1.12.1.3': { cipher: 'des-ede3-cbc', keyLength: 24 },
  '1.2.840.113549.1.12.1.4': { cipher: 'des-ede-cbc', keyLength: 16 },
  '1.2.840.113549.1.12.1.5': { cipher: 'rc2-cbc', keyLength: 16, rc2Bits: 128 },
  '1.2.840.113549.1.12.1.6': { cipher: 'rc2-cbc', keyLength: 5, rc2Bits: 40 },
};

/** A PFX that cannot be read: wrong password, unsupported algorithm, or not PKCS#12 at all. */
export class Pkcs12Error extends Error {}

/**
 * Builds a PFX: the key in a PBES2 (PBKDF2-SHA256, AES-256-CBC) shrouded bag, the chain in plain bags, an
 * HMAC-SHA256 MAC. With the default empty password it is what the service hands out in a certificate's secret.
 */
export function toPfx(content: KeyAndChain, password = ''): Uint8Array {
  const localKeyId = content.chain[0] ? [localKeyIdAttribute(createHash('sha1').update(content.chain[0]).digest())] : [];
  const certBags = content.chain.map(
    (der, i) =>
      new pkijs.SafeBag({
        bagId: OID.certBag,
        bagValue: new pkijs.CertBag({ certId: OID.x509Certificate, certValue: octetString(der) }),
        ...(i === 0 && content.key ? { bagAttributes: localKeyId } : {}),
      }),
  );
  const safes = [dataContentInfo(new pkijs.SafeContents({ safeBags: certBags }).toSchema().toBER())];
  if (content.key) {
    const keyBag = new pkijs.SafeBag({ bagId: OID.shroudedKeyBag, bagValue: shroud(pkcs8(content.key), password), bagAttributes: localKeyId });
    safes.push(dataContentInfo(new pkijs.SafeContents({ safeBags: [keyBag] }).toSchema().toBER()));
  }
  const authSafe = new pkijs.AuthenticatedSafe({ safeContents: safes }).toSchema().toBER();
  const pfx = new pkijs.PFX({ version: 3, authSafe: dataContentInfo(authSafe), macData: macData(new Uint8Array(authSafe), password) });
  return new Uint8Array(pfx.toSchema().toBER());
}

// pkijs is typed against its own copy of asn1js; the encoders are interchangeable at run time.
type PkijsOctetString = pkijs.MacData['macSalt'];
const octetString = (bytes: Uint8Array | ArrayBuffer): PkijsOctetString => new asn1js.OctetString({ valueHex: bytes }) as unknown as PkijsOctetString;

const dataContentInfo = (bytes: ArrayBuffer): pkijs.ContentInfo =>
  new pkijs.ContentInfo({ contentType: OID.data, content: octetString(bytes) });

const localKeyIdAttribute = (id: Uint8Array): pkijs.Attribute =>
  new pkijs.Attribute({ type: OID.localKeyId, values: [octetString(id)] });

function shroud(privateKeyInfo: Uint8Array, password: string): pkijs.PKCS8ShroudedKeyBag {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const iterations = 2048;
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(privateKeyInfo), cipher.final()]);
  const kdf = new pkijs.PBKDF2Params({
    salt: octetString(salt),
    iterationCount: iterations,
    prf: new pkijs.AlgorithmIdentifier({ algorithmId: OID.hmacSha256, algorithmParams: new asn1js.Null() }),
  });
  const params = new pkijs.PBES2Params({
    keyDerivationFunc: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbkdf2, algorithmParams: kdf.toSchema() }),
    encryptionScheme: new pkijs.AlgorithmIdentifier({ algorithmId: OID.aes256Cbc, algorithmParams: octetString(iv) }),
  });
  return new pkijs.PKCS8ShroudedKeyBag({
    encryptionAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.pbes2, algorithmParams: params.toSchema() }),
    encryptedData: octetString(encrypted),
  });
}

function macData(authSafe: Uint8Array, password: string): pkijs.MacData {
  const salt = randomBytes(16);
  const iterations = 2048;
  const key = pkcs12Kdf(bmpPassword(password), salt, iterations, 3, 32, 'sha256');
  const mac = createHmac('sha256', key).update(authSafe).digest();
  return new pkijs.MacData({
    mac: new pkijs.DigestInfo({
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() }),
      digest: octetString(mac),
    }),
    macSalt: octetString(salt),
    iterations,
  });
}

/** Reads a PFX (DER) with its password: MAC checked, bags decrypted (PBES2 or PKCS#12 PBE), chain leaf first. */
export function fromPfx(der: Uint8Array, password = ''): KeyAndChain {
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(toArrayBuffer(der));
  } catch {
    throw new Pkcs12Error('The value is not a PKCS#12 (PFX) structure.');
  }
  if (pfx.authSafe.contentType !== OID.data) throw new Pkcs12Error('Only password-integrity PFX are supported.');
  const authSafe = octets(pfx.authSafe.content);
  const passwords = passwordVariants(password);
  if (pfx.macData) verifyMac(pfx.macData, authSafe, passwords.map((p) => p.bmp));
  let key: KeyObject | undefined;
  const chain: Uint8Array[] = [];
  for (const info of pkijs.AuthenticatedSafe.fromBER(toArrayBuffer(authSafe)).safeContents) {
    for (const bag of pkijs.SafeContents.fromBER(toArrayBuffer(safeContentsBytes(info, passwords))).safeBags) {
      if (bag.bagId === OID.certBag) {
        const certBag = bag.bagValue as pkijs.CertBag;
        if (certBag.certId === OID.x509Certificate) chain.push(octets(certBag.certValue));
      } else if (bag.bagId === OID.keyBag) {
        key = privateKeyFromDer(new Uint8Array((bag.bagValue as pkijs.PrivateKeyInfo).toSchema().toBER()));
      } else if (bag.bagId === OID.shroudedKeyBag) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        key = privateKeyFromDer(decrypt(shrouded.encryptionAlgorithm, shrouded.encryptedData.valueBlock.valueHexView, passwords));
      }
    }
  }
  return leafFirst(key ? { key, chain } : { chain });
}

interface PasswordForms {
  readonly bmp: Uint8Array;
  readonly utf8: Uint8Array;
}

// An empty password reaches the KDF as two zero bytes or as nothing, depending on who wrote the PFX: try both.
function passwordVariants(password: string): PasswordForms[] {
  const utf8 = Buffer.from(password, 'utf8');
  const forms = [{ bmp: bmpPassword(password), utf8 }];
  if (password === '') forms.push({ bmp: new Uint8Array(0), utf8 });
  return forms;
}

function bmpPassword(password: string): Uint8Array {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

function verifyMac(mac: pkijs.MacData, authSafe: Uint8Array, passwords: readonly Uint8Array[]): void {
  const hash = DIGESTS[mac.mac.digestAlgorithm.algorithmId];
  if (!hash) throw new Pkcs12Error(`Unsupported PFX MAC algorithm ${mac.mac.digestAlgorithm.algorithmId}.`);
  const expected = mac.mac.digest.valueBlock.valueHexView;
  const salt = mac.macSalt.valueBlock.valueHexView;
  const size = createHash(hash).digest().length;
  for (const password of passwords) {
    const actual = createHmac(hash, pkcs12Kdf(password, salt, mac.iterations ?? 1, 3, size, hash)).update(authSafe).digest();
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return;
  }
  throw new Pkcs12Error('The specified PKCS#12 password is incorrect (MAC verification failed).');
}

function safeContentsBytes(info: pkijs.ContentInfo, passwords: readonly PasswordForms[]): Uint8Array {
  if (info.contentType === OID.data) return octets(info.content);
  if (info.contentType === OID.encryptedData) {
    const encrypted = new pkijs.EncryptedData({ schema: info.content }).encryptedContentInfo;
    if (!encrypted.encryptedContent) throw new Pkcs12Error('Empty encrypted PFX content.');
    return decrypt(encrypted.contentEncryptionAlgorithm, octets(encrypted.encryptedContent), passwords);
  }
  throw new Pkcs12Error(`Unsupported PFX content type ${info.contentType}.`);
}

function decrypt(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, passwords: readonly PasswordForms[]): Uint8Array {
  let lastError: unknown;
  for (const password of passwords) {
    try {
      return algorithm.algorithmId === OID.pbes2 ? decryptPbes2(algorithm, data, password.utf8) : decryptPkcs12Pbe(algorithm, data, password.bmp);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Pkcs12Error ? lastError : new Pkcs12Error('The PFX could not be decrypted with the given password.');
}

function decryptPbes2(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, password: Uint8Array): Uint8Array {
  const params = new pkijs.PBES2Params({ schema: algorithm.algorithmParams });
  if (params.keyDerivationFunc.algorithmId !== OID.pbkdf2) throw new Pkcs12Error('Unsupported PBES2 key derivation.');
  const kdf = new pkijs.PBKDF2Params({ schema: params.keyDerivationFunc.algorithmParams });
  const cipher = PBES2_CIPHERS[params.encryptionScheme.algorithmId];
  const hash = kdf.prf ? HMACS[kdf.prf.algorithmId] : 'sha1';
  if (!cipher || !hash) throw new Pkcs12Error('Unsupported PBES2 cipher or PRF.');
  const salt = (kdf.salt as asn1js.OctetString).valueBlock.valueHexView;
  const iv = (params.encryptionScheme.algorithmParams as asn1js.OctetString).valueBlock.valueHexView;
  const key = pbkdf2Sync(password, salt, kdf.iterationCount, kdf.keyLength ?? cipher.keyLength, hash);
  const decipher = createDecipheriv(cipher.name, key, iv);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

function decryptPkcs12Pbe(algorithm: pkijs.AlgorithmIdentifier, data: Uint8Array, password: Uint8Array): Uint8Array {
  const scheme = PKCS12_PBE[algorithm.algorithmId];
  if (!scheme) throw new Pkcs12Error(`Unsupported PFX encryption algorithm ${algorithm.algorithmId}.`);
  const [saltNode, iterationsNode] = (algorithm.algorithmParams as asn1js.Sequence).valueBlock.value;
  const salt = (saltNode as asn1js.OctetString).valueBlock.valueHexView;
  const iterations = (iterationsNode as asn1js.Integer).valueBlock.valueDec;
  const key = pkcs12Kdf(password, salt, iterations, 1, scheme.keyLength, 'sha1');
  const iv = pkcs12Kdf(password, salt, iterations, 2, 8, 'sha1');
  if (scheme.rc2Bits) return rc2CbcDecrypt(key, scheme.rc2Bits, iv, data);
  const decipher = createDecipheriv(scheme.cipher, key, iv);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

/** PKCS#12 key derivation (RFC 7292 appendix B.2): `id` 1 for keys, 2 for IVs, 3 for MAC keys. */
function pkcs12Kdf(password: Uint8Array, salt: Uint8Array, iterations: number, id: 1 | 2 | 3, size: number, hash: string): Buffer {
  const u = createHash(hash).digest().length;
  const v = u > 32 ? 128 : 64;
  const fill = (src: Uint8Array) => {
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(password)]);
  const out: Buffer[] = [];
  for (let produced = 0; produced < size; produced += u) {
    let A = createHash(hash).update(Buffer.alloc(v, id)).update(I).digest();
    for (let j = 1; j < iterations; j++) A = createHash(hash).update(A).digest();
    out.push(A);
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        carry += I[j + k]! + B[k]!;
        I[j + k] = carry & 0xff;
        carry >>= 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, size);
}

// RC2 (RFC 2268), decryption only: the 40-bit RC2 that legacy PFX wrap certificates in is gone from OpenSSL 3's
// default provider, and those PFX are still what many tools (and the service's own test recordings) produce.
const PITABLE = Buffer.from(
  'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82' +
  '54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb6266fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7' +
  '08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
  '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad',
  'hex',
);

function rc2ExpandKey(key: Uint8Array, effectiveBits: number): Uint16Array {
  const L = new Uint8Array(128);
  L.set(key);
  for (let i = key.length; i < 128; i++) L[i] = PITABLE[(L[i - 1]! + L[i - key.length]!) & 0xff]!;
  const T8 = (effectiveBits + 7) >> 3;
  const TM = 0xff >> (8 * T8 - effectiveBits);
  L[128 - T8] = PITABLE[L[128 - T8]! & TM]!;
  for (let i = 127 - T8; i >= 0; i--) L[i] = PITABLE[L[i + 1]! ^ L[i + T8]!]!;
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) K[i] = L[2 * i]! | (L[2 * i + 1]! << 8);
  return K;
}

function rc2DecryptBlock(K: Uint16Array, block: Uint8Array): Uint8Array {
  const R = [0, 1, 2, 3].map((i) => block[2 * i]! | (block[2 * i + 1]! << 8));
  const S = [1, 2, 3, 5];
  const rmix = (j: number, i: number) => {
    R[i] = ((R[i]! >>> S[i]!) | (R[i]! << (16 - S[i]!))) & 0xffff;
    R[i] = (R[i]! - K[j]! - (R[(i + 3) % 4]! & R[(i + 2) % 4]!) - (~R[(i + 3) % 4]! & R[(i + 1) % 4]!)) & 0xffff;
  };
  const rmash = (i: number) => (R[i] = (R[i]! - K[R[(i + 3) % 4]! & 63]!) & 0xffff);
  let j = 63;
  const mixRound = () => {
    for (let i = 3; i >= 0; i--) rmix(j--, i);
  };
  const mashRound = () => {
    for (let i = 3; i >= 0; i--) rmash(i);
  };
  for (let r = 0; r < 5; r++) mixRound();
  mashRound();
  for (let r = 0; r < 6; r++) mixRound();
  mashRound();
  for (let r = 0; r < 5; r++) mixRound();
  const out = new Uint8Array(8);
  R.forEach((w, i) => {
    out[2 * i] = w & 0xff;
    out[2 * i + 1] = w >> 8;
  });
  return out;
}

function rc2CbcDecrypt(key: Uint8Array, effectiveBits: number, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length === 0 || data.length % 8) throw new Pkcs12Error('Bad RC2 ciphertext length.');
  const K = rc2ExpandKey(key, effectiveBits);
  const out = new Uint8Array(data.length);
  let previous = iv;
  for (let off = 0; off < data.length; off += 8) {
    const block = data.subarray(off, off + 8);
    const plain = rc2DecryptBlock(K, block);
    for (let i = 0; i < 8; i++) out[off + i] = plain[i]! ^ previous[i]!;
    previous = block;
  }
  const pad = out[out.length - 1]!;
  if (pad < 1 || pad > 8 || out.subarray(out.length - pad).some((b) => b !== pad)) throw new Pkcs12Error('Bad RC2 padding (wrong password?).');
  return out.subarray(0, out.length - pad);
}

// ---------------------------------------------------------------------------------------------------------------
// Small conversions

function privateKeyFromDer(der: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

/** The bytes of an OCTET STRING, primitive or constructed (BER splits long ones into chunks). */
function octets(node: unknown): Uint8Array {
  // Checked by tag, not instanceof: pkijs carries its own copy of asn1js.
  const octet = node as asn1js.OctetString;
  if (octet?.idBlock?.tagClass !== 1 || octet.idBlock.tagNumber !== 4) throw new Pkcs12Error('Expected an OCTET STRING.');
  if (!octet.valueBlock.isConstructed) return new Uint8Array(octet.valueBlock.valueHexView);
  return Buffer.concat(octet.valueBlock.value.map((chunk) => octets(chunk)));
}

const bytesOf = (data: BufferSource): Uint8Array =>
  ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

function toArrayBuffer(bytes: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
