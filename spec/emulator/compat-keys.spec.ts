import { CryptographyClient, KeyClient, type KeyVaultKey } from '@azure/keyvault-keys';
import { expect } from 'chai';
import { type KeyObject, constants, createDecipheriv, createHash, createPublicKey, publicEncrypt, randomBytes, verify } from 'node:crypto';
import { startVault } from '../../lib/emulator/index.js';
import { fakeCredential } from '../helpers/credential.js';
import { useVault } from '../helpers/vault.js';
import { azureOptions } from './azure-clients.js';

const b64 = (u: Uint8Array | undefined): string => Buffer.from(u ?? []).toString('base64url');

/** node public key from the JWK Microsoft's client hands out (Uint8Array fields). */
function publicKeyOf(key: KeyVaultKey): KeyObject {
  const jwk = key.key!;
  if (jwk.kty!.startsWith('RSA')) return createPublicKey({ key: { kty: 'RSA', n: b64(jwk.n), e: b64(jwk.e) }, format: 'jwk' });
  return createPublicKey({ key: { kty: 'EC', crv: jwk.crv === 'P-256K' ? 'secp256k1' : jwk.crv!, x: b64(jwk.x), y: b64(jwk.y) }, format: 'jwk' });
}

describe("compatibility: Microsoft's @azure/keyvault-keys against the local vault", () => {
  const vault = useVault();
  const credential = fakeCredential();
  const client = () => new KeyClient(vault().url, credential, azureOptions(vault()));
  const crypto = (key: KeyVaultKey) => new CryptographyClient(key.id!, credential, azureOptions(vault()));
  const poll = { intervalInMs: 0 };

  it('creates RSA, EC and oct keys and reads them back', async () => {
    const c = client();
    const rsa = await c.createRsaKey('compat-rsa', { keySize: 3072, tags: { a: 'b' } });
    expect(rsa.name).to.equal('compat-rsa');
    expect(rsa.keyType).to.equal('RSA');
    expect(rsa.key?.n).to.have.length(384);
    expect(rsa.key?.d).to.equal(undefined);
    expect(rsa.properties.tags).to.deep.equal({ a: 'b' });
    expect(rsa.properties.exportable).to.equal(false);
    expect(rsa.properties.vaultUrl).to.equal(vault().url);
    const ec = await c.createEcKey('compat-ec', { curve: 'P-384', hsm: true });
    expect(ec.keyType).to.equal('EC-HSM');
    expect(ec.key?.crv).to.equal('P-384');
    expect(ec.keyOperations).to.deep.equal(['sign', 'verify']);
    const oct = await c.createOctKey('compat-oct', { keySize: 256, hsm: true });
    expect(oct.keyType).to.equal('oct-HSM');
    expect(oct.key?.k).to.equal(undefined);
    const got = await c.getKey('compat-rsa');
    expect(got.id).to.equal(rsa.id);
    expect(b64(got.key?.n)).to.equal(b64(rsa.key?.n));
    const byVersion = await c.getKey('compat-ec', { version: ec.properties.version! });
    expect(b64(byVersion.key?.x)).to.equal(b64(ec.key?.x));
    const updated = await c.updateKeyProperties('compat-rsa', rsa.properties.version!, { expiresOn: new Date('2035-06-01T00:00:00Z'), keyOps: ['sign', 'verify'] });
    expect(updated.properties.expiresOn?.toISOString()).to.equal('2035-06-01T00:00:00.000Z');
    expect(updated.keyOperations).to.deep.equal(['sign', 'verify']);
    const names: string[] = [];
    for await (const p of c.listPropertiesOfKeys()) names.push(p.name);
    expect(names).to.include.members(['compat-rsa', 'compat-ec', 'compat-oct']);
    expect((await c.getRandomBytes(16))).to.have.length(16);
  });

  it('rotates with a rotation policy (the service adds its Notify action)', async () => {
    const c = client();
    const key = await c.createEcKey('compat-rotate');
    const policy = await c.updateKeyRotationPolicy('compat-rotate', { lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D' }], expiresIn: 'P90D' });
    expect(policy.expiresIn).to.equal('P90D');
    expect(policy.lifetimeActions).to.deep.equal([
      { action: 'Rotate', timeAfterCreate: 'P30D', timeBeforeExpiry: undefined },
      { action: 'Notify', timeAfterCreate: undefined, timeBeforeExpiry: 'P30D' },
    ]);
    const read = await c.getKeyRotationPolicy('compat-rotate');
    expect(read.id).to.equal(`${vault().url}/keys/compat-rotate/rotationpolicy`);
    const rotated = await c.rotateKey('compat-rotate');
    expect(rotated.properties.version).to.not.equal(key.properties.version);
    expect(rotated.properties.expiresOn!.getTime() - rotated.properties.createdOn!.getTime()).to.equal(90 * 86400_000);
    let versions = 0;
    for await (const _ of c.listPropertiesOfKeyVersions('compat-rotate')) versions++;
    expect(versions).to.equal(2);
  });

  it('signs remotely and node verifies with the exported public JWK (RS256, PS384, ES256K)', async () => {
    const c = client();
    const rsa = await c.createRsaKey('compat-sign-rsa');
    const k1 = await c.createEcKey('compat-sign-k1', { curve: 'P-256K' });
    for (const [key, alg, hash, opts] of [
      [rsa, 'RS256', 'sha256', {}],
      [rsa, 'PS384', 'sha384', { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }],
      [k1, 'ES256K', 'sha256', { dsaEncoding: 'ieee-p1363' as const }],
    ] as const) {
      const data = randomBytes(80);
      const digest = createHash(hash).update(data).digest();
      const signed = await crypto(key).sign(alg, digest);
      expect(signed.keyID).to.equal(key.id);
      expect(verify(hash, data, { key: publicKeyOf(key), ...opts }, signed.result)).to.equal(true);
      const data2 = await crypto(key).signData(alg, data);
      expect(verify(hash, data, { key: publicKeyOf(key), ...opts }, data2.result)).to.equal(true);
      expect((await crypto(key).verify(alg, digest, signed.result)).result).to.equal(true);
    }
  });

  it('decrypts remotely what node encrypted with the public key; wraps and unwraps', async () => {
    const key = await client().createRsaKey('compat-enc', { keySize: 2048 });
    const plain = randomBytes(48);
    const ciphertext = publicEncrypt({ key: publicKeyOf(key), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, plain);
    const decrypted = await crypto(key).decrypt({ algorithm: 'RSA-OAEP-256', ciphertext });
    expect(Buffer.from(decrypted.result)).to.deep.equal(plain);
    const encrypted = await crypto(key).encrypt({ algorithm: 'RSA-OAEP', plaintext: plain });
    expect(Buffer.from((await crypto(key).decrypt({ algorithm: 'RSA-OAEP', ciphertext: encrypted.result })).result)).to.deep.equal(plain);
    const wrapped = await crypto(key).wrapKey('RSA-OAEP', plain);
    expect(Buffer.from((await crypto(key).unwrapKey('RSA-OAEP', wrapped.result)).result)).to.deep.equal(plain);
  });

  it('encrypts with an HSM AES key (A256GCM) so that node can decrypt with the imported bytes', async () => {
    const bytes = randomBytes(32);
    const key = await client().importKey('compat-aes', { kty: 'oct-HSM', k: bytes, keyOps: ['encrypt', 'decrypt'] });
    const plain = randomBytes(40);
    const enc = await crypto(key).encrypt({ algorithm: 'A256GCM', plaintext: plain, additionalAuthenticatedData: Buffer.from('aad') });
    const d = createDecipheriv('aes-256-gcm', bytes, enc.iv!);
    d.setAuthTag(enc.authenticationTag!);
    d.setAAD(Buffer.from('aad'));
    expect(Buffer.concat([d.update(enc.result), d.final()])).to.deep.equal(plain);
    const dec = await crypto(key).decrypt({ algorithm: 'A256GCM', ciphertext: enc.result, iv: enc.iv!, authenticationTag: enc.authenticationTag!, additionalAuthenticatedData: Buffer.from('aad') });
    expect(Buffer.from(dec.result)).to.deep.equal(plain);
  });

  it('deletes, recovers, purges with pollers; backs up and restores into another vault', async () => {
    const c = client();
    const key = await c.createEcKey('compat-life', { curve: 'P-521' });
    const deleted = await (await c.beginDeleteKey('compat-life', poll)).pollUntilDone();
    expect(deleted.properties.recoveryId).to.equal(`${vault().url}/deletedkeys/compat-life`);
    expect(deleted.properties.scheduledPurgeDate).to.be.instanceOf(Date);
    const deletedNames: string[] = [];
    for await (const d of c.listDeletedKeys()) deletedNames.push(d.name);
    expect(deletedNames).to.include('compat-life');
    const recovered = await (await c.beginRecoverDeletedKey('compat-life', poll)).pollUntilDone();
    expect(recovered.id).to.equal(key.id);
    const backup = await c.backupKey('compat-life');
    await (await c.beginDeleteKey('compat-life', poll)).pollUntilDone();
    await c.purgeDeletedKey('compat-life');
    const other = await startVault();
    try {
      const oc = new KeyClient(other.url, fakeCredential(), azureOptions(other));
      const restored = await oc.restoreKeyBackup(backup!);
      expect(restored.name).to.equal('compat-life');
      expect(b64(restored.key?.x)).to.equal(b64(key.key?.x));
      expect(restored.id).to.equal(key.id!.replace(vault().url, other.url));
    } finally {
      await other.stop();
    }
    const restoredHere = await c.restoreKeyBackup(backup!);
    expect(restoredHere.id).to.equal(key.id);
  });

  it('releases an exportable key and attests an HSM key', async () => {
    const c = client();
    const policy = { encodedPolicy: Buffer.from(JSON.stringify({ anyOf: [{ allOf: [{ claim: 'sdk-test', equals: true }], authority: 'https://attest.example' }], version: '1.0.0' })) };
    const key = await c.createRsaKey('compat-release', { hsm: true, exportable: true, releasePolicy: policy });
    expect(key.properties.exportable).to.equal(true);
    expect(Buffer.from(key.properties.releasePolicy!.encodedPolicy!).toString()).to.contain('sdk-test');
    const target = `${b64(Buffer.from('{"alg":"none"}'))}.${b64(Buffer.from('{}'))}.`;
    const released = await c.releaseKey('compat-release', target, { nonce: 'abc' });
    const claims = JSON.parse(Buffer.from(released.value.split('.')[1]!, 'base64url').toString());
    expect(claims.request.nonce).to.equal('abc');
    expect(claims.response.key.key.kid).to.equal(key.id);
    const attested = await c.getKeyAttestation('compat-release');
    expect(attested.properties.attestation?.certificatePemFile).to.be.instanceOf(Uint8Array);
    expect(Buffer.from(attested.properties.attestation!.certificatePemFile!).toString()).to.match(/^-----BEGIN CERTIFICATE-----/);
  });
});
