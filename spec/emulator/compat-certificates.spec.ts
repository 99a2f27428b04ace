// Microsoft's own clients (@azure/keyvault-certificates, @azure/keyvault-secrets) against the local vault over
// HTTPS, trusting only the vault's CA. Certificates, keys and PFX made here come from openssl, so what the vault
// serves is checked by tools other than the ones it is built with.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createHash, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CertificatePolicy, CertificateClient, type KeyVaultCertificate, WellKnownIssuer } from '@azure/keyvault-certificates';
import { SecretClient } from '@azure/keyvault-secrets';
import { expect } from 'chai';
import { type RunningVault, startVault } from '../../lib/emulator/index.js';
import { fakeCredential } from '../helpers/credential.js';
import { azureOptions } from './azure-clients.js';

describe('emulator certificates with @azure/keyvault-certificates (HTTPS, vault CA only)', function () {
  this.timeout(60_000);
  let vault: RunningVault;
  let certificates: CertificateClient;
  let secrets: SecretClient;
  let dir: string;
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${n++}`;
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const file = (name: string) => join(dir, name);

  before(async () => {
    vault = await startVault();
    dir = mkdtempSync(join(tmpdir(), 'kv-compat-certs-'));
    const options = { ...azureOptions(vault), retryOptions: { maxRetries: 0 } };
    certificates = new CertificateClient(vault.url, fakeCredential(), options);
    secrets = new SecretClient(vault.url, fakeCredential(), options);
  });
  after(async () => {
    await vault?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const certOf = (c: KeyVaultCertificate) => new X509Certificate(Buffer.from(c.cer!));
  const codeOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return { status: (error as { statusCode?: number }).statusCode, code: (error as { code?: string }).code };
    }
    throw new Error('expected the call to fail');
  };

  /** The private key and chain of a certificate's secret, read by openssl (PFX) or node (PEM). */
  async function secretOf(name: string, version?: string) {
    const secret = await secrets.getSecret(name, version ? { version } : {});
    expect(secret.properties.managed).to.equal(true);
    if (secret.properties.contentType === 'application/x-pem-file') return { secret, pem: secret.value! };
    expect(secret.properties.contentType).to.equal('application/x-pkcs12');
    writeFileSync(file(`${name}.pfx`), Buffer.from(secret.value!, 'base64'));
    return { secret, pem: openssl('pkcs12', '-in', `${name}.pfx`, '-passin', 'pass:', '-nodes').toString() };
  }

  function expectKeySignsForCertificate(pem: string, cer: Uint8Array) {
    const key = createPrivateKey(pem);
    const data = Buffer.from('signed by the certificate key');
    expect(verify('sha256', data, new X509Certificate(Buffer.from(cer)).publicKey, sign('sha256', data, key))).to.equal(true);
  }

  it('creates a self-signed certificate and polls it to completion', async () => {
    const name = unique('created');
    const poller = await certificates.beginCreateCertificate(
      name,
      { issuerName: WellKnownIssuer.Self, subject: 'CN=compat.contoso.test, O=Contoso', subjectAlternativeNames: { dnsNames: ['compat.contoso.test', 'www.contoso.test'], emails: ['ops@contoso.test'] }, keyType: 'RSA', keySize: 2048, validityInMonths: 6 },
      { intervalInMs: 0 },
    );
    const created = await poller.pollUntilDone();
    expect(created.name).to.equal(name);
    const cert = certOf(created);
    expect(cert.subject).to.equal('O=Contoso\nCN=compat.contoso.test');
    expect(cert.subjectAltName).to.equal('DNS:compat.contoso.test, DNS:www.contoso.test, email:ops@contoso.test');
    expect(Buffer.from(created.properties.x509Thumbprint!).toString('hex')).to.equal(createHash('sha1').update(cert.raw).digest('hex'));
    expect(created.keyId).to.equal(`${vault.url}/keys/${name}/${created.properties.version}`);
    expect(created.secretId).to.equal(`${vault.url}/secrets/${name}/${created.properties.version}`);
    expect(created.properties.expiresOn!.getTime()).to.equal(Date.parse(cert.validTo));
    expect(created.policy?.issuerName).to.equal('Self');

    const fetched = await certificates.getCertificate(name);
    expect(Buffer.from(fetched.cer!).equals(cert.raw)).to.equal(true);
    const version = await certificates.getCertificateVersion(name, created.properties.version!);
    expect(version.properties.version).to.equal(created.properties.version);
    const names: string[] = [];
    for await (const p of certificates.listPropertiesOfCertificates()) names.push(p.name!);
    expect(names).to.include(name);
    const versions: string[] = [];
    for await (const p of certificates.listPropertiesOfCertificateVersions(name)) versions.push(p.version!);
    expect(versions).to.deep.equal([created.properties.version]);

    const operation = await certificates.getCertificateOperation(name);
    expect(operation.getOperationState().certificateOperation?.status).to.equal('completed');
  });

  it('reads and updates the policy, and updates properties', async () => {
    const name = unique('policy');
    await (await certificates.beginCreateCertificate(name, { issuerName: 'Self', subject: 'CN=policy.test', keyType: 'EC', keyCurveName: 'P-384' }, { intervalInMs: 0 })).pollUntilDone();
    const policy = await certificates.getCertificatePolicy(name);
    expect(policy).to.include({ issuerName: 'Self', subject: 'CN=policy.test', keyType: 'EC', keyCurveName: 'P-384', exportable: true, reuseKey: false, validityInMonths: 12, contentType: 'application/x-pkcs12' });
    expect(policy.enhancedKeyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(policy.lifetimeActions).to.have.length(1);
    expect(policy.lifetimeActions![0]).to.include({ lifetimePercentage: 80, action: 'AutoRenew' });

    // SDK 4.10 discards the updated policy the service returns (its result is all undefined): read it back instead.
    await certificates.updateCertificatePolicy(name, { ...policy, validityInMonths: 3, keyUsage: ['digitalSignature'], contentType: 'application/x-pem-file' } as CertificatePolicy);
    const updated = await certificates.getCertificatePolicy(name);
    expect(updated).to.include({ validityInMonths: 3, contentType: 'application/x-pem-file', subject: 'CN=policy.test', keyCurveName: 'P-384' });
    expect(updated.keyUsage).to.deep.equal(['digitalSignature']);

    const latest = await certificates.getCertificate(name);
    const props = await certificates.updateCertificateProperties(name, latest.properties.version!, { tags: { team: 'compat' }, enabled: false });
    expect(props.properties.tags).to.deep.equal({ team: 'compat' });
    expect(props.properties.enabled).to.equal(false);
  });

  it("serves the certificate's PFX and PEM through SecretClient, and the private key signs for the certificate", async () => {
    const pfxName = unique('pfx');
    const pfxCert = await (await certificates.beginCreateCertificate(pfxName, { issuerName: 'Self', subject: 'CN=pfx.test' }, { intervalInMs: 0 })).pollUntilDone();
    const pfx = await secretOf(pfxName);
    expect(pfx.pem).to.include('-----BEGIN PRIVATE KEY-----');
    expect(pfx.secret.properties.certificateKeyId).to.equal(pfxCert.keyId);
    expectKeySignsForCertificate(pfx.pem, pfxCert.cer!);

    const pemName = unique('pem');
    const pemCert = await (
      await certificates.beginCreateCertificate(pemName, { issuerName: 'Self', subject: 'CN=pem.test', keyType: 'EC', keyCurveName: 'P-256', contentType: 'application/x-pem-file' }, { intervalInMs: 0 })
    ).pollUntilDone();
    const pem = await secretOf(pemName);
    expect(pem.secret.properties.contentType).to.equal('application/x-pem-file');
    const leaf = new X509Certificate(pem.pem.slice(pem.pem.indexOf('-----BEGIN CERTIFICATE-----')));
    expect(leaf.raw.equals(Buffer.from(pemCert.cer!))).to.equal(true);
    expectKeySignsForCertificate(pem.pem, pemCert.cer!);
  });

  it('imports a password-protected PFX and a PEM made by openssl', async () => {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'import.key', '-out', 'import.crt', '-subj', '/C=US/O=Fabrikam/CN=import.fabrikam.test', '-days', '40', '-addext', 'subjectAltName=DNS:import.fabrikam.test');
    openssl('pkcs12', '-export', '-inkey', 'import.key', '-in', 'import.crt', '-out', 'import.pfx', '-passout', 'pass:s3cret');
    const crt = new X509Certificate(readFileSync(file('import.crt')));

    const pfxName = unique('imported-pfx');
    const imported = await certificates.importCertificate(pfxName, readFileSync(file('import.pfx')), { password: 's3cret' });
    expect(certOf(imported).raw.equals(crt.raw)).to.equal(true);
    expect(imported.policy).to.include({ subject: 'CN=import.fabrikam.test, O=Fabrikam, C=US', issuerName: 'Unknown', keyType: 'RSA', keySize: 2048 });
    expect(imported.policy?.subjectAlternativeNames).to.deep.equal({ dnsNames: ['import.fabrikam.test'] });
    expectKeySignsForCertificate((await secretOf(pfxName)).pem, imported.cer!);
    expect(await codeOf(certificates.importCertificate(unique('bad-pwd'), readFileSync(file('import.pfx')), { password: 'nope' }))).to.deep.include({ status: 400, code: 'BadParameter' });

    const pemName = unique('imported-pem');
    const pemText = `${readFileSync(file('import.key'), 'utf8')}${readFileSync(file('import.crt'), 'utf8')}`;
    const importedPem = await certificates.importCertificate(pemName, Buffer.from(pemText), { policy: { contentType: 'application/x-pem-file', issuerName: 'Unknown', subject: 'CN=import.fabrikam.test' } });
    expect(certOf(importedPem).raw.equals(crt.raw)).to.equal(true);
    const pem = await secretOf(pemName);
    expect(pem.secret.properties.contentType).to.equal('application/x-pem-file');
    expectKeySignsForCertificate(pem.pem, importedPem.cer!);
  });

  it('creates, reads, updates, lists and deletes issuers', async () => {
    const name = unique('issuer');
    const created = await certificates.createIssuer(name, 'Test', {
      accountId: 'keyvaultuser',
      administratorContacts: [{ firstName: 'John', lastName: 'Doe', email: 'admin@contoso.test', phone: '4255555555' }],
    });
    // The SDK names an issuer from its id's second segment, `issuers` for the service's ids too: check the id.
    expect(created).to.include({ id: `${vault.url}/certificates/issuers/${name}`, provider: 'Test', accountId: 'keyvaultuser' });
    expect(created.administratorContacts).to.deep.equal([{ firstName: 'John', lastName: 'Doe', email: 'admin@contoso.test', phone: '4255555555' }]);
    expect((await certificates.getIssuer(name)).provider).to.equal('Test');
    const updated = await certificates.updateIssuer(name, { accountId: 'keyvaultuser2' });
    expect(updated).to.include({ accountId: 'keyvaultuser2', provider: 'Test' });
    const listed: string[] = [];
    for await (const issuer of certificates.listPropertiesOfIssuers()) listed.push(issuer.id!);
    expect(listed).to.include(created.id);
    expect((await certificates.deleteIssuer(name)).accountId).to.equal('keyvaultuser2');
    expect(await codeOf(certificates.getIssuer(name))).to.deep.include({ status: 404, code: 'CertificateIssuerNotFound' });
  });

  it('sets, gets and deletes contacts', async () => {
    const contacts = [
      { email: 'a@contoso.test', name: 'a', phone: '111111111111' },
      { email: 'b@contoso.test', name: 'b', phone: '222222222222' },
    ];
    expect(await certificates.setContacts(contacts)).to.deep.equal(contacts);
    expect(await certificates.getContacts()).to.deep.equal(contacts);
    // SDK 4.10 reads the deleted contacts under its model's name (contactList), not the wire's: it returns [].
    expect(await certificates.deleteContacts()).to.be.an('array');
    expect(await codeOf(certificates.getContacts())).to.deep.include({ status: 404, code: 'ContactsNotFound' });
  });

  it('deletes, recovers and purges a certificate with its secret', async () => {
    const name = unique('deleted');
    const created = await (await certificates.beginCreateCertificate(name, { issuerName: 'Self', subject: 'CN=deleted.test' }, { intervalInMs: 0 })).pollUntilDone();
    const deleted = await (await certificates.beginDeleteCertificate(name, { intervalInMs: 0 })).pollUntilDone();
    expect(deleted.recoveryId).to.equal(`${vault.url}/deletedcertificates/${name}`);
    expect(deleted.deletedOn).to.be.instanceOf(Date);
    expect(Buffer.from(deleted.cer!).equals(Buffer.from(created.cer!))).to.equal(true);
    expect((await certificates.getDeletedCertificate(name)).name).to.equal(name);
    const deletedNames: string[] = [];
    for await (const d of certificates.listDeletedCertificates()) deletedNames.push(d.name!);
    expect(deletedNames).to.include(name);
    expect(await codeOf(secrets.getSecret(name))).to.deep.include({ status: 404 });

    const recovered = await (await certificates.beginRecoverDeletedCertificate(name, { intervalInMs: 0 })).pollUntilDone();
    expect(Buffer.from(recovered.cer!).equals(Buffer.from(created.cer!))).to.equal(true);
    expect((await secrets.getSecret(name)).properties.version).to.equal(created.properties.version);

    await (await certificates.beginDeleteCertificate(name, { intervalInMs: 0 })).pollUntilDone();
    await certificates.purgeDeletedCertificate(name);
    expect(await codeOf(certificates.getDeletedCertificate(name))).to.deep.include({ status: 404, code: 'CertificateNotFound' });
  });

  it('backs up and restores a certificate', async () => {
    const name = unique('backup');
    const created = await (await certificates.beginCreateCertificate(name, { issuerName: 'Self', subject: 'CN=backup.test' }, { intervalInMs: 0 })).pollUntilDone();
    const backup = await certificates.backupCertificate(name);
    expect(backup).to.be.instanceOf(Uint8Array);
    expect(await codeOf(certificates.restoreCertificateBackup(backup!))).to.deep.include({ status: 409, code: 'Conflict' });
    await (await certificates.beginDeleteCertificate(name, { intervalInMs: 0 })).pollUntilDone();
    await certificates.purgeDeletedCertificate(name);
    const restored = await certificates.restoreCertificateBackup(backup!);
    expect(restored.name).to.equal(name);
    expect(Buffer.from(restored.cer!).equals(Buffer.from(created.cer!))).to.equal(true);
    expectKeySignsForCertificate((await secretOf(name)).pem, restored.cer!);
  });

  it('merges a certificate signed by a test CA from the pending CSR, and cancels another', async () => {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Compat Test CA', '-days', '30');
    const name = unique('merged');
    const poller = await certificates.beginCreateCertificate(name, { issuerName: 'Unknown', subject: 'CN=merged.test', subjectAlternativeNames: { dnsNames: ['merged.test'] } }, { intervalInMs: 0 });
    expect(poller.getOperationState().isCompleted).to.not.equal(true);
    const operation = (await certificates.getCertificateOperation(name)).getOperationState().certificateOperation!;
    expect(operation.status).to.equal('inProgress');
    expect(operation.statusDetails).to.equal('Pending certificate created. Please Perform Merge to complete the request.');
    writeFileSync(file('merged.csr'), Buffer.from(operation.csr!));
    openssl('req', '-inform', 'DER', '-in', 'merged.csr', '-verify', '-noout');
    openssl('x509', '-req', '-inform', 'DER', '-in', 'merged.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '20', '-copy_extensions', 'copy', '-out', 'merged.crt');
    const signed = new X509Certificate(readFileSync(file('merged.crt')));
    // As the SDK's own tests do: the PEM text as bytes.
    const merged = await certificates.mergeCertificate(name, [readFileSync(file('merged.crt'))]);
    expect(certOf(merged).raw.equals(signed.raw)).to.equal(true);
    expect(certOf(merged).issuer).to.equal('CN=Compat Test CA');
    expect(certOf(merged).subjectAltName).to.equal('DNS:merged.test');
    expect(merged.properties.enabled).to.equal(true);
    expectKeySignsForCertificate((await secretOf(name)).pem, merged.cer!);

    const cancelled = unique('cancelled');
    await certificates.beginCreateCertificate(cancelled, { issuerName: 'Unknown', subject: 'CN=cancelled.test' }, { intervalInMs: 0 });
    const cancelPoller = await certificates.getCertificateOperation(cancelled, { intervalInMs: 0 });
    await cancelPoller.cancelOperation();
    expect(cancelPoller.getOperationState().certificateOperation?.cancellationRequested).to.equal(true);
    const removed = await certificates.deleteCertificateOperation(cancelled);
    expect(removed.status).to.equal('cancelled');
    expect(await codeOf(certificates.getCertificateOperation(cancelled))).to.deep.include({ status: 404, code: 'PendingCertificateNotFound' });
  });
});
