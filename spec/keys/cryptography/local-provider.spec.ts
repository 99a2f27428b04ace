import { expect } from 'chai';
import {
  constants, createCipheriv, createDecipheriv, createHash, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes, sign, verify,
  type CipherGCM, type DecipherGCM, type KeyObject,
} from 'node:crypto';
import { CryptographyClient, CryptographyError, LocalCryptographyUnsupportedError, ValidationError, type JsonWebKey } from '../../../lib/index.js';
import { LocalCryptographyProvider } from '../../../lib/keys/cryptography/local-provider.js';
import { toJsonWebKey, type WireJsonWebKey } from '../../../lib/keys/transform.js';
import { encryptDecrypt, recordedJwk, signVerify } from '../fixtures.js';

/** node:crypto's JWK (base64url members) as this SDK's JsonWebKey (Uint8Array members). */
function jwkOf(key: KeyObject, extra: Partial<WireJsonWebKey> = {}): JsonWebKey {
  const wire = key.export({ format: 'jwk' }) as WireJsonWebKey;
  if (wire.crv === 'secp256k1') wire.crv = 'P-256K';
  return toJsonWebKey({ ...wire, ...extra });
}
const octJwk = (k: Uint8Array, keyOps?: string[]): JsonWebKey => ({ kty: 'oct', k, ...(keyOps ? { keyOps } : {}) });
const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const rejection = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e);

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPublic = () => new CryptographyClient(jwkOf(rsa.publicKey, { kid: 'local-rsa' }));
const rsaPrivate = () => new CryptographyClient(jwkOf(rsa.privateKey));

