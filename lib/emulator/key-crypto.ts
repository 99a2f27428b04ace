import { type CipherGCMTypes, constants, createCipheriv, createDecipheriv, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { VaultError, badParameter } from './errors.js';
import { type Material, nodeKeys, secretBytes } from './key-material.js';
import { ecdsaSign, ecdsaVerify, rsaPkcs1Sign, rsaPkcs1Verify, rsaPssSign, rsaPssVerify } from './prehash.js';

/** Input of encrypt/decrypt/wrapKey/unwrapKey, decoded. */
export interface CipherInput {
  readonly alg: string;
  readonly value: Buffer;
  readonly iv?: Buffer | undefined;
  readonly aad?: Buffer | undefined;
  readonly tag?: Buffer | undefined;
}

/** A KeyOperationResult's binary fields (the handler base64url-encodes them). */
export interface CipherOutput {
  readonly value: Buffer;
  readonly iv?: Buffer;
  readonly tag?: Buffer;
  readonly aad?: Buffer;
}

const RSA_ALGS: Record<string, { padding: number; oaepHash?: string }> = {
  RSA1_5: { padding: constants.RSA_PKCS1_PADDING },
  'RSA-OAEP': { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
  'RSA-OAEP-256': { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
};

/** Algorithms by operation and key family (the handler answers 400 for any other pairing). */
export const ALGORITHMS = {
  encrypt: { RSA: Object.keys(RSA_ALGS), oct: ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC', 'A192CBC', 'A256CBC', 'A128CBCPAD', 'A192CBCPAD', 'A256CBCPAD'] },
  wrapKey: { RSA: Object.keys(RSA_ALGS), oct: ['A128KW', 'A192KW', 'A256KW'] },
  sign: { RSA: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'], EC: ['ES256', 'ES384', 'ES512', 'ES256K'] },
} as const;

function aesKey(m: Material, alg: string): Buffer {
  const key = secretBytes(m);
  const bits = Number(alg.slice(1, 4));
  if (key.length * 8 !== bits) throw badParameter(`The algorithm ${alg} requires a ${bits}-bit key; this key has ${key.length * 8} bits.`);
  return key;
}

function need(b: Buffer | undefined, name: string, length?: number): Buffer {
  if (!b) throw badParameter(`The parameter '${name}' is required for this algorithm.`);
  if (length !== undefined && b.length !== length) throw badParameter(`The parameter '${name}' must be ${length} bytes.`);
  return b;
}

// PKCS#1 v1.5 decryption was withdrawn from node's privateDecrypt (Marvin attack); the vault keeps RSA1_5
// for compatibility by unpadding the raw RSA result itself.
function rsa15Decrypt(m: Material, value: Buffer): Buffer {
  const em = privateDecrypt({ key: nodeKeys(m).private, padding: constants.RSA_NO_PADDING }, value);
  const sep = em.indexOf(0, 2);
  if (em[0] !== 0 || em[1] !== 2 || sep < 10) throw badParameter('The ciphertext is invalid.');
  return em.subarray(sep + 1);
}

function rsaEncrypt(m: Material, input: CipherInput): CipherOutput {
  const a = RSA_ALGS[input.alg]!;
  return { value: publicEncrypt({ key: nodeKeys(m).public, padding: a.padding, ...(a.oaepHash ? { oaepHash: a.oaepHash } : {}) }, input.value) };
}

function rsaDecrypt(m: Material, input: CipherInput): CipherOutput {
  if (input.alg === 'RSA1_5') return { value: rsa15Decrypt(m, input.value) };
  const a = RSA_ALGS[input.alg]!;
  return { value: privateDecrypt({ key: nodeKeys(m).private, padding: a.padding, oaepHash: a.oaepHash! }, input.value) };
}

export function encrypt(m: Material, input: CipherInput): CipherOutput {
  const { alg } = input;
  if (RSA_ALGS[alg]) return rsaEncrypt(m, input);
  const key = aesKey(m, alg);
  if (alg.endsWith('GCM')) {
    // The vault picks the IV, as the service does, unless the caller supplied one.
    const iv = input.iv ?? randomBytes(12);
    const cipher = createCipheriv(`aes-${key.length * 8}-gcm` as CipherGCMTypes, key, iv);
    if (input.aad) cipher.setAAD(input.aad);
    const value = Buffer.concat([cipher.update(input.value), cipher.final()]);
    return { value, iv, tag: cipher.getAuthTag(), ...(input.aad ? { aad: input.aad } : {}) };
  }
  const iv = need(input.iv, 'iv', 16);
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, iv);
  cipher.setAutoPadding(alg.endsWith('PAD'));
  if (!alg.endsWith('PAD') && input.value.length % 16 !== 0) throw badParameter(`The plaintext length must be a multiple of 16 bytes for ${alg}.`);
  return { value: Buffer.concat([cipher.update(input.value), cipher.final()]), iv };
}

export function decrypt(m: Material, input: CipherInput): CipherOutput {
  const { alg } = input;
  if (RSA_ALGS[alg]) return guard(() => rsaDecrypt(m, input));
  const key = aesKey(m, alg);
  if (alg.endsWith('GCM')) {
    const decipher = createDecipheriv(`aes-${key.length * 8}-gcm` as CipherGCMTypes, key, need(input.iv, 'iv'));
    decipher.setAuthTag(need(input.tag, 'tag', 16));
    if (input.aad) decipher.setAAD(input.aad);
    return guard(() => ({ value: Buffer.concat([decipher.update(input.value), decipher.final()]) }));
  }
  const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, need(input.iv, 'iv', 16));
  decipher.setAutoPadding(alg.endsWith('PAD'));
  return guard(() => ({ value: Buffer.concat([decipher.update(input.value), decipher.final()]) }));
}

// RFC 3394 default IV.
const KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

export function wrapKey(m: Material, input: CipherInput): CipherOutput {
  if (RSA_ALGS[input.alg]) return rsaEncrypt(m, input);
  const key = aesKey(m, input.alg);
  if (input.value.length < 16 || input.value.length % 8 !== 0) throw badParameter('The key to wrap must be at least 16 bytes and a multiple of 8 bytes.');
  const cipher = createCipheriv(`id-aes${key.length * 8}-wrap`, key, KW_IV);
  return { value: Buffer.concat([cipher.update(input.value), cipher.final()]) };
}

export function unwrapKey(m: Material, input: CipherInput): CipherOutput {
  if (RSA_ALGS[input.alg]) return guard(() => rsaDecrypt(m, input));
  const key = aesKey(m, input.alg);
  const decipher = createDecipheriv(`id-aes${key.length * 8}-wrap`, key, KW_IV);
  return guard(() => ({ value: Buffer.concat([decipher.update(input.value), decipher.final()]) }));
}

// A wrong key, tag or padding surfaces from OpenSSL as an exception; the service answers 400.
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof VaultError) throw error;
    throw badParameter('The ciphertext could not be decrypted with this key and algorithm.');
  }
}

