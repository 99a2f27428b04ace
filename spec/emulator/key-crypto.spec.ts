import { expect } from 'chai';
import { type KeyObject, constants, createCipheriv, createDecipheriv, createHash, createPublicKey, publicEncrypt, randomBytes, verify } from 'node:crypto';
import { useVault } from '../helpers/vault.js';
import { call, expectError } from './http.js';

// Every vault result is checked independently with node:crypto and the key's public JWK (or, for oct keys,
// the key bytes the test imported).

const b64 = (b: Buffer): string => b.toString('base64url');
const bin = (s: string): Buffer => Buffer.from(s, 'base64url');
const versionOf = (kid: string): string => kid.split('/').pop()!;
const NODE_CURVE: Record<string, string> = { 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521', 'P-256K': 'secp256k1' };

function publicKeyOf(jwk: Record<string, string>): KeyObject {
  return jwk['kty']!.startsWith('RSA')
    ? createPublicKey({ key: { kty: 'RSA', n: jwk['n']!, e: jwk['e']! }, format: 'jwk' })
    : createPublicKey({ key: { kty: 'EC', crv: NODE_CURVE[jwk['crv']!]!, x: jwk['x']!, y: jwk['y']! }, format: 'jwk' });
}

describe('emulator key crypto, checked with node:crypto', () => {
  const vault = useVault();
  const op = (kid: string, operation: string, body: unknown) => call(vault(), 'POST', `/keys/${kid.split('/').slice(-2).join('/')}/${operation}`, { body });
  let rsa: { kid: string; key: KeyObject };
  let aes: Record<number, { kid: string; bytes: Buffer }>;

  before(async () => {
    const created = await call(vault(), 'POST', '/keys/crypto-rsa/create', { body: { kty: 'RSA', key_size: 2048 } });
    rsa = { kid: created.json.key.kid, key: publicKeyOf(created.json.key) };
    aes = {};
    for (const bits of [128, 192, 256]) {
      const bytes = randomBytes(bits / 8);
      const imported = await call(vault(), 'PUT', `/keys/crypto-aes-${bits}`, { body: { key: { kty: 'oct-HSM', k: b64(bytes) } } });
      aes[bits] = { kid: imported.json.key.kid, bytes };
    }
  });

  describe('RSA encryption', () => {
    for (const [alg, padding, oaepHash] of [
      ['RSA1_5', constants.RSA_PKCS1_PADDING, undefined],
      ['RSA-OAEP', constants.RSA_PKCS1_OAEP_PADDING, 'sha1'],
      ['RSA-OAEP-256', constants.RSA_PKCS1_OAEP_PADDING, 'sha256'],
    ] as const) {
      it(`decrypts what node encrypted with the public JWK (${alg}) and round-trips its own ciphertext`, async () => {
        const plain = randomBytes(32);
        const ciphertext = publicEncrypt({ key: rsa.key, padding, ...(oaepHash ? { oaepHash } : {}) }, plain);
        const decrypted = await op(rsa.kid, 'decrypt', { alg, value: b64(ciphertext) });
        expect(decrypted.status, decrypted.text).to.equal(200);
        expect(decrypted.json.kid).to.equal(rsa.kid);
        expect(bin(decrypted.json.value)).to.deep.equal(plain);
        const encrypted = await op(rsa.kid, 'encrypt', { alg, value: b64(plain) });
        expect(bin(encrypted.json.value)).to.have.length(256);
        expect(bin((await op(rsa.kid, 'decrypt', { alg, value: encrypted.json.value })).json.value)).to.deep.equal(plain);
        const wrapped = await op(rsa.kid, 'wrapkey', { alg, value: b64(plain) });
        expect(bin((await op(rsa.kid, 'unwrapkey', { alg, value: wrapped.json.value })).json.value)).to.deep.equal(plain);
      });
    }

    it('answers 400 for a ciphertext that does not decrypt', async () => {
      expectError(await op(rsa.kid, 'decrypt', { alg: 'RSA-OAEP', value: b64(randomBytes(256)) }), 400, 'BadParameter');
      expectError(await op(rsa.kid, 'decrypt', { alg: 'A256GCM', value: b64(randomBytes(16)) }), 400, 'BadParameter');
      expectError(await op(rsa.kid, 'encrypt', { alg: 'RSA-OAEP', value: 'not base64!' }), 400, 'BadParameter');
    });
  });

  describe('AES', () => {
    for (const bits of [128, 192, 256]) {
      it(`A${bits}GCM: node decrypts the vault's ciphertext with iv, tag and aad, and the vault decrypts node's`, async () => {
        const { kid, bytes } = aes[bits]!;
        const plain = randomBytes(50);
        const aad = Buffer.from('header');
        const enc = await op(kid, 'encrypt', { alg: `A${bits}GCM`, value: b64(plain), aad: b64(aad) });
        expect(enc.status, enc.text).to.equal(200);
        const d = createDecipheriv(`aes-${bits}-gcm`, bytes, bin(enc.json.iv)) as ReturnType<typeof createDecipheriv> & { setAuthTag(t: Buffer): void; setAAD(a: Buffer): void };
        d.setAuthTag(bin(enc.json.tag));
        d.setAAD(aad);
        expect(Buffer.concat([d.update(bin(enc.json.value)), d.final()])).to.deep.equal(plain);
        expect(bin(enc.json.aad)).to.deep.equal(aad);

        const iv = randomBytes(12);
        const c = createCipheriv(`aes-${bits}-gcm`, bytes, iv) as ReturnType<typeof createCipheriv> & { getAuthTag(): Buffer };
        const ct = Buffer.concat([c.update(plain), c.final()]);
        const dec = await op(kid, 'decrypt', { alg: `A${bits}GCM`, value: b64(ct), iv: b64(iv), tag: b64(c.getAuthTag()) });
        expect(bin(dec.json.value)).to.deep.equal(plain);
        expectError(await op(kid, 'decrypt', { alg: `A${bits}GCM`, value: b64(ct), iv: b64(iv), tag: b64(randomBytes(16)) }), 400, 'BadParameter');
      });

      it(`A${bits}CBC and A${bits}CBCPAD match node's AES-CBC`, async () => {
        const { kid, bytes } = aes[bits]!;
        const iv = randomBytes(16);
        const block = randomBytes(32);
        const raw = await op(kid, 'encrypt', { alg: `A${bits}CBC`, value: b64(block), iv: b64(iv) });
        const c1 = createCipheriv(`aes-${bits}-cbc`, bytes, iv).setAutoPadding(false);
        expect(bin(raw.json.value)).to.deep.equal(Buffer.concat([c1.update(block), c1.final()]));
        const odd = randomBytes(21);
        const padded = await op(kid, 'encrypt', { alg: `A${bits}CBCPAD`, value: b64(odd), iv: b64(iv) });
        const c2 = createCipheriv(`aes-${bits}-cbc`, bytes, iv);
        expect(bin(padded.json.value)).to.deep.equal(Buffer.concat([c2.update(odd), c2.final()]));
        expect(bin((await op(kid, 'decrypt', { alg: `A${bits}CBCPAD`, value: padded.json.value, iv: b64(iv) })).json.value)).to.deep.equal(odd);
        expectError(await op(kid, 'encrypt', { alg: `A${bits}CBC`, value: b64(odd), iv: b64(iv) }), 400, 'BadParameter');
        expectError(await op(kid, 'encrypt', { alg: `A${bits}CBC`, value: b64(block) }), 400, 'BadParameter');
      });

      it(`A${bits}KW wraps as RFC 3394 (node's id-aes${bits}-wrap) and unwraps`, async () => {
        const { kid, bytes } = aes[bits]!;
        const cek = randomBytes(32);
        const wrapped = await op(kid, 'wrapkey', { alg: `A${bits}KW`, value: b64(cek) });
        const d = createDecipheriv(`id-aes${bits}-wrap`, bytes, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
        expect(Buffer.concat([d.update(bin(wrapped.json.value)), d.final()])).to.deep.equal(cek);
        expect(bin((await op(kid, 'unwrapkey', { alg: `A${bits}KW`, value: wrapped.json.value })).json.value)).to.deep.equal(cek);
      });
    }

    it('refuses an algorithm whose size does not match the key', async () => {
      expectError(await op(aes[128]!.kid, 'wrapkey', { alg: 'A256KW', value: b64(randomBytes(32)) }), 400, 'BadParameter');
      expectError(await op(aes[128]!.kid, 'sign', { alg: 'RS256', value: b64(randomBytes(32)) }), 403, 'Forbidden');
    });
  });

  describe('signatures over digests', () => {
    for (const [alg, hash, saltLength] of [
      ['RS256', 'sha256', undefined],
      ['RS384', 'sha384', undefined],
      ['RS512', 'sha512', undefined],
      ['PS256', 'sha256', 32],
      ['PS384', 'sha384', 48],
      ['PS512', 'sha512', 64],
    ] as const) {
      it(`${alg}: node verifies the vault's signature with the public JWK`, async () => {
        const data = randomBytes(100);
        const digest = createHash(hash).update(data).digest();
        const signed = await op(rsa.kid, 'sign', { alg, value: b64(digest) });
        expect(signed.status, signed.text).to.equal(200);
        const key = saltLength ? { key: rsa.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength } : rsa.key;
        expect(verify(hash, data, key, bin(signed.json.value))).to.equal(true);
        expect((await op(rsa.kid, 'verify', { alg, digest: b64(digest), value: signed.json.value })).json).to.deep.equal({ value: true });
        const other = createHash(hash).update('other').digest();
        expect((await op(rsa.kid, 'verify', { alg, digest: b64(other), value: signed.json.value })).json).to.deep.equal({ value: false });
      });
    }

    for (const [alg, crv, hash] of [
      ['ES256', 'P-256', 'sha256'],
      ['ES384', 'P-384', 'sha384'],
      ['ES512', 'P-521', 'sha512'],
      ['ES256K', 'P-256K', 'sha256'],
    ] as const) {
      it(`${alg}: raw r||s signatures that node verifies (ieee-p1363)`, async () => {
        const created = await call(vault(), 'POST', `/keys/sig-${alg}/create`, { body: { kty: 'EC', crv } });
        const key = publicKeyOf(created.json.key);
        const data = randomBytes(64);
        const digest = createHash(hash).update(data).digest();
        const signed = await op(created.json.key.kid, 'sign', { alg, value: b64(digest) });
        const size = { 'P-256': 64, 'P-384': 96, 'P-521': 132, 'P-256K': 64 }[crv];
        expect(bin(signed.json.value)).to.have.length(size);
        expect(verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, bin(signed.json.value))).to.equal(true);
        expect((await op(created.json.key.kid, 'verify', { alg, digest: b64(digest), value: signed.json.value })).json.value).to.equal(true);
        expectError(await op(created.json.key.kid, 'sign', { alg: alg === 'ES256' ? 'ES384' : 'ES256', value: b64(digest) }), 400, 'BadParameter');
      });
    }

    it('refuses a digest of the wrong size and an algorithm of another key family', async () => {
      expectError(await op(rsa.kid, 'sign', { alg: 'RS256', value: b64(randomBytes(31)) }), 400, 'BadParameter');
      expectError(await op(rsa.kid, 'sign', { alg: 'ES256', value: b64(randomBytes(32)) }), 400, 'BadParameter');
    });
  });

  describe('key_ops, enabled, nbf and exp', () => {
    it('refuses operations outside key_ops with 403', async () => {
      const k = await call(vault(), 'POST', '/keys/sign-only/create', { body: { kty: 'RSA', key_ops: ['sign'] } });
      expectError(await op(k.json.key.kid, 'encrypt', { alg: 'RSA-OAEP', value: b64(randomBytes(8)) }), 403, 'Forbidden');
      expect((await op(k.json.key.kid, 'sign', { alg: 'RS256', value: b64(randomBytes(32)) })).status).to.equal(200);
    });

    it('refuses a disabled key; outside nbf/exp refuses encrypt, wrap and sign but decrypts, unwraps and verifies (About keys)', async () => {
      const k = await call(vault(), 'POST', '/keys/timed/create', { body: { kty: 'RSA', attributes: { exp: 1000 } } });
      const digest = b64(randomBytes(32));
      expectError(await op(k.json.key.kid, 'sign', { alg: 'RS256', value: digest }), 403, 'Forbidden');
      expectError(await op(k.json.key.kid, 'encrypt', { alg: 'RSA-OAEP', value: digest }), 403, 'Forbidden');
      expectError(await op(k.json.key.kid, 'wrapkey', { alg: 'RSA-OAEP', value: digest }), 403, 'Forbidden');
      const later = await call(vault(), 'POST', '/keys/later/create', { body: { kty: 'RSA', attributes: { nbf: 4000000000 } } });
      const secret = randomBytes(16);
      const sealed = publicEncrypt({ key: publicKeyOf(later.json.key), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, secret);
      const opened = await op(later.json.key.kid, 'decrypt', { alg: 'RSA-OAEP', value: b64(sealed) });
      expect(opened.status).to.equal(200);
      expect(Buffer.from(opened.json.value, 'base64url').equals(secret)).to.equal(true);
      expect((await op(later.json.key.kid, 'unwrapkey', { alg: 'RSA-OAEP', value: b64(sealed) })).status).to.equal(200);
      expectError(await op(later.json.key.kid, 'encrypt', { alg: 'RSA-OAEP', value: digest }), 403, 'Forbidden');
      await call(vault(), 'PATCH', `/keys/later/${versionOf(later.json.key.kid)}`, { body: { attributes: { enabled: false } } });
      expectError(await op(later.json.key.kid, 'decrypt', { alg: 'RSA-OAEP', value: b64(sealed) }), 403, 'Forbidden');
    });

    it('uses the latest version when the version segment is empty', async () => {
      const k = await call(vault(), 'POST', '/keys/latest-op/create', { body: { kty: 'RSA' } });
      const signed = await call(vault(), 'POST', '/keys/latest-op//sign', { body: { alg: 'RS256', value: b64(randomBytes(32)) } });
      expect(signed.json.kid).to.equal(k.json.key.kid);
    });
  });
});