describe('local cryptography (node:crypto, no network)', () => {
  describe('RSA', () => {
    for (const [algorithm, options] of [
      ['RSA-OAEP', { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }],
      ['RSA-OAEP-256', { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }],
      ['RSA1_5', { padding: constants.RSA_PKCS1_PADDING }],
    ] as const) {
      it(`${algorithm}: encrypt and wrapKey with the public key decrypt with node's private key`, async () => {
        const client = rsaPublic();
        const encrypted = await client.encrypt({ algorithm, plaintext: bytes('attack at dawn') });
        expect(encrypted).to.include({ algorithm, keyID: 'local-rsa' });
        expect(privateDecrypt({ key: rsa.privateKey, ...options }, encrypted.result).toString()).to.equal('attack at dawn');
        const cek = randomBytes(32);
        const wrapped = await client.wrapKey(algorithm, cek);
        expect(privateDecrypt({ key: rsa.privateKey, ...options }, wrapped.result)).to.deep.equal(cek);
      });

      it(`${algorithm}: decrypt and unwrapKey with a private JsonWebKey read node's ciphertexts`, async () => {
        const ciphertext = publicEncrypt({ key: rsa.publicKey, ...options }, Buffer.from('secret'));
        expect(Buffer.from((await rsaPrivate().decrypt({ algorithm, ciphertext })).result).toString()).to.equal('secret');
        expect(Buffer.from((await rsaPrivate().unwrapKey(algorithm, ciphertext)).result).toString()).to.equal('secret');
      });
    }

    it('never decrypts, unwraps or signs without the private part: a typed error, nothing sent', async () => {
      const client = rsaPublic();
      const digest = createHash('sha256').update('x').digest();
      for (const attempt of [
        client.decrypt({ algorithm: 'RSA-OAEP', ciphertext: new Uint8Array(256) }),
        client.unwrapKey('RSA-OAEP', new Uint8Array(256)),
        client.sign('RS256', digest),
        client.signData('PS256', bytes('x')),
      ]) {
        const error = await rejection(attempt);
        expect(error).to.be.instanceOf(LocalCryptographyUnsupportedError).and.include({ code: 'LocalCryptographyUnsupported' });
        expect((error as Error).message).to.include('private key');
      }
    });

    it("RS256/384/512 sign over a digest equals node's signature over the data (PKCS#1 v1.5 is deterministic)", async () => {
      for (const [algorithm, hash] of [['RS256', 'sha256'], ['RS384', 'sha384'], ['RS512', 'sha512']] as const) {
        const data = Buffer.from(`message for ${algorithm}`);
        const signed = await rsaPrivate().sign(algorithm, createHash(hash).update(data).digest());
        expect(Buffer.from(signed.result)).to.deep.equal(sign(hash, data, rsa.privateKey));
      }
    });

    it("verify over a digest (RS*) and verifyData (RS*, PS*) accept node's signatures and refuse tampered ones", async () => {
      const client = rsaPublic();
      const data = Buffer.from('signed by node');
      for (const [algorithm, hash] of [['RS256', 'sha256'], ['RS384', 'sha384'], ['RS512', 'sha512']] as const) {
        const signature = sign(hash, data, rsa.privateKey);
        expect((await client.verify(algorithm, createHash(hash).update(data).digest(), signature)).result, algorithm).to.equal(true);
        expect((await client.verifyData(algorithm, data, signature)).result, algorithm).to.equal(true);
        signature[10]! ^= 1;
        expect((await client.verify(algorithm, createHash(hash).update(data).digest(), signature)).result, algorithm).to.equal(false);
      }
      for (const [algorithm, hash] of [['PS256', 'sha256'], ['PS384', 'sha384'], ['PS512', 'sha512']] as const) {
        const signature = sign(hash, data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
        expect((await client.verifyData(algorithm, data, signature)).result, algorithm).to.equal(true);
        expect((await client.verifyData(algorithm, Buffer.from('other data'), signature)).result, algorithm).to.equal(false);
      }
    });

    it('signData PS256 with a private JsonWebKey verifies with node (salt = digest length)', async () => {
      const data = Buffer.from('pss');
      const signed = await rsaPrivate().signData('PS256', data);
      expect(verify('sha256', data, { key: rsa.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signed.result)).to.equal(true);
    });

    it('PS* over a bare digest is not done locally (node has no prehashed PSS): typed error for a local-only client', async () => {
      const error = await rejection(rsaPublic().verify('PS256', new Uint8Array(32), new Uint8Array(256)));
      expect(error).to.be.instanceOf(LocalCryptographyUnsupportedError);
    });

    it("reads the vault's own output: decrypts the recorded RSA-OAEP ciphertext and verifies the recorded RS256 signature", async () => {
      const client = new CryptographyClient(recordedJwk());
      const decrypted = await client.decrypt({ algorithm: 'RSA-OAEP', ciphertext: Buffer.from(encryptDecrypt[2]!.ResponseBody.value, 'base64url') });
      expect(Buffer.from(decrypted.result).toString('base64url')).to.equal(encryptDecrypt[2]!.RequestBody && (encryptDecrypt[2]!.RequestBody as { value: string }).value);
      const { alg, digest, value } = signVerify[3]!.RequestBody as { alg: string; digest: string; value: string };
      expect((await client.verify(alg, Buffer.from(digest, 'base64url'), Buffer.from(value, 'base64url'))).result).to.equal(true);
      expect(Buffer.from((await client.sign(alg, Buffer.from(digest, 'base64url'))).result).toString('base64url')).to.equal(value);
    });
  });

  describe('EC', () => {
    for (const [algorithm, curve, hash, size] of [
      ['ES256', 'P-256', 'sha256', 64], ['ES384', 'P-384', 'sha384', 96], ['ES512', 'P-521', 'sha512', 132], ['ES256K', 'secp256k1', 'sha256', 64],
    ] as const) {
      it(`${algorithm}: verifyData accepts node's JOSE (r || s) signature and refuses DER, other data and a flipped bit`, async () => {
        const pair = generateKeyPairSync('ec', { namedCurve: curve });
        const client = new CryptographyClient(jwkOf(pair.publicKey));
        const data = Buffer.from(`signed on ${curve}`);
        const signature = sign(hash, data, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
        expect(signature).to.have.length(size);
        expect((await client.verifyData(algorithm, data, signature)).result).to.equal(true);
        expect((await client.verifyData(algorithm, data, sign(hash, data, pair.privateKey))).result, 'DER').to.equal(false);
        expect((await client.verifyData(algorithm, Buffer.from('other'), signature)).result).to.equal(false);
        signature[5]! ^= 1;
        expect((await client.verifyData(algorithm, data, signature)).result).to.equal(false);
      });

      it(`${algorithm}: signData with a private JsonWebKey makes a JOSE signature node verifies`, async () => {
        const pair = generateKeyPairSync('ec', { namedCurve: curve });
        const data = Buffer.from('to sign');
        const signed = await new CryptographyClient(jwkOf(pair.privateKey)).signData(algorithm, data);
        expect(signed.result).to.have.length(size);
        expect(verify(hash, data, { key: pair.publicKey, dsaEncoding: 'ieee-p1363' }, signed.result)).to.equal(true);
      });
    }

    it('ECDSA over a bare digest is left to the vault: a local-only client says so with a typed error', async () => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const error = await rejection(new CryptographyClient(jwkOf(pair.publicKey)).verify('ES256', new Uint8Array(32), new Uint8Array(64)));
      expect(error).to.be.instanceOf(LocalCryptographyUnsupportedError);
      expect((error as Error).message).to.include('signData/verifyData');
    });
  });

  describe('AES', () => {
    for (const bits of [128, 192, 256] as const) {
      it(`A${bits}GCM: encrypt with a fresh 12-byte IV, tag and AAD decrypt with node; node's ciphertext decrypts here`, async () => {
        const k = randomBytes(bits / 8);
        const client = new CryptographyClient(octJwk(k));
        const aad = bytes('header');
        const encrypted = await client.encrypt({ algorithm: `A${bits}GCM`, plaintext: bytes('gcm plaintext'), additionalAuthenticatedData: aad });
        expect(encrypted.iv).to.have.length(12);
        expect(encrypted.authenticationTag).to.have.length(16);
        expect(encrypted.additionalAuthenticatedData).to.deep.equal(aad);
        const decipher = createDecipheriv(`aes-${bits}-gcm`, k, encrypted.iv!) as DecipherGCM;
        decipher.setAuthTag(encrypted.authenticationTag!);
        decipher.setAAD(aad);
        expect(Buffer.concat([decipher.update(encrypted.result), decipher.final()]).toString()).to.equal('gcm plaintext');
        const again = await client.encrypt({ algorithm: `A${bits}GCM`, plaintext: bytes('gcm plaintext') });
        expect(again.iv).to.not.deep.equal(encrypted.iv);

        const iv = randomBytes(12);
        const cipher = createCipheriv(`aes-${bits}-gcm`, k, iv) as CipherGCM;
        const ciphertext = Buffer.concat([cipher.update('from node'), cipher.final()]);
        const tag = cipher.getAuthTag();
        expect(Buffer.from((await client.decrypt({ algorithm: `A${bits}GCM`, ciphertext, iv, authenticationTag: tag })).result).toString()).to.equal('from node');
        tag[0]! ^= 1;
        const error = await rejection(client.decrypt({ algorithm: `A${bits}GCM`, ciphertext, iv, authenticationTag: tag }));
        expect(error).to.be.instanceOf(CryptographyError).and.include({ code: 'DecryptionFailed' });
      });

      it(`A${bits}CBC / A${bits}CBCPAD: equal to node with a given IV; a 16-byte IV is generated when none is given`, async () => {
        const k = randomBytes(bits / 8);
        const client = new CryptographyClient(octJwk(k));
        const iv = randomBytes(16);
        const block = randomBytes(32);
        const plain = await client.encrypt({ algorithm: `A${bits}CBC`, plaintext: block, iv });
        const nodeCipher = createCipheriv(`aes-${bits}-cbc`, k, iv).setAutoPadding(false);
        expect(Buffer.from(plain.result)).to.deep.equal(Buffer.concat([nodeCipher.update(block), nodeCipher.final()]));
        expect(plain.iv).to.deep.equal(iv);
        const padded = await client.encrypt({ algorithm: `A${bits}CBCPAD`, plaintext: bytes('not a whole block') });
        expect(padded.iv).to.have.length(16);
        const decipher = createDecipheriv(`aes-${bits}-cbc`, k, padded.iv!);
        expect(Buffer.concat([decipher.update(padded.result), decipher.final()]).toString()).to.equal('not a whole block');
        expect(Buffer.from((await client.decrypt({ algorithm: `A${bits}CBCPAD`, ciphertext: padded.result, iv: padded.iv! })).result).toString()).to.equal('not a whole block');
        const error = await rejection(client.encrypt({ algorithm: `A${bits}CBC`, plaintext: bytes('17 bytes of text!') }));
        expect(error).to.be.instanceOf(ValidationError);
      });
    }

    it('A128KW matches the RFC 3394 §4.1 test vector, and unwraps it; a corrupted wrap fails typed', async () => {
      const client = new CryptographyClient(octJwk(Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex')));
      const wrapped = await client.wrapKey('A128KW', Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex'));
      expect(Buffer.from(wrapped.result).toString('hex').toUpperCase()).to.equal('1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5');
      expect(Buffer.from((await client.unwrapKey('A128KW', wrapped.result)).result).toString('hex').toUpperCase()).to.equal('00112233445566778899AABBCCDDEEFF');
      const corrupted = Buffer.from(wrapped.result);
      corrupted[3]! ^= 1;
      expect(await rejection(client.unwrapKey('A128KW', corrupted))).to.be.instanceOf(CryptographyError);
    });

    it('A256KW matches RFC 3394 §4.6; CKM_AES_KEY_WRAP_PAD matches RFC 5649 §6 (192-bit KEK, 20-byte key)', async () => {
      const kek256 = Buffer.from('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', 'hex');
      const wrapped = await new CryptographyClient(octJwk(kek256)).wrapKey('A256KW', Buffer.from('00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F', 'hex'));
      expect(Buffer.from(wrapped.result).toString('hex').toUpperCase()).to.equal('28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21');
      const padClient = new CryptographyClient(octJwk(Buffer.from('5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8', 'hex')));
      const padded = await padClient.wrapKey('CKM_AES_KEY_WRAP_PAD', Buffer.from('c37b7e6492584340bed12207808941155068f738', 'hex'));
      expect(Buffer.from(padded.result).toString('hex')).to.equal('138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a');
    });
  });

  describe('checks before anything runs', () => {
    it('algorithm vs key type, curve and AES size: AlgorithmKeyMismatch', async () => {
      const ec256 = new CryptographyClient(jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey));
      const attempts = [
        rsaPublic().verifyData('ES256', bytes('x'), new Uint8Array(64)),
        rsaPublic().encrypt({ algorithm: 'A256GCM', plaintext: bytes('x') }),
        ec256.verifyData('ES384', bytes('x'), new Uint8Array(96)),
        ec256.verifyData('RS256', bytes('x'), new Uint8Array(256)),
        new CryptographyClient(octJwk(randomBytes(16))).encrypt({ algorithm: 'A256GCM', plaintext: bytes('x') }),
        new CryptographyClient(octJwk(randomBytes(32))).encrypt({ algorithm: 'RSA-OAEP', plaintext: bytes('x') }),
      ];
      for (const attempt of attempts) expect(await rejection(attempt)).to.be.instanceOf(ValidationError).and.include({ code: 'AlgorithmKeyMismatch' });
    });

    it('digest length vs algorithm: InvalidDigestLength (RS256 needs 32 bytes, ES384 48, PS512 64)', async () => {
      for (const [algorithm, length] of [['RS256', 31], ['RS256', 48], ['ES384', 32], ['PS512', 32], ['ES256K', 33]] as const) {
        const error = await rejection(rsaPrivate().sign(algorithm, new Uint8Array(length)));
        expect(error, `${algorithm}/${length}`).to.be.instanceOf(ValidationError).and.include({ code: 'InvalidDigestLength' });
      }
    });

    it('an algorithm for another operation, a forbidden keyOp, a non-byte input: typed errors', async () => {
      expect(await rejection(rsaPublic().sign('RSA-OAEP', new Uint8Array(32)))).to.include({ code: 'InvalidAlgorithm' });
      expect(await rejection(rsaPublic().encrypt({ algorithm: 'RS256' as never, plaintext: bytes('x') }))).to.include({ code: 'InvalidAlgorithm' });
      expect(await rejection(rsaPublic().signData('RSNULL', bytes('x')))).to.include({ code: 'InvalidAlgorithm' });
      const verifyOnly = new CryptographyClient({ ...jwkOf(rsa.publicKey), keyOps: ['verify'] });
      expect(await rejection(verifyOnly.encrypt({ algorithm: 'RSA-OAEP', plaintext: bytes('x') }))).to.be.instanceOf(ValidationError).and.include({ code: 'OperationNotAllowed' });
      expect(await rejection(rsaPublic().encrypt({ algorithm: 'RSA-OAEP', plaintext: 'text' as never }))).to.include({ code: 'InvalidArgument' });
      expect(() => new CryptographyClient({} as JsonWebKey)).to.throw(ValidationError);
    });
  });

  describe('LocalCryptographyProvider.isSupported', () => {
    it('claims only what its material allows', () => {
      const pub = new LocalCryptographyProvider(jwkOf(rsa.publicKey));
      const priv = new LocalCryptographyProvider(jwkOf(rsa.privateKey));
      const ec = new LocalCryptographyProvider(jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey));
      const oct = new LocalCryptographyProvider(octJwk(randomBytes(32)));
      expect(['encrypt', 'wrapKey', 'verify', 'verifyData'].map((op) => pub.isSupported(op === 'verify' || op === 'verifyData' ? 'RS256' : 'RSA-OAEP', op as never))).to.deep.equal([true, true, true, true]);
      expect([pub.isSupported('RSA-OAEP', 'decrypt'), pub.isSupported('RS256', 'sign'), priv.isSupported('RSA-OAEP', 'decrypt'), priv.isSupported('RS256', 'sign')]).to.deep.equal([false, false, true, true]);
      expect([pub.isSupported('PS256', 'verify'), pub.isSupported('PS256', 'verifyData'), pub.isSupported('ES256', 'verifyData')]).to.deep.equal([false, true, false]);
      expect([ec.isSupported('ES384', 'verifyData'), ec.isSupported('ES256', 'verifyData'), ec.isSupported('ES384', 'verify'), ec.isSupported('ES384', 'signData')]).to.deep.equal([true, false, false, false]);
      expect([oct.isSupported('A256GCM', 'decrypt'), oct.isSupported('A128GCM', 'encrypt'), oct.isSupported('A256KW', 'wrapKey'), oct.isSupported('A256GCM', 'wrapKey'), oct.isSupported('HS256', 'sign')]).to.deep.equal([true, false, true, false, false]);
      expect(pub.isSupported('FUTURE-ALG', 'encrypt')).to.equal(false);
    });
  });
});
