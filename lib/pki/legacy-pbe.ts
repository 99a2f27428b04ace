/**
 * The legacy password-based encryption of PKCS#12 (RFC 7292 appendices B and C): its key derivation and RC2
 * (RFC 2268). Hand-written because nothing maintained offers them any more: OpenSSL 3 moved RC2 to its legacy
 * provider (so node:crypto cannot decrypt it), and pkijs reads only PBES2. Both are checked against published
 * vectors in spec/pki/legacy-pbe.spec.ts. Decryption only: nothing here writes these schemes.
 */
import { createHash } from 'node:crypto';

/** A password as the PKCS#12 KDF takes it: UTF-16BE (BMPString) with a two-byte terminator. */
export function bmpPassword(password: string): Uint8Array {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/** PKCS#12 key derivation (RFC 7292 appendix B.2): `id` 1 for keys, 2 for IVs, 3 for MAC keys. */
export function pkcs12Kdf(password: Uint8Array, salt: Uint8Array, iterations: number, id: 1 | 2 | 3, size: number, hash: string): Buffer {
  const u = createHash(hash).digest().length;
  const v = u > 32 ? 128 : 64;
  const fill = (src: Uint8Array) => {
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
    return out;
  };
  const I = Buffer.concat([fill(salt), fill(password)]);
  const out: Buffer[] = [];
  for (let produced = 0; produced < size; produced += u) {
    let A = createHash(hash).update(Buffer.alloc(v, id)).update(I).digest();
    for (let j = 1; j < iterations; j++) A = createHash(hash).update(A).digest();
    out.push(A);
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        carry += I[j + k]! + B[k]!;
        I[j + k] = carry & 0xff;
        carry >>= 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, size);
}

// RC2 (RFC 2268), decryption only: the 40-bit RC2 that legacy PFX wrap certificates in is gone from OpenSSL 3's
// default provider, and those PFX are still what many tools (and the service's own test recordings) produce.
const PITABLE = Buffer.from(
  'd978f9c419ddb5ed28e9fd794aa0d89dc67e37832b76538e624c6488448bfba2179a59f587b34f1361456d8d09817d32bd8f40eb86b77b0bf09521225c6b4e82' +
  '54d66593ce60b21c7356c014a78cf1dc1275ca1f3bbee4d1423dd430a33cb6266fbf0eda4669075727f21d9bbc944303f811c7f690ef3ee706c3d52fc8661ed7' +
  '08e8eade8052eef784aa72ac354d6a2a961ad2715a1549744b9fd05e0418a4ecc2e0416e0f51cbcc2491af50a1f47039997c3a8523b8b47afc02365b25559731' +
  '2d5dfa98e38a92ae05df2910676cbac9d300e6cfe19ea82c6316013f58e289a90d38341bab33ffb0bb480c5fb9b1cd2ec5f3db47e5a59c770aa62068fe7fc1ad',
  'hex',
);

export function rc2ExpandKey(key: Uint8Array, effectiveBits: number): Uint16Array {
  const L = new Uint8Array(128);
  L.set(key);
  for (let i = key.length; i < 128; i++) L[i] = PITABLE[(L[i - 1]! + L[i - key.length]!) & 0xff]!;
  const T8 = (effectiveBits + 7) >> 3;
  const TM = 0xff >> (8 * T8 - effectiveBits);
  L[128 - T8] = PITABLE[L[128 - T8]! & TM]!;
  for (let i = 127 - T8; i >= 0; i--) L[i] = PITABLE[L[i + 1]! ^ L[i + T8]!]!;
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i++) K[i] = L[2 * i]! | (L[2 * i + 1]! << 8);
  return K;
}

export function rc2DecryptBlock(K: Uint16Array, block: Uint8Array): Uint8Array {
  const R = [0, 1, 2, 3].map((i) => block[2 * i]! | (block[2 * i + 1]! << 8));
  const S = [1, 2, 3, 5];
  const rmix = (j: number, i: number) => {
    R[i] = ((R[i]! >>> S[i]!) | (R[i]! << (16 - S[i]!))) & 0xffff;
    R[i] = (R[i]! - K[j]! - (R[(i + 3) % 4]! & R[(i + 2) % 4]!) - (~R[(i + 3) % 4]! & R[(i + 1) % 4]!)) & 0xffff;
  };
  const rmash = (i: number) => (R[i] = (R[i]! - K[R[(i + 3) % 4]! & 63]!) & 0xffff);
  let j = 63;
  const mixRound = () => {
    for (let i = 3; i >= 0; i--) rmix(j--, i);
  };
  const mashRound = () => {
    for (let i = 3; i >= 0; i--) rmash(i);
  };
  for (let r = 0; r < 5; r++) mixRound();
  mashRound();
  for (let r = 0; r < 6; r++) mixRound();
  mashRound();
  for (let r = 0; r < 5; r++) mixRound();
  const out = new Uint8Array(8);
  R.forEach((w, i) => {
    out[2 * i] = w & 0xff;
    out[2 * i + 1] = w >> 8;
  });
  return out;
}

export function rc2CbcDecrypt(key: Uint8Array, effectiveBits: number, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length === 0 || data.length % 8) throw new Error('Bad RC2 ciphertext length.');
  const K = rc2ExpandKey(key, effectiveBits);
  const out = new Uint8Array(data.length);
  let previous = iv;
  for (let off = 0; off < data.length; off += 8) {
    const block = data.subarray(off, off + 8);
    const plain = rc2DecryptBlock(K, block);
    for (let i = 0; i < 8; i++) out[off + i] = plain[i]! ^ previous[i]!;
    previous = block;
  }
  const pad = out[out.length - 1]!;
  if (pad < 1 || pad > 8 || out.subarray(out.length - pad).some((b) => b !== pad)) throw new Error('Bad RC2 padding (wrong password?).');
  return out.subarray(0, out.length - pad);
}

