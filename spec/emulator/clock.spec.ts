import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { KeyVaultClient } from '../../lib/index.js';
import { startVault, type RunningVault } from '../../lib/emulator/index.js';
import { countingCredential } from '../helpers/mock.js';
import { useVault } from '../helpers/vault.js';
import { call } from './http.js';

const DAY = 86400_000;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const admin = (vault: RunningVault, method: string, body?: unknown, token: string | null = vault.adminToken) =>
  call(vault, method, '/_emulator/clock', { apiVersion: null, token, ...(body === undefined ? {} : { body }) });

describe('local vault: the clock', function () {
  this.timeout(120_000);
  const vault = useVault();
  let kv: KeyVaultClient;
  before(() => (kv = new KeyVaultClient(vault().url, countingCredential('t').credential, { ca: vault().ca, retry: { backoffMs: 1 } })));

  it('an expired secret is still served (as the service does), with its past expiry; an expired key refuses sign but verifies', async () => {
    const exp = new Date(vault().clock.now().getTime() + DAY);
    await kv.secrets.setSecret('short-lived', 'v1', { expiresOn: exp });
    await kv.keys.createEcKey('short-key', { curve: 'P-256', expiresOn: exp });
    const signature = (await call(vault(), 'POST', '/keys/short-key//sign', { body: { alg: 'ES256', value: Buffer.alloc(32, 1).toString('base64url') } })).json.value as string;
    vault().clock.advance('P2D');
    await vault().settled();

    const secret = await kv.secrets.getSecret('short-lived');
    expect(secret.value).to.equal('v1');
    expect(secret.properties.expiresOn!.getTime()).to.be.lessThan(vault().clock.now().getTime());
    const sign = await call(vault(), 'POST', '/keys/short-key//sign', { body: { alg: 'ES256', value: Buffer.alloc(32, 1).toString('base64url') } });
    expect(sign.status).to.equal(403);
    expect(sign.json.error.message).to.equal('Operation sign is not allowed on an expired key.');
    const verify = await call(vault(), 'POST', '/keys/short-key//verify', { body: { alg: 'ES256', digest: Buffer.alloc(32, 1).toString('base64url'), value: signature } });
    expect(verify.status).to.equal(200);
    expect(verify.json.value).to.equal(true);
  });

  it('rotates a key when the clock passes its rotation policy, once per period', async () => {
    const first = await kv.keys.createRsaKey('auto-rotated', { keySize: 2048 });
    await kv.keys.updateKeyRotationPolicy('auto-rotated', { lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D' }], expiresIn: 'P90D' });
    vault().clock.advance('P29D');
    await vault().settled();
    expect((await kv.keys.getKey('auto-rotated')).properties.version).to.equal(first.properties.version);

    vault().clock.advance('P2D');
    await vault().settled();
    const rotated = await kv.keys.getKey('auto-rotated');
    expect(rotated.properties.version).to.not.equal(first.properties.version);
    expect(rotated.key?.n).to.have.length(256);
    // The policy's expiresIn sets the new version's expiry from its creation on the vault clock.
    expect(rotated.properties.expiresOn!.getTime() - rotated.properties.createdOn!.getTime()).to.equal(90 * DAY);
    expect(await all(kv.keys.listPropertiesOfKeyVersions('auto-rotated'))).to.have.length(2);
  });

  it('purges a deleted secret at its scheduledPurgeDate, freeing the name', async () => {
    await kv.secrets.setSecret('to-purge', 'x');
    const poller = await kv.secrets.beginDeleteSecret('to-purge');
    const deleted = await poller.pollUntilDone();
    expect(deleted.scheduledPurgeDate!.getTime() - deleted.deletedOn!.getTime()).to.equal(90 * DAY);
    vault().clock.advance('P89D');
    await vault().settled();
    expect((await kv.secrets.getDeletedSecret('to-purge')).name).to.equal('to-purge');
    vault().clock.advance('P2D');
    await vault().settled();
    const gone = await call(vault(), 'GET', '/deletedsecrets/to-purge');
    expect(gone.status).to.equal(404);
    expect((await kv.secrets.setSecret('to-purge', 'again')).value).to.equal('again');
  });

  it('renews a certificate under AutoRenew and records EmailContacts', async () => {
    await kv.certificates.setContacts([{ email: 'ops@example.com' }]);
    const poller = await kv.certificates.beginCreateCertificate('renewed', {
      issuerName: 'Self',
      subject: 'CN=renewed',
      validityInMonths: 12,
      lifetimeActions: [
        { action: 'AutoRenew', daysBeforeExpiry: 30 },
        { action: 'EmailContacts', lifetimePercentage: 50 },
      ],
    });
    const first = await poller.pollUntilDone();
    vault().clock.advance('P200D');
    await vault().settled();
    const notes = vault().notifications().filter((n) => n.certificate === 'renewed');
    expect(notes).to.have.length(1);
    expect(notes[0]!.contacts).to.deep.equal([{ email: 'ops@example.com' }]);
    expect((await kv.certificates.getCertificate('renewed')).properties.version).to.equal(first.properties.version);

    vault().clock.advance('P140D');
    await vault().settled();
    const renewed = await kv.certificates.getCertificate('renewed');
    expect(renewed.properties.version).to.not.equal(first.properties.version);
    expect(renewed.properties.expiresOn!.getTime()).to.be.greaterThan(first.properties.expiresOn!.getTime());
    const listed = await call(vault(), 'GET', '/_emulator/notifications', { apiVersion: null, token: vault().adminToken });
    expect(listed.json.value.map((n: { certificate: string }) => n.certificate)).to.include('renewed');
  });

  it('moves through the admin route only with the admin token; malformed input is a 400 that changes nothing', async () => {
    expect(inspect(vault())).to.not.contain(vault().adminToken);
    expect((await admin(vault(), 'GET', undefined, null)).status).to.equal(401);
    expect((await admin(vault(), 'GET', undefined, 'not-the-admin-token')).json.error.code).to.equal('Unauthorized');
    expect((await admin(vault(), 'POST', { advance: 'P1D' }, 't')).status).to.equal(401);

    const before = Date.parse((await admin(vault(), 'GET')).json.now);
    for (const body of [{ advance: 'one day' }, { advance: -5 }, {}, { advance: 'P1D', set: '2030-01-01T00:00:00Z' }, { set: 'yesterday' }, { set: '2000-01-01T00:00:00Z' }, '[1', [1]]) {
      const r = await admin(vault(), 'POST', body);
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(r.json.error.code).to.equal('BadParameter');
    }
    // Routes and methods it does not have, and an oversized body: the error, and no move either.
    expect((await call(vault(), 'POST', '/_emulator/clocks', { apiVersion: null, token: vault().adminToken, body: { advance: 'P1D' } })).status).to.equal(404);
    const wrongMethod = await call(vault(), 'POST', '/_emulator/notifications', { apiVersion: null, token: vault().adminToken, body: { advance: 'P1D' } });
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.json.error.code).to.equal('MethodNotAllowed');
    expect((await admin(vault(), 'PUT', { advance: 'P1D' })).status).to.equal(405);
    const huge = await admin(vault(), 'POST', { advance: 'P1D', pad: 'x'.repeat(100_000) });
    expect(huge.status).to.equal(413);
    expect(huge.json.error.code).to.equal('RequestBodyTooLarge');
    const unchanged = Date.parse((await admin(vault(), 'GET')).json.now);
    expect(unchanged - before).to.be.lessThan(DAY);

    const moved = await admin(vault(), 'POST', { advance: 'P1D' });
    expect(moved.status).to.equal(200);
    expect(Date.parse(moved.json.now) - unchanged).to.be.at.least(DAY);
    const target = new Date(Date.parse(moved.json.now) + 10 * DAY).toISOString();
    // The answer comes after the work the move caused: the wall clock may have ticked on meanwhile.
    const setTo = Date.parse((await admin(vault(), 'POST', { set: target })).json.now);
    expect(setTo).to.be.at.least(Date.parse(target)).and.below(Date.parse(target) + DAY);
    expect((await admin(vault(), 'POST', { advance: 3_600_000 })).status).to.equal(200);
  });

  it('keeps its time across a restart on the same data file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-clock-'));
    try {
      const dataFile = join(dir, 'v.db');
      const first = await startVault({ dataFile });
      first.clock.advance('P100D');
      const kept = first.clock.now().getTime();
      await first.stop();
      const second = await startVault({ dataFile });
      try {
        expect(second.clock.now().getTime()).to.be.at.least(kept);
        expect(second.clock.now().getTime() - Date.now()).to.be.greaterThan(99 * DAY);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
