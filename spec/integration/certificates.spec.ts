import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import {
  CertificateOperationFailedError, KeyVaultClient, NotFoundError, type CertificatePolicy, type CertificateWithPrivateKey, type KeyVaultCertificate,
} from '../../lib/index.js';
import { countingCredential } from '../helpers/mock.js';
import { useVault } from '../helpers/vault.js';
import { issueLeaf, makeCa } from '../certificates/fixtures.js';
import { readPfx } from '../../lib/pki/pkcs12.js';

const MONTH_MS = 30 * 24 * 3600 * 1000;
const data = Buffer.from('signed by the key Key Vault holds');

/** The private key signs; the certificate's own public key (from `cer`) verifies. */
function signsForCertificate(withKey: CertificateWithPrivateKey, certificate: KeyVaultCertificate): boolean {
  const publicKey = new X509Certificate(certificate.cer!).publicKey;
  return verify('sha256', data, publicKey, sign('sha256', data, withKey.privateKey));
}

/** Our SDK's certificates against the local vault over HTTPS. */
describe('certificates against the local vault', function () {
  this.timeout(120_000);
  const vault = useVault();
  let kv: KeyVaultClient;
  let dir: string;

  before(() => {
    kv = new KeyVaultClient(vault().url, countingCredential('local-token').credential, { ca: vault().ca, retry: { backoffMs: 1 } });
    dir = mkdtempSync(join(tmpdir(), 'kvkit-certs-'));
  });

  it('creates a self-signed RSA certificate from a policy and polls it to completion', async () => {
    const policy: CertificatePolicy = {
      issuerName: 'Self',
      subject: 'CN=app.example.com, O=Contoso',
      subjectAlternativeNames: { dnsNames: ['app.example.com', 'www.app.example.com'] },
      keyType: 'RSA',
      keySize: 3072,
      exportable: true,
      validityInMonths: 12,
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      enhancedKeyUsage: ['1.3.6.1.5.5.7.3.1'],
    };
    const poller = await kv.certificates.beginCreateCertificate('app-rsa', policy, { intervalInMs: 0, tags: { env: 'test' } });
    const certificate = await poller.pollUntilDone();
    expect(poller.getOperationState().certificateOperation?.status).to.equal('completed');
    const x509 = new X509Certificate(certificate.cer!);
    expect(x509.subject).to.include('CN=app.example.com').and.to.include('O=Contoso');
    expect(x509.subjectAltName).to.equal('DNS:app.example.com, DNS:www.app.example.com');
    expect(x509.publicKey.asymmetricKeyType).to.equal('rsa');
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).to.equal(3072);
    expect(x509.keyUsage).to.include('1.3.6.1.5.5.7.3.1');
    const validity = new Date(x509.validTo).getTime() - new Date(x509.validFrom).getTime();
    expect(validity).to.be.within(11 * MONTH_MS, 13 * MONTH_MS);
    expect(certificate.properties.expiresOn?.getTime()).to.equal(new Date(x509.validTo).getTime());
    expect(certificate.properties.x509ThumbprintString).to.equal(createHash('sha1').update(certificate.cer!).digest('hex'));
    expect(certificate.properties.tags).to.deep.equal({ env: 'test' });
    expect(certificate.policy).to.include({ subject: 'CN=app.example.com, O=Contoso', keyType: 'RSA', keySize: 3072, validityInMonths: 12, exportable: true });
  });

  it('creates an EC certificate; beginCreateCertificate$ emits the states', async () => {
    const states = await lastValueFrom(
      kv.certificates.beginCreateCertificate$('app-ec', { issuerName: 'Self', subject: 'CN=ec.example.com', keyType: 'EC', keyCurveName: 'P-384' }, { intervalInMs: 0 }).pipe(toArray()),
    );
    const certificate = states.at(-1)!.result!;
    const x509 = new X509Certificate(certificate.cer!);
    expect(x509.publicKey.asymmetricKeyType).to.equal('ec');
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).to.equal('secp384r1');
    expect(certificate.policy).to.include({ keyType: 'EC', keyCurveName: 'P-384' });
    expect(certificate.policy).to.not.have.property('keySize');
  });

  it('getCertificateWithPrivateKey: the PEM and the PFX keys sign what the certificate verifies, on both clients', async () => {
    const certificate = await kv.certificates.getCertificate('app-rsa');
    const pem = await kv.certificates.getCertificateWithPrivateKey('app-rsa');
    expect(pem.pem).to.include('-----BEGIN PRIVATE KEY-----');
    expect(pem.certificate.fingerprint).to.equal(new X509Certificate(certificate.cer!).fingerprint);
    expect(signsForCertificate(pem, certificate)).to.equal(true);
    const pfx = await kv.getCertificateWithPrivateKey('app-rsa', { format: 'pfx', version: certificate.properties.version! });
    expect(pfx.pfx?.length).to.be.greaterThan(0);
    expect(signsForCertificate(pfx, certificate)).to.equal(true);
    const ec = await kv.getCertificateWithPrivateKey('app-ec');
    expect(signsForCertificate(ec, await kv.certificates.getCertificate('app-ec'))).to.equal(true);
    expect(JSON.stringify(pem)).to.not.include(pem.privateKeyPem.split('\n')[1]);
  });

  it('imports a PEM and a password-protected PFX made here', async () => {
    const ca = await makeCa();
    const leaf = await issueLeaf(ca, { subject: 'CN=imported.example.com', dnsNames: ['imported.example.com'] });
    const fromPem = await kv.certificates.importCertificate('imported-pem', leaf.pem, { tags: { from: 'pem' } });
    expect(Buffer.from(fromPem.cer!)).to.deep.equal(Buffer.from(leaf.der));
    expect(fromPem.policy?.contentType).to.equal('application/x-pem-file');
    const back = await kv.certificates.getCertificateWithPrivateKey('imported-pem');
    expect(back.privateKey.equals(leaf.key)).to.equal(true);
    expect(back.chain.map((c) => c.subject)).to.deep.equal(['CN=imported.example.com', 'CN=keyvault-kit test CA']);
    // PFX of a PEM-held certificate: converted by the vault (outContentType) or, failing that, here.
    const asPfx = await kv.certificates.getCertificateWithPrivateKey('imported-pem', { format: 'pfx' });
    expect(readPfx(asPfx.pfx!).key?.equals(leaf.key)).to.equal(true);

    writeFileSync(join(dir, 'leaf.pem'), leaf.pem);
    execFileSync('openssl', ['pkcs12', '-export', '-in', join(dir, 'leaf.pem'), '-out', join(dir, 'leaf.pfx'), '-passout', 'pass:s3cret']);
    const fromPfx = await kv.certificates.importCertificate('imported-pfx', readFileSync(join(dir, 'leaf.pfx')), { password: 's3cret' });
    expect(Buffer.from(fromPfx.cer!)).to.deep.equal(Buffer.from(leaf.der));
    expect(fromPfx.policy?.contentType).to.equal('application/x-pkcs12');
    expect((await kv.certificates.getCertificateWithPrivateKey('imported-pfx')).privateKey.equals(leaf.key)).to.equal(true);
  });

  it('CSR + merge: a pending certificate signed by a test CA', async () => {
    const ca = await makeCa('CN=merge test CA');
    const poller = await kv.certificates.beginCreateCertificate('merged', { issuerName: 'Unknown', subject: 'CN=merged.example.com' }, { intervalInMs: 0 });
    await poller.poll();
    expect(poller.isDone()).to.equal(false);
    const csr = poller.getOperationState().certificateOperation!.csr!;
    const leaf = await issueLeaf(ca, { csr });
    const merged = await kv.certificates.mergeCertificate('merged', [leaf.certificatePem]);
    const x509 = new X509Certificate(merged.cer!);
    expect(x509.subject).to.equal('CN=merged.example.com');
    expect(x509.checkIssued(new X509Certificate(ca.der))).to.equal(true);
    const done = await poller.pollUntilDone();
    expect(done.properties.version).to.equal(merged.properties.version);
    const operation = await kv.certificates.getCertificateOperation('merged');
    expect(operation.getOperationState().certificateOperation?.status).to.equal('completed');
  });

  it('cancels a pending operation, then deletes the operation', async () => {
    await kv.certificates.createIssuer('offline-ca', 'Test', { accountId: 'acct' });
    const poller = await kv.certificates.beginCreateCertificate('to-cancel', { issuerName: 'offline-ca', subject: 'CN=cancel.example.com' }, { intervalInMs: 0 });
    expect(poller.isDone()).to.equal(false);
    await poller.cancelOperation();
    const error = await poller.pollUntilDone().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CertificateOperationFailedError).with.property('code', 'OperationCancelled');
    expect(poller.getOperationState()).to.include({ isCancelled: true });
    expect((await kv.certificates.deleteCertificateOperation('to-cancel')).status).to.equal('cancelled');
  });

  it('issuers round trip', async () => {
    const created = await kv.certificates.createIssuer('issuer-1', 'Test', { accountId: 'user', password: 'pw', administratorContacts: [{ firstName: 'Ada', email: 'ada@example.com' }] });
    expect(created).to.include({ name: 'issuer-1', provider: 'Test', accountId: 'user' });
    expect((await kv.certificates.getIssuer('issuer-1')).name).to.equal('issuer-1');
    const updated = await kv.certificates.updateIssuer('issuer-1', { accountId: 'user2' });
    expect(updated.accountId).to.equal('user2');
    expect(updated.administratorContacts).to.deep.equal([{ firstName: 'Ada', email: 'ada@example.com' }]);
    const names: (string | undefined)[] = [];
    for await (const issuer of kv.certificates.listPropertiesOfIssuers()) names.push(issuer.name);
    expect(names).to.include('issuer-1');
    expect((await kv.certificates.deleteIssuer('issuer-1')).name).to.equal('issuer-1');
    expect(await kv.certificates.getIssuer('issuer-1').catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
  });

  it('contacts round trip', async () => {
    const contacts = [{ email: 'a@example.com', name: 'A' }, { phone: '555-0100' }];
    expect(await kv.certificates.setContacts(contacts)).to.deep.equal(contacts);
    expect(await kv.certificates.getContacts()).to.deep.equal(contacts);
    expect(await kv.certificates.deleteContacts()).to.deep.equal(contacts);
    expect(await kv.certificates.getContacts().catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
  });

  it('policy and properties updates, versions and listings', async () => {
    const updated = await kv.certificates.updateCertificatePolicy('app-rsa', { subject: 'CN=app.example.com, O=Contoso', validityInMonths: 6 });
    expect(updated.validityInMonths).to.equal(6);
    expect((await kv.certificates.getCertificatePolicy('app-rsa')).validityInMonths).to.equal(6);
    const renewed = await (await kv.certificates.beginCreateCertificate('app-rsa', updated, { intervalInMs: 0 })).pollUntilDone();
    const versions: string[] = [];
    for await (const p of kv.certificates.listPropertiesOfCertificateVersions('app-rsa')) versions.push(p.version!);
    expect(versions).to.have.length(2).and.to.include(renewed.properties.version);
    const disabled = await kv.certificates.updateCertificateProperties('app-rsa', renewed.properties.version!, { enabled: false, tags: { state: 'off' } });
    expect(disabled.properties).to.deep.include({ enabled: false, tags: { state: 'off' } });
    const names: (string | undefined)[] = [];
    for await (const p of kv.certificates.listPropertiesOfCertificates()) names.push(p.name);
    expect(names).to.include.members(['app-rsa', 'app-ec', 'imported-pem', 'merged']);
  });

  it('delete, recover, delete again and purge', async () => {
    const deleted = await (await kv.certificates.beginDeleteCertificate('app-ec', { intervalInMs: 0 })).pollUntilDone();
    expect(deleted.recoveryId).to.match(/\/deletedcertificates\/app-ec$/);
    expect((await kv.certificates.getDeletedCertificate('app-ec')).name).to.equal('app-ec');
    const listed: string[] = [];
    for await (const d of kv.certificates.listDeletedCertificates()) listed.push(d.name);
    expect(listed).to.include('app-ec');
    const recovered = await (await kv.certificates.beginRecoverDeletedCertificate('app-ec', { intervalInMs: 0 })).pollUntilDone();
    expect(recovered.name).to.equal('app-ec');
    await (await kv.certificates.beginDeleteCertificate('app-ec', { intervalInMs: 0 })).pollUntilDone();
    await kv.certificates.purgeDeletedCertificate('app-ec');
    expect(await kv.certificates.getDeletedCertificate('app-ec').catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
  });

  it('backup, purge and restore', async () => {
    const before = await kv.certificates.getCertificate('imported-pem');
    const backup = await kv.certificates.backupCertificate('imported-pem');
    await (await kv.certificates.beginDeleteCertificate('imported-pem', { intervalInMs: 0 })).pollUntilDone();
    await kv.certificates.purgeDeletedCertificate('imported-pem');
    const restored = await kv.certificates.restoreCertificateBackup(backup);
    expect(restored.name).to.equal('imported-pem');
    expect(Buffer.from(restored.cer!)).to.deep.equal(Buffer.from(before.cer!));
    expect((await kv.certificates.getCertificateWithPrivateKey('imported-pem')).certificate.subject).to.equal('CN=imported.example.com');
  });
});
