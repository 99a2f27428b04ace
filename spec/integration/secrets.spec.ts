import { expect } from 'chai';
import { firstValueFrom, take, toArray } from 'rxjs';
import { ConflictError, KeyVaultClient, NotFoundError } from '../../lib/index.js';
import { startVault, type RunningVault } from '../../lib/emulator/index.js';
import { countingCredential } from '../helpers/mock.js';

/** Our SDK against the local vault over HTTPS, trusting only the vault's CA for this client. */
describe('secrets against the local vault', function () {
  this.timeout(60_000);
  let vault: RunningVault;
  let kv: KeyVaultClient;
  let calls: ReturnType<typeof countingCredential>['calls'];

  before(async () => {
    vault = await startVault();
    const credential = countingCredential('local-token');
    calls = credential.calls;
    kv = new KeyVaultClient(vault.url, credential.credential, { ca: vault.ca, retry: { backoffMs: 1 } });
  });
  after(() => vault.stop());

  it('answers the challenge once, with the vault origin as resource (no opt-out needed)', async () => {
    await kv.secrets.setSecret('first', 'one');
    expect(calls).to.have.length(1);
    expect(calls[0]!.scopes).to.deep.equal([`${vault.url}/.default`]);
    expect(calls[0]!.tenantId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('sets, reads, versions and updates a secret', async () => {
    const v1 = await kv.secrets.setSecret('db-password', 'hunter2', { contentType: 'text/plain', tags: { env: 'test' } });
    const v2 = await kv.secrets.setSecret('db-password', 'correct horse');
    expect(v1.properties.version).to.not.equal(v2.properties.version);
    expect((await kv.secrets.getSecret('db-password')).value).to.equal('correct horse');
    expect((await kv.secrets.getSecret('db-password', { version: v1.properties.version! })).value).to.equal('hunter2');
    expect((await kv.secrets.getSecret(v1.properties.id!)).value).to.equal('hunter2');
    const updated = await kv.secrets.updateSecretProperties('db-password', v1.properties.version!, { enabled: false, tags: { env: 'old' } });
    expect(updated).to.deep.include({ enabled: false, tags: { env: 'old' } });
    const versions: string[] = [];
    for await (const p of kv.secrets.listPropertiesOfSecretVersions('db-password')) versions.push(p.version!);
    expect(versions.sort()).to.deep.equal([v1.properties.version, v2.properties.version].sort());
  });

  it('lists 30 secrets across pages, and the $ face emits them one by one', async () => {
    for (let i = 0; i < 30; i++) await kv.secrets.setSecret(`page-${String(i).padStart(2, '0')}`, `v${i}`);
    const pages: number[] = [];
    for await (const page of kv.secrets.listPropertiesOfSecrets().byPage({ maxPageSize: 7 })) pages.push(page.filter((p) => p.name.startsWith('page-')).length);
    expect(pages.reduce((a, b) => a + b, 0)).to.equal(30);
    expect(pages.length).to.be.greaterThan(4);
    const first3 = await firstValueFrom(kv.secrets.listPropertiesOfSecrets$({ maxPageSize: 2 }).pipe(take(3), toArray()));
    expect(first3).to.have.length(3);
  });

  it('deletes, recovers, deletes again and purges with pollers', async () => {
    await kv.secrets.setSecret('temp', 'gone soon');
    const deleted = await (await kv.secrets.beginDeleteSecret('temp', { intervalInMs: 0 })).pollUntilDone();
    expect(deleted.recoveryId).to.equal(`${vault.url}/deletedsecrets/temp`);
    expect(deleted.scheduledPurgeDate!.getTime()).to.be.greaterThan(Date.now());
    expect(await kv.secrets.getSecret('temp').catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    const names: string[] = [];
    for await (const d of kv.secrets.listDeletedSecrets()) names.push(d.name);
    expect(names).to.include('temp');
    const recovered = await (await kv.secrets.beginRecoverDeletedSecret('temp', { intervalInMs: 0 })).pollUntilDone();
    expect(recovered.name).to.equal('temp');
    expect((await kv.secrets.getSecret('temp')).value).to.equal('gone soon');
    const states = await firstValueFrom(kv.secrets.beginDeleteSecret$('temp', { intervalInMs: 0 }).pipe(toArray()));
    expect(states.at(-1)!.isCompleted).to.equal(true);
    await kv.secrets.purgeDeletedSecret('temp');
    expect(await kv.secrets.getDeletedSecret('temp').catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
  });

  it('backs up and restores all versions; restoring over an existing name conflicts', async () => {
    await kv.secrets.setSecret('to-backup', 'a');
    await kv.secrets.setSecret('to-backup', 'b');
    const blob = await kv.secrets.backupSecret('to-backup');
    expect(await kv.secrets.restoreSecretBackup(blob).catch((e: unknown) => e)).to.be.instanceOf(ConflictError);
    await (await kv.secrets.beginDeleteSecret('to-backup', { intervalInMs: 0 })).pollUntilDone();
    await kv.secrets.purgeDeletedSecret('to-backup');
    const restored = await kv.secrets.restoreSecretBackup(blob);
    expect(restored.name).to.equal('to-backup');
    expect((await kv.secrets.getSecret('to-backup')).value).to.equal('b');
    let count = 0;
    for await (const _ of kv.secrets.listPropertiesOfSecretVersions('to-backup')) count++;
    expect(count).to.equal(2);
  });

  it('watchSecret$ sees a new version', async () => {
    await kv.secrets.setSecret('config', '{"v":1}');
    const seen: string[] = [];
    const done = firstValueFrom(kv.secrets.watchSecret$('config', { intervalMs: 10 }).pipe(take(2), toArray()));
    setTimeout(() => void kv.secrets.setSecret('config', '{"v":2}'), 50);
    for (const s of await done) seen.push(s.value!);
    expect(seen).to.deep.equal(['{"v":1}', '{"v":2}']);
  });

  it('still made only one challenge and one getToken', () => {
    expect(kv.authStats).to.deep.equal({ challenges: 1, getTokenCalls: 1 });
  });
});
