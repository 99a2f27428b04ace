import { expect } from 'chai';
import { constants, createHash, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes, verify, type KeyObject } from 'node:crypto';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { KeyVaultClient, NotFoundError, type JsonWebKey, type KeyVaultKey } from '../../lib/index.js';
import { toJsonWebKey, type WireJsonWebKey } from '../../lib/keys/transform.js';
import { countingCredential } from '../helpers/mock.js';
import { useVault } from '../helpers/vault.js';

/** The key's public part as node sees it: every result below is checked with node:crypto, not with our code. */
function publicKeyOf(key: KeyVaultKey): KeyObject {
  const jwk = key.key!;
  const b64 = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString('base64url');
  if (jwk.kty?.startsWith('RSA')) return createPublicKey({ key: { kty: 'RSA', n: b64(jwk.n), e: b64(jwk.e) }, format: 'jwk' });
  return createPublicKey({ key: { kty: 'EC', crv: jwk.crv === 'P-256K' ? 'secp256k1' : jwk.crv!, x: b64(jwk.x), y: b64(jwk.y) }, format: 'jwk' });
}
const sha = (hash: string, data: Uint8Array) => createHash(hash).update(data).digest();
const RELEASE_POLICY = new Uint8Array(Buffer.from(JSON.stringify({ version: '1.0.0', anyOf: [{ authority: 'https://attest.example', allOf: [{ claim: 'x', equals: true }] }] })));
/** An unsigned attestation token satisfying RELEASE_POLICY (the local vault does not check signatures). */
const TARGET_TOKEN = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"x":true,"iss":"https://attest.example"}').toString('base64url')}.`;

