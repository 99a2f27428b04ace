import { expect } from 'chai';
import { constants, createHash, generateKeyPairSync, privateDecrypt, sign } from 'node:crypto';
import { inspect } from 'node:util';
import { firstValueFrom } from 'rxjs';
import { AbortError, BadRequestError, CryptographyClient, ValidationError } from '../../../lib/index.js';
import type { WireJsonWebKey } from '../../../lib/keys/transform.js';
import { countingCredential, expectChallenge, vault, VAULT } from '../../helpers/mock.js';
import { API, bundle, encryptDecrypt, ready, signVerify, wrapUnwrap } from '../fixtures.js';

const VERSION = 'f6b6a79941314be6b5cd8e393f2faca4';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaWire = () => {
  const { n, e } = rsa.publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', key_ops: ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'], n, e } as WireJsonWebKey;
};
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecWire = () => {
  const { x, y } = ec.publicKey.export({ format: 'jwk' });
  return { kty: 'EC', crv: 'P-256', key_ops: ['sign', 'verify'], x, y } as WireJsonWebKey;
};
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const rejection = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);

describe('CryptographyClient', () => {
  it('shares the KeyClient context: reads the key once, encrypts locally, decrypts in the vault, and no second challenge', async () => {
    const { client, keys, scope, warm } = ready();
    await warm();
    scope.get('/keys/rsa1/').query(API).matchHeader('authorization', 'Bearer token-1').reply(200, bundle('rsa1', VERSION, rsaWire()));
    const crypto = keys.getCryptographyClient('rsa1');
    expect(crypto.keyID).to.equal(`${VAULT}/keys/rsa1`);
    const encrypted = await crypto.encrypt({ algorithm: 'RSA-OAEP', plaintext: Buffer.from('local') });
    expect(crypto.keyID).to.equal(`${VAULT}/keys/rsa1/${VERSION}`);
    expect(encrypted.keyID).to.equal(`${VAULT}/keys/rsa1/${VERSION}`);
    expect(privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, encrypted.result).toString()).to.equal('local');
    // The version read first is pinned for every remote operation.
    scope.post(`/keys/rsa1/${VERSION}/decrypt`, { alg: 'RSA-OAEP', value: b64(encrypted.result) }).query(API).matchHeader('authorization', 'Bearer token-1')
      .reply(200, { kid: `${VAULT}/keys/rsa1/${VERSION}`, value: b64(Buffer.from('local')) });
    const decrypted = await crypto.decrypt({ algorithm: 'RSA-OAEP', ciphertext: encrypted.result });
    expect(Buffer.from(decrypted.result).toString()).to.equal('local');
    expect(decrypted).to.include({ algorithm: 'RSA-OAEP', keyID: `${VAULT}/keys/rsa1/${VERSION}` });
    await crypto.wrapKey('RSA-OAEP-256', new Uint8Array(32)); // local again: no request
    expect(client.authStats.challenges).to.equal(1);
    expect(crypto.authStats).to.deep.equal(client.authStats);
    expect(crypto.vaultUrl).to.equal(VAULT);
    scope.done();
  });

  it('sends the recorded encrypt/decrypt, sign/verify and wrap/unwrap bodies when it may not read the key (403: remote-only)', async () => {
    const { keys, scope, warm } = ready();
    await warm();
    const name = 'livekvtestkeycrypt9ba72f71';
    scope.get(`/keys/${name}/${VERSION}`).query(API).reply(403, { error: { code: 'Forbidden', message: 'no keys/get' } });
    scope.post(`/keys/${name}/${VERSION}/encrypt`, encryptDecrypt[2]!.RequestBody as Record<string, string>).query(API).reply(200, encryptDecrypt[2]!.ResponseBody);
    scope.post(`/keys/${name}/${VERSION}/decrypt`, encryptDecrypt[3]!.RequestBody as Record<string, string>).query(API).reply(200, encryptDecrypt[3]!.ResponseBody);
    scope.post(`/keys/${name}/${VERSION}/sign`, signVerify[2]!.RequestBody as Record<string, string>).query(API).reply(200, signVerify[2]!.ResponseBody);
    scope.post(`/keys/${name}/${VERSION}/verify`, signVerify[3]!.RequestBody as Record<string, string>).query(API).reply(200, signVerify[3]!.ResponseBody);
    scope.post(`/keys/${name}/${VERSION}/wrapkey`, wrapUnwrap[2]!.RequestBody as Record<string, string>).query(API).reply(200, wrapUnwrap[2]!.ResponseBody);
    scope.post(`/keys/${name}/${VERSION}/unwrapkey`, wrapUnwrap[3]!.RequestBody as Record<string, string>).query(API).reply(200, wrapUnwrap[3]!.ResponseBody);
    const crypto = keys.getCryptographyClient(name, { keyVersion: VERSION });
    const plaintext = Buffer.from((encryptDecrypt[2]!.RequestBody as { value: string }).value, 'base64url');
    const encrypted = await crypto.encrypt({ algorithm: 'RSA-OAEP', plaintext });
    expect(b64(encrypted.result)).to.equal(encryptDecrypt[2]!.ResponseBody.value);
    expect(encrypted.keyID).to.equal(encryptDecrypt[2]!.ResponseBody.kid);
    expect(Buffer.from((await crypto.decrypt('RSA-OAEP', encrypted.result)).result)).to.deep.equal(plaintext);
    const digest = Buffer.from((signVerify[2]!.RequestBody as { value: string }).value, 'base64url');
    const signed = await crypto.sign('RS256', digest);
    expect(signed).to.include({ algorithm: 'RS256', keyID: signVerify[2]!.ResponseBody.kid });
    expect((await crypto.verify('RS256', digest, signed.result)).result).to.equal(true);
    const wrapped = await crypto.wrapKey('RSA-OAEP', plaintext);
    expect(Buffer.from((await crypto.unwrapKey('RSA-OAEP', wrapped.result)).result)).to.deep.equal(plaintext);
    scope.done();
  });

  it('signData hashes locally and signs in the vault; verifyData with an EC key runs locally', async () => {
    const { keys, scope, warm } = ready();
    await warm();
    scope.get('/keys/ec1/').query(API).reply(200, bundle('ec1', VERSION, ecWire()));
    const data = Buffer.from('sign me');
    const signature = sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
    scope.post(`/keys/ec1/${VERSION}/sign`, { alg: 'ES256', value: b64(createHash('sha256').update(data).digest()) }).query(API).reply(200, { kid: `${VAULT}/keys/ec1/${VERSION}`, value: b64(signature) });
    const crypto = keys.getCryptographyClient('ec1');
    const signed = await crypto.signData('ES256', data);
    expect(Buffer.from(signed.result)).to.deep.equal(signature);
    expect((await crypto.verifyData('ES256', data, signed.result)).result).to.equal(true);
    expect((await crypto.verifyData('ES256', Buffer.from('tampered'), signed.result)).result).to.equal(false);
    scope.done();
  });

  it('verify over a bare ES256 digest goes to the vault as {alg, digest, value}', async () => {
    const { keys, scope, warm } = ready();
    await warm();
    scope.get('/keys/ec1/').query(API).reply(200, bundle('ec1', VERSION, ecWire()));
    const digest = createHash('sha256').update('x').digest();
    scope.post(`/keys/ec1/${VERSION}/verify`, { alg: 'ES256', digest: b64(digest), value: b64(new Uint8Array(64)) }).query(API).reply(200, { value: false });
    const result = await keys.getCryptographyClient('ec1').verify('ES256', digest, new Uint8Array(64));
    expect(result).to.deep.equal({ result: false, keyID: `${VAULT}/keys/ec1/${VERSION}` });
    scope.done();
  });

  it('AES in the vault (oct-HSM, no k): CBC gets a generated IV in the body; GCM maps tag and aad', async () => {
    const { keys, scope, warm } = ready();
    await warm();
    scope.get('/keys/aes/').query(API).reply(200, bundle('aes', VERSION, { kty: 'oct-HSM', key_ops: ['encrypt', 'decrypt'] }));
    let sentIv: string | undefined;
    scope.post(`/keys/aes/${VERSION}/encrypt`, (body: { alg: string; value: string; iv?: string }) => { sentIv = body.iv; return body.alg === 'A256CBCPAD' && body.value === 'AQID'; })
      .query(API).reply(200, () => ({ kid: `${VAULT}/keys/aes/${VERSION}`, value: 'BAUG', iv: sentIv }));
    scope.post(`/keys/aes/${VERSION}/encrypt`, { alg: 'A256GCM', value: 'AQID', aad: 'CQk' }).query(API).reply(200, { kid: `${VAULT}/keys/aes/${VERSION}`, value: 'BAUG', iv: 'AAAAAAAAAAAAAAAA', tag: 'EREREREREREREREREREREQ', aad: 'CQk' });
    scope.post(`/keys/aes/${VERSION}/decrypt`, { alg: 'A256GCM', value: 'BAUG', iv: 'AAAAAAAAAAAAAAAA', tag: 'EREREREREREREREREREREQ', aad: 'CQk' }).query(API).reply(200, { value: 'AQID' });
    const crypto = keys.getCryptographyClient('aes');
    const cbc = await crypto.encrypt({ algorithm: 'A256CBCPAD', plaintext: new Uint8Array([1, 2, 3]) });
    expect(sentIv).to.be.a('string');
    expect(Buffer.from(sentIv!, 'base64url')).to.have.length(16);
    expect(b64(cbc.iv!)).to.equal(sentIv);
    const gcm = await crypto.encrypt({ algorithm: 'A256GCM', plaintext: new Uint8Array([1, 2, 3]), additionalAuthenticatedData: new Uint8Array([9, 9]) });
    expect(gcm.authenticationTag).to.have.length(16);
    expect(gcm.iv).to.have.length(12);
    expect(Array.from(gcm.additionalAuthenticatedData!)).to.deep.equal([9, 9]);
    const plain = await crypto.decrypt({ algorithm: 'A256GCM', ciphertext: gcm.result, iv: gcm.iv!, authenticationTag: gcm.authenticationTag!, additionalAuthenticatedData: gcm.additionalAuthenticatedData! });
    expect(Array.from(plain.result)).to.deep.equal([1, 2, 3]);
    scope.done();
  });

  it("checks the key's limits before sending: disabled, not yet valid, expired (decrypt still allowed), keyOps, type", async () => {
    const { keys, scope, warm } = ready();
    await warm();
    const future = Math.floor(Date.now() / 1000) + 3600;
    const past = Math.floor(Date.now() / 1000) - 3600;
    scope.get('/keys/off/').query(API).reply(200, bundle('off', VERSION, rsaWire(), { enabled: false }));
    scope.get('/keys/later/').query(API).reply(200, bundle('later', VERSION, rsaWire(), { enabled: true, nbf: future }));
    scope.get('/keys/old/').query(API).reply(200, bundle('old', VERSION, rsaWire(), { enabled: true, exp: past }));
    scope.get('/keys/verifier/').query(API).reply(200, bundle('verifier', VERSION, { ...rsaWire(), key_ops: ['verify'] }));
    const digest = new Uint8Array(32);
    expect(await rejection(keys.getCryptographyClient('off').decrypt({ algorithm: 'RSA-OAEP', ciphertext: new Uint8Array(256) }))).to.be.instanceOf(ValidationError).and.include({ code: 'KeyDisabled' });
    expect(await rejection(keys.getCryptographyClient('later').sign('RS256', digest))).to.include({ code: 'KeyNotYetValid' });
    const old = keys.getCryptographyClient('old');
    expect(await rejection(old.encrypt({ algorithm: 'RSA-OAEP', plaintext: new Uint8Array(1) }))).to.include({ code: 'KeyExpired' });
    scope.post(`/keys/old/${VERSION}/decrypt`).query(API).reply(200, { value: 'AQ' });
    expect(Array.from((await old.decrypt({ algorithm: 'RSA-OAEP', ciphertext: new Uint8Array(256) })).result)).to.deep.equal([1]);
    const verifier = keys.getCryptographyClient('verifier');
    expect(await rejection(verifier.sign('RS256', digest))).to.include({ code: 'OperationNotAllowed' });
    expect(await rejection(verifier.verify('ES256', digest, new Uint8Array(64)))).to.include({ code: 'AlgorithmKeyMismatch' });
    scope.done();
  });

  it('algorithm/key-type and digest-length errors come before any request (a KeyVaultKey needs no read)', async () => {
    const { keys } = ready(); // only the (unused) warm-up interceptor: any request would fail differently
    const { key } = { key: { name: 'rsa1', id: `${VAULT}/keys/rsa1/${VERSION}`, key: { kty: 'RSA', n: new Uint8Array(256).fill(1), e: new Uint8Array([1, 0, 1]) }, properties: { name: 'rsa1', vaultUrl: VAULT, version: VERSION } } };
    const crypto = keys.getCryptographyClient(key);
    expect(await rejection(crypto.sign('ES256', new Uint8Array(32)))).to.be.instanceOf(ValidationError).and.include({ code: 'AlgorithmKeyMismatch' });
    expect(await rejection(crypto.sign('RS256', new Uint8Array(20)))).to.include({ code: 'InvalidDigestLength' });
    expect(await rejection(keys.getCryptographyClient('never-read').sign('RS384', new Uint8Array(32)))).to.include({ code: 'InvalidDigestLength' });
    expect(() => keys.getCryptographyClient({ ...key, properties: { ...key.properties, vaultUrl: 'https://other.vault.azure.net' } })).to.throw(ValidationError);
  });

  it('concurrent first calls share one read of the key; a 404 read is reported and retried on the next call', async () => {
    const { keys, scope, warm } = ready();
    await warm();
    scope.get('/keys/gone/').query(API).reply(404, { error: { code: 'KeyNotFound', message: 'not here' } });
    const gone = keys.getCryptographyClient('gone');
    expect(await rejection(gone.encrypt({ algorithm: 'RSA-OAEP', plaintext: new Uint8Array(1) }))).to.include({ statusCode: 404, code: 'KeyNotFound' });
    scope.get('/keys/gone/').query(API).once().reply(200, bundle('gone', VERSION, rsaWire()));
    const results = await Promise.all([1, 2, 3].map((i) => gone.encrypt({ algorithm: 'RSA-OAEP', plaintext: new Uint8Array([i]) })));
    expect(results).to.have.length(3);
    scope.done();
  });

  it("one caller's abort of the shared first read does not fail the other caller: it reads again", async () => {
    const { keys, scope, warm } = ready();
    await warm();
    // Without the second read, the second caller would share the first caller's AbortError.
    scope.get('/keys/shared/').query(API).times(2).delay(100).reply(200, bundle('shared', VERSION, rsaWire()));
    const crypto = keys.getCryptographyClient('shared');
    const controller = new AbortController();
    const first = crypto.encrypt({ algorithm: 'RSA-OAEP', plaintext: new Uint8Array([1]) }, { abortSignal: controller.signal });
    const second = crypto.encrypt({ algorithm: 'RSA-OAEP', plaintext: new Uint8Array([2]) });
    controller.abort();
    expect(await rejection(first)).to.be.instanceOf(AbortError);
    const encrypted = await second;
    expect(privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, encrypted.result)).to.deep.equal(Buffer.from([2]));
  });

  it('maps vault errors to typed errors', async () => {
    const { keys, scope, warm } = ready();
    await warm();
    scope.get('/keys/rsa1/').query(API).reply(200, bundle('rsa1', VERSION, rsaWire()));
    scope.post(`/keys/rsa1/${VERSION}/decrypt`).query(API).reply(400, { error: { code: 'BadParameter', message: 'The parameter is incorrect.' } });
    const error = await rejection(keys.getCryptographyClient('rsa1').decrypt({ algorithm: 'RSA-OAEP', ciphertext: new Uint8Array(256) }));
    expect(error).to.be.instanceOf(BadRequestError).and.include({ statusCode: 400, code: 'BadParameter' });
    scope.done();
  });

  it('$ twins emit the same results, for both argument forms of encrypt$/decrypt$', async () => {
    const { keys, scope, warm } = ready();
    await warm();
    scope.get('/keys/rsa1/').query(API).reply(200, bundle('rsa1', VERSION, rsaWire()));
    scope.post(`/keys/rsa1/${VERSION}/decrypt`).query(API).twice().reply(200, { kid: `${VAULT}/keys/rsa1/${VERSION}`, value: 'aGk' });
    scope.post(`/keys/rsa1/${VERSION}/sign`, { alg: 'PS256', value: b64(new Uint8Array(32)) }).query(API).reply(200, { kid: `${VAULT}/keys/rsa1/${VERSION}`, value: 'c2ln' });
    const crypto = keys.getCryptographyClient('rsa1');
    const encrypted = await firstValueFrom(crypto.encrypt$({ algorithm: 'RSA-OAEP', plaintext: Buffer.from('hi') }));
    expect(privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, encrypted.result).toString()).to.equal('hi');
    const legacy = await firstValueFrom(crypto.encrypt$('RSA1_5', Buffer.from('hi')));
    expect(privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_PKCS1_PADDING }, legacy.result).toString()).to.equal('hi');
    expect(Buffer.from((await firstValueFrom(crypto.decrypt$({ algorithm: 'RSA-OAEP', ciphertext: encrypted.result }))).result).toString()).to.equal('hi');
    expect(Buffer.from((await firstValueFrom(crypto.decrypt$('RSA-OAEP', encrypted.result, {}))).result).toString()).to.equal('hi');
    expect(Buffer.from((await firstValueFrom(crypto.sign$('PS256', new Uint8Array(32)))).result).toString()).to.equal('sig');
    const proto = CryptographyClient.prototype as unknown as Record<string, unknown>;
    for (const name of ['encrypt', 'decrypt', 'sign', 'verify', 'signData', 'verifyData', 'wrapKey', 'unwrapKey']) expect(proto[`${name}$`], name).to.be.a('function');
    scope.done();
  });

  it('is constructible on its own from a key id, with its own challenge; inspect shows no key material', async () => {
    const { credential, calls } = countingCredential('standalone');
    const crypto = new CryptographyClient(`${VAULT}/keys/rsa1/${VERSION}`, credential, { fetch: (i, init) => fetch(i, init) });
    const scope = vault();
    expectChallenge(scope, 'get', `/keys/rsa1/${VERSION}`);
    scope.get(`/keys/rsa1/${VERSION}`).query(API).matchHeader('authorization', 'Bearer standalone').reply(200, bundle('rsa1', VERSION, rsaWire()));
    await crypto.wrapKey('RSA-OAEP', new Uint8Array(16));
    expect(calls).to.have.length(1);
    expect(crypto.authStats.challenges).to.equal(1);
    expect(inspect(crypto)).to.equal(`CryptographyClient { keyID: '${VAULT}/keys/rsa1/${VERSION}' }`);
    expect(() => new CryptographyClient(`${VAULT}/secrets/s/1`)).to.throw(ValidationError);
    scope.done();
  });
});
