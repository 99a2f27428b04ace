import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { CertificateWithPrivateKey, ValidationError } from '../../lib/index.js';
import { readPfx } from '../../lib/pki/pkcs12.js';
import { readCertificateSecret } from '../../lib/certificates/private-key.js';
import { issueLeaf, makeCa, type Issued } from './fixtures.js';
import { recording } from '../helpers/recordings.js';

const where = { name: 'web', version: 'aa11', secretId: 'https://myvault.vault.azure.net/secrets/web/aa11' };
const noCer = async () => { throw new Error('not expected to read the certificate'); };

function signs(result: CertificateWithPrivateKey): boolean {
  const data = Buffer.from('to be signed');
  return verify('sha256', data, result.certificate.publicKey, sign('sha256', data, result.privateKey));
}

describe('certificate with private key', () => {
  let ca: Issued;
  let leaf: Issued;
  before(async () => {
    ca = await makeCa();
    leaf = await issueLeaf(ca, { subject: 'CN=web.example.com', dnsNames: ['web.example.com'] });
  });

  it('reads a PEM secret: the leaf (found by its key), the chain, the key', async () => {
    // Chain out of order on purpose: the leaf is the certificate matching the key.
    const shuffled = leaf.key.export({ type: 'pkcs8', format: 'pem' }).toString() + ca.certificatePem + leaf.certificatePem.split(ca.certificatePem)[0];
    const result = await readCertificateSecret(shuffled, 'application/x-pem-file', 'pem', where, noCer);
    expect(result.certificate.subject).to.equal('CN=web.example.com');
    expect(result.chain.map((c) => c.subject)).to.deep.equal(['CN=web.example.com', 'CN=keyvault-kit test CA']);
    expect(result.certificate.checkIssued(result.chain[1]!)).to.equal(true);
    expect(result.certificatePem).to.equal(leaf.certificatePem);
    expect(result.pem).to.equal(shuffled);
    expect(result.pfx).to.equal(undefined);
    expect(result.privateKeyPem).to.match(/^-----BEGIN PRIVATE KEY-----/);
    expect(signs(result)).to.equal(true);
    expect(result).to.include({ name: 'web', version: 'aa11', format: 'pem', secretId: where.secretId });
  });

  it('reads a PKCS#12 secret and gives PEM, or the PFX bytes as served', async () => {
    const value = Buffer.from(leaf.pfx).toString('base64');
    const asPem = await readCertificateSecret(value, 'application/x-pkcs12', 'pem', where, noCer);
    expect(asPem.pem).to.equal(leaf.pem);
    expect(signs(asPem)).to.equal(true);
    const asPfx = await readCertificateSecret(value, 'application/x-pkcs12', 'pfx', where, noCer);
    expect(asPfx.pfx).to.deep.equal(leaf.pfx);
    expect(asPfx.pem).to.equal(undefined);
    expect(asPfx.chain).to.have.length(2);
  });

  it('converts PEM to a PFX that OpenSSL reads', async () => {
    const result = await readCertificateSecret(leaf.pem, 'application/x-pem-file', 'pfx', where, noCer);
    const back = readPfx(result.pfx!);
    expect(back.chain.map((der) => new X509Certificate(der).subject)).to.deep.equal(['CN=web.example.com', 'CN=keyvault-kit test CA']);
    const dir = mkdtempSync(join(tmpdir(), 'kvkit-'));
    writeFileSync(join(dir, 'out.pfx'), result.pfx!);
    const text = execFileSync('openssl', ['pkcs12', '-in', join(dir, 'out.pfx'), '-passin', 'pass:', '-nodes'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(text).to.include('-----BEGIN PRIVATE KEY-----');
    expect(text).to.include('subject=CN = web.example.com');
  });

  it('reads a legacy (RC2/3DES) PFX, key and certificate, without asking the vault for the certificate', async () => {
    // The PFX Azure's Python tests import: certificates under RC2-40, which OpenSSL 3 no longer reads (lib/pki/legacy-pbe.ts does).
    const exchange = recording('certificates', 'py_test_import_certificate_not_password_encoded_no_policy[7.6]')[1]!;
    const value = (exchange.RequestBody as { value: string }).value;
    const cer = new Uint8Array(Buffer.from(exchange.ResponseBody.cer, 'base64'));
    let asked = 0;
    const result = await readCertificateSecret(value, 'application/x-pkcs12', 'pem', where, async () => { asked++; return cer; });
    expect(asked).to.equal(0);
    expect(Buffer.from(result.certificate.raw)).to.deep.equal(Buffer.from(cer));
    expect(result.certificate.subject).to.include('O=Internet Widgits Pty Ltd');
    expect(result.certificate.checkPrivateKey(result.privateKey)).to.equal(true);
  });

  it('never leaks the key through JSON.stringify, util.inspect, spreading or Object.keys', async () => {
    const result = await readCertificateSecret(leaf.pem, 'application/x-pem-file', 'pem', where, noCer);
    const keyBody = result.privateKeyPem.split('\n')[1]!;
    expect(JSON.stringify(result)).to.not.include(keyBody);
    expect(JSON.parse(JSON.stringify(result))).to.include({ name: 'web', subject: 'CN=web.example.com', format: 'pem' });
    const printed = inspect(result, { depth: 5, showHidden: true });
    expect(printed).to.not.include(keyBody);
    expect(printed).to.include('privateKey: [redacted]');
    expect(JSON.stringify({ ...result })).to.not.include(keyBody);
    expect(Object.keys(result)).to.not.include.members(['privateKey', 'privateKeyPem', 'pem', 'pfx']);
    expect(result.privateKey.type).to.equal('private');
    expect(createPublicKey(result.privateKey).export({ type: 'spki', format: 'pem' })).to.equal(result.certificate.publicKey.export({ type: 'spki', format: 'pem' }));
  });

  it('an EC certificate works the same', async () => {
    const ec = await issueLeaf(ca, { ec: true, subject: 'CN=ec.example.com' });
    const result = await readCertificateSecret(ec.pem, undefined, 'pem', where, noCer);
    expect(result.privateKey.asymmetricKeyType).to.equal('ec');
    expect(signs(result)).to.equal(true);
  });

  it('a secret without a private key is a ValidationError', async () => {
    const error = await readCertificateSecret(leaf.certificatePem, 'application/x-pem-file', 'pem', where, noCer).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ValidationError).with.property('code', 'NoPrivateKey');
    const mismatched = ca.key.export({ type: 'pkcs8', format: 'pem' }).toString() + leaf.certificatePem.split(ca.certificatePem)[0];
    const noMatch = await readCertificateSecret(mismatched, 'application/x-pem-file', 'pem', where, noCer).catch((e: unknown) => e);
    expect(noMatch).to.be.instanceOf(ValidationError).with.property('code', 'InvalidCertificateSecret');
  });
});