/** Our SDK's keys and cryptography against the local vault over HTTPS, results checked with node:crypto. */
describe('keys and cryptography against the local vault', function () {
  this.timeout(60_000);
  const vault = useVault();
  let kv: KeyVaultClient;

  before(() => {
    kv = new KeyVaultClient(vault().url, countingCredential('local-token').credential, { ca: vault().ca, retry: { backoffMs: 1 } });
  });

  it('creates an RSA key; a vault signature (RS256) verifies with node and locally; one challenge for keys and crypto', async () => {
    const key = await kv.keys.createRsaKey('signer', { keySize: 2048 });
    expect(key.key?.n).to.have.length(256);
    expect(key.key?.d).to.equal(undefined);
    const crypto = kv.keys.getCryptographyClient('signer');
    const data = Buffer.from('signed in the vault');
    const signed = await crypto.sign('RS256', sha('sha256', data));
    expect(verify('sha256', data, publicKeyOf(key), signed.result)).to.equal(true);
    expect((await crypto.verify('RS256', sha('sha256', data), signed.result)).result).to.equal(true);
    expect((await crypto.verifyData('RS256', data, signed.result)).result).to.equal(true);
    expect((await crypto.verifyData('RS256', Buffer.from('other'), signed.result)).result).to.equal(false);
    expect(kv.authStats).to.deep.equal({ challenges: 1, getTokenCalls: 1 }); // shared by keys and cryptography
  });

  it('PS384: the vault signs a digest, node verifies (salt = 48), and the vault verifies it too', async () => {
    const key = await kv.keys.createRsaKey('pss', { keySize: 3072 });
    const crypto = kv.keys.getCryptographyClient(key);
    const data = Buffer.from('pss data');
    const signed = await crypto.signData('PS384', data);
    expect(verify('sha384', data, { key: publicKeyOf(key), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }, signed.result)).to.equal(true);
    expect((await crypto.verify('PS384', sha('sha384', data), signed.result)).result).to.equal(true); // PS over a digest: the vault verifies
    expect((await crypto.verifyData('PS384', data, signed.result)).result).to.equal(true); // locally
  });

  for (const [algorithm, curve, hash, size] of [['ES256', 'P-256', 'sha256', 64], ['ES384', 'P-384', 'sha384', 96], ['ES512', 'P-521', 'sha512', 132], ['ES256K', 'P-256K', 'sha256', 64]] as const) {
    it(`${algorithm}: an ${curve} key's vault signature (JOSE r || s) verifies with node and locally`, async () => {
      const key = await kv.keys.createEcKey(`ec-${algorithm.toLowerCase()}`, { curve });
      expect(key.key?.crv).to.equal(curve);
      const crypto = kv.keys.getCryptographyClient(key);
      const data = randomBytes(100);
      const signed = await crypto.sign(algorithm, sha(hash, data));
      expect(signed.result).to.have.length(size);
      expect(verify(hash, data, { key: publicKeyOf(key), dsaEncoding: 'ieee-p1363' }, signed.result)).to.equal(true);
      expect((await crypto.verifyData(algorithm, data, signed.result)).result).to.equal(true);
      expect((await crypto.verify(algorithm, sha(hash, data), signed.result)).result).to.equal(true);
    });
  }

  it('decrypt(encrypt(x)) = x: encrypted locally (RSA-OAEP, RSA-OAEP-256, RSA1_5) and by node, decrypted in the vault', async () => {
    const key = await kv.keys.createRsaKey('cipher');
    const crypto = kv.keys.getCryptographyClient('cipher');
    for (const algorithm of ['RSA-OAEP', 'RSA-OAEP-256', 'RSA1_5'] as const) {
      const x = randomBytes(48);
      const encrypted = await crypto.encrypt({ algorithm, plaintext: x });
      expect(Buffer.from((await crypto.decrypt({ algorithm, ciphertext: encrypted.result })).result), algorithm).to.deep.equal(x);
    }
    const byNode = publicEncrypt({ key: publicKeyOf(key), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from('made by node'));
    expect(Buffer.from((await crypto.decrypt('RSA-OAEP-256', byNode)).result).toString()).to.equal('made by node');
  });

  it('wrapKey/unwrapKey round trip (local wrap, vault unwrap)', async () => {
    await kv.keys.createRsaKey('kek');
    const crypto = kv.keys.getCryptographyClient('kek');
    const cek = randomBytes(32);
    const wrapped = await crypto.wrapKey('RSA-OAEP', cek);
    expect(Buffer.from((await crypto.unwrapKey('RSA-OAEP', wrapped.result)).result)).to.deep.equal(cek);
  });

  it('imports a node key with its private part; the vault decrypts node ciphertext and never returns the private part', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk: JsonWebKey = toJsonWebKey(pair.privateKey.export({ format: 'jwk' }) as WireJsonWebKey);
    const imported = await kv.keys.importKey('imported', jwk);
    expect(imported.key?.d).to.equal(undefined);
    expect(Buffer.from(imported.key!.n!)).to.deep.equal(Buffer.from(jwk.n!));
    const ciphertext = publicEncrypt({ key: pair.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from('for the vault'));
    const plain = await kv.keys.getCryptographyClient(imported).decrypt({ algorithm: 'RSA-OAEP', ciphertext });
    expect(Buffer.from(plain.result).toString()).to.equal('for the vault');
  });

  it('rotation policy round trip, then rotateKey makes a new version', async () => {
    const key = await kv.keys.createEcKey('rotating');
    const set = await kv.keys.updateKeyRotationPolicy('rotating', { expiresIn: 'P90D', lifetimeActions: [{ action: 'Rotate', timeAfterCreate: 'P30D' }, { action: 'Notify', timeBeforeExpiry: 'P7D' }] });
    expect(set.expiresIn).to.equal('P90D');
    const read = await kv.keys.getKeyRotationPolicy('rotating');
    expect(read.lifetimeActions).to.deep.include.members([{ action: 'Rotate', timeAfterCreate: 'P30D' }, { action: 'Notify', timeBeforeExpiry: 'P7D' }]);
    expect(read.id).to.equal(`${vault().url}/keys/rotating/rotationpolicy`);
    const rotated = await kv.keys.rotateKey('rotating');
    expect(rotated.properties.version).to.not.equal(key.properties.version);
    const versions: string[] = [];
    for await (const p of kv.keys.listPropertiesOfKeyVersions('rotating')) versions.push(p.version!);
    expect(versions.sort()).to.deep.equal([key.properties.version!, rotated.properties.version!].sort());
  });

  it('deleted-key lifecycle with pollers: delete, list, recover, delete, purge, restore from backup', async () => {
    await kv.keys.createRsaKey('lifecycle');
    const backup = await kv.keys.backupKey('lifecycle');
    const deleted = await (await kv.keys.beginDeleteKey('lifecycle', { intervalInMs: 0 })).pollUntilDone();
    expect(deleted.properties.recoveryId).to.equal(`${vault().url}/deletedkeys/lifecycle`);
    expect(await kv.keys.getKey('lifecycle').catch((e: unknown) => e)).to.be.instanceOf(NotFoundError);
    const names: string[] = [];
    for await (const d of kv.keys.listDeletedKeys()) names.push(d.name);
    expect(names).to.include('lifecycle');
    const recovered = await (await kv.keys.beginRecoverDeletedKey('lifecycle', { intervalInMs: 0 })).pollUntilDone();
    expect(recovered.name).to.equal('lifecycle');
    await (await kv.keys.beginDeleteKey('lifecycle', { intervalInMs: 0 })).pollUntilDone();
    await kv.keys.purgeDeletedKey('lifecycle');
    expect(await kv.keys.getDeletedKey('lifecycle').catch((e: unknown) => e)).to.be.instanceOf(NotFoundError).and.include({ code: 'KeyNotFound' });
    const restored = await kv.keys.restoreKeyBackup(backup);
    expect(restored.name).to.equal('lifecycle');
  });

  it('AES in the vault (oct-HSM): GCM and CBCPAD round trips (IV generated, tag returned), A256KW wrap/unwrap', async () => {
    await kv.keys.createOctKey('aes', { hsm: true, keySize: 256 });
    const crypto = kv.keys.getCryptographyClient('aes');
    const x = randomBytes(40);
    const gcm = await crypto.encrypt({ algorithm: 'A256GCM', plaintext: x, additionalAuthenticatedData: Buffer.from('aad') });
    expect(gcm.authenticationTag).to.have.length(16);
    const back = await crypto.decrypt({ algorithm: 'A256GCM', ciphertext: gcm.result, iv: gcm.iv!, authenticationTag: gcm.authenticationTag!, additionalAuthenticatedData: Buffer.from('aad') });
    expect(Buffer.from(back.result)).to.deep.equal(x);
    const cbc = await crypto.encrypt({ algorithm: 'A256CBCPAD', plaintext: x });
    expect(cbc.iv).to.have.length(16);
    expect(Buffer.from((await crypto.decrypt({ algorithm: 'A256CBCPAD', ciphertext: cbc.result, iv: cbc.iv! })).result)).to.deep.equal(x);
    const cek = randomBytes(32);
    const wrapped = await crypto.wrapKey('A256KW', cek);
    expect(wrapped.result).to.have.length(40);
    expect(Buffer.from((await crypto.unwrapKey('A256KW', wrapped.result)).result)).to.deep.equal(cek);
  });

  it('getRandomBytes; getKeyAttestation and releaseKey of a version', async () => {
    expect(await kv.keys.getRandomBytes(32)).to.have.length(32);
    const key = await kv.keys.createRsaKey('attested', { hsm: true });
    const attested = await kv.keys.getKeyAttestation('attested', { version: key.properties.version! });
    expect(attested.properties.version).to.equal(key.properties.version);
    expect(attested.properties.attestation?.publicKeyAttestation).to.be.instanceOf(Uint8Array);
    const exportable = await kv.keys.createRsaKey('exportable', { hsm: true, exportable: true, releasePolicy: { encodedPolicy: RELEASE_POLICY } });
    const released = await kv.keys.releaseKey('exportable', TARGET_TOKEN, { nonce: 'n1', version: exportable.properties.version! });
    expect(released.value).to.be.a('string').and.match(/^[\w-]+\.[\w-]+\./);
  });

  it('getKeyAttestation and releaseKey of the latest version (no version segment, as Microsoft\'s SDK sends them)', async () => {
    await kv.keys.createRsaKey('attested-latest', { hsm: true, exportable: true, releasePolicy: { encodedPolicy: RELEASE_POLICY } });
    expect((await kv.keys.getKeyAttestation('attested-latest')).properties.attestation).to.be.an('object');
    expect((await kv.keys.releaseKey('attested-latest', TARGET_TOKEN)).value).to.be.a('string');
  });

  it('the $ face: createEcKey$, getKey$, listPropertiesOfKeys$, signData$ and a delete poller$', async () => {
    const created = await firstValueFrom(kv.keys.createEcKey$('observed'));
    expect((await firstValueFrom(kv.keys.getKey$('observed'))).id).to.equal(created.id);
    const all = await lastValueFrom(kv.keys.listPropertiesOfKeys$().pipe(toArray()));
    expect(all.map((p) => p.name)).to.include('observed');
    const signed = await firstValueFrom(kv.keys.getCryptographyClient('observed').signData$('ES256', Buffer.from('rx')));
    expect(verify('sha256', Buffer.from('rx'), { key: publicKeyOf(created), dsaEncoding: 'ieee-p1363' }, signed.result)).to.equal(true);
    const states = await lastValueFrom(kv.keys.beginDeleteKey$('observed', { intervalInMs: 0 }).pipe(toArray()));
    expect(states.at(-1)?.isCompleted).to.equal(true);
  });
});
