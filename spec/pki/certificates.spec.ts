import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createCsr, createSelfSignedCertificate, describeCertificate, type CertificateProfile } from '../../lib/pki/certificates.js';
import { generatePrivateKey, keySpecOf, type KeySpec } from '../../lib/pki/keys.js';
import { subjectName } from '../../lib/pki/names.js';
import { fromPem, parseX5c, toPem } from '../../lib/pki/pem.js';
import { Pkcs12Error, readPfx as fromPfx, writePfx as toPfx } from '../../lib/pki/pkcs12.js';

const profile: CertificateProfile = {
  subject: 'cn=MyCert, O=Contoso, S=WA',
  sans: { dns_names: ['www.contoso.test', 'api.contoso.test'], emails: ['admin@contoso.test'], upns: ['user@contoso.test'] },
  keyUsage: ['digitalSignature', 'keyEncipherment'],
  ekus: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
  validityMonths: 12,
  ca: false,
};

function openssl(args: string[], input?: Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

describe('pki: certificates, PEM and PKCS#12 (checked with openssl)', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'kv-x509-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('self-signed certificates from a policy', () => {
    const specs: KeySpec[] = [
      { kty: 'RSA', size: 2048 },
      { kty: 'RSA', size: 3072 },
      { kty: 'EC', crv: 'P-256' },
      { kty: 'EC', crv: 'P-384' },
      { kty: 'EC', crv: 'P-521' },
      { kty: 'EC', crv: 'P-256K' },
    ];
    for (const spec of specs) {
      it(`makes a verifiable ${spec.kty === 'RSA' ? `RSA ${spec.size}` : spec.crv} certificate with the policy's subject, SANs, usages and validity`, async () => {
        const key = await generatePrivateKey(spec);
        const now = new Date('2026-03-31T12:00:00Z');
        const cert = new X509Certificate(await createSelfSignedCertificate(profile, key, now));
        // RFC 4514 order: the string's first RDN is the last one encoded.
        expect(cert.subject.split('\n')).to.deep.equal(['ST=WA', 'O=Contoso', 'CN=MyCert']);
        expect(cert.issuer).to.equal(cert.subject);
        expect(cert.subjectAltName).to.equal('DNS:www.contoso.test, DNS:api.contoso.test, email:admin@contoso.test, othername:UPN:user@contoso.test');
        expect(cert.verify(cert.publicKey)).to.equal(true);
        expect(cert.checkPrivateKey(key)).to.equal(true);
        expect(keySpecOf(cert.publicKey)).to.deep.equal(spec);
        expect(new Date(cert.validFrom).toISOString()).to.equal('2026-03-31T11:50:00.000Z');
        expect(new Date(cert.validTo).toISOString()).to.equal('2027-03-31T12:00:00.000Z');
        expect(cert.ca).to.equal(false);
        const info = describeCertificate(new Uint8Array(cert.raw));
        expect(info.keyUsage).to.deep.equal(['digitalSignature', 'keyEncipherment']);
        expect(info.ekus).to.deep.equal(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
        expect(info.subject).to.equal('CN=MyCert, O=Contoso, S=WA');
        expect(info.sans).to.deep.equal(profile.sans);
        expect(info.x5t).to.equal(Buffer.from(cert.fingerprint.replace(/:/g, ''), 'hex').toString('base64url'));
      });
    }

    it('marks the key usage critical and writes the key identifiers openssl shows', async () => {
      const key = await generatePrivateKey({ kty: 'RSA', size: 2048 });
      const text = openssl(['x509', '-inform', 'DER', '-noout', '-text'], Buffer.from(await createSelfSignedCertificate(profile, key))).toString();
      expect(text).to.match(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
      expect(text).to.match(/X509v3 Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
      expect(text).to.include('X509v3 Subject Key Identifier');
      expect(text).to.include('X509v3 Authority Key Identifier');
      expect(text).to.include('sha256WithRSAEncryption');
    });

    it('makes a CA certificate when asked (basic constraints)', async () => {
      const key = await generatePrivateKey({ kty: 'EC', crv: 'P-384' });
      const cert = new X509Certificate(await createSelfSignedCertificate({ ...profile, ca: true, keyUsage: ['keyCertSign', 'cRLSign'] }, key));
      expect(cert.ca).to.equal(true);
      const info = describeCertificate(new Uint8Array(cert.raw));
      expect(info.keyUsage).to.deep.equal(['keyCertSign', 'cRLSign']);
      expect(info.key).to.deep.equal({ kty: 'EC', crv: 'P-384' });
    });

    it('rejects a subject that is not a distinguished name', () => {
      expect(() => subjectName('not a dn')).to.throw();
    });
  });

  describe('CSRs', () => {
    for (const spec of [{ kty: 'RSA', size: 2048 }, { kty: 'EC', crv: 'P-256' }, { kty: 'EC', crv: 'P-256K' }] as KeySpec[]) {
      it(`self-signature of a ${spec.kty === 'RSA' ? 'RSA' : spec.crv} CSR verifies, with subject and requested extensions`, async () => {
        const key = await generatePrivateKey(spec);
        const der = Buffer.from(await createCsr(profile, key));
        const verified = openssl(['req', '-inform', 'DER', '-verify', '-noout', '-text'], der).toString();
        expect(verified).to.include('Subject: ST = WA, O = Contoso, CN = MyCert');
        expect(verified).to.match(/X509v3 Key Usage: critical/);
        expect(verified).to.include('DNS:www.contoso.test');
        const spki = openssl(['req', '-inform', 'DER', '-pubkey', '-noout'], der).toString();
        expect(createPublicKey(spki).export({ type: 'spki', format: 'der' }).equals(createPublicKey(key).export({ type: 'spki', format: 'der' }))).to.equal(true);
      });
    }
  });

  describe('PKCS#12', () => {
    it('round-trips key and chain, and openssl reads the PFX with an empty password', async () => {
      const key = await generatePrivateKey({ kty: 'RSA', size: 2048 });
      const leaf = await createSelfSignedCertificate(profile, key);
      const other = await createSelfSignedCertificate({ ...profile, subject: 'CN=Other CA' }, await generatePrivateKey({ kty: 'EC', crv: 'P-256' }));
      const pfx = toPfx({ key, chain: [leaf, other] });
      const back = fromPfx(pfx);
      expect(back.chain.map((c) => Buffer.from(c).toString('base64'))).to.deep.equal([leaf, other].map((c) => Buffer.from(c).toString('base64')));
      expect(back.key!.export({ type: 'pkcs8', format: 'der' }).equals(key.export({ type: 'pkcs8', format: 'der' }))).to.equal(true);
      const file = join(dir, 'built.pfx');
      writeFileSync(file, pfx);
      const info = openssl(['pkcs12', '-info', '-in', file, '-passin', 'pass:', '-nokeys']).toString();
      expect(info.match(/-----BEGIN CERTIFICATE-----/g)).to.have.length(2);
      const keyPem = openssl(['pkcs12', '-in', file, '-passin', 'pass:', '-nocerts', '-nodes']).toString();
      expect(createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' }).equals(key.export({ type: 'pkcs8', format: 'der' }))).to.equal(true);
    });

    it('protects with a password: right one opens, wrong one is refused', async () => {
      const key = await generatePrivateKey({ kty: 'EC', crv: 'P-256' });
      const pfx = toPfx({ key, chain: [await createSelfSignedCertificate(profile, key)] }, 's3cret');
      expect(fromPfx(pfx, 's3cret').key?.asymmetricKeyType).to.equal('ec');
      expect(() => fromPfx(pfx, 'wrong')).to.throw(Pkcs12Error);
      expect(() => fromPfx(pfx)).to.throw(Pkcs12Error);
      expect(() => fromPfx(new Uint8Array([1, 2, 3]))).to.throw(Pkcs12Error);
    });

    it('reads PFX made by openssl: default (PBES2/AES), legacy (RC2-40 + 3DES) and unencrypted, with and without password', async () => {
      const key = await generatePrivateKey({ kty: 'RSA', size: 2048 });
      const cert = await createSelfSignedCertificate(profile, key);
      writeFileSync(join(dir, 'key.pem'), key.export({ type: 'pkcs8', format: 'pem' }));
      writeFileSync(join(dir, 'cert.pem'), toPem({ chain: [cert] }));
      const variants: Array<[string, string[], string]> = [
        ['default', [], 'pw1'],
        ['legacy', ['-legacy'], 'pw2'],
        ['legacy, no password', ['-legacy'], ''],
        ['no encryption', ['-keypbe', 'NONE', '-certpbe', 'NONE'], ''],
      ];
      for (const [label, flags, password] of variants) {
        const out = join(dir, `${label.replace(/\W/g, '')}.pfx`);
        openssl(['pkcs12', '-export', ...flags, '-inkey', join(dir, 'key.pem'), '-in', join(dir, 'cert.pem'), '-out', out, '-passout', `pass:${password}`]);
        const back = fromPfx(readFileSync(out), password);
        expect(Buffer.from(back.chain[0]!).equals(Buffer.from(cert)), label).to.equal(true);
        expect(back.key!.export({ type: 'pkcs8', format: 'der' }).equals(key.export({ type: 'pkcs8', format: 'der' })), label).to.equal(true);
      }
    });

    it('reads the RC2-encrypted PFX of the service recording and derives its policy facts', async () => {
      const recording = JSON.parse(readFileSync(new URL('../fixtures/recordings/certificates/py_test_import_certificate_not_password_encoded_no_policy[7.6].json', import.meta.url), 'utf8')) as {
        Entries: Array<{ RequestBody: { value: string } | null }>;
      };
      const value = recording.Entries[1]!.RequestBody!.value;
      const { key, chain } = fromPfx(Buffer.from(value, 'base64'));
      const info = describeCertificate(chain[0]!);
      expect(info.x5t).to.equal('7Hd8wjMNV61gvzAY4LfCGxWwi_I');
      expect(info.subject).to.equal('O=Internet Widgits Pty Ltd, S=Some-State, C=AU');
      expect(info.ca).to.equal(true);
      expect(info.key).to.deep.equal({ kty: 'RSA', size: 2048 });
      expect(key?.asymmetricKeyType).to.equal('rsa');
    });
  });

  describe('PEM', () => {
    it('reads an openssl key and certificate (PKCS#1 and SEC1 too) and puts the leaf first', async () => {
      const caKey = await generatePrivateKey({ kty: 'EC', crv: 'P-256' });
      const ca = await createSelfSignedCertificate({ ...profile, subject: 'CN=Test CA', ca: true }, caKey);
      for (const [kty, args] of [
        ['rsa', ['genrsa', '-traditional', '2048']],
        ['ec', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout']],
      ] as const) {
        const keyPem = openssl([...args]).toString();
        const keyFile = join(dir, `${kty}.key`);
        writeFileSync(keyFile, keyPem);
        const certPem = openssl(['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=pem.test/O=Fabrikam', '-days', '30']).toString();
        const content = fromPem(`${toPem({ chain: [ca] })}${certPem}${keyPem}`);
        expect(content.key?.asymmetricKeyType).to.equal(kty);
        expect(content.chain).to.have.length(2);
        expect((describeCertificate(content.chain[0]!)).subject).to.equal('O=Fabrikam, CN=pem.test');
      }
    });

    it('writes PKCS#8 then the chain, and reads it back', async () => {
      const key = await generatePrivateKey({ kty: 'EC', crv: 'P-384' });
      const cert = await createSelfSignedCertificate(profile, key);
      const pem = toPem({ key, chain: [cert] });
      expect(pem).to.match(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
      const back = fromPem(pem);
      const signature = sign('sha384', Buffer.from('data'), back.key!);
      expect(verify('sha384', Buffer.from('data'), new X509Certificate(back.chain[0]!).publicKey, signature)).to.equal(true);
    });

    it('reads an encrypted PKCS#8 key with its password', async () => {
      const key = await generatePrivateKey({ kty: 'RSA', size: 2048 });
      const encrypted = key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
      const cert = toPem({ chain: [await createSelfSignedCertificate(profile, key)] });
      expect(fromPem(`${encrypted}${cert}`, 'pw').key?.asymmetricKeyType).to.equal('rsa');
    });
  });

  describe('x5c', () => {
    it('accepts base64 DER and base64 of PEM text (the JS SDK sends the latter)', async () => {
      const key = await generatePrivateKey({ kty: 'EC', crv: 'P-256' });
      const cert = await createSelfSignedCertificate(profile, key);
      const der = Buffer.from(cert).toString('base64');
      const pem = Buffer.from(toPem({ chain: [cert] })).toString('base64');
      // The JS SDK's merge test sends the base64 body with only the END line left (as recorded).
      const halfArmoured = Buffer.from(`${Buffer.from(cert).toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----`).toString('base64');
      for (const entry of [der, pem, halfArmoured]) expect(Buffer.from(parseX5c([entry])[0]!).equals(Buffer.from(cert))).to.equal(true);
      expect(() => parseX5c([Buffer.from('garbage').toString('base64')])).to.throw();
    });
  });
});
