import { expect } from 'chai';
import { X509Certificate, sign, verify } from 'node:crypto';
import { firstValueFrom, skip } from 'rxjs';
import { KeyVaultClient } from '../../lib/index.js';
import { countingCredential } from '../helpers/mock.js';
import { useVault } from '../helpers/vault.js';

/** config$ over HTTPS against the local vault: secrets, a key's public part, a certificate with its private key. */
describe('config$ against the local vault', function () {
  this.timeout(120_000);
  const vault = useVault();
  let kv: KeyVaultClient;
  before(async () => {
    kv = new KeyVaultClient(vault().url, countingCredential('local-token').credential, { ca: vault().ca, retry: { backoffMs: 1 } });
    await kv.secrets.setSecret('cfg-db', 'hunter2');
    await kv.secrets.setSecret('cfg-port', '8443');
    await kv.keys.createEcKey('cfg-signer', { curve: 'P-256' });
    await (await kv.certificates.beginCreateCertificate('cfg-web', { issuerName: 'Self', subject: 'CN=config.example', exportable: true }, { intervalInMs: 50 })).pollUntilDone();
  });

  it('loads every kind of source, typed, then follows a rotation of a key and of a secret', async () => {
    const config$ = kv.config$({
      db: 'cfg-db',
      port: { secret: 'cfg-port', parse: Number },
      signer: { key: 'cfg-signer' },
      tls: { certificateWithPrivateKey: 'cfg-web' },
      absent: { secret: 'cfg-absent', optional: true },
    }); // no polling: refreshed by hand below, so that no request is left in flight when the vault stops
    const first = await firstValueFrom(config$);
    const { config } = first;
    expect([config.db, config.port, config.absent]).to.deep.equal(['hunter2', 8443, undefined]);
    expect(config.signer.key?.kty).to.equal('EC');
    expect(config.signer.key?.d).to.equal(undefined);
    const data = Buffer.from('config');
    expect(config.tls.certificate).to.be.instanceOf(X509Certificate);
    expect(verify('sha256', data, config.tls.certificate.publicKey, sign('sha256', data, config.tls.privateKey))).to.equal(true);

    // Rotations reach the config, each naming its key.
    const changes: string[][] = [];
    const sub = config$.pipe(skip(1)).subscribe(({ changed }) => changes.push([...changed]));
    try {
    const rotatedKey = firstValueFrom(config$.pipe(skip(1)));
    await kv.keys.rotateKey('cfg-signer');
    config$.refresh('signer');
    const afterKey = await rotatedKey;
    expect(afterKey.changed).to.deep.equal(['signer']);
    expect(afterKey.config.signer.properties.version).not.to.equal(config.signer.properties.version);
    expect(Buffer.from(afterKey.config.signer.key!.x!).equals(Buffer.from(config.signer.key!.x!))).to.equal(false);
    const rotatedSecret = firstValueFrom(config$.pipe(skip(1)));
    await kv.secrets.setSecret('cfg-db', 'rotated');
    // Only the rotated source. (Refreshing all leaves the others in flight, aborted by the unsubscribe below; that
    // once held the vault's stop() ~60 s, now covered by spec/emulator/stop.spec.ts.)
    config$.refresh('db');
    expect((await rotatedSecret).config.db).to.equal('rotated');
    } finally {
      sub.unsubscribe(); // a failed assertion must not leave the poll running
    }
    expect(changes).to.deep.include.members([['signer'], ['db']]);
  });
});
