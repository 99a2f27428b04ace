import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { ValidationError } from '../core/errors.js';
import { certificatePem, looksLikePem, pemBlocks, pemCertificates } from '../pki/pem.js';

export { looksLikePem, pemCertificates } from '../pki/pem.js';

/** The certificate carrying the key first, then the rest in their order. */
function leafFirst(chain: X509Certificate[], key: KeyObject): X509Certificate[] {
  const leaf = chain.findIndex((cert) => cert.checkPrivateKey(key));
  if (leaf < 0) throw new ValidationError("The certificate's secret holds no certificate matching its private key.", 'InvalidCertificateSecret');
  return [chain[leaf]!, ...chain.filter((_, i) => i !== leaf)];
}

/** The parts of {@link CertificateWithPrivateKey}, as read from the certificate's secret. */
export interface CertificateSecretContent {
  name: string;
  version?: string | undefined;
  secretId?: string | undefined;
  format: 'pem' | 'pfx';
  key: KeyObject;
  chain: Uint8Array[];
  pem?: string | undefined;
  pfx?: Uint8Array | undefined;
}

const hidden = (target: object, name: string, value: unknown) =>
  Object.defineProperty(target, name, { value, enumerable: false, writable: false, configurable: false });

/**
 * A certificate with its private key, read from the certificate's secret: the chain as
 * `X509Certificate`s and PEM, the key as a `KeyObject` and PEM, and the PFX bytes when asked for.
 *
 * The private parts (`privateKey`, `privateKeyPem`, `pem`, `pfx`) are readable but not enumerable,
 * and `util.inspect` shows only the public facts: logging or serialising the object never leaks the key.
 */
export class CertificateWithPrivateKey {
  /** The certificate's name. */
  readonly name: string;
  /** The version read. */
  readonly version: string | undefined;
  /** The id of the secret the content was read from. */
  readonly secretId: string | undefined;
  /** The format asked for: `pem` fills `pem`, `pfx` fills `pfx`. */
  readonly format: 'pem' | 'pfx';
  /** The certificate whose public key matches `privateKey`. */
  readonly certificate: X509Certificate;
  /** The chain, leaf first (the leaf is `certificate`). */
  readonly chain: readonly X509Certificate[];
  /** The chain as PEM, leaf first, without the key. */
  readonly certificatePem: string;
  /** The private key. Not enumerable. */
  declare readonly privateKey: KeyObject;
  /** The private key as PKCS#8 PEM. Not enumerable. */
  declare readonly privateKeyPem: string;
  /** Key and chain in one PEM text (format `pem`). Not enumerable. */
  declare readonly pem: string | undefined;
  /** The PKCS#12 bytes as the vault holds them, without a password (format `pfx`). Not enumerable. */
  declare readonly pfx: Uint8Array | undefined;

  constructor(content: CertificateSecretContent) {
    const chain = leafFirst(content.chain.map((der) => new X509Certificate(der)), content.key);
    this.name = content.name;
    this.version = content.version;
    this.secretId = content.secretId;
    this.format = content.format;
    this.certificate = chain[0]!;
    this.chain = chain;
    this.certificatePem = chain.map((cert) => cert.toString()).join('');
    hidden(this, 'privateKey', content.key);
    hidden(this, 'privateKeyPem', content.key.export({ type: 'pkcs8', format: 'pem' }).toString());
    hidden(this, 'pem', content.pem);
    hidden(this, 'pfx', content.pfx);
  }

  /** The public facts only. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      version: this.version,
      format: this.format,
      subject: this.certificate.subject,
      thumbprint: this.certificate.fingerprint256,
      validTo: this.certificate.validTo,
    };
  }

  /** What `util.inspect` and `console.log` show: identifiers only, never secret material. */
  [inspect.custom](): string {
    const { subject, fingerprint256, validTo } = this.certificate;
    return `CertificateWithPrivateKey { name: '${this.name}', version: '${this.version ?? ''}', subject: '${subject.replace(/\n/g, ', ')}', thumbprint: '${fingerprint256}', validTo: '${validTo}', chain: ${this.chain.length}, privateKey: [redacted] }`;
  }
}

/**
 * Reads a certificate's secret value: PEM text (`application/x-pem-file`) or base64 PKCS#12,
 * and returns it in the asked format, converting locally when the vault did not.
 */
export async function readCertificateSecret(
  value: string,
  contentType: string | undefined,
  format: 'pem' | 'pfx',
  where: { name: string; version?: string | undefined; secretId?: string | undefined },
  /** The certificate (DER) from the vault, for a PFX whose certificates are in a scheme not read here. */
  readCer: () => Promise<Uint8Array | undefined>,
): Promise<CertificateWithPrivateKey> {
  const isPem = contentType === 'application/x-pem-file' || (contentType !== 'application/x-pkcs12' && looksLikePem(value));
  if (isPem) {
    const keyBlock = pemBlocks(value).find((b) => b.label.endsWith('PRIVATE KEY'));
    if (!keyBlock) throw noKey(where.name);
    const key = createPrivateKey(keyBlock.block);
    const chain = pemCertificates(value);
    // Lazy: only a PEM → PFX conversion (an older api-version) needs pkijs. The PFX is written as the vault writes
    // one (empty password, PBES2 key bag, SHA-256 MAC), so it reads the same as one the vault served.
    const pfx = format === 'pfx' ? (await import('../pki/pkcs12.js')).writePfx({ key, chain: leafFirstDer(chain, key) }) : undefined;
    return new CertificateWithPrivateKey({ ...where, format, key, chain, pem: format === 'pem' ? value : undefined, pfx });
  }
  const bytes = new Uint8Array(Buffer.from(value, 'base64'));
  // A certificate safe in a scheme that does not decrypt is skipped: the certificate then comes from the vault.
  const { key, chain: read } = (await import('../pki/pkcs12.js')).readPfx(bytes, '', { skipUnreadableSafes: true });
  if (!key) throw noKey(where.name);
  const cer = read.length ? undefined : await readCer();
  const certificates = cer ? [cer] : [...read];
  const pem = format === 'pem' ? key.export({ type: 'pkcs8', format: 'pem' }).toString() + leafFirstDer(certificates, key).map(certificatePem).join('') : undefined;
  return new CertificateWithPrivateKey({ ...where, format, key, chain: certificates, pem, pfx: format === 'pfx' ? bytes : undefined });
}

const leafFirstDer = (chain: Uint8Array[], key: KeyObject): Uint8Array[] =>
  leafFirst(chain.map((der) => new X509Certificate(der)), key).map((cert) => new Uint8Array(cert.raw));

const noKey = (name: string) =>
  new ValidationError(`The secret of certificate ${name} holds no private key: its policy is not exportable, or it was imported without one.`, 'NoPrivateKey');
