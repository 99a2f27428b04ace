/** Test certificates made in the test: a CA, leaves it signs, and their keys, as DER, PEM and PFX. */
// @peculiar/x509 needs the Reflect metadata API before it loads; the local vault provides the small part it uses.
import '../../lib/pki/reflect.js';
import * as x509 from '@peculiar/x509';
import { KeyObject, webcrypto } from 'node:crypto';
import { writePfx } from '../../lib/pki/pkcs12.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface Issued {
  der: Uint8Array;
  key: KeyObject;
  /** The private key (PKCS#8 PEM), then the certificate, then the chain above it. */
  pem: string;
  /** The certificate and chain only. */
  certificatePem: string;
  /** Unprotected PFX (key and chain). */
  pfx: Uint8Array;
  cryptoKeys: CryptoKeyPair;
  certificate: x509.X509Certificate;
}

async function issued(certificate: x509.X509Certificate, keys: CryptoKeyPair, chain: x509.X509Certificate[]): Promise<Issued> {
  const key = KeyObject.from(keys.privateKey);
  const ders = [certificate, ...chain].map((c) => new Uint8Array(c.rawData));
  const certificatePem = [certificate, ...chain].map((c) => `${c.toString('pem')}\n`).join('');
  return {
    der: ders[0]!,
    key,
    pem: key.export({ type: 'pkcs8', format: 'pem' }).toString() + certificatePem,
    certificatePem,
    pfx: writePfx({ key, chain: ders }),
    cryptoKeys: keys,
    certificate,
  };
}

/** A self-signed CA. */
export async function makeCa(subject = 'CN=keyvault-kit test CA'): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: subject,
    keys,
    signingAlgorithm: RSA,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  return issued(certificate, keys, []);
}

/** A leaf signed by `ca`: a new key (RSA or EC), or the public key of a CSR (DER). */
export async function issueLeaf(ca: Issued, options: { subject?: string; dnsNames?: string[]; ec?: boolean; csr?: Uint8Array } = {}): Promise<Issued> {
  const request = options.csr ? new x509.Pkcs10CertificateRequest(new Uint8Array(options.csr)) : undefined;
  const keys = request ? undefined : ((await webcrypto.subtle.generateKey(options.ec ? EC : RSA, true, ['sign', 'verify'])) as CryptoKeyPair);
  const certificate = await x509.X509CertificateGenerator.create({
    subject: request?.subject ?? options.subject ?? 'CN=leaf.example.com',
    issuer: ca.certificate.subject,
    publicKey: request ? request.publicKey : keys!.publicKey,
    signingKey: ca.cryptoKeys.privateKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      ...(options.dnsNames ? [new x509.SubjectAlternativeNameExtension(options.dnsNames.map((value) => ({ type: 'dns' as const, value })))] : []),
    ],
  });
  if (!keys) return { der: new Uint8Array(certificate.rawData), certificate, certificatePem: `${certificate.toString('pem')}\n${ca.certificatePem}` } as Issued;
  return issued(certificate, keys, [ca.certificate]);
}