const SIGN: Record<string, { hash: 'sha256' | 'sha384' | 'sha512'; crv?: string }> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  PS256: { hash: 'sha256' },
  PS384: { hash: 'sha384' },
  PS512: { hash: 'sha512' },
  ES256: { hash: 'sha256', crv: 'P-256' },
  ES384: { hash: 'sha384', crv: 'P-384' },
  ES512: { hash: 'sha512', crv: 'P-521' },
  ES256K: { hash: 'sha256', crv: 'P-256K' },
};
const DIGEST_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const;

function signParams(m: Material, alg: string, digest: Buffer): (typeof SIGN)[string] {
  const p = SIGN[alg]!;
  if (digest.length !== DIGEST_BYTES[p.hash]) throw badParameter(`The digest must be ${DIGEST_BYTES[p.hash]} bytes for ${alg}.`);
  if (p.crv && p.crv !== m.crv) throw badParameter(`The algorithm ${alg} cannot be used with a key on curve ${m.crv}.`);
  return p;
}

/** Signs a digest; EC signatures are raw r||s as JOSE (and the service) encode them. */
export function sign(m: Material, alg: string, digest: Buffer): Buffer {
  const p = signParams(m, alg, digest);
  if (p.crv) return ecdsaSign(p.crv, Buffer.from(m.d!, 'base64url'), digest);
  const key = nodeKeys(m).private;
  return alg.startsWith('PS') ? rsaPssSign(key, p.hash, digest) : rsaPkcs1Sign(key, p.hash, digest);
}

export function verify(m: Material, alg: string, digest: Buffer, signature: Buffer): boolean {
  const p = signParams(m, alg, digest);
  if (p.crv) return ecdsaVerify(p.crv, Buffer.from(m.d!, 'base64url'), digest, signature);
  const key = nodeKeys(m).public;
  return alg.startsWith('PS') ? rsaPssVerify(key, p.hash, digest, signature) : rsaPkcs1Verify(key, p.hash, digest, signature);
}
