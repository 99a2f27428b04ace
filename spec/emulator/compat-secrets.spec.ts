import { SecretClient } from '@azure/keyvault-secrets';
import { expect } from 'chai';
import { startVault } from '../../lib/emulator/index.js';
import { fakeCredential } from '../helpers/credential.js';
import { useVault } from '../helpers/vault.js';
import { azureOptions } from './azure-clients.js';

describe("compatibility: Microsoft's @azure/keyvault-secrets against the local vault", () => {
  const vault = useVault();
  const credential = fakeCredential();
  const client = () => new SecretClient(vault().url, credential, azureOptions(vault()));
  const poll = { intervalInMs: 0 };

  it('authenticates through the challenge with the vault origin as scope', async () => {
    const set = await client().setSecret('compat-auth', 'v');
    expect(set.value).to.equal('v');
    expect(credential.scopes[0]).to.deep.equal([`${vault().url}/.default`]);
    expect(credential.tenantIds[0]).to.match(/^[0-9a-f-]{36}$/);
  });

  it('sets, gets (latest and by version) and updates secrets', async () => {
    const c = client();
    // Before 2038: Microsoft's serializer truncates epoch seconds to int32 (`| 0`).
    const expiresOn = new Date('2035-01-01T00:00:00Z');
    const first = await c.setSecret('compat-crud', 'one', { contentType: 'text/plain', tags: { env: 'test' }, expiresOn });
    expect(first.name).to.equal('compat-crud');
    expect(first.properties.version).to.match(/^[0-9a-f]{32}$/);
    expect(first.properties.expiresOn?.toISOString()).to.equal(expiresOn.toISOString());
    expect(first.properties.recoveryLevel).to.equal('Recoverable+Purgeable');
    expect(first.properties.vaultUrl).to.equal(vault().url);
    const second = await c.setSecret('compat-crud', 'two');
    expect((await c.getSecret('compat-crud')).value).to.equal('two');
    const old = await c.getSecret('compat-crud', { version: first.properties.version! });
    expect(old.value).to.equal('one');
    expect(old.properties.contentType).to.equal('text/plain');
    expect(old.properties.tags).to.deep.equal({ env: 'test' });
    const updated = await c.updateSecretProperties('compat-crud', second.properties.version!, { enabled: false, tags: { a: 'b' } });
    expect(updated.enabled).to.equal(false);
    expect(updated.tags).to.deep.equal({ a: 'b' });
    let error: { statusCode?: number; code?: string } | undefined;
    try {
      await c.getSecret('compat-crud');
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.statusCode).to.equal(403);
    expect(error?.code).to.equal('Forbidden');
  });

  it('pages over 30 secrets and their versions', async () => {
    const v = await startVault();
    try {
      const c = new SecretClient(v.url, fakeCredential(), azureOptions(v));
      for (let i = 0; i < 30; i++) await c.setSecret(`page-${String(i).padStart(2, '0')}`, `value-${i}`, { tags: { i: String(i) } });
      for (let i = 0; i < 3; i++) await c.setSecret('page-00', `again-${i}`);
      const names: string[] = [];
      for await (const p of c.listPropertiesOfSecrets()) names.push(p.name);
      expect(names).to.deep.equal(Array.from({ length: 30 }, (_, i) => `page-${String(i).padStart(2, '0')}`));
      let pages = 0;
      for await (const page of c.listPropertiesOfSecrets().byPage({ maxPageSize: 7 })) {
        expect(page.length).to.be.at.most(7);
        pages++;
      }
      expect(pages).to.equal(5);
      const versions: string[] = [];
      for await (const p of c.listPropertiesOfSecretVersions('page-00')) versions.push(p.version!);
      expect(versions).to.have.length(4);
      expect(new Set(versions).size).to.equal(4);
    } finally {
      await v.stop();
    }
  });

  it('deletes, lists deleted, recovers and purges with the pollers', async () => {
    const c = client();
    await c.setSecret('compat-delete', 'keep', { tags: { k: 'v' } });
    const deletePoller = await c.beginDeleteSecret('compat-delete', poll);
    const deleted = await deletePoller.pollUntilDone();
    expect(deleted.name).to.equal('compat-delete');
    expect(deleted.recoveryId).to.equal(`${vault().url}/deletedsecrets/compat-delete`);
    expect(deleted.properties.deletedOn).to.be.instanceOf(Date);
    expect(deleted.properties.scheduledPurgeDate!.getTime() - deleted.properties.deletedOn!.getTime()).to.equal(90 * 86400_000);
    const deletedNames: string[] = [];
    for await (const d of c.listDeletedSecrets()) deletedNames.push(d.name);
    expect(deletedNames).to.include('compat-delete');
    expect((await c.getDeletedSecret('compat-delete')).properties.tags).to.deep.equal({ k: 'v' });
    const recoverPoller = await c.beginRecoverDeletedSecret('compat-delete', poll);
    const recovered = await recoverPoller.pollUntilDone();
    expect(recovered.name).to.equal('compat-delete');
    expect((await c.getSecret('compat-delete')).value).to.equal('keep');
    await (await c.beginDeleteSecret('compat-delete', poll)).pollUntilDone();
    await c.purgeDeletedSecret('compat-delete');
    const after: string[] = [];
    for await (const d of c.listDeletedSecrets()) after.push(d.name);
    expect(after).to.not.include('compat-delete');
    expect((await c.setSecret('compat-delete', 'fresh')).value).to.equal('fresh');
  });

  it('backs up and restores into another vault', async () => {
    const c = client();
    await c.setSecret('compat-backup', 'first');
    await c.setSecret('compat-backup', 'second', { contentType: 'text' });
    const blob = await c.backupSecret('compat-backup');
    expect(blob).to.be.instanceOf(Uint8Array);
    const other = await startVault();
    try {
      const oc = new SecretClient(other.url, fakeCredential(), azureOptions(other));
      const restored = await oc.restoreSecretBackup(blob!);
      expect(restored.name).to.equal('compat-backup');
      expect(restored.vaultUrl).to.equal(other.url);
      expect((await oc.getSecret('compat-backup')).value).to.equal('second');
      let versions = 0;
      for await (const _ of oc.listPropertiesOfSecretVersions('compat-backup')) versions++;
      expect(versions).to.equal(2);
      let conflict: { statusCode?: number } | undefined;
      try {
        await oc.restoreSecretBackup(blob!);
      } catch (e) {
        conflict = e as typeof conflict;
      }
      expect(conflict?.statusCode).to.equal(409);
    } finally {
      await other.stop();
    }
  });
});
