import { webcrypto } from 'node:crypto';
import type { JsonGeneralName } from '@peculiar/x509';
import { x509 } from '../pki/peculiar.js';

/** A TLS identity for the vault: PEM certificate (also the CA clients trust) and PKCS#8 PEM private key. */
export interface TlsIdentity {
  readonly cert: string;
  readonly key: string;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * A self-signed certificate made at start for `localhost`, `127.0.0.1` and `::1` (plus `host` when it is another
 * name or address). It is its own CA, so trusting exactly it (and nothing else) is all a client needs.
 */
export async function createTlsIdentity(host: string): Promise<TlsIdentity> {
  const crypto = webcrypto as unknown as Crypto;
  const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const names: JsonGeneralName[] = [
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '::1' },
  ];
  if (!names.some((n) => n.value === host)) names.push({ type: /^[\d.]+$|:/.test(host) ? 'ip' : 'dns', value: host });
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: `01${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}`,
      name: 'CN=keyvault-kit local vault',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 365 * 86400_000),
      keys,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
