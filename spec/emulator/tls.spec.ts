import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startVault } from '../../lib/emulator/index.js';
import { createCa, issueServerCertificate, loadOrCreateCa } from '../../lib/emulator/tls.js';
import { KeyVaultClient } from '../../lib/index.js';
import { countingCredential } from '../helpers/mock.js';
import { servedCertificate } from './http.js';

const CLI = fileURLToPath(new URL('../../lib/emulator/cli.ts', import.meta.url));

describe('emulator TLS: a stable CA', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kvkit-tls-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its CA beside the data file: a client built before a restart keeps working', async () => {
    const dataFile = join(dir, 'vault.db');
    const first = await startVault({ dataFile });
    const port = new URL(first.url).port;
    expect(first.caFile).to.equal(join(dir, 'keyvault-emulator-ca', 'ca.pem'));
    const kv = new KeyVaultClient(first.url, countingCredential('t').credential, { ca: first.ca, retry: { backoffMs: 1 } });
    await kv.secrets.setSecret('kept', 'before the restart');
    await first.stop();
    expect(existsSync(first.caFile), 'the CA outlives stop()').to.equal(true);

    const second = await startVault({ dataFile, port: Number(port) });
    try {
      expect(second.ca).to.equal(first.ca);
      expect((await kv.secrets.getSecret('kept')).value).to.equal('before the restart');
      await kv.secrets.setSecret('kept', 'after the restart');
      expect((await kv.secrets.getSecret('kept')).value).to.equal('after the restart');
    } finally {
      await second.stop();
    }
  });

  it('serves a certificate from that CA for localhost, 127.0.0.1, ::1 and every --hostname', async () => {
    const vault = await startVault({ stateDir: dir, hostnames: ['vault.test', '10.1.2.3'] });
    try {
      const served = await servedCertificate(vault.url, vault.ca);
      const ca = new X509Certificate(vault.ca);
      expect(served.verify(ca.publicKey)).to.equal(true);
      expect(served.issuer).to.equal(ca.subject);
      expect(served.ca).to.equal(false);
      expect(ca.ca).to.equal(true);
      for (const name of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1', 'DNS:vault.test', 'IP Address:10.1.2.3']) {
        expect(served.subjectAltName).to.contain(name);
      }
      // The key stays private to its owner.
      if (process.platform !== 'win32') expect(statSync(join(dir, 'keyvault-emulator-ca', 'ca-key.pem')).mode & 0o077).to.equal(0);
    } finally {
      await vault.stop();
    }
  });

  it('makes one CA even when several vaults start at once on the same state directory', async () => {
    const cas = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateCa(dir)));
    expect(new Set(cas.map((c) => c.identity.cert)).size).to.equal(1);
    expect(readFileSync(cas[0]!.caFile, 'utf8')).to.equal(cas[0]!.identity.cert);
  });

  it('serves your own certificate and key (--tls-cert/--tls-key)', async () => {
    const ca = await createCa();
    const server = await issueServerCertificate(ca, ['own.test']);
    const vault = await startVault({ tlsCert: server.cert, tlsKey: server.key });
    try {
      expect(vault.ca.trim()).to.equal(ca.cert.trim());
      expect(readFileSync(vault.caFile, 'utf8')).to.equal(vault.ca);
      expect((await servedCertificate(vault.url, vault.ca)).subjectAltName).to.contain('DNS:own.test');
      const kv = new KeyVaultClient(vault.url, countingCredential('t').credential, { ca: vault.ca });
      expect((await kv.secrets.setSecret('own', 'certificate')).value).to.equal('certificate');
    } finally {
      await vault.stop();
    }
    expect(existsSync(vault.caFile)).to.equal(false);
  });

  it('`keyvault-emulator ca` prints the CA (PEM) and where it lives', async () => {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', CLI, 'ca', '--state-dir', dir], { timeout: 60_000 }, (error, stdout, stderr) =>
        error ? reject(error) : resolve({ stdout, stderr }),
      ),
    );
    const caFile = join(dir, 'keyvault-emulator-ca', 'ca.pem');
    expect(stdout).to.equal(readFileSync(caFile, 'utf8'));
    expect(new X509Certificate(stdout).ca).to.equal(true);
    expect(stderr).to.contain(`NODE_EXTRA_CA_CERTS=${caFile}`).and.contain('REQUESTS_CA_BUNDLE').and.contain('SSL_CERT_FILE');
    // The vault started on that state directory serves from the same CA.
    const vault = await startVault({ stateDir: dir });
    await vault.stop();
    expect(vault.ca).to.equal(stdout);
  });
});
