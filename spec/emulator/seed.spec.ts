import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyVaultClient } from '../../lib/index.js';
import { SeedError, startVault, type RunningVault, type VaultSeed } from '../../lib/emulator/index.js';
import { countingCredential } from '../helpers/mock.js';

const client = (vault: RunningVault): KeyVaultClient => new KeyVaultClient(vault.url, countingCredential('t').credential, { ca: vault.ca, retry: { backoffMs: 1 } });

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const EC_PEM = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

const SEED: VaultSeed = {
  secrets: [
    { name: 'db-password', value: 'hunter2', contentType: 'text/plain', tags: { env: 'dev' }, attributes: { expiresOn: '2099-01-01T00:00:00Z' } },
    { name: 'api-key', versions: [{ value: 'old' }, { value: 'new', attributes: { enabled: true } }] },
  ],
  keys: [
    { name: 'signer', kty: 'EC', curve: 'P-256', keyOps: ['sign', 'verify'], tags: { team: 'a' } },
    { name: 'imported', pem: EC_PEM },
    { name: 'rotating', kty: 'RSA', size: 2048, rotationPolicy: { lifetimeActions: [{ trigger: { timeAfterCreate: 'P90D' }, action: { type: 'Rotate' } }] } },
  ],
  certificates: [{ name: 'web', policy: { issuer: { name: 'Self' }, x509_props: { subject: 'CN=web.local', validity_in_months: 6 } }, tags: { app: 'web' } }],
  issuers: [{ name: 'my-ca', provider: 'Test' }],
  contacts: [{ email: 'ops@example.com', name: 'Ops' }],
};

describe('local vault: seed data', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'kv-seed-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates secrets (with versions), keys (generated and PEM), a certificate, an issuer and contacts, read back through the SDK', async () => {
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify(SEED));
    const vault = await startVault({ seed: file });
    try {
      const kv = client(vault);
      const secret = await kv.secrets.getSecret('db-password');
      expect(secret.value).to.equal('hunter2');
      expect(secret.properties.contentType).to.equal('text/plain');
      expect(secret.properties.tags).to.deep.equal({ env: 'dev' });
      expect(secret.properties.expiresOn?.toISOString()).to.equal('2099-01-01T00:00:00.000Z');
      expect((await kv.secrets.getSecret('api-key')).value).to.equal('new');
      expect(await all(kv.secrets.listPropertiesOfSecretVersions('api-key'))).to.have.length(2);
      const signer = await kv.keys.getKey('signer');
      expect(signer.key?.crv).to.equal('P-256');
      expect(signer.keyOperations).to.deep.equal(['sign', 'verify']);
      expect((await kv.keys.getKey('imported')).key?.crv).to.equal('P-384');
      expect((await kv.keys.getKeyRotationPolicy('rotating')).lifetimeActions?.map((a) => a.action)).to.include('Rotate');
      const cert = await kv.certificates.getCertificate('web');
      expect(cert.policy?.subject).to.equal('CN=web.local');
      expect(cert.properties.tags).to.deep.equal({ app: 'web' });
      expect((await kv.certificates.getIssuer('my-ca')).provider).to.equal('Test');
      expect((await kv.certificates.getContacts()).map((c) => c?.email)).to.deep.equal(['ops@example.com']);
      expect(vault.seeded.created).to.include.members(['secrets/db-password', 'keys/imported', 'certificates/web', 'issuers/my-ca', 'contacts']);
    } finally {
      await vault.stop();
    }
  });

  it('is idempotent on a persistent vault: a second start with the same seed creates nothing, even for a deleted name', async () => {
    const dataFile = join(dir, 'vault.db');
    const seed: VaultSeed = {
      secrets: [{ name: 's', versions: [{ value: 'one' }, { value: 'two' }] }, { name: 'gone', value: 'x' }],
      // Only pending (its issuer is Unknown): it has no completed version, and must still count as there.
      certificates: [{ name: 'pending', policy: { issuer: { name: 'Unknown' }, x509_props: { subject: 'CN=pending' } } }],
    };
    const first = await startVault({ dataFile, seed });
    await client(first).secrets.beginDeleteSecret('gone');
    await first.stop();
    const second = await startVault({ dataFile, seed });
    try {
      expect(second.seeded).to.deep.equal({ created: [], skipped: ['secrets/s', 'secrets/gone', 'certificates/pending'] });
      const kv = client(second);
      expect(await all(kv.secrets.listPropertiesOfSecretVersions('s'))).to.have.length(2);
      expect((await kv.secrets.getDeletedSecret('gone')).name).to.equal('gone');
    } finally {
      await second.stop();
    }
  });

  it('refuses an invalid seed with the file, the entry and the reason, and changes nothing', async () => {
    const dataFile = join(dir, 'bad.db');
    const file = join(dir, 'bad.json');
    // The first entries are valid: nothing of them may be created, since a later entry fails.
    writeFileSync(file, JSON.stringify({ secrets: [{ name: 'ok', value: 'v' }], keys: [{ name: 'k', kty: 'RSA', size: 1000 }] }));
    const error = await startVault({ dataFile, seed: file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SeedError);
    expect((error as SeedError).file).to.equal(file);
    expect((error as SeedError).entry).to.equal('$.keys[0]');
    expect((error as SeedError).message).to.contain(file).and.contain('$.keys[0]').and.match(/key size|BadParameter/i);

    writeFileSync(file, JSON.stringify({ secrets: [{ name: 'ok', value: 'v' }, { name: 'x', vaule: 'typo' }] }));
    const typo = (await startVault({ dataFile, seed: file }).catch((e: unknown) => e)) as SeedError;
    expect(typo.entry).to.equal('$.secrets[1].vaule');
    expect(typo.reason).to.contain('not a known field');

    writeFileSync(file, '{ "secrets": [');
    expect(((await startVault({ seed: file }).catch((e: unknown) => e)) as SeedError).reason).to.contain('not valid JSON');

    const vault = await startVault({ dataFile });
    try {
      expect(await all(client(vault).secrets.listPropertiesOfSecrets())).to.deep.equal([]);
    } finally {
      await vault.stop();
    }
  });
});
